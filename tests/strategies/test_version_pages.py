"""A strategy's versions: the list, one version, the diff, and restoring one."""

import re

import pytest

from trading_strategy.strategies import lifecycle

from .conftest import document, flashes, make

pytestmark = pytest.mark.django_db


def _two_versions(user):
    strategy = make(user)
    return lifecycle.save(
        user, strategy, document(**{"rsi_14 > 70": "rsi_14 > 75"}), "yaml", strategy.lock_version
    )


def test_versions_are_listed_newest_first_with_author_time_and_validity(alice_client, alice):
    strategy = _two_versions(alice)
    strategy = lifecycle.save(alice, strategy, document(**{"1h": "1H"}), "yaml", strategy.lock_version)
    html = alice_client.get(f"/strategies/{strategy.pk}/versions").content.decode()
    assert re.findall(r'<li data-version="(\d+)"', html) == ["3", "2", "1"]
    third = re.search(r'<li data-version="3".*?</li>', html, re.S).group(0)
    assert "alice@example.com" in third and "invalid" in third and "<time" in third
    first = re.search(r'<li data-version="1".*?</li>', html, re.S).group(0)
    assert 'class="validity">valid<' in first


def test_one_version_shows_its_document_with_line_numbers(alice_client, alice):
    strategy = _two_versions(alice)
    html = alice_client.get(f"/strategies/{strategy.pk}/versions/1").content.decode()
    assert '<pre class="document"' in html
    assert (
        'data-line="9"><span class="line-number" aria-hidden="true">9</span>'
        "exit_conditions: rsi_14 &gt; 70" in html
    )
    assert 'data-action="restore_version"' in html
    assert f'name="lock_version" value="{strategy.lock_version}"' in html


def test_diff_shows_line_numbers_and_changes(alice_client, alice):
    strategy = _two_versions(alice)
    html = alice_client.get(f"/strategies/{strategy.pk}/versions/diff?a=1&b=2").content.decode()
    removed = re.search(r'<tr class="diff-removed">(.*?)</tr>', html, re.S).group(1)
    added = re.search(r'<tr class="diff-added">(.*?)</tr>', html, re.S).group(1)
    assert '<td class="diff-old">9</td>' in removed and "rsi_14 &gt; 70" in removed
    assert '<td class="diff-new">9</td>' in added and "rsi_14 &gt; 75" in added
    assert 'class="diff-context"' in html


def test_restoring_a_version_saves_it_as_the_newest(alice_client, alice):
    strategy = _two_versions(alice)
    response = alice_client.post(
        f"/strategies/{strategy.pk}/versions/1/restore", {"lock_version": strategy.lock_version}
    )
    assert response["Location"] == f"/strategies/{strategy.pk}/versions"
    assert flashes(response) == ["Version 1 is restored as version 3."]
    strategy.refresh_from_db()
    assert strategy.current_version == 3 and "rsi_14 > 70" in strategy.document


def test_restoring_a_version_from_a_stale_page_is_a_conflict(alice_client, alice):
    strategy = _two_versions(alice)
    stale = strategy.lock_version - 1
    response = alice_client.post(f"/strategies/{strategy.pk}/versions/1/restore", {"lock_version": stale})
    assert response["Location"] == f"/strategies/{strategy.pk}/versions/1"
    [flash] = flashes(response)
    assert "was changed by alice@example.com" in flash
    strategy.refresh_from_db()
    assert strategy.current_version == 2


def test_restoring_a_version_of_an_active_strategy_is_refused(alice_client, alice):
    strategy = _two_versions(alice)
    lifecycle.activate(alice, strategy)
    strategy.refresh_from_db()
    html = alice_client.get(f"/strategies/{strategy.pk}/versions/1").content.decode()
    assert 'class="refusal" data-action="restore_version"' in html
    response = alice_client.post(
        f"/strategies/{strategy.pk}/versions/1/restore", {"lock_version": strategy.lock_version}
    )
    assert flashes(response) == [strategy.refusal("restore_version")]


def test_restoring_without_a_lock_version_asks_to_reload(alice_client, alice):
    strategy = _two_versions(alice)
    response = alice_client.post(f"/strategies/{strategy.pk}/versions/1/restore")
    assert response.status_code == 302
    assert "reload the page" in flashes(response)[0]
