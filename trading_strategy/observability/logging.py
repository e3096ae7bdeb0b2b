"""One logging pipeline for the whole process: structlog and the standard library alike.

Code here logs with `structlog.get_logger(__name__)`; Django, axes, gunicorn and uvicorn log
through the standard library. Both end in the same handler, whose ProcessorFormatter adds
the request's context (request_id, route, user_id, strategy_id), a timestamp, the level and
the logger name, removes secrets, and renders one JSON object per line (`LOG_FORMAT=json`)
or a readable console line (`LOG_FORMAT=console`).

Settings build `LOGGING` with `logging_settings()`; Django applies it while it sets up, and
applying it also configures structlog and attaches `log_span` to the telemetry spans, so
everything is configured together, once, in every process that sets Django up (each
gunicorn worker included).

Strategy operations are logged from their telemetry spans (`strategy.operation.started`,
`.succeeded`, `.failed`, with operation, result, duration_ms and the span's ids), so that
the log and the metrics tell the same story; a span's metadata holds ids and outcomes,
never a document.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import Any

import structlog
from django.core.exceptions import ImproperlyConfigured
from structlog.typing import EventDict, Processor

from trading_strategy.env import env_bool, env_str
from trading_strategy.observability import telemetry
from trading_strategy.observability.request_context import add_request_user

LOG_FORMATS = ("json", "console")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

REDACTED = "[redacted]"
# Matched against every key, at any depth. Broad on purpose: a needlessly hidden field costs
# a little debugging, a leaked password or session key costs an incident.
SENSITIVE_KEY = re.compile(
    r"password|passwd|secret|token|authorization|cookie|csrf|session_?key|sessionid"
    r"|^document$|^body$|^content$",
    re.IGNORECASE,
)
_MAX_DEPTH = 6
# Outcomes the user caused (a refused document, a stale edit, a forbidden transition): worth
# a warning, not an error, and not a stack trace.
_REFUSALS = {"invalid", "conflict", "forbidden"}

span_log = structlog.get_logger("trading_strategy.operations")


def logging_settings(log_format: str, log_level: str) -> dict:
    """Django's LOGGING: every logger ends in one handler on stdout with our formatter."""
    log_format = log_format.strip().lower()
    log_level = log_level.strip().upper()
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    if log_level not in LOG_LEVELS:
        raise ImproperlyConfigured(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {log_level!r}.")
    # Loggers that come with their own handlers (Django's console and mail_admins, gunicorn's
    # and uvicorn's stream handlers) lose them and propagate to the root handler instead,
    # so that every line has the same shape and each is written once.
    through_root = {"handlers": [], "level": log_level, "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structlog": {"()": "trading_strategy.observability.logging.formatter", "log_format": log_format},
        },
        "handlers": {
            "default": {
                "class": "trading_strategy.observability.logging.StdoutHandler",
                "formatter": "structlog",
            },
        },
        "root": {"handlers": ["default"], "level": log_level},
        "loggers": {
            "django": through_root,
            "django.server": through_root,
            # With DEBUG on, Django logs every SQL statement with its parameters at DEBUG:
            # strategy documents and password hashes. Never below INFO, whatever LOG_LEVEL.
            "django.db.backends": {"handlers": [], "propagate": True, "level": _at_least("INFO", log_level)},
            "gunicorn.error": through_root,
            "uvicorn.error": through_root,
            # One `request.finished` line per request replaces the servers' access lines.
            "gunicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": True},
        },
    }


class StdoutHandler(logging.StreamHandler):
    """Writes each line to whatever `sys.stdout` is when the line is written, unless given
    a stream of its own: what replaces stdout later (a test's capture, a supervisor's
    redirection done in Python) gets the lines, and a replaced stdout that was closed since
    never makes logging fail."""

    def __init__(self, stream=None):
        logging.Handler.__init__(self)
        self._stream = stream

    @property
    def stream(self):
        return sys.stdout if self._stream is None else self._stream

    @stream.setter
    def stream(self, value):
        self._stream = value


def logging_from_environment() -> dict:
    """LOGGING as settings.py builds it, from the same variables read the same way, for the
    gunicorn master (`logconfig_dict` in gunicorn_conf), which logs without Django's
    settings."""
    debug = env_bool("DEBUG", False)
    return logging_settings(
        env_str("LOG_FORMAT", "console" if debug else "json"), env_str("LOG_LEVEL", "INFO")
    )


def _at_least(floor: str, level: str) -> str:
    return max(floor, level, key=logging.getLevelName)


def redact_secrets(_logger: Any, _method_name: str, event_dict: EventDict) -> EventDict:
    """Replace the value of any key that names a secret or a strategy document, at any depth.

    A safety net: code should not log these in the first place.
    """
    return _redact(event_dict, 0)


def _redact(value: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        return {
            key: REDACTED
            if isinstance(key, str) and key != "event" and SENSITIVE_KEY.search(key)
            else _redact(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return (
            type(value)(_redact(item, depth + 1) for item in value)
            if not hasattr(value, "_fields")
            else value
        )
    return value


def drop_noise(_logger: Any, _method_name: str, event_dict: EventDict) -> EventDict:
    """Remove extras that libraries attach for their own formatters.

    django.request passes the request object (its repr says little and costs a lot) and
    uvicorn a copy of the message with terminal colours.
    """
    event_dict.pop("color_message", None)
    request = event_dict.get("request")
    if request is not None and not isinstance(request, (str, int, float)):
        del event_dict["request"]
    return event_dict


_LEADING_KEYS = ("timestamp", "level", "event", "logger", "request_id", "route", "user_id", "strategy_id")


def leading_keys_first(_logger: Any, _method_name: str, event_dict: EventDict) -> EventDict:
    """The same keys open every line, in the same order, for people reading raw lines."""
    ordered = {key: event_dict.pop(key) for key in _LEADING_KEYS if key in event_dict}
    ordered.update(event_dict)
    return ordered


def add_process_id(_logger: Any, _method_name: str, event_dict: EventDict) -> EventDict:
    """Workers write to the same stream: `pid` tells their lines apart."""
    event_dict["pid"] = os.getpid()
    return event_dict


def _shared_processors() -> list:
    """Applied to every line, from structlog or from the standard library."""
    return [
        add_process_id,
        structlog.contextvars.merge_contextvars,
        add_request_user,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def formatter(log_format: str = "json") -> structlog.stdlib.ProcessorFormatter:
    """The handler's formatter; called by logging.config while Django applies LOGGING."""
    configure_structlog()
    finish: list[Processor]
    if log_format == "console":
        finish = [
            structlog.dev.ConsoleRenderer(colors=False, exception_formatter=structlog.dev.plain_traceback)
        ]
    else:
        finish = [
            structlog.processors.format_exc_info,
            leading_keys_first,
            structlog.processors.JSONRenderer(),
        ]
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared_processors(), structlog.stdlib.ExtraAdder()],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            drop_noise,
            redact_secrets,
            *finish,
        ],
    )


def configure_structlog() -> None:
    """structlog loggers hand their event to the standard library, which filters by level
    and formats with `formatter()`; strategy operations are logged from their spans."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    telemetry.attach("logging", log_span, names={"strategy.operation", "dsl.check", "preview"})
    # Python's warnings (a library's deprecation, Django's notes on ASGI) become log lines
    # of logger `py.warnings` instead of plain text on standard error.
    logging.captureWarnings(True)


def log_span(phase: str, span) -> None:
    """Telemetry handler: one line when a strategy operation starts and one when it ends;
    one line per DSL check and per preview (DEBUG: the editor checks on every pause in
    typing and previews after every valid edit); a crash in either is an ERROR."""
    fields = dict(span.metadata)
    if "strategy_id" in fields:
        # Later lines of the request (its request.finished line) name the strategy too,
        # including one the operation has just created.
        structlog.contextvars.bind_contextvars(strategy_id=fields["strategy_id"])
    if span.duration is not None:
        fields["duration_ms"] = round(span.duration * 1000, 3)
    if span.error is not None:
        fields["error_type"] = type(span.error).__name__
    if span.name == "strategy.operation":
        if phase == "start":
            span_log.info("strategy.operation.started", **fields)
        elif fields.get("result") == "ok":
            span_log.info("strategy.operation.succeeded", **fields)
        elif fields.get("result") in _REFUSALS:
            span_log.warning("strategy.operation.failed", **fields)
        else:
            span_log.error("strategy.operation.failed", **fields)
    elif span.name in ("dsl.check", "preview") and phase != "start":
        if phase == "exception" and fields.get("result") == "error":
            span_log.error(f"{span.name}.failed", **fields)
        else:
            span_log.debug(f"{span.name}.finished", **fields)
