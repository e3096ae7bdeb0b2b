"""The editor's live endpoints: validate, Test syntax, convert, Add indicator, autosave."""

import json

import pytest
from django.test import Client

from trading_strategy.dsl import INDICATORS, lookup_indicator, validate
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import EditorDraft, Strategy

from .conftest import document

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'
TOML = """\
name = "RSI dip"
trading_pair = "BTC/USDT"
timeframe = "1h"
entry_conditions = "rsi_14 < 30"
exit_conditions = "rsi_14 > 70"
stop_conditions = "unrealized_pnl_pct < -0.05"

[[indicators]]
type = "rsi"
name = "rsi_14"
[indicators.parameters]
period = 14

[position_sizing]
type = "percentage"
percentage_of_capital = 0.1

[risk_parameters]
max_daily_loss = 0.02
max_drawdown = 0.1
"""


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client


def test_validate_reports_codes_lines_and_sections(client_alice):
    broken = document(**{"1h": "1H", "max_daily_loss: 0.02": "max_daily_loss: 2"})
    body = client_alice.post("/strategies/live/validate", {"document": broken, "format": "yaml"}).json()
    assert body["valid"] is False
    codes = {(d["code"], d["line"]) for d in body["errors"]}
    assert ("timeframe.invalid", 3) in codes and ("risk.range", 12) in codes
    assert set(body["errors"][0]) >= {"code", "severity", "message", "line", "column", "path", "hint"}
    assert body["sections"] == {
        "metadata": "error",
        "indicators": "ok",
        "conditions": "ok",
        "sizing": "ok",
        "risk": "error",
    }
    assert body["name"] == {"value": "RSI dip", "taken": False, "message": "\u201cRSI dip\u201d is free."}
    assert body["elapsed_ms"] >= 0


def test_validate_marks_warnings_and_missing_sections(client_alice):
    text = "name: Only a name\ntrading_pair: btc/usdt\ntimeframe: 1h\n"
    body = client_alice.post("/strategies/live/validate", {"document": text, "format": "yaml"}).json()
    assert body["sections"] == {
        "metadata": "warning",
        "indicators": "missing",
        "conditions": "missing",
        "sizing": "missing",
        "risk": "missing",
    }


def test_validate_places_a_syntax_error_in_its_section(client_alice):
    text = document().replace("max_drawdown: 0.1}", "max_drawdown: 0.1")
    body = client_alice.post("/strategies/live/validate", {"document": text, "format": "yaml"}).json()
    assert body["errors"][0]["code"] == "yaml.syntax"
    assert body["sections"]["risk"] == "error"
    assert body["sections"]["metadata"] == "ok"


def test_validate_says_when_the_name_is_taken_except_by_the_strategy_itself(client_alice, alice):
    mine = lifecycle.create(alice, document("Taken"), "yaml")
    body = client_alice.post(
        "/strategies/live/validate", {"document": document("TAKEN"), "format": "yaml"}
    ).json()
    assert body["name"]["taken"] is True and "already have" in body["name"]["message"]
    body = client_alice.post(
        "/strategies/live/validate", {"document": document("Taken"), "format": "yaml", "strategy_id": mine.pk}
    ).json()
    assert body["name"]["taken"] is False


def test_another_users_strategy_id_is_not_found(client_alice, bob):
    theirs = lifecycle.create(bob, document(), "yaml")
    for url in (
        "/strategies/live/validate",
        "/strategies/live/syntax-test",
        "/strategies/live/autosave",
        "/strategies/live/conflict",
    ):
        response = client_alice.post(
            url, {"document": document(), "format": "yaml", "strategy_id": theirs.pk, "base_lock_version": 1}
        )
        assert response.status_code == 404, url
    assert not EditorDraft.objects.exists()


def test_a_name_taken_by_another_user_is_free(client_alice, bob):
    lifecycle.create(bob, document("Common name"), "yaml")
    body = client_alice.post(
        "/strategies/live/validate", {"document": document("Common name"), "format": "yaml"}
    ).json()
    assert body["name"]["taken"] is False


def test_live_endpoints_enforce_csrf_and_login(alice):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/strategies/live/validate", {"document": "x", "format": "yaml"}).status_code == 401
    client.force_login(alice)
    for url in (
        "/strategies/live/validate",
        "/strategies/live/syntax-test",
        "/strategies/live/convert",
        "/strategies/live/indicator",
        "/strategies/live/autosave",
        "/strategies/live/autosave/discard",
        "/strategies/live/conflict",
    ):
        response = client.post(url, {"document": document(), "format": "yaml", "to": "toml", "type": "rsi"})
        assert response.status_code == 403, url
    assert not EditorDraft.objects.exists()
    # With the token from the page, the same request goes through.
    page = client.get("/strategies/new")
    token = page.cookies["csrftoken"].value
    response = client.post(
        "/strategies/live/validate",
        {"document": document(), "format": "yaml"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200 and response.json()["valid"] is True


def test_a_body_larger_than_any_document_is_refused_with_413(client_alice):
    response = client_alice.post(
        "/strategies/live/validate", {"document": "#" * (400 * 1024), "format": "yaml"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request.too_large"


def test_a_document_just_over_the_limit_gets_the_validators_diagnostic(client_alice):
    body = client_alice.post(
        "/strategies/live/validate", {"document": "#" * (256 * 1024 + 1), "format": "yaml"}
    ).json()
    assert body["errors"][0]["code"] == "document.too_large"


def test_live_endpoints_only_take_post(client_alice):
    assert client_alice.get("/strategies/live/validate").status_code == 405


def test_syntax_test_returns_the_summary_fragment(client_alice):
    response = client_alice.post("/strategies/live/syntax-test", {"document": document(), "format": "yaml"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'class="syntax-summary"' in html
    assert html.count('class="explanation"') == 3
    assert "Enter when" in html
    assert 'id="warmup-bars">14<' in html
    assert "(default)" in html  # rsi's overbought/oversold/source were filled in


def test_syntax_test_returns_the_errors_fragment(client_alice):
    response = client_alice.post(
        "/strategies/live/syntax-test", {"document": document(**{"1h": "1H"}), "format": "yaml"}
    )
    html = response.content.decode()
    assert 'class="syntax-errors"' in html and 'data-code="timeframe.invalid"' in html
    assert 'class="syntax-summary"' not in html


def test_fragments_escape_hostile_text(client_alice):
    text = document(f"n{HOSTILE}").replace("timeframe: 1h", f"timeframe: '{HOSTILE}'")
    html = client_alice.post(
        "/strategies/live/syntax-test", {"document": text, "format": "yaml"}
    ).content.decode()
    assert HOSTILE not in html and "&lt;script&gt;" in html
    text = document(f"n{HOSTILE}") + f"description: '{HOSTILE}'\n"
    html = client_alice.post(
        "/strategies/live/syntax-test", {"document": text, "format": "yaml"}
    ).content.decode()
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_conflict_fragment_escapes_and_is_empty_when_up_to_date(client_alice, alice):
    strategy = lifecycle.create(alice, document("Live"), "yaml")
    response = client_alice.post(
        "/strategies/live/conflict",
        {
            "document": document("Live"),
            "format": "yaml",
            "strategy_id": strategy.pk,
            "base_lock_version": strategy.lock_version,
        },
    )
    assert response.status_code == 204
    lifecycle.save(alice, strategy, document("Live") + "# other tab\n", "yaml", strategy.lock_version)
    response = client_alice.post(
        "/strategies/live/conflict",
        {
            "document": document("Live") + f"# {HOSTILE}\n",
            "format": "yaml",
            "strategy_id": strategy.pk,
            "base_lock_version": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conflict-banner"' in html
    assert "alice@example.com" in html and 'id="conflict-overwrite"' in html
    assert 'value="2"' in html
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_convert_between_formats(client_alice):
    body = client_alice.post(
        "/strategies/live/convert", {"document": document(), "format": "yaml", "to": "toml"}
    ).json()
    assert body["format"] == "toml"
    assert validate(body["document"], "toml").model == validate(document(), "yaml").model
    back = client_alice.post(
        "/strategies/live/convert", {"document": TOML, "format": "toml", "to": "yaml"}
    ).json()
    assert validate(back["document"], "yaml").model == validate(TOML, "toml").model


def test_convert_refuses_an_invalid_document(client_alice):
    response = client_alice.post(
        "/strategies/live/convert", {"document": document(**{"1h": "1H"}), "format": "yaml", "to": "toml"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "timeframe.invalid"


def test_catalog_describes_every_indicator(client_alice):
    body = client_alice.get("/strategies/live/catalog").json()
    assert [i["type"] for i in body["indicators"]] == [i.type for i in INDICATORS]
    rsi = next(i for i in body["indicators"] if i["type"] == "rsi")
    period = rsi["parameters"][0]
    assert (period["name"], period["min"], period["max"], period["default"]) == ("period", 2, 100, 14)
    assert period["help"] and body["fields"]["max_drawdown"]
    json.dumps(body)


def _indicator(client, spec, fmt, text, values):
    fields = {"type": spec.type, "format": fmt, "document": text}
    fields.update({f"param_{k}": v for k, v in values.items()})
    return client.post("/strategies/live/indicator", fields)


def _apply(text: str, edit: dict) -> str:
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    kept = [line + "\n" for line in lines]
    return "".join(kept[: edit["start_line"]]) + edit["text"] + "".join(kept[edit["end_line"] :])


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
@pytest.mark.parametrize("spec", INDICATORS, ids=lambda s: s.type)
def test_every_indicator_snippet_validates_once_inserted(client_alice, fmt, spec):
    text = document() if fmt == "yaml" else TOML
    for values in ({}, {p.name: str(p.default) for p in spec.parameters if p.default is not None}):
        body = _indicator(client_alice, spec, fmt, text, values).json()
        inserted = _apply(text, body["edit"])
        report = validate(inserted, fmt)
        assert report.errors == [], (inserted, report.errors)
        names = [i["name"] for i in report.model["indicators"]]
        assert len(names) == 2 and names[0] == "rsi_14"


def test_indicator_parameter_errors_are_422(client_alice):
    rsi = lookup_indicator("rsi")
    response = _indicator(
        client_alice, rsi, "yaml", document(), {"period": "500", "oversold": "80", "overbought": "20"}
    )
    assert response.status_code == 422
    errors = {e["parameter"] for e in response.json()["errors"]}
    assert "period" in errors and ("overbought" in errors or "oversold" in errors)
    response = client_alice.post(
        "/strategies/live/indicator",
        {"type": "rsi", "format": "yaml", "name": "rsi_14", "document": document()},
    )
    assert response.status_code == 422
    assert "already has" in response.json()["errors"][0]["message"]


def test_autosave_stores_one_draft_offers_it_and_discards_it(client_alice, alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    for text in ("name: first try\n", "name: second try\n"):
        response = client_alice.post(
            "/strategies/live/autosave",
            {
                "strategy_id": strategy.pk,
                "document": text,
                "format": "yaml",
                "base_lock_version": strategy.lock_version,
            },
        )
        assert response.status_code == 200 and response.json()["saved"] is True
    draft = EditorDraft.objects.get()
    assert (draft.owner, draft.strategy, draft.document) == (alice, strategy, "name: second try\n")

    html = client_alice.get(f"/strategies/{strategy.pk}/edit").content.decode()
    assert 'id="restore-banner"' in html and 'id="restore-autosave"' in html
    assert 'id="discard-autosave"' in html and "second try" in html  # in the data island
    restored = client_alice.get(f"/strategies/{strategy.pk}/edit?restore=1").content.decode()
    assert "name: second try" in restored.split("<textarea")[1]

    response = client_alice.post(
        "/strategies/live/autosave/discard",
        {"strategy_id": strategy.pk},
        headers={"Accept": "application/json"},
    )
    assert response.json() == {"discarded": True}
    assert not EditorDraft.objects.exists()
    assert 'id="restore-banner"' not in client_alice.get(f"/strategies/{strategy.pk}/edit").content.decode()


def test_autosave_of_a_new_strategy_and_the_no_script_discard(client_alice, alice):
    client_alice.post("/strategies/live/autosave", {"document": "name: unsaved idea\n", "format": "yaml"})
    html = client_alice.get("/strategies/new").content.decode()
    assert 'id="restore-banner"' in html
    response = client_alice.post("/strategies/live/autosave/discard", {})
    assert response.status_code == 302 and response["Location"] == "/strategies/new"
    assert not EditorDraft.objects.exists()


def test_a_draft_equal_to_the_saved_document_is_not_offered(client_alice, alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    client_alice.post(
        "/strategies/live/autosave", {"strategy_id": strategy.pk, "document": document(), "format": "yaml"}
    )
    html = client_alice.get(f"/strategies/{strategy.pk}/edit").content.decode()
    assert 'id="restore-banner"' not in html


def test_autosave_is_per_user(client, alice, bob):
    client.force_login(alice)
    client.post("/strategies/live/autosave", {"document": "name: alice idea\n", "format": "yaml"})
    client.force_login(bob)
    html = client.get("/strategies/new").content.decode()
    assert 'id="restore-banner"' not in html and "alice idea" not in html
    client.post("/strategies/live/autosave/discard", {})
    assert EditorDraft.objects.get().owner == alice


def test_a_restored_stale_draft_saves_into_a_conflict(client_alice, alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    client_alice.post(
        "/strategies/live/autosave",
        {
            "strategy_id": strategy.pk,
            "document": document() + "# mine\n",
            "format": "yaml",
            "base_lock_version": 1,
        },
    )
    lifecycle.save(alice, strategy, document() + "# theirs\n", "yaml", 1)
    html = client_alice.get(f"/strategies/{strategy.pk}/edit?restore=1").content.decode()
    assert 'name="lock_version" value="1"' in html
    response = client_alice.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": document() + "# mine\n", "format": "yaml", "lock_version": 1},
    )
    assert response.status_code == 409
    assert Strategy.objects.get(pk=strategy.pk).document.endswith("# theirs\n")
