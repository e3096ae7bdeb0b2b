"""The one check path: every DSL check a user asks for, timed and recorded the same way.

    report = checks.validate(document, fmt, "editor")
    report, summary = checks.syntax_test(document, fmt, "api")
    outcome = checks.preview(document, fmt, bars, "editor", first=0, end=len(bars))

Each call runs inside one `dsl.check` telemetry span (observability/telemetry.py) with
check (validate, syntax_test), format, source (where it was served: editor, api,
activation, cli) and result (valid, invalid; a crash is error). The metric
`trading_strategy_dsl_check_duration_seconds` and the `dsl.check.*` log lines come from
that span, so a check counts the same whichever door it came through. A preview is one
`preview` span (source, format, result ok or invalid, and the bars it walked) around its
validation and its run: the metric `trading_strategy_preview_duration_seconds` comes
from it.

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

from typing import TYPE_CHECKING, Literal, NamedTuple

from trading_strategy.dsl import Diagnostic, Report, summarize
from trading_strategy.dsl import validate as validate_text
from trading_strategy.observability import telemetry

if TYPE_CHECKING:
    from trading_strategy.preview import Bars, Preview

Source = Literal["editor", "api", "activation", "cli", "page"]

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


class PreviewOutcome(NamedTuple):
    report: Report
    preview: Preview | None  # None when the document has errors
    warnings: list[Diagnostic]  # about the data against the strategy


def preview(
    document: str,
    fmt: str,
    bars: Bars,
    source: Source,
    *,
    first: int = 0,
    end: int | None = None,
    data_pair: str | None = None,
    capital: float = 10_000.0,
    fee: float = 0.001,
    report: Report | None = None,
) -> PreviewOutcome:
    """Validate a document and, when valid, run it over bars first..end-1 of `bars`
    (indicators over all of them), as one recorded `preview`. A page that has just
    validated the same document passes its `report` instead of validating twice."""
    # Imported here: numpy and TA-Lib take about 120 ms to load, which `trading-strategy
    # validate` and every other check through this module would pay without previewing.
    from trading_strategy.preview import mismatches, run_preview

    end = len(bars) if end is None else end
    with telemetry.span(
        "preview", source=source, format=telemetry.format_label(fmt), bars=end - first
    ) as span:
        if report is None:
            report = validate_text(document, fmt)
        if not report.valid:
            span.metadata["result"] = "invalid"
            return PreviewOutcome(report, None, [])
        assert report.model is not None
        model = report.model
        warnings = mismatches(bars, model["timeframe"], model["trading_pair"], data_pair)
        result = run_preview(report, bars, capital=capital, fee=fee, first=first, end=end)
        span.metadata["result"] = "ok"
    return PreviewOutcome(report, result, warnings)
