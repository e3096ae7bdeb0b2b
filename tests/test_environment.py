"""The environment variables: read in one place, one way, and documented once.

`.env.example` lists every variable with its default; the README's Environment table
repeats it; the code's reads (found in the source, so a read under an `if` counts too)
agree with both.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from trading_strategy import env

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "trading_strategy"
HELPERS = {"env_bool", "env_int", "env_float", "env_str", "env_list"}

# Modules that may touch the environment, and why. Everything else reads django.conf.settings.
READERS = {
    "settings.py": "every deployment variable, through trading_strategy.env",
    "env.py": "the helpers themselves",
    # The gunicorn master never loads Django's settings; it reads what it needs through
    # the same helpers.
    "observability/exporter.py": "the master's exporter: METRICS_PORT, METRICS_HOST, "
    "and PROMETHEUS_MULTIPROC_DIR, which prometheus_client "
    "reads itself at import",
    "observability/logging.py": "the master's own log lines: DEBUG, LOG_FORMAT, LOG_LEVEL",
    # Process plumbing, not deployment choices.
    "cli.py": "METRICS_PORT and PROMETHEUS_MULTIPROC_DIR handed to the gunicorn master",
    "cli_django.py": "DJANGO_SETTINGS_MODULE",
    "asgi.py": "DJANGO_SETTINGS_MODULE",
    "wsgi.py": "DJANGO_SETTINGS_MODULE",
}
HELPER_CALLERS = {"settings.py", "observability/exporter.py", "observability/logging.py"}
# Read by prometheus_client itself, so the code names it only through os.environ.
READ_BY_A_LIBRARY = {"PROMETHEUS_MULTIPROC_DIR"}

COMPUTED = object()  # a default worked out at start-up, not written as a literal


@dataclass(frozen=True)
class Read:
    module: str
    helper: str
    name: str
    default: object

    def __str__(self) -> str:
        return f"{self.module}: {self.helper}({self.name!r})"


def modules() -> dict[str, ast.Module]:
    return {
        str(path.relative_to(PACKAGE)): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _literal(node: ast.expr | None) -> object:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return COMPUTED


def helper_reads() -> list[Read]:
    reads = []
    for module, tree in modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in HELPERS:
                name = ast.literal_eval(node.args[0])
                default = node.args[1] if len(node.args) > 1 else None
                reads.append(Read(module, node.func.id, name, _literal(default)))
    return reads


def _touches_environment(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv"}:
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in HELPERS:
            return True
    return False


def _environ_names(tree: ast.Module) -> set[str]:
    """Variable names read with os.environ[...] or os.environ.get/pop(...), resolving a
    module-level constant like MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    names = set()
    for node in ast.walk(tree):
        key = None
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "environ"
        ):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "environ"
            and node.args
        ):
            key = node.args[0]
        if isinstance(key, ast.Constant):
            names.add(key.value)
        elif isinstance(key, ast.Name) and key.id in constants:
            names.add(constants[key.id])
    return names


def example() -> dict[str, str]:
    """.env.example as {name: value}; every variable has its one-line comment above it."""
    variables: dict[str, str] = {}
    previous = ""
    for line in (REPO / ".env.example").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, separator, value = line.partition("=")
            assert separator and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), line
            assert previous.startswith("# "), f"{name} has no comment line above it"
            assert name not in variables, f"{name} is listed twice"
            variables[name] = value
        previous = line
    return variables


def readme_table() -> dict[str, str]:
    """The README's Environment table as {name: default}, `unset` read as empty."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Environment", 1)[1].split("\n### ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        row = re.match(r"\| `([A-Z][A-Z0-9_]*)` \| (.*?) \| ", line)
        if row:
            name, default = row.groups()
            literal = re.fullmatch(r"`([^`]*)`", default)
            assert literal or default == "unset", f"{name}: default {default!r}"
            rows[name] = literal.group(1) if literal else ""
    return rows


def test_the_readme_table_lists_exactly_the_variables_of_env_example_with_their_defaults():
    assert readme_table() == example()


def test_every_variable_the_code_reads_is_in_env_example():
    missing = {str(read) for read in helper_reads() if read.name not in example()}

    assert not missing, f"add these to .env.example and the README's table: {missing}"


def test_env_example_lists_only_variables_the_code_reads():
    environ_reads = set().union(*(_environ_names(tree) for tree in modules().values()))
    read = {read.name for read in helper_reads()} | (READ_BY_A_LIBRARY & environ_reads)

    assert set(example()) - read == set()


@pytest.mark.parametrize("read", helper_reads(), ids=str)
def test_env_example_gives_each_variable_the_default_the_code_uses(read, monkeypatch):
    value = example()[read.name]
    if read.default is None or read.default is COMPUTED:
        assert value == "", (
            f"{read.name}: its default is worked out at start-up, so "
            ".env.example leaves it empty and says what empty means"
        )
        return
    if value == "":
        assert read.default in ("", []), f"{read.name}: .env.example leaves it empty"
        return
    monkeypatch.setenv(read.name, value)

    assert getattr(env, read.helper)(read.name, read.default) == read.default


def test_only_the_settings_and_the_gunicorn_masters_modules_read_the_environment():
    readers = {module for module, tree in modules().items() if _touches_environment(tree)}

    assert readers - set(READERS) == set()


def test_the_helpers_are_called_by_the_settings_and_the_gunicorn_masters_modules_only():
    callers = {read.module for read in helper_reads()}

    assert callers <= HELPER_CALLERS
    assert "settings.py" in callers


def test_the_helper_module_does_not_load_djangos_settings():
    # The gunicorn master imports it without settings; loading them there would need
    # SECRET_KEY and the database configuration in a process that serves no request.
    imported = {
        node.module
        for node in ast.walk(ast.parse((PACKAGE / "env.py").read_text()))
        if isinstance(node, ast.ImportFrom)
    }

    assert imported <= {"__future__", "typing", "django.core.exceptions"}
