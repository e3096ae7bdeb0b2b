"""Spans: phases, outcome on a crash, mutable metadata, handlers that fail."""

from __future__ import annotations

import pytest

from trading_strategy.observability import telemetry


@pytest.fixture
def heard():
    calls = []
    telemetry.attach(
        "test-recorder",
        lambda phase, span: calls.append((phase, span.name, dict(span.metadata), span.duration, span.error)),
    )
    yield calls
    telemetry.detach("test-recorder")


def test_a_span_emits_start_then_stop_with_its_duration(heard):
    with telemetry.span("demo.work", operation="create") as span:
        span.metadata["extra"] = 1

    assert [call[0] for call in heard] == ["start", "stop"]
    start, stop = heard
    assert start[2] == {"operation": "create"} and start[3] is None
    assert stop[2] == {"operation": "create", "extra": 1, "result": "ok"}
    assert stop[3] >= 0 and stop[4] is None


def test_a_crash_is_emitted_as_exception_and_counted_as_error(heard):
    with pytest.raises(ZeroDivisionError), telemetry.span("demo.work"):
        raise ZeroDivisionError("division by zero")

    phase, _, metadata, duration, error = heard[-1]
    assert phase == "exception"
    assert metadata["result"] == "error"
    assert isinstance(error, ZeroDivisionError) and duration is not None


def test_a_result_set_by_the_body_is_kept_even_when_it_raises(heard):
    with pytest.raises(ValueError), telemetry.span("demo.work") as span:
        span.metadata["result"] = "invalid"
        raise ValueError("refused")

    assert heard[-1][0] == "exception" and heard[-1][2]["result"] == "invalid"


def test_span_as_a_decorator_opens_a_fresh_span_per_call(heard):
    @telemetry.span("demo.decorated", kind="x")
    def work(value):
        return value * 2

    assert work(2) == 4 and work(3) == 6
    assert [call[0] for call in heard] == ["start", "stop", "start", "stop"]
    assert all(call[2]["kind"] == "x" for call in heard)


async def _async_double(value):
    return value * 2


def test_span_decorates_coroutines_too(heard):
    import asyncio

    decorated = telemetry.span("demo.async")(_async_double)
    assert asyncio.run(decorated(4)) == 8
    assert [call[0] for call in heard] == ["start", "stop"]


def test_a_failing_handler_is_detached_and_never_breaks_the_operation(heard):
    def broken(phase, span):
        raise RuntimeError("observer bug")

    telemetry.attach("test-broken", broken)
    try:
        with telemetry.span("demo.work") as span:
            pass
        assert span.metadata["result"] == "ok"
        assert "test-broken" not in telemetry.attached()
        # The other handlers still heard everything.
        assert [call[0] for call in heard] == ["start", "stop"]
    finally:
        telemetry.detach("test-broken")


def test_handlers_can_listen_to_some_span_names_only():
    calls = []
    telemetry.attach("test-only", lambda phase, span: calls.append(span.name), names={"dsl.check"})
    try:
        with telemetry.span("strategy.operation", operation="create"):
            pass
        with telemetry.dsl_check("validate", "yaml", "editor") as span:
            span.metadata["result"] = "valid"
    finally:
        telemetry.detach("test-only")
    assert calls == ["dsl.check", "dsl.check"]


def test_disabled_spans_emit_nothing(heard):
    telemetry.set_enabled(False)
    try:
        with telemetry.span("demo.work") as span:
            pass
    finally:
        telemetry.set_enabled(True)
    assert heard == [] and span.metadata["result"] == "ok"


def test_dsl_check_keeps_the_format_label_bounded():
    with telemetry.dsl_check("validate", "../etc/passwd", "api") as span:
        span.metadata["result"] = "invalid"
    assert span.metadata["format"] == "unknown"
