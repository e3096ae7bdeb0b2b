"""The editor pages without JavaScript: the form posts, the server validates and saves."""

import re

import pytest

from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import EditorDraft, Status, Strategy

from .conftest import document

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def client_alice(client, alice):
    client.force_login(alice)
    return client


def _html(response) -> str:
    return response.content.decode()


def test_the_pages_need_a_login(client, alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    for url in ("/strategies/new", f"/strategies/{strategy.pk}/edit"):
        response = client.get(url)
        assert response.status_code == 302 and "/users/log-in" in response["Location"]


def test_the_new_page_starts_from_a_valid_example_and_has_the_dom_contract(client_alice):
    html = _html(client_alice.get("/strategies/new"))
    for fragment in (
        'id="editor-form"',
        'id="document" name="document"',
        'id="format" name="format"',
        'name="lock_version"',
        'id="save"',
        'id="gutter"',
        'id="diagnostics"',
        'id="section-status"',
        'id="name-status"',
        'id="validation-state"',
        'id="add-indicator"',
        'id="indicator-panel"',
        'id="indicator-type"',
        'id="indicator-name"',
        'id="insert-indicator"',
        'id="test-syntax"',
        'id="syntax-result"',
        'id="indicator-catalog" type="application/json"',
    ):
        assert fragment in html, fragment
    assert (
        html.count('class="line-number"') == html.split("<textarea")[1].count("\n") - 1
        or 'data-line="1"' in html
    )
    assert 'class="marker"' not in html  # the starter has no diagnostics
    for section in ("metadata", "indicators", "conditions", "sizing", "risk"):
        assert f'data-section="{section}" data-state="ok"' in html
    # No inline script or handler: the page runs under a strict CSP.
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_create_and_edit_round_trip_without_javascript(client_alice, alice):
    response = client_alice.post(
        "/strategies/new", {"document": document("Round trip"), "format": "yaml", "lock_version": ""}
    )
    strategy = Strategy.objects.get(name="Round trip")
    assert response.status_code == 302 and response["Location"] == f"/strategies/{strategy.pk}"
    assert strategy.owner == alice and strategy.is_valid

    page = _html(client_alice.get(f"/strategies/{strategy.pk}/edit"))
    assert f'name="lock_version" value="{strategy.lock_version}"' in page
    assert "Round trip" in page

    edited = document("Round trip", **{"rsi_14 > 70": "rsi_14 > 75"})
    response = client_alice.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": edited, "format": "yaml", "lock_version": strategy.lock_version},
    )
    assert response.status_code == 302 and response["Location"] == f"/strategies/{strategy.pk}"
    strategy.refresh_from_db()
    assert strategy.document == edited and strategy.current_version == 2
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("version 2" in m for m in messages)


def test_an_invalid_submit_is_saved_as_a_draft_and_shows_its_diagnostics(client_alice):
    broken = document("Broken one", **{"1h": "1H", "rsi_14 > 70": "rsi_15 > 70"})
    response = client_alice.post("/strategies/new", {"document": broken, "format": "yaml"}, follow=True)
    strategy = Strategy.objects.get(name="Broken one")
    assert not strategy.is_valid and strategy.document == broken
    assert response.redirect_chain[-1][0] == f"/strategies/{strategy.pk}/edit"
    html = _html(response)
    assert 'data-code="timeframe.invalid" data-line="3"' in html
    assert 'data-code="condition.undefined_name" data-line="9"' in html
    assert '<span class="marker" data-line="3" data-severity="error"' in html
    assert 'data-section="metadata" data-state="error"' in html
    assert 'data-section="risk" data-state="ok"' in html
    assert "still has errors" in html  # the flash message


def test_a_document_without_a_name_is_not_saved_and_is_shown_again(client_alice):
    response = client_alice.post(
        "/strategies/new", {"document": "trading_pair: BTC/USDT\n", "format": "yaml"}
    )
    assert response.status_code == 422
    assert not Strategy.objects.exists()
    html = _html(response)
    assert "The document has no name." in html
    assert "trading_pair: BTC/USDT" in html


def test_a_taken_name_is_refused_and_shown_inline(client_alice, alice):
    lifecycle.create(alice, document("Taken"), "yaml")
    response = client_alice.post("/strategies/new", {"document": document("taken"), "format": "yaml"})
    assert response.status_code == 422
    html = _html(response)
    assert 'id="name-status" data-state="taken"' in html
    assert "already have a strategy named" in html


def test_another_users_strategy_is_not_found(client, alice, bob):
    strategy = lifecycle.create(alice, document(), "yaml")
    client.force_login(bob)
    assert client.get(f"/strategies/{strategy.pk}/edit").status_code == 404
    response = client.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": document("Stolen"), "format": "yaml", "lock_version": 1},
    )
    assert response.status_code == 404
    strategy.refresh_from_db()
    assert strategy.name == "RSI dip"


def test_a_stale_save_shows_the_conflict_banner_with_who_when_and_the_diff(client_alice, alice, bob):
    strategy = lifecycle.create(alice, document("Shared"), "yaml")
    stale = strategy.lock_version
    theirs = document("Shared", **{"rsi_14 < 30": "rsi_14 < 25"})
    lifecycle.save(alice, strategy, theirs, "yaml", stale)
    mine = document("Shared", **{"rsi_14 > 70": "rsi_14 > 80"})

    response = client_alice.post(
        f"/strategies/{strategy.pk}/edit", {"document": mine, "format": "yaml", "lock_version": stale}
    )
    assert response.status_code == 409
    html = _html(response)
    assert 'id="conflict-banner"' in html
    assert "alice@example.com" in html
    assert html.count("after you opened it") == 1  # the banner says it, no flash repeats it
    assert re.search(r'<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d</time>', html)
    assert 'class="diff"' in html
    assert "rsi_14 &lt; 25" in html and "rsi_14 &gt; 80" in html
    assert re.search(r'data-kind="added">\s*<td class="old"></td>\s*<td class="new">9</td>', html)
    current = Strategy.objects.get(pk=strategy.pk)
    assert (
        f'id="conflict-overwrite" form="editor-form" name="overwrite"\n'
        f'              value="{current.lock_version}"' in html
    )
    assert 'id="conflict-save-as-new"' in html and 'formaction="/strategies/new"' in html
    assert f'id="conflict-discard" href="/strategies/{strategy.pk}/edit"' in html
    # Mine is still in the textarea, nothing was overwritten.
    assert "rsi_14 &gt; 80" in html.split("<textarea")[1]
    assert current.document == theirs

    # Overwriting is a second, explicit action carrying the lock version just seen.
    response = client_alice.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": mine, "format": "yaml", "lock_version": stale, "overwrite": current.lock_version},
    )
    assert response.status_code == 302
    assert Strategy.objects.get(pk=strategy.pk).document == mine


def test_save_mine_as_a_new_strategy_makes_a_renamed_copy(client_alice, alice):
    strategy = lifecycle.create(alice, document("Shared"), "yaml")
    lifecycle.save(alice, strategy, document("Shared", **{"< 30": "< 20"}), "yaml", 1)
    mine = document("Shared", **{"> 70": "> 90"})
    response = client_alice.post(
        "/strategies/new",
        {
            "document": mine,
            "format": "yaml",
            "lock_version": 1,
            "save_as_new": "1",
            "from_strategy": strategy.pk,
        },
    )
    copy = Strategy.objects.get(name="Shared - Copy")
    assert response.status_code == 302 and response["Location"] == f"/strategies/{copy.pk}"
    assert "rsi_14 > 90" in copy.document and copy.document.startswith('name: "Shared - Copy"')
    assert Strategy.objects.get(pk=strategy.pk).current_version == 2


def test_an_active_strategy_explains_why_it_cannot_be_edited_and_refuses_a_save(client_alice, alice):
    strategy = lifecycle.activate(alice, lifecycle.create(alice, document(), "yaml"))
    html = _html(client_alice.get(f"/strategies/{strategy.pk}/edit"))
    assert 'id="read-only-notice"' in html
    assert "An active strategy cannot be edited" in html
    assert re.search(r"<textarea[^>]*readonly", html)
    assert 'id="save"' not in html

    response = client_alice.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": document("Changed"), "format": "yaml", "lock_version": strategy.lock_version},
    )
    assert response.status_code == 409
    assert "An active strategy cannot be edited" in _html(response)
    strategy.refresh_from_db()
    assert strategy.name == "RSI dip" and strategy.status == Status.ACTIVE


def test_test_syntax_and_convert_work_without_javascript(client_alice):
    response = client_alice.post(
        "/strategies/new", {"document": document(), "format": "yaml", "intent": "test-syntax"}
    )
    html = _html(response)
    assert 'class="syntax-summary"' in html and 'id="warmup-bars">14<' in html
    assert not Strategy.objects.exists()

    response = client_alice.post(
        "/strategies/new", {"document": document(), "format": "yaml", "intent": "convert"}
    )
    html = _html(response)
    assert '<option value="toml" selected>' in html
    assert "trading_pair = &quot;BTC/USDT&quot;" in html


def test_hostile_text_is_escaped_on_the_page(client_alice, alice):
    text = document("Evil one") + f"description: '{HOSTILE}'\n# {HOSTILE}\n"
    strategy = lifecycle.create(alice, text, "yaml")
    bad = text.replace("timeframe: 1h", f"timeframe: '{HOSTILE}'")
    response = client_alice.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": bad, "format": "yaml", "lock_version": strategy.lock_version},
        follow=True,
    )
    html = _html(response)
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    name = f"x{HOSTILE}"
    response = client_alice.post(
        "/strategies/new", {"document": document(name), "format": "yaml", "intent": "test-syntax"}
    )
    assert HOSTILE not in _html(response)


def test_a_too_large_document_is_refused_with_a_message(client_alice):
    response = client_alice.post(
        "/strategies/new", {"document": document() + "#" * (300 * 1024), "format": "yaml"}
    )
    assert response.status_code == 422
    assert "at most 262,144 are allowed" in _html(response)
    assert not Strategy.objects.exists()


def test_a_successful_save_discards_the_autosaved_draft(client_alice, alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    EditorDraft.objects.create(
        owner=alice, strategy=strategy, document="name: half", format="yaml", base_lock_version=1
    )
    EditorDraft.objects.create(owner=alice, strategy=None, document="name: other", format="yaml")
    client_alice.post(
        f"/strategies/{strategy.pk}/edit",
        {"document": document("Renamed"), "format": "yaml", "lock_version": 1},
    )
    assert not EditorDraft.objects.filter(strategy=strategy).exists()
    assert EditorDraft.objects.filter(strategy=None).exists()
    client_alice.post("/strategies/new", {"document": document("Brand new"), "format": "yaml"})
    assert not EditorDraft.objects.exists()
