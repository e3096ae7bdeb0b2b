"""The strategy list: sorting, filtering, search, paging, and the htmx fragment."""

import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.models import Status, Strategy

from .conftest import document, make

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-strategy-id="(\d+)"')


def row_ids(response) -> list[int]:
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def bulk(user, count, prefix="Bulk"):
    """Many strategies at once, without versions: the list reads only the strategy rows."""
    now = timezone.now()
    Strategy.objects.bulk_create(
        Strategy(
            owner=user,
            name=f"{prefix} {n:05d}",
            document="name: x\n",
            trading_pair="BTC/USDT",
            timeframe="1h",
            created_at=now - timezone.timedelta(minutes=n),
            updated_at=now - timezone.timedelta(minutes=n),
        )
        for n in range(count)
    )


def test_list_shows_name_status_pair_timeframe_and_version(alice_client, alice):
    strategy = make(alice, "Eth swing", **{"BTC/USDT": "ETH/EUR", "1h": "4h"})
    lifecycle.save(
        alice,
        strategy,
        document("Eth swing", **{"BTC/USDT": "ETH/EUR", "1h": "4h", "30": "25"}),
        "yaml",
        strategy.lock_version,
    )
    response = alice_client.get("/strategies")
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(rf'<tr data-strategy-id="{strategy.pk}".*?</tr>', html, re.S).group(0)
    for text in ("Eth swing", "Draft", "ETH/EUR", "4h", "v2", f'href="/strategies/{strategy.pk}"'):
        assert text in row
    assert 'id="strategy-list"' in html
    assert 'id="list-filters"' in html


def test_list_shows_a_dash_for_a_pair_and_timeframe_not_written_yet(alice_client, alice):
    draft = Strategy.objects.create(owner=alice, name="Half typed", document="name: Half\n")

    html = alice_client.get("/strategies").content.decode()

    row = re.search(rf'<tr data-strategy-id="{draft.pk}".*?</tr>', html, re.S).group(0)
    assert '<td class="pair">\u2014</td>' in row
    assert '<td class="timeframe">\u2014</td>' in row


def test_list_shows_when_each_strategy_was_created_and_changed_to_the_minute(alice_client, alice, settings):
    settings.TIME_ZONE = "Europe/Paris"
    strategy = make(alice, "Timed")
    winter = datetime(2026, 1, 15, 23, 30, 59, tzinfo=UTC)
    Strategy.objects.filter(pk=strategy.pk).update(created_at=winter, updated_at=winter.replace(month=7))

    html = alice_client.get("/strategies").content.decode()

    assert '<time datetime="2026-01-15T23:30:59+00:00">2026-01-16 00:30</time>' in html
    assert '<time datetime="2026-07-15T23:30:59+00:00">2026-07-16 01:30</time>' in html


def test_list_is_empty_with_a_link_to_write_the_first_strategy(alice_client):
    html = alice_client.get("/strategies").content.decode()
    assert 'id="empty-state"' in html and 'href="/strategies/new"' in html
    assert 'id="strategy-list"' not in html


def test_list_never_shows_another_users_strategies(alice_client, alice, bob):
    mine = make(alice, "Mine")
    make(bob, "Theirs")
    response = alice_client.get("/strategies?status=all")
    assert row_ids(response) == [mine.pk]
    assert "Theirs" not in response.content.decode()


def test_list_sorts_by_last_modified_first_by_default(alice_client, alice):
    first, second, third = (make(alice, name) for name in ("Bravo", "Alpha", "Charlie"))
    assert row_ids(alice_client.get("/strategies")) == [third.pk, second.pk, first.pk]
    assert row_ids(alice_client.get("/strategies?sort=updated")) == [first.pk, second.pk, third.pk]


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("name", ["Alpha", "Bravo", "Charlie"]),
        ("-name", ["Charlie", "Bravo", "Alpha"]),
        ("created", ["Bravo", "Alpha", "Charlie"]),
        ("-created", ["Charlie", "Alpha", "Bravo"]),
        ("status", ["Charlie", "Alpha", "Bravo"]),  # active, draft, inactive
        ("nonsense", ["Charlie", "Alpha", "Bravo"]),  # falls back to -updated
    ],
)
def test_list_sorts(alice_client, alice, sort, expected):
    names = {}
    for name, status in (("Bravo", Status.INACTIVE), ("Alpha", Status.DRAFT), ("Charlie", Status.ACTIVE)):
        names[make(alice, name, status).pk] = name
    response = alice_client.get(f"/strategies?sort={sort}")
    assert [names[pk] for pk in row_ids(response)] == expected


def test_list_hides_archived_unless_the_filter_asks_for_them(alice_client, alice):
    draft = make(alice, "Draft one")
    active = make(alice, "Active one", Status.ACTIVE)
    archived = make(alice, "Archived one", Status.ARCHIVED)
    assert set(row_ids(alice_client.get("/strategies"))) == {draft.pk, active.pk}
    assert row_ids(alice_client.get("/strategies?status=archived")) == [archived.pk]
    assert row_ids(alice_client.get("/strategies?status=active")) == [active.pk]
    assert set(row_ids(alice_client.get("/strategies?status=all"))) == {draft.pk, active.pk, archived.pk}
    # An unknown status is the default filter, not an error.
    assert set(row_ids(alice_client.get("/strategies?status=bogus"))) == {draft.pk, active.pk}


def test_list_searches_by_name_ignoring_case(alice_client, alice):
    rsi = make(alice, "RSI dip")
    make(alice, "Moving averages")
    response = alice_client.get("/strategies?q=rsi")
    assert row_ids(response) == [rsi.pk]
    assert 'value="rsi"' in response.content.decode()
    html = alice_client.get("/strategies?q=nothing-like-it").content.decode()
    assert "No strategies match" in html


def test_list_pages_by_fifty(alice_client, alice):
    bulk(alice, 60)
    first = alice_client.get("/strategies")
    second = alice_client.get("/strategies?page=2")
    assert len(row_ids(first)) == 50 and len(row_ids(second)) == 10
    assert not set(row_ids(first)) & set(row_ids(second))
    html = first.content.decode()
    assert '<nav class="pagination"' in html and "Page 1 of 2" in html
    assert 'rel="next" href="?page=2"' in html
    # Past the end shows the last page rather than an error.
    assert row_ids(alice_client.get("/strategies?page=99")) == row_ids(second)


def test_page_links_keep_the_filters(alice_client, alice):
    bulk(alice, 60)
    html = alice_client.get("/strategies?q=Bulk&sort=name").content.decode()
    assert 'href="?q=Bulk&amp;sort=name&amp;page=2"' in html
    assert 'name="sort" value="name" form="list-filters"' in html


def test_htmx_request_gets_only_the_table_fragment(alice_client, alice):
    strategy = make(alice)
    response = alice_client.get("/strategies", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="strategy-table"')
    assert "<html" not in html and row_ids(response) == [strategy.pk]
    assert "HX-Request" in response["Vary"]
    restore = alice_client.get(
        "/strategies", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_full_list_page_loads_htmx_and_list_script_without_inline_script(alice_client, alice):
    make(alice)
    html = alice_client.get("/strategies").content.decode()
    assert 'src="/static/vendor/htmx.min.js"' in html
    assert 'src="/static/js/list.js"' in html
    assert 'id="strategy-index" data-live="off"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_list_query_count_does_not_grow_with_rows(alice_client, alice, django_assert_max_num_queries):
    bulk(alice, 60)
    with django_assert_max_num_queries(5):
        response = alice_client.get("/strategies")
    assert len(row_ids(response)) == 50


def test_list_of_ten_thousand_returns_fifty_rows(alice_client, alice, django_assert_max_num_queries):
    bulk(alice, 10_000)
    with django_assert_max_num_queries(5) as queries:
        response = alice_client.get("/strategies?sort=name")
    assert response.status_code == 200
    assert len(row_ids(response)) == 50
    assert "Page 1 of 200" in response.content.decode()
    select = next(
        q["sql"]
        for q in queries.captured_queries
        if "LIMIT" in q["sql"] and "strategies_strategy" in q["sql"]
    )
    # Only the listed columns are read, never the documents.
    assert '"document"' not in select and '"description"' not in select
