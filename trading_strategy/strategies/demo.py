"""Demo data for `make run`: the example strategies, owned by the demo admin."""

from __future__ import annotations

from pathlib import Path

from trading_strategy.dsl import format_of

from . import lifecycle
from .errors import NameRejected


def load_examples(user, directory: Path) -> list:
    """Create one strategy per example (the YAML file when both formats exist), skipping
    those the user already has, so that running it again changes nothing."""
    files = {}
    for path in sorted(directory.iterdir()):
        fmt = format_of(path.name)
        if fmt is not None and (path.stem not in files or fmt == "yaml"):
            files[path.stem] = (path, fmt)
    created = []
    for path, fmt in files.values():
        try:
            created.append(lifecycle.create(user, path.read_text(encoding="utf-8"), fmt))
        except NameRejected as rejected:
            if rejected.code != "strategy.name_taken":
                raise
    return created
