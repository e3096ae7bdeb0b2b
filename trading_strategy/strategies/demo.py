"""Demo data for `make run`: the example strategies, owned by the demo admin."""

from __future__ import annotations

import contextvars
from pathlib import Path

from trading_strategy.dsl import format_of, validate

from . import lifecycle
from .errors import NameRejected
from .lifecycle import document_name
from .models import Strategy


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
        document = path.read_text(encoding="utf-8")
        if Strategy.objects.owned_by(user).name_taken(
            document_name(document, fmt, validate(document, fmt)) or ""
        ):
            continue  # loaded by an earlier start: nothing to do, nothing to warn about
        # Each example is its own unit of work, as a request is: the strategy id one
        # creation binds to the log context must not reach the next one's lines.
        try:
            created.append(contextvars.copy_context().run(lifecycle.create, user, document, fmt))
        except NameRejected as rejected:
            # Another process loading the demo at the same moment created it first.
            if rejected.code != "strategy.name_taken":
                raise
    return created
