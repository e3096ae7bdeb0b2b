"""The one check path: each check a user asks for is one dsl.check span with its source,
whichever door it came through, and a page that only shows a document records none."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from trading_strategy.observability import telemetry
from trading_strategy.strategies import checks, lifecycle
from trading_strategy.strategies.errors import NotValid

from .conftest import document, make

HALF_TYPED = "name: Half typed draft\ntrading_pair: BTC/USDT\ntimeframe: 4h\n"
ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "trading_strategy"


@pytest.fixture
def recorded():
    """The dsl.check spans that finished, as (phase, metadata)."""
    spans: list[tuple[str, dict]] = []

    def record(phase: str, span: telemetry.Span) -> None:
        if phase != "start":
            spans.append((phase, dict(span.metadata)))

    telemetry.attach("test-checks", record, names={"dsl.check"})
    yield spans
    telemetry.detach("test-checks")


def test_a_validation_is_one_check_with_its_source_and_verdict(recorded):
    report = checks.validate(document(), "yaml", "editor")

    assert report.valid
    assert recorded == [
        ("stop", {"check": "validate", "format": "yaml", "source": "editor", "result": "valid"})
    ]


def test_an_invalid_document_is_recorded_as_invalid_with_its_errors_returned(recorded):
    report = checks.validate(HALF_TYPED, "yaml", "api")

    assert "field.required" in {error.code for error in report.errors}
    assert recorded[-1][1]["result"] == "invalid"


def test_a_format_nobody_knows_is_recorded_as_unknown(recorded):
    checks.validate("name: x\n", "../etc/passwd", "cli")

    assert recorded[-1][1]["format"] == "unknown"


def test_a_syntax_test_explains_a_valid_document(recorded):
    report, summary = checks.syntax_test(document(), "yaml", "editor")

    assert report.valid and summary["trading_pair"] == "BTC/USDT"
    assert summary["conditions"]["entry"]["explanation"].startswith("Enter when")
    assert recorded == [
        ("stop", {"check": "syntax_test", "format": "yaml", "source": "editor", "result": "valid"})
    ]


def test_a_syntax_test_of_a_document_with_errors_has_no_summary(recorded):
    report, summary = checks.syntax_test(HALF_TYPED, "yaml", "api")

    assert summary is None and report.errors
    assert recorded[-1][1]["result"] == "invalid"


def test_a_crash_inside_a_check_is_recorded_as_error(recorded, monkeypatch):
    def broken(*args):
        raise RuntimeError("validator broke")

    monkeypatch.setattr(checks, "validate_text", broken)
    with pytest.raises(RuntimeError):
        checks.syntax_test(document(), "toml", "api")

    assert recorded == [
        ("exception", {"check": "syntax_test", "format": "toml", "source": "api", "result": "error"})
    ]


@pytest.mark.parametrize("source, slowed", [("editor", True), ("api", True), ("activation", False)])
def test_the_monitoring_slow_down_reaches_only_the_syntax_test_a_trader_asks_for(monkeypatch, source, slowed):
    slept = []
    monkeypatch.setattr(telemetry, "monitoring_test_delay", lambda: slept.append(1))

    checks.syntax_test(document(), "yaml", source)
    checks.validate(document(), "yaml", source)

    assert slept == ([1] if slowed else [])


def test_live_validation_is_one_editor_check(alice_client, recorded):
    response = alice_client.post("/strategies/live/validate", {"document": document(), "format": "yaml"})

    assert response.status_code == 200 and response.json()["valid"] is True
    assert [metadata for _, metadata in recorded] == [
        {"check": "validate", "format": "yaml", "source": "editor", "result": "valid"}
    ]


def test_the_editor_pages_test_syntax_button_is_one_editor_syntax_test(alice_client, recorded):
    response = alice_client.post(
        "/strategies/new", {"document": HALF_TYPED, "format": "yaml", "intent": "test-syntax"}
    )

    assert response.status_code == 200
    assert [metadata for _, metadata in recorded] == [
        {"check": "syntax_test", "format": "yaml", "source": "editor", "result": "invalid"}
    ]


def test_opening_the_editor_or_a_strategy_records_no_check(alice_client, alice, recorded):
    strategy = make(alice)

    assert alice_client.get(f"/strategies/{strategy.pk}/edit").status_code == 200
    assert alice_client.get(f"/strategies/{strategy.pk}").status_code == 200
    assert alice_client.get("/strategies/new").status_code == 200
    assert recorded == []


def test_activation_runs_one_syntax_test_and_refuses_a_document_with_errors(alice, recorded):
    draft = lifecycle.create(alice, HALF_TYPED, "yaml")

    with pytest.raises(NotValid) as refused:
        lifecycle.activate(alice, draft)

    assert refused.value.details["diagnostics"]
    assert [metadata for _, metadata in recorded] == [
        {"check": "syntax_test", "format": "yaml", "source": "activation", "result": "invalid"}
    ]


_PROBE = """
import sys
from trading_strategy.strategies import checks
report = checks.validate("name: x\\n", "yaml", "cli")
print(report.valid, sorted(m for m in sys.modules if m.split(".")[0] == "django"))
"""


def test_the_check_path_runs_without_django_settings():
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, cwd=ROOT, env=environment, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "[]"]


def _modules_matching(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if found.search(path.read_text("utf-8"))
    )


def test_only_the_check_path_opens_a_dsl_check_span():
    opened = _modules_matching(r"\btelemetry\.dsl_check\(|span\(\s*[\"']dsl\.check")
    assert [module for module in opened if module != "observability/telemetry.py"] == ["strategies/checks.py"]


def test_only_one_helper_turns_a_strategy_lookup_into_a_404():
    assert _modules_matching(r"get_object_or_404\(\s*Strategy\b") == ["strategies/views.py"]
