"""Every door a document comes in by, called the way a user calls it, in-process.

Each entry point takes a `Visitor` (one trader: a signed-in page client, an API token and
a working directory for files) and a document, and returns the `Answer`: the bytes the
user receives, how many of them are the document itself shown back, and how many
diagnostics came with it (for create and update: the ones the saved version keeps).
The worst-shape tests and bench/worst_shapes_bench.py share them.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.test import Client
from django.utils.html import escape

from trading_strategy.cli import main
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import Strategy

from .documents import strategy_document

_HTML_DIAGNOSTIC = re.compile(rb'data-code="')
_CLI_DIAGNOSTIC = re.compile(r"^\S*: (?:error|warning)\[", re.M)


@dataclass
class Answer:
    status: int
    body: bytes
    # Bytes of `body` that are the document shown back (the editor's text, the API's
    # `document` field): a page showing a document is as large as the document.
    echoed: int
    diagnostics: int
    # Server time: the request alone, not the strategy stored beforehand to be shown.
    seconds: float = 0.0

    @property
    def own_size(self) -> int:
        """What the answer adds to the document it shows."""
        return len(self.body) - self.echoed


@dataclass
class Visitor:
    user: object
    client: Client
    token: str
    directory: Path

    def api(self, method: str, path: str, payload: dict) -> tuple[int, bytes, float]:
        return _timed(
            getattr(self.client, method),
            f"/api/v1{path}",
            data=json.dumps(payload),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def stored(self, text: str, fmt: str) -> Strategy:
        return lifecycle.create(self.user, text, fmt)


def _timed(request: Callable, *args, **kwargs) -> tuple[int, bytes, float]:
    started = time.perf_counter()
    response = request(*args, **kwargs)
    return response.status_code, response.content, time.perf_counter() - started


def _json_echo(document: str, body: bytes) -> int:
    return body.count(json.dumps(document).encode()) * len(json.dumps(document).encode())


def _html_echo(document: str) -> int:
    """Each page below shows its document once (in the editor's text area, or line by line)."""
    return len(escape(document).encode())


def _counted(body: bytes) -> int:
    data = json.loads(body)
    if "results" in data:
        data = data["results"][0]
    return len(data.get("errors", [])) + len(data.get("warnings", []))


def _cli(visitor: Visitor, text: str, fmt: str, *argv: str) -> Answer:
    path = visitor.directory / f"shape.{fmt}"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([argv[0], str(path), *argv[1:]])
    seconds = time.perf_counter() - started
    return Answer(status, (out.getvalue() + err.getvalue()).encode(), 0, 0, seconds)


def cli_validate(visitor: Visitor, text: str, fmt: str) -> Answer:
    answer = _cli(visitor, text, fmt, "validate", "--json")
    answer.diagnostics = _counted(answer.body)
    return answer


def cli_convert(visitor: Visitor, text: str, fmt: str) -> Answer:
    answer = _cli(visitor, text, fmt, "convert", "--to", "toml" if fmt == "yaml" else "yaml")
    answer.diagnostics = len(_CLI_DIAGNOSTIC.findall(answer.body.decode()))
    return answer


def api_validate(visitor: Visitor, text: str, fmt: str) -> Answer:
    status, body, seconds = visitor.api("post", "/strategies/validate", {"document": text, "format": fmt})
    return Answer(status, body, 0, _counted(body), seconds)


def api_syntax_test(visitor: Visitor, text: str, fmt: str) -> Answer:
    status, body, seconds = visitor.api("post", "/strategies/syntax-test", {"document": text, "format": fmt})
    return Answer(status, body, 0, _counted(body), seconds)


def _saved(visitor: Visitor, status: int, body: bytes, text: str, seconds: float) -> Answer:
    strategy = (
        Strategy.objects.owned_by(visitor.user).get(pk=json.loads(body)["id"]) if status < 300 else None
    )
    kept = len(strategy.versions.first().diagnostics) if strategy else 0
    return Answer(status, body, _json_echo(text, body), kept, seconds)


def api_create(visitor: Visitor, text: str, fmt: str) -> Answer:
    status, body, seconds = visitor.api("post", "/strategies", {"document": text, "format": fmt})
    return _saved(visitor, status, body, text, seconds)


def api_update(visitor: Visitor, text: str, fmt: str) -> Answer:
    base = visitor.stored(strategy_document("Updated with a worst shape"), "yaml")
    status, body, seconds = visitor.api(
        "put", f"/strategies/{base.pk}", {"document": text, "format": fmt, "lock_version": base.lock_version}
    )
    return _saved(visitor, status, body, text, seconds)


def _live(visitor: Visitor, endpoint: str, fields: dict) -> tuple[int, bytes, float]:
    return _timed(visitor.client.post, f"/strategies/live/{endpoint}", fields)


def live_validate(visitor: Visitor, text: str, fmt: str) -> Answer:
    status, body, seconds = _live(visitor, "validate", {"document": text, "format": fmt})
    return Answer(status, body, 0, _counted(body), seconds)


def live_syntax_test(visitor: Visitor, text: str, fmt: str) -> Answer:
    status, body, seconds = _live(visitor, "syntax-test", {"document": text, "format": fmt})
    return Answer(status, body, 0, len(_HTML_DIAGNOSTIC.findall(body)), seconds)


def live_autosave(visitor: Visitor, text: str, fmt: str) -> Answer:
    status, body, seconds = _live(visitor, "autosave", {"document": text, "format": fmt})
    return Answer(status, body, 0, 0, seconds)


def _page(visitor: Visitor, url: str, text: str) -> Answer:
    status, body, seconds = _timed(visitor.client.get, url)
    return Answer(status, body, _html_echo(text), len(_HTML_DIAGNOSTIC.findall(body)), seconds)


def edit_page(visitor: Visitor, text: str, fmt: str) -> Answer:
    return _page(visitor, f"/strategies/{visitor.stored(text, fmt).pk}/edit", text)


def detail_page(visitor: Visitor, text: str, fmt: str) -> Answer:
    return _page(visitor, f"/strategies/{visitor.stored(text, fmt).pk}", text)


def version_page(visitor: Visitor, text: str, fmt: str) -> Answer:
    return _page(visitor, f"/strategies/{visitor.stored(text, fmt).pk}/versions/1", text)


ENTRY_POINTS: dict[str, Callable[[Visitor, str, str], Answer]] = {
    "cli validate": cli_validate,
    "cli convert": cli_convert,
    "api validate": api_validate,
    "api syntax-test": api_syntax_test,
    "api create": api_create,
    "api update": api_update,
    "live validate": live_validate,
    "live syntax-test": live_syntax_test,
    "live autosave": live_autosave,
    "edit page": edit_page,
    "detail page": detail_page,
    "version page": version_page,
}
