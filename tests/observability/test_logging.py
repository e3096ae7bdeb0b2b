"""Logs as an operator reads them: the JSON lines the configured handler writes."""

import asyncio
import io
import json
import logging
import uuid
from pathlib import Path

import pytest
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.http import StreamingHttpResponse
from django.test import RequestFactory

from trading_strategy.accounts.models import ApiToken, User
from trading_strategy.observability.logging import formatter, logging_settings
from trading_strategy.observability.request_pipeline import RequestPipelineMiddleware
from trading_strategy.preview.samples import synthetic
from trading_strategy.strategies import checks
from trading_strategy.strategies.demo import load_examples
from trading_strategy.strategies.models import Strategy

from ..documents import strategy_document

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Captured:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def lines(self) -> list[dict]:
        # json.loads fails the test on any line that is not one JSON object.
        return [json.loads(line) for line in self.text.splitlines()]

    def of_request(self, request_id: str) -> list[dict]:
        return [line for line in self.lines() if line.get("request_id") == request_id]

    def clear(self):
        self.stream.seek(0)
        self.stream.truncate()


@pytest.fixture
def logs():
    """What the root handler writes, in JSON whatever LOG_FORMAT the run has."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, structlog.stdlib.ProcessorFormatter)
    )
    stream = io.StringIO()
    handler.setStream(stream)
    previous_formatter = handler.formatter
    handler.setFormatter(formatter("json"))
    try:
        yield Captured(stream)
    finally:
        handler.setFormatter(previous_formatter)
        handler.stream = None  # back to following sys.stdout


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex}"


@pytest.fixture
def secret_password():
    return unique("Pw-")


@pytest.fixture
def trader(db, secret_password):
    return User.objects.create_user("logs-trader@example.com", secret_password)


def test_every_line_of_a_request_carries_its_context_and_no_secret(client, trader, logs, secret_password):
    marker = unique("MARKER")
    logged_in = client.post("/users/log-in", {"username": trader.email, "password": secret_password})
    created = client.post(
        "/strategies/new", {"document": strategy_document("Logged", description=marker), "format": "yaml"}
    )

    assert logged_in.status_code == 302 and created.status_code == 302
    assert marker not in logs.text
    assert secret_password not in logs.text
    assert "sessionid" not in logs.text

    login_lines = logs.of_request(logged_in["X-Request-ID"])
    assert login_lines and all(line["route"] == "accounts:log-in" for line in login_lines)
    assert login_lines[-1]["event"] == "request.finished"
    assert login_lines[-1]["user_id"] == trader.pk

    create_lines = logs.of_request(created["X-Request-ID"])
    events = [line["event"] for line in create_lines]
    assert events == ["strategy.operation.started", "strategy.operation.succeeded", "request.finished"]
    assert all(line["route"] == "strategies:new" for line in create_lines)
    assert all(line["user_id"] == trader.pk for line in create_lines)
    succeeded, finished = create_lines[1], create_lines[2]
    assert succeeded["operation"] == "create" and succeeded["result"] == "ok"
    assert succeeded["duration_ms"] >= 0
    strategy = Strategy.objects.owned_by(trader).get()
    assert succeeded["strategy_id"] == finished["strategy_id"] == strategy.pk
    assert finished["status"] == 302 and finished["method"] == "POST"
    assert finished["duration_ms"] > 0
    assert {"timestamp", "level", "logger"} <= finished.keys()


def test_a_refused_operation_is_logged_as_failed_without_the_document(client, trader, logs):
    client.force_login(trader)
    marker = unique("MARKER")
    taken = {"document": strategy_document("Taken", description=marker), "format": "yaml"}
    client.post("/strategies/new", taken)
    response = client.post("/strategies/new", taken)

    lines = logs.of_request(response["X-Request-ID"])
    failed = [line for line in lines if line["event"] == "strategy.operation.failed"]
    assert len(failed) == 1
    assert failed[0]["level"] == "warning"
    assert failed[0]["result"] == "invalid" and failed[0]["operation"] == "create"
    assert marker not in logs.text


@pytest.fixture
def operations_at_debug():
    """Check and preview lines are DEBUG: the editor sends them on every pause in typing."""
    logger = logging.getLogger("trading_strategy.operations")
    previous = logger.level
    logger.setLevel(logging.DEBUG)
    yield
    logger.setLevel(previous)


def test_a_preview_is_logged_with_its_outcome_and_bars_without_the_document(logs, operations_at_debug):
    marker = unique("MARKER")
    checks.preview(strategy_document(description=marker), "yaml", synthetic("BTC/USDT", "1h", 700), "editor")

    (line,) = [line for line in logs.lines() if line["event"].startswith("preview.")]
    assert line["event"] == "preview.finished" and line["level"] == "debug"
    assert (line["source"], line["format"], line["result"], line["bars"]) == ("editor", "yaml", "ok", 700)
    assert line["duration_ms"] > 0
    assert marker not in logs.text


def test_a_crashed_preview_is_logged_as_failed_with_the_error_type(logs, monkeypatch):
    def broken(*args, **kwargs):
        raise FloatingPointError("engine bug")

    monkeypatch.setattr("trading_strategy.preview.run_preview", broken)
    with pytest.raises(FloatingPointError):
        checks.preview(strategy_document(), "yaml", synthetic("BTC/USDT", "1h", 700), "api")

    (line,) = [line for line in logs.lines() if line["event"].startswith("preview.")]
    assert line["event"] == "preview.failed" and line["level"] == "error"
    assert (line["result"], line["error_type"], line["source"]) == ("error", "FloatingPointError", "api")


def test_a_failed_login_logs_neither_password(client, trader, logs, secret_password):
    wrong = unique("Wrong-")
    response = client.post("/users/log-in", {"username": trader.email, "password": wrong})

    assert response.status_code == 200
    assert wrong not in logs.text and secret_password not in logs.text
    lines = logs.of_request(response["X-Request-ID"])
    assert lines[-1]["event"] == "request.finished" and "user_id" not in lines[-1]


def test_strategy_id_comes_from_the_url(client, trader, logs):
    client.force_login(trader)
    response = client.get("/strategies/987654")

    assert response.status_code == 404
    finished = logs.of_request(response["X-Request-ID"])[-1]
    assert finished["strategy_id"] == 987654
    assert finished["route"] == "strategies:detail"
    assert finished["user_id"] == trader.pk


def test_strategy_id_is_a_number_on_api_lines_too(client, trader, logs):
    _, token = ApiToken.issue(trader, "logs")
    response = client.get("/api/v1/strategies/987654", headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 404
    finished = logs.of_request(response["X-Request-ID"])[-1]
    assert finished["strategy_id"] == 987654


def test_each_demo_line_names_the_strategy_it_creates_and_a_second_load_warns_nothing(trader, logs):
    loaded = load_examples(trader, EXAMPLES)
    operations = [line for line in logs.lines() if line["event"].startswith("strategy.operation")]
    started = [line for line in operations if line["event"] == "strategy.operation.started"]
    assert len(started) == len(loaded)
    assert all("strategy_id" not in line for line in started)
    succeeded = [
        line["strategy_id"] for line in operations if line["event"] == "strategy.operation.succeeded"
    ]
    assert succeeded == [strategy.pk for strategy in loaded]

    logs.clear()
    assert load_examples(trader, EXAMPLES) == []
    assert [line for line in logs.lines() if line["level"] != "info"] == []


def test_a_sane_request_id_is_echoed_and_used(client, db, logs):
    response = client.get("/users/log-in", headers={"X-Request-ID": "lb-1.2_3-abc"})

    assert response["X-Request-ID"] == "lb-1.2_3-abc"
    assert logs.of_request("lb-1.2_3-abc")[-1]["event"] == "request.finished"


@pytest.mark.parametrize("insane", ["x" * 129, "abc\ndef", "has spaces", "semi;colon", "\u00e9t\u00e9", ""])
def test_an_insane_request_id_is_replaced(client, db, logs, insane):
    response = client.get("/users/log-in", headers={"X-Request-ID": insane})

    replaced = response["X-Request-ID"]
    assert replaced != insane and len(replaced) == 32
    assert logs.of_request(replaced)
    if insane:
        assert insane not in logs.text


def test_a_128_character_request_id_is_kept(client, db):
    sane = "a" * 128

    assert client.get("/users/log-in", headers={"X-Request-ID": sane})["X-Request-ID"] == sane


def test_django_request_warnings_come_through_as_json_with_the_request_id(client, db, logs):
    response = client.get("/no/such/page")

    assert response.status_code == 404
    lines = logs.of_request(response["X-Request-ID"])
    warning = next(line for line in lines if line["logger"] == "django.request")
    assert warning["level"] == "warning"
    assert warning["status_code"] == 404
    assert warning["route"] == "unmatched"
    assert "Not Found" in warning["event"]
    # Django logs an error answer once the middleware have returned: after request.finished.
    finished = next(line for line in lines if line["event"] == "request.finished")
    assert finished["status"] == 404


def test_lines_of_an_async_view_carry_the_request_id(async_client, db, logs):
    # The event stream is an async view; anonymous, it answers 401 at once.
    response = asyncio.run(async_client.get("/strategies/events"))

    assert response.status_code == 401
    lines = logs.of_request(response["X-Request-ID"])
    assert [line["logger"] for line in lines] == ["trading_strategy.request", "django.request"]
    assert all(line["route"] == "strategies:events" for line in lines)


def test_a_successful_probe_is_quiet_at_info(client, db, logs):
    response = client.get("/health/live")

    assert response.status_code == 200
    assert not logs.of_request(response["X-Request-ID"])


def test_no_context_leaks_into_lines_after_the_request(client, db, logs):
    client.get("/users/log-in")
    logs.clear()

    structlog.get_logger("after").warning("outside")

    (line,) = logs.lines()
    assert "request_id" not in line and "route" not in line


def test_secrets_are_redacted_at_any_depth(logs):
    structlog.get_logger("test").warning(
        "careless",
        password="p1",
        nested={"api_token": "t1", "rows": [{"document": "d1"}]},
        headers={"Authorization": "Bearer t2", "Cookie": "sessionid=s1"},
        csrfmiddlewaretoken="c1",
        session_key="s2",
        strategy_id=7,
    )
    logging.getLogger("django.security").warning("careless too", extra={"password": "p2"})

    for secret in ("p1", "t1", "d1", "t2", "s1", "c1", "s2", "p2"):
        assert f'"{secret}"' not in logs.text and f"={secret}" not in logs.text
    careless = logs.lines()[0]
    assert careless["password"] == "[redacted]" and careless["strategy_id"] == 7


def test_json_lines_open_with_the_same_keys(logs):
    structlog.get_logger("test").info("hello", zebra=1)

    assert list(logs.lines()[0])[:4] == ["timestamp", "level", "event", "logger"]


def test_console_format_is_readable():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter("console"))
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/x",), None)

    handler.emit(record)

    line = stream.getvalue()
    assert "Not Found: /x" in line and "warning" in line and not line.startswith("{")


def test_log_settings_are_checked():
    assert logging_settings("JSON", "info")["root"]["level"] == "INFO"
    with pytest.raises(ImproperlyConfigured):
        logging_settings("xml", "INFO")
    with pytest.raises(ImproperlyConfigured):
        logging_settings("json", "LOUD")


def test_sql_is_never_logged_with_its_parameters():
    config = logging_settings("json", "DEBUG")

    assert config["loggers"]["django.db.backends"]["level"] == "INFO"


def finished_lines(logs) -> list[dict]:
    return [line for line in logs.lines() if line["event"] == "request.finished"]


def test_a_stream_is_logged_when_it_ends_async(logs):
    async def chunks():
        yield b"one"
        yield b"two"

    async def view(request):
        return StreamingHttpResponse(chunks())

    middleware = RequestPipelineMiddleware(view)

    async def serve():
        response = await middleware(RequestFactory().get("/strategies/events"))
        assert finished_lines(logs) == []
        return response, [chunk async for chunk in response]

    response, body = asyncio.run(serve())

    assert body == [b"one", b"two"]
    (finished,) = finished_lines(logs)
    assert finished["request_id"] == response["X-Request-ID"]
    assert finished["route"] == "strategies:events" and finished["status"] == 200


def test_a_stream_is_logged_when_it_ends_sync(logs):
    def view(request):
        return StreamingHttpResponse(iter([b"one", b"two"]))

    response = RequestPipelineMiddleware(view)(RequestFactory().get("/strategies/events"))

    assert finished_lines(logs) == []
    assert list(response) == [b"one", b"two"]
    (finished,) = finished_lines(logs)
    assert finished["request_id"] == response["X-Request-ID"]


def test_lines_go_to_whatever_stdout_is_now(capsys):
    structlog.get_logger("test").warning("to.stdout")

    assert "to.stdout" in capsys.readouterr().out


def test_django_security_lines_carry_the_request_id_too(client, db, logs):
    response = client.get("/users/log-in", headers={"Host": "evil.example"})

    assert response.status_code == 400
    lines = logs.of_request(response["X-Request-ID"])
    security = next(line for line in lines if line["logger"].startswith("django.security"))
    assert security["route"] == "accounts:log-in"
    assert "evil.example" in security["event"]
