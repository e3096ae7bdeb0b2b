"""A stored version keeps at most the diagnostics a report lists, however old it is."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

from trading_strategy.strategies import lifecycle

from ..worst_shapes import unknown_keys_at_the_value_limit
from .conftest import make

capping = import_module("trading_strategy.strategies.migrations.0005_cap_stored_diagnostics")


def test_a_saved_version_keeps_at_most_a_hundred_diagnostics_and_the_note(alice):
    text, fmt = unknown_keys_at_the_value_limit()
    version = lifecycle.create(alice, text, fmt).versions.get()
    assert len(version.diagnostics) == 101
    assert version.diagnostics[-1]["code"] == "diagnostics.truncated"


def test_migrating_caps_a_version_saved_with_thousands_of_diagnostics(alice, alice_client):
    strategy = make(alice)
    warning = {"code": "field.unknown", "severity": "warning", "message": "m", "path": "", "hint": None}
    strategy.versions.update(diagnostics=[{**warning, "line": n, "column": 1} for n in range(1, 5000)])

    capping.cap(apps, None)

    kept = strategy.versions.get().diagnostics
    assert len(kept) == 101 and kept[-1]["code"] == "diagnostics.truncated"
    assert [d["line"] for d in kept[:100]] == list(range(1, 101))
