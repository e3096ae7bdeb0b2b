"""The DSL package is usable without Django: the CLI and the tests import it alone."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import trading_strategy.dsl

PACKAGE_DIR = Path(trading_strategy.dsl.__file__).parent

_PROBE = """
import importlib, pkgutil, sys
import trading_strategy.dsl as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(len(names))
print(",".join(leaked))
"""


def test_importing_every_dsl_module_leaves_django_unloaded():
    result = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        cwd=PACKAGE_DIR.parent.parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, leaked = result.stdout.splitlines()
    assert int(count) >= 10
    assert leaked == ""


def test_no_dsl_source_file_imports_django():
    pattern = re.compile(r"^\s*(import\s+django\b|from\s+django\b)", re.MULTILINE)
    files = sorted(PACKAGE_DIR.rglob("*.py"))
    assert files
    offenders = [str(path) for path in files if pattern.search(path.read_text("utf-8"))]
    assert offenders == []


def test_walk_packages_sees_the_subpackages():
    names = {m.name for m in pkgutil.walk_packages(trading_strategy.dsl.__path__, "trading_strategy.dsl.")}
    assert "trading_strategy.dsl.validator" in names
    assert "trading_strategy.dsl.conditions.parser" in names
    assert "trading_strategy.dsl.loaders.toml_scan" in names
    assert "trading_strategy.dsl.logic.bounds" in names


def test_the_probe_walks_every_module_on_disk():
    on_disk = set()
    for path in PACKAGE_DIR.rglob("*.py"):
        parts = path.relative_to(PACKAGE_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            on_disk.add("trading_strategy.dsl." + ".".join(parts))
    names = {m.name for m in pkgutil.walk_packages(trading_strategy.dsl.__path__, "trading_strategy.dsl.")}
    assert on_disk - names == set()
