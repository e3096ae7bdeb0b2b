"""Spans: time an operation once, and let metrics and logs both hear about it.

    from trading_strategy.observability import telemetry

    with telemetry.span("strategy.operation", operation="create", user_id=user.pk) as span:
        ...
        span.metadata["strategy_id"] = strategy.pk      # metadata is mutable
        span.metadata["result"] = "invalid"             # or let the span decide, see below

    @telemetry.span("dsl.check", check="validate", format="yaml")
    def check(...): ...                                 # a fresh span for every call

A span emits `(phase, span)` to every attached handler, with phase

    "start"       on entry; span.duration and span.error are None
    "stop"        on a normal exit; span.duration is set (seconds, float)
    "exception"   when the body raised; span.duration and span.error (the exception) are set

and then lets the exception propagate unchanged. The outcome is recorded in `finally`, so
a crash inside the body is never lost: when the body did not set metadata["result"], the
span sets it to "ok" on a normal exit and "error" on an exception, before "stop" or
"exception" is emitted.

Handlers:

    def handler(phase: str, span: Span) -> None: ...
    telemetry.attach("logging", handler)                     # every span
    telemetry.attach("metrics", handler, names={"dsl.check"}) # only these span names
    telemetry.detach("logging")

Attaching under an id already in use replaces that handler. A handler that raises is
detached and the failure is logged once (logger "trading_strategy.observability.telemetry");
the operation itself never sees a handler's error. Handlers run synchronously in the
thread of the operation, in attach order: keep them cheap.

Span names and their metadata (metrics read only the bounded keys; the others are for logs,
never metric labels):

    strategy.operation   operation  create|update|activate|deactivate|archive|duplicate|
                                    delete|restore
                         result     ok|invalid|conflict|forbidden|error
                         user_id, strategy_id (when known), error_code (a LifecycleError's code)
    dsl.check            check      validate|syntax_test
                         format     yaml|toml|unknown
                         result     valid|invalid|error
                         source     editor|api|activation|cli (where the check was served)
    preview              source     editor|page|api|cli
                         format     yaml|toml|unknown
                         result     ok|invalid|error
                         bars       the number of bars walked (metrics bucket it)

`TELEMETRY_ENABLED=false` in the environment (settings.TELEMETRY_ENABLED, applied by
`configure` when the observability app is ready) or `set_enabled(False)` turns spans into no-ops that emit
nothing, and the HTTP middleware and the database wrapper stop measuring; it exists to
measure the instrumentation's own cost (bench/observability_bench.py).

TEST ONLY: `TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS=3.5` makes every Test syntax (editor and API)
sleep that long inside its dsl.check span, so that the monitoring end-to-end test
(tests/monitoring/test_end_to_end.py) can watch the SlowSyntaxTest alert go pending on a
real server. Unset (the default, and the only sane production value) it does nothing.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[[str, "Span"], None]

_handlers: dict[str, tuple[Handler, frozenset | None]] = {}
# Copied on every change, read without a lock on every span.
_snapshot: tuple[tuple[str, Handler, frozenset | None], ...] = ()
_lock = threading.Lock()
# Settings are not read here: the settings module imports this one (through logging), and
# `trading-strategy validate` runs checks without Django. The app's ready() calls configure().
_enabled = True
_syntax_test_delay_seconds = 0.0


def enabled() -> bool:
    return _enabled


def set_enabled(value: bool) -> None:
    global _enabled
    _enabled = bool(value)


def configure(enabled: bool, syntax_test_delay_seconds: float) -> None:
    global _syntax_test_delay_seconds
    set_enabled(enabled)
    _syntax_test_delay_seconds = syntax_test_delay_seconds


def attach(handler_id: str, function: Handler, names=None) -> None:
    """Call `function(phase, span)` for every span (or only spans named in `names`)."""
    global _snapshot
    with _lock:
        _handlers[handler_id] = (function, frozenset(names) if names is not None else None)
        _snapshot = tuple((key, fn, only) for key, (fn, only) in _handlers.items())


def detach(handler_id: str) -> bool:
    """Remove a handler; False when no handler had that id."""
    global _snapshot
    with _lock:
        removed = _handlers.pop(handler_id, None) is not None
        _snapshot = tuple((key, fn, only) for key, (fn, only) in _handlers.items())
    return removed


def attached() -> list[str]:
    return [key for key, _, _ in _snapshot]


class Span:
    __slots__ = ("duration", "error", "metadata", "name", "started")

    def __init__(self, name: str, metadata: dict[str, Any]):
        self.name = name
        self.metadata = metadata
        self.started = time.perf_counter()
        self.duration: float | None = None
        self.error: BaseException | None = None

    def __repr__(self):
        return f"Span({self.name!r}, {self.metadata!r}, duration={self.duration!r})"


def _emit(phase: str, span: Span) -> None:
    for handler_id, function, only in _snapshot:
        if only is not None and span.name not in only:
            continue
        try:
            function(phase, span)
        except Exception:
            # The operation must not fail because an observer did; a broken observer is
            # removed so that it cannot fail (and log) on every request.
            if detach(handler_id):
                logger.exception(
                    "telemetry handler %r failed on %s %s and was detached", handler_id, span.name, phase
                )


class span:
    """Context manager and decorator; see the module docstring."""

    __slots__ = ("_metadata", "_span", "name")

    def __init__(self, name: str, **metadata):
        self.name = name
        self._metadata = metadata
        self._span: Span | None = None

    def __enter__(self) -> Span:
        current = Span(self.name, dict(self._metadata))
        self._span = current
        if _enabled:
            _emit("start", current)
            current.started = time.perf_counter()  # handlers' own time is not the span's
        return current

    def __exit__(self, kind, error, traceback) -> None:
        current = self._span
        assert current is not None, "a span is left only after it was entered"
        self._span = None
        try:
            current.duration = time.perf_counter() - current.started
            if error is not None:
                current.error = error
                current.metadata.setdefault("result", "error")
            else:
                current.metadata.setdefault("result", "ok")
        finally:
            if _enabled:
                _emit("exception" if error is not None else "stop", current)

    def __call__(self, function):
        name, metadata = self.name, self._metadata
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args, **kwargs):
                with span(name, **metadata):
                    return await function(*args, **kwargs)

            return run_async

        @functools.wraps(function)
        def run(*args, **kwargs):
            with span(name, **metadata):
                return function(*args, **kwargs)

        return run


DSL_FORMATS = ("yaml", "toml")


def dsl_check(check: str, fmt: str, source: str) -> span:
    """The span around one user-facing DSL check; the caller sets metadata["result"] to
    "valid" or "invalid" (a crash becomes "error")."""
    return span("dsl.check", check=check, format=format_label(fmt), source=source)


def format_label(fmt: object) -> str:
    """A document format as a bounded label: yaml, toml or unknown."""
    text = str(fmt)  # an enum member (the API's Format) becomes its value
    return text if text in DSL_FORMATS else "unknown"


def monitoring_test_delay() -> None:
    """Sleep TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS (see the module docstring); call it inside
    a syntax test's dsl.check span. Not a feature: a slow-down for the monitoring test."""
    if _syntax_test_delay_seconds > 0:
        time.sleep(_syntax_test_delay_seconds)


def report_result(report) -> str:
    return "valid" if report.valid else "invalid"
