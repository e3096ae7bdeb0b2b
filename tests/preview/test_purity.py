"""The preview sits beside the language: no Django, no app above it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "trading_strategy" / "preview"
# What a module of the preview may import besides the standard library and itself.
ALLOWED = ("numpy", "talib", "trading_strategy.dsl")

_PROBE = """
import importlib, pkgutil, sys
import trading_strategy.preview as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(len(names))
print(",".join(sorted(m for m in sys.modules if m == "django" or m.startswith("django."))))
"""


def test_importing_every_preview_module_leaves_django_unloaded():
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    count, leaked = result.stdout.splitlines()
    assert int(count) >= 8
    assert leaked == ""


def test_the_preview_imports_only_the_language_numpy_and_talib():
    offenders = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level:
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if module.startswith(ALLOWED) or top in sys.stdlib_module_names:
                    continue
                offenders.append(f"{path.name}:{node.lineno}: {module}")
    assert offenders == []
