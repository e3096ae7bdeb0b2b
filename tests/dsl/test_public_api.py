"""The language has one public face, `trading_strategy.dsl`: nothing outside the package
imports a module behind it, so the modules can move without touching their callers.

Tests under tests/dsl test the language itself and may import its internals.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import trading_strategy.dsl as dsl

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "trading_strategy.dsl"


def _outside_files() -> list[Path]:
    files = []
    for folder, inside in (
        ("trading_strategy", "trading_strategy/dsl"),
        ("bench", None),
        ("tests", "tests/dsl"),
    ):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if inside is None or not path.is_relative_to(ROOT / inside):
                files.append(path)
    return files


def _module_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module a `from ... import` reads, with relative imports resolved."""
    if not node.level:
        return node.module or ""
    parts = _module_of(path).split(".")
    # A package's __init__ is its own package; a module's package is its parent.
    base = parts if path.name == "__init__.py" else parts[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def private_imports(source: str, path: Path) -> list[str]:
    """`file:line: statement` for each import of anything deeper than the package."""
    found = []
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Import):
            private = [alias.name for alias in node.names if alias.name.startswith(PACKAGE + ".")]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, path)
            if module.startswith(PACKAGE + "."):
                private = [module]
            elif module == PACKAGE:
                # A name that is not public is a submodule (or something inside one).
                private = [
                    f"{PACKAGE}.{alias.name}"
                    for alias in node.names
                    if alias.name != "*" and alias.name not in dsl.__all__
                ]
            elif module == "trading_strategy":
                private = []
            else:
                continue
        else:
            continue
        found += [f"{where}:{node.lineno}: imports {name}" for name in private]
    return found


def test_nothing_outside_the_language_imports_a_private_module_of_it():
    offenders = []
    for path in _outside_files():
        offenders += private_imports(path.read_text("utf-8"), path)
    assert offenders == [], (
        "import these from trading_strategy.dsl (add the name to its "
        "public face if it is missing):\n" + "\n".join(offenders)
    )


def test_the_check_names_the_file_and_line_of_each_kind_of_private_import():
    path = ROOT / "trading_strategy" / "strategies" / "example.py"
    source = "\n".join(
        [
            "from trading_strategy.dsl import validate, Report",
            "from trading_strategy.dsl.validator import validate",
            "import trading_strategy.dsl.model",
            "from trading_strategy.dsl import validator",
            "from ..dsl.loaders import load",
            "from ..dsl import summarize",
            "from .. import dsl",
            "import trading_strategy.dsl",
        ]
    )
    assert private_imports(source, path) == [
        "trading_strategy/strategies/example.py:2: imports trading_strategy.dsl.validator",
        "trading_strategy/strategies/example.py:3: imports trading_strategy.dsl.model",
        "trading_strategy/strategies/example.py:4: imports trading_strategy.dsl.validator",
        "trading_strategy/strategies/example.py:5: imports trading_strategy.dsl.loaders",
    ]


def test_every_public_name_resolves_and_no_submodule_is_public():
    for name in dsl.__all__:
        assert not inspect.ismodule(getattr(dsl, name)), name


def test_the_lazy_table_the_type_checking_imports_and_all_name_the_same_things():
    tree = ast.parse(Path(dsl.__file__).read_text("utf-8"))
    checking = next(node for node in tree.body if isinstance(node, ast.If))
    imported = {}
    for node in checking.body:
        for alias in node.names:
            imported[alias.asname or alias.name] = ("." * node.level + node.module, alias.name)
    assert imported == dsl._EXPORTS
    assert sorted(dsl.__all__) == sorted(dsl._EXPORTS)
