"""One strategy's page: what it shows, the actions it offers, and escaping of what a user
typed."""

import re

import pytest

from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import Status, Strategy

from .conftest import document, flashes, make

pytestmark = pytest.mark.django_db

SCRIPT_NAME = "<script>alert(1)</script>"


def hostile_document(**replace):
    text = document(SCRIPT_NAME).replace(
        "trading_pair", "description: '\"><img src=x onerror=alert(1)>'\ntrading_pair", 1
    )
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def test_hostile_name_and_description_are_escaped_everywhere(alice_client, alice):
    strategy = lifecycle.create(alice, hostile_document(), "yaml")
    lifecycle.save(
        alice, strategy, hostile_document(**{"rsi_14 > 70": "rsi_14 > 75"}), "yaml", strategy.lock_version
    )
    pages = [
        "/strategies",
        f"/strategies/{strategy.pk}",
        f"/strategies/{strategy.pk}/versions",
        f"/strategies/{strategy.pk}/versions/1",
        f"/strategies/{strategy.pk}/versions/diff?a=1&b=2",
    ]
    for url in pages:
        html = alice_client.get(url).content.decode()
        assert SCRIPT_NAME not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    detail = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in detail


def test_hostile_text_in_an_invalid_document_is_escaped(alice_client, alice):
    strategy = lifecycle.create(
        alice, document("Broken one", **{"rsi_14 < 30": "rsi_14 < <b>oops</b>"}), "yaml"
    )
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert "<b>oops</b>" not in html and "&lt;b&gt;oops&lt;/b&gt;" in html


def test_detail_shows_status_summary_and_allowed_actions(alice_client, alice):
    strategy = make(alice)
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert 'id="strategy-status"' in html and "Draft" in html
    assert 'id="syntax-summary"' in html
    assert "rsi_14 &lt; 30" in html  # the normalized entry condition
    assert "Enter when" in html
    for action in ("activate", "archive", "duplicate", "delete"):
        assert f'<button type="submit" data-action="{action}"' in html
    assert f'data-action="edit" href="/strategies/{strategy.pk}/edit"' in html
    assert f'href="/strategies/{strategy.pk}/versions"' in html
    for action in ("deactivate", "restore"):
        assert f'button type="submit" data-action="{action}"' not in html
        assert f'class="refusal" data-action="{action}"' in html


def test_detail_of_an_active_strategy_gives_the_reasons_for_refused_actions(alice_client, alice):
    strategy = lifecycle.activate(alice, make(alice))
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    for action in ("edit", "activate", "archive", "delete", "restore"):
        reason = re.search(rf'class="refusal" data-action="{action}">(.*?)</p>', html, re.S)
        assert reason, action
        assert strategy.refusal(action) in reason.group(1).replace("&#x27;", "'")
    assert '<button type="submit" data-action="deactivate"' in html
    assert '<button type="submit" data-action="duplicate"' in html


def test_detail_of_an_invalid_strategy_lists_its_errors_with_codes_and_lines(alice_client, alice):
    strategy = make(alice, **{"1h": "1H"})
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert 'id="syntax-summary"' not in html and 'id="syntax-errors"' in html
    assert 'data-code="timeframe.invalid" data-line="3"' in html
    assert "line 3" in html
    assert 'button type="submit" data-action="activate"' not in html
    assert 'class="refusal" data-action="activate"' in html


def test_detail_shows_the_document_with_line_numbers(alice_client, alice):
    strategy = make(alice)
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert (
        '<span class="line" id="L1" data-line="1"><span class="line-number" '
        'aria-hidden="true">1</span>name: RSI dip' in html
    )


@pytest.mark.parametrize(
    "operation, start, end, flash",
    [
        ("activate", Status.DRAFT, Status.ACTIVE, "“RSI dip” is active."),
        ("deactivate", Status.ACTIVE, Status.INACTIVE, "“RSI dip” is inactive."),
        ("archive", Status.INACTIVE, Status.ARCHIVED, "“RSI dip” is archived."),
        ("restore", Status.ARCHIVED, Status.INACTIVE, "“RSI dip” is restored and inactive."),
    ],
)
def test_status_actions_change_the_status_and_say_so(alice_client, alice, operation, start, end, flash):
    strategy = make(alice, status=start)
    response = alice_client.post(f"/strategies/{strategy.pk}/{operation}")
    assert response.status_code == 302
    assert response["Location"] == f"/strategies/{strategy.pk}"
    assert flashes(response) == [flash]
    strategy.refresh_from_db()
    assert strategy.status == end
    page = alice_client.get(response["Location"]).content.decode()
    assert f'<li class="message success" role="status">{flash}</li>' in page


def test_duplicate_opens_the_copy(alice_client, alice):
    strategy = make(alice)
    response = alice_client.post(f"/strategies/{strategy.pk}/duplicate")
    copy = Strategy.objects.get(name="RSI dip - Copy")
    assert response["Location"] == f"/strategies/{copy.pk}"
    assert flashes(response) == ["Copied to “RSI dip - Copy”, a new draft."]


def test_delete_returns_to_the_list(alice_client, alice):
    strategy = make(alice)
    response = alice_client.post(f"/strategies/{strategy.pk}/delete")
    assert response["Location"] == "/strategies"
    assert flashes(response) == ["“RSI dip” is deleted."]
    assert not Strategy.objects.filter(pk=strategy.pk).exists()


def test_a_refused_action_flashes_the_reason_and_changes_nothing(alice_client, alice):
    strategy = make(alice, status=Status.ACTIVE)
    response = alice_client.post(f"/strategies/{strategy.pk}/delete")
    assert response["Location"] == f"/strategies/{strategy.pk}"
    assert flashes(response) == [strategy.refusal("delete")]
    assert Strategy.objects.filter(pk=strategy.pk, status=Status.ACTIVE).exists()


def test_activating_an_invalid_strategy_shows_its_errors(alice_client, alice):
    strategy = make(alice, **{"1h": "1H"})
    response = alice_client.post(f"/strategies/{strategy.pk}/activate", follow=True)
    html = response.content.decode()
    assert "fix it before activating it. Open the editor and run Test syntax." in html
    assert "Line 3:" in html and "(timeframe.invalid)" in html
    strategy.refresh_from_db()
    assert strategy.status == Status.DRAFT


def test_restoring_a_name_in_use_flashes_message_and_hint(alice_client, alice):
    archived = make(alice, status=Status.ARCHIVED)
    make(alice)  # a new "RSI dip" took the name
    response = alice_client.post(f"/strategies/{archived.pk}/restore")
    assert flashes(response) == [
        "You already have a strategy named “RSI dip”. Choose another name, or archive the other strategy."
    ]
