"""The one check path: every DSL check a user asks for, timed and recorded the same way.

    report = checks.validate(document, fmt, "editor")
    report, summary = checks.syntax_test(document, fmt, "api")

Each call runs inside one `dsl.check` telemetry span (observability/telemetry.py) with
check (validate, syntax_test), format, source (where it was served: editor, api,
activation, cli) and result (valid, invalid; a crash is error). The metric
`trading_strategy_dsl_check_duration_seconds` and the `dsl.check.*` log lines come from
that span, so a check counts the same whichever door it came through.

Why here: the DSL computes (validate, summarize) and must stay pure Python, without
telemetry or Django; the callers (the editor's views, the API, the lifecycle's activation
and the `trading-strategy validate` command) each need the same span around it. This
module sits between the two and imports only the DSL and telemetry, neither of which
needs Django settings, so the command line validates files offline without configuring
Django (tests/strategies/test_checks.py checks that).

What is not a check: a page that shows a document it already has (the editor's first
render, the detail page's summary), conversion, snippet placement and renaming read the
DSL directly. Nobody asked a question there, and counting them would blur the live
validation and Test syntax figures that the SLOs are about.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from trading_strategy.dsl import Report, summarize
from trading_strategy.dsl import validate as validate_text
from trading_strategy.observability import telemetry

Source = Literal["editor", "api", "activation", "cli"]

# The monitoring test's slow-down is for the Test syntax a trader asks for; activation's
# own syntax test stays fast (tests/monitoring/test_end_to_end.py relies on both).
_SLOWED_FOR_MONITORING: frozenset[str] = frozenset({"editor", "api"})


class SyntaxTest(NamedTuple):
    report: Report
    summary: dict | None  # None when the document has errors


def validate(document: str, fmt: str, source: Source) -> Report:
    """Validate a document a user submitted, as one recorded `validate` check."""
    with telemetry.dsl_check("validate", fmt, source) as span:
        report = validate_text(document, fmt)
        span.metadata["result"] = telemetry.report_result(report)
    return report


def syntax_test(document: str, fmt: str, source: Source) -> SyntaxTest:
    """Validate, then say what the strategy will do (DSL.md §8), as one recorded
    `syntax_test` check."""
    with telemetry.dsl_check("syntax_test", fmt, source) as span:
        if source in _SLOWED_FOR_MONITORING:
            telemetry.monitoring_test_delay()
        report = validate_text(document, fmt)
        summary = summarize(report)
        span.metadata["result"] = telemetry.report_result(report)
    return SyntaxTest(report, summary)
