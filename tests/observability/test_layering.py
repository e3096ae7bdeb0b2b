"""The bottom floor stays the bottom floor: observability imports no app above it."""

import ast
from pathlib import Path

import trading_strategy.observability as observability

PACKAGE = "trading_strategy.observability"
HIGHER_FLOORS = (
    "trading_strategy.strategies",
    "trading_strategy.accounts",
    "trading_strategy.ops",
    "trading_strategy.api",
)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function, relative ones resolved."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = PACKAGE.rsplit(".", node.level - 1)[0] if node.level > 1 else PACKAGE
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def higher_floor_imports(path: Path) -> list[str]:
    return sorted(module for module in imported_modules(path) if module.startswith(HIGHER_FLOORS))


def test_observability_imports_nothing_from_the_apps_above_it():
    modules = sorted(Path(observability.__file__).parent.rglob("*.py"))
    assert len(modules) > 10
    offenders = {str(path.name): higher_floor_imports(path) for path in modules}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_check_sees_imports_inside_functions_and_relative_ones(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def later():\n"
        "    from trading_strategy.strategies.models import Strategy\n"
        "    from ..ops import views\n"
        "    import trading_strategy.accounts.models\n"
        "from .metrics import CATALOG\n"
    )

    assert higher_floor_imports(sample) == [
        "trading_strategy.accounts.models",
        "trading_strategy.ops",
        "trading_strategy.ops.views",
        "trading_strategy.strategies.models",
        "trading_strategy.strategies.models.Strategy",
    ]
