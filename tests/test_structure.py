"""The code's shape: no import loops in the package, and no module of the package, its
tests, benchmarks or monitoring scripts past the size we split at.

Imports are read from the source with `ast`, those inside functions included: an import
moved into a function to dodge a loop at start-up is still a loop in the design. Imports
under `if TYPE_CHECKING:` are left out, since they never run.
"""

import ast
import graphlib
from pathlib import Path

import trading_strategy

PACKAGE_DIR = Path(trading_strategy.__file__).parent
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = ["trading_strategy", *path.relative_to(PACKAGE_DIR).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE_DIR.rglob("*.py") if "migrations" not in path.parts}


def _is_type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and ast.unparse(node.test) in {"TYPE_CHECKING", "typing.TYPE_CHECKING"}


def _imported_names(tree: ast.AST, module: str, is_package: bool, modules=None) -> set[str]:
    """The names a module imports. `from package import name` imports the submodule when
    `name` is one of `modules` (the package itself is already loading), else the package."""
    names: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking_block(node):
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if modules is not None and submodule in modules else base)
        stack.extend(ast.iter_child_nodes(node))
    return names


def import_graph() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports."""
    sources = _sources()
    graph = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imported_names(tree, module, path.name == "__init__.py", sources)
        graph[module] = {name for name in imported if name in sources and name != module}
    return graph


def test_the_package_has_no_import_loop():
    try:
        tuple(graphlib.TopologicalSorter(import_graph()).static_order())
    except graphlib.CycleError as error:
        raise AssertionError(f"import loop: {' -> '.join(error.args[1])}") from None


def test_an_import_inside_a_function_counts():
    tree = ast.parse("def later():\n    from trading_strategy.strategies import events\n")
    modules = {"trading_strategy.strategies", "trading_strategy.strategies.events"}
    assert _imported_names(tree, "trading_strategy.cli", False, modules) == {
        "trading_strategy.strategies.events"
    }


def test_a_relative_import_resolves_against_its_package():
    tree = ast.parse("from .metrics import record\nfrom . import health\n")
    modules = {"trading_strategy.observability.metrics", "trading_strategy.observability.health"}
    assert _imported_names(tree, "trading_strategy.observability.exporter", False, modules) == {
        "trading_strategy.observability.metrics",
        "trading_strategy.observability.health",
    }


def test_no_module_is_longer_than_the_size_we_split_at():
    repository = PACKAGE_DIR.parent
    paths = [
        path
        for folder in ("trading_strategy", "tests", "bench", "monitoring")
        for path in (repository / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]
    long_modules = {
        str(path.relative_to(repository)): lines
        for path in paths
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long_modules == {}
