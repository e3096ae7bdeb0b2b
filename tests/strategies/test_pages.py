import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trading_strategy.strategies import lifecycle, views
from trading_strategy.strategies.models import Status, Strategy

from .conftest import document

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr data-strategy-id="(\d+)"')
SCRIPT_NAME = "<script>alert(1)</script>"
IMG_DESCRIPTION = '"><img src=x onerror=alert(1)>'


def hostile_document(**replace):
    text = document(SCRIPT_NAME).replace(
        "trading_pair", "description: '\"><img src=x onerror=alert(1)>'\ntrading_pair", 1)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def row_ids(response) -> list[int]:
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def flashes(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def make(user, name="RSI dip", status=Status.DRAFT, **replace):
    strategy = lifecycle.create(user, document(name, **replace), "yaml")
    if status != Status.DRAFT:
        Strategy.objects.filter(pk=strategy.pk).update(status=status)
        strategy.refresh_from_db()
    return strategy


def bulk(user, count, prefix="Bulk"):
    """Many strategies at once, without versions: the list reads only the strategy rows."""
    now = timezone.now()
    Strategy.objects.bulk_create(
        Strategy(owner=user, name=f"{prefix} {n:05d}", document="name: x\n",
                 trading_pair="BTC/USDT", timeframe="1h",
                 created_at=now - timezone.timedelta(minutes=n),
                 updated_at=now - timezone.timedelta(minutes=n))
        for n in range(count))


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


# The list

def test_list_shows_name_status_pair_timeframe_and_version(alice_client, alice):
    strategy = make(alice, "Eth swing", **{"BTC/USDT": "ETH/EUR", "1h": "4h"})
    lifecycle.save(alice, strategy, document("Eth swing", **{"BTC/USDT": "ETH/EUR",
                                                              "1h": "4h", "30": "25"}),
                   "yaml", strategy.lock_version)
    response = alice_client.get("/strategies")
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(rf'<tr data-strategy-id="{strategy.pk}".*?</tr>', html, re.S).group(0)
    for text in ("Eth swing", "Draft", "ETH/EUR", "4h", "v2",
                 f'href="/strategies/{strategy.pk}"'):
        assert text in row
    assert 'id="strategy-list"' in html
    assert 'id="list-filters"' in html


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
    assert row_ids(alice_client.get("/strategies?sort=updated")) == \
        [first.pk, second.pk, third.pk]


@pytest.mark.parametrize("sort, expected", [
    ("name", ["Alpha", "Bravo", "Charlie"]),
    ("-name", ["Charlie", "Bravo", "Alpha"]),
    ("created", ["Bravo", "Alpha", "Charlie"]),
    ("-created", ["Charlie", "Alpha", "Bravo"]),
    ("status", ["Charlie", "Alpha", "Bravo"]),  # active, draft, inactive
    ("nonsense", ["Charlie", "Alpha", "Bravo"]),  # falls back to -updated
])
def test_list_sorts(alice_client, alice, sort, expected):
    names = {}
    for name, status in (("Bravo", Status.INACTIVE), ("Alpha", Status.DRAFT),
                         ("Charlie", Status.ACTIVE)):
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
    assert set(row_ids(alice_client.get("/strategies?status=all"))) == \
        {draft.pk, active.pk, archived.pk}
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
    restore = alice_client.get("/strategies", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_full_list_page_loads_htmx_and_list_script_without_inline_script(alice_client, alice):
    make(alice)
    html = alice_client.get("/strategies").content.decode()
    assert 'src="/static/vendor/htmx.min.js"' in html
    assert 'src="/static/js/list.js"' in html
    assert 'id="strategy-index" data-live="off"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_list_query_count_does_not_grow_with_rows(alice_client, alice,
                                                  django_assert_max_num_queries):
    bulk(alice, 60)
    with django_assert_max_num_queries(5):
        response = alice_client.get("/strategies")
    assert len(row_ids(response)) == 50


def test_list_of_ten_thousand_returns_fifty_rows(alice_client, alice,
                                                 django_assert_max_num_queries):
    bulk(alice, 10_000)
    with django_assert_max_num_queries(5) as queries:
        response = alice_client.get("/strategies?sort=name")
    assert response.status_code == 200
    assert len(row_ids(response)) == 50
    assert "Page 1 of 200" in response.content.decode()
    select = next(q["sql"] for q in queries.captured_queries
                  if "LIMIT" in q["sql"] and "strategies_strategy" in q["sql"])
    # Only the listed columns are read, never the documents.
    assert '"document"' not in select and '"description"' not in select


# Ownership, authentication, CSRF

def _routes(strategy_id, number=1):
    return {
        "list": ("get", "/strategies"),
        "detail": ("get", f"/strategies/{strategy_id}"),
        "versions": ("get", f"/strategies/{strategy_id}/versions"),
        "version": ("get", f"/strategies/{strategy_id}/versions/{number}"),
        "diff": ("get", f"/strategies/{strategy_id}/versions/diff?a=1&b={number}"),
        "restore_version": ("post", f"/strategies/{strategy_id}/versions/{number}/restore"),
        **{op: ("post", f"/strategies/{strategy_id}/{op}") for op in views.OPERATIONS},
    }


STRATEGY_ROUTES = [name for name in _routes(1) if name != "list"]


@pytest.mark.parametrize("route", STRATEGY_ROUTES)
def test_another_users_strategy_is_not_found(alice_client, bob, route):
    theirs = make(bob, "Theirs")
    method, url = _routes(theirs.pk)[route]
    data = {"lock_version": theirs.lock_version} if method == "post" else None
    response = getattr(alice_client, method)(url, data)
    assert response.status_code == 404
    assert "Theirs" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT and theirs.lock_version == 1


@pytest.mark.parametrize("route", ["version", "diff", "restore_version"])
def test_a_version_that_does_not_exist_is_not_found(alice_client, alice, route):
    mine = make(alice)
    method, url = _routes(mine.pk, number=7)[route]
    response = getattr(alice_client, method)(url, {"lock_version": 1} if method == "post"
                                             else None)
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["", "?a=1", "?a=x&b=1", "?a=1&b=2"])
def test_a_diff_without_two_existing_versions_is_not_found(alice_client, alice, query):
    mine = make(alice)
    assert alice_client.get(f"/strategies/{mine.pk}/versions/diff{query}").status_code == 404


@pytest.mark.parametrize("route", ["list", *STRATEGY_ROUTES])
def test_anonymous_visitors_are_sent_to_log_in(client, alice, route):
    mine = make(alice)
    method, url = _routes(mine.pk)[route]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/users/log-in?next=")
    mine.refresh_from_db()
    assert mine.lock_version == 1


@pytest.mark.parametrize("route", ["restore_version", *views.OPERATIONS])
def test_actions_refuse_a_post_without_csrf_token(alice, route):
    mine = make(alice)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    method, url = _routes(mine.pk)[route]
    assert method == "post"
    assert csrf_client.post(url, {"lock_version": mine.lock_version}).status_code == 403
    assert Strategy.objects.filter(pk=mine.pk, lock_version=1, status=Status.DRAFT).exists()


@pytest.mark.parametrize("route", ["restore_version", *views.OPERATIONS])
def test_actions_refuse_get(alice_client, alice, route):
    mine = make(alice)
    _, url = _routes(mine.pk)[route]
    assert alice_client.get(url).status_code == 405


def test_detail_forms_carry_the_csrf_token(alice):
    mine = make(alice)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    html = csrf_client.get(f"/strategies/{mine.pk}").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = csrf_client.post(f"/strategies/{mine.pk}/activate",
                                {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Status.ACTIVE


# Escaping

def test_hostile_name_and_description_are_escaped_everywhere(alice_client, alice):
    strategy = lifecycle.create(alice, hostile_document(), "yaml")
    lifecycle.save(alice, strategy, hostile_document(**{"rsi_14 > 70": "rsi_14 > 75"}),
                   "yaml", strategy.lock_version)
    pages = ["/strategies", f"/strategies/{strategy.pk}", f"/strategies/{strategy.pk}/versions",
             f"/strategies/{strategy.pk}/versions/1",
             f"/strategies/{strategy.pk}/versions/diff?a=1&b=2"]
    for url in pages:
        html = alice_client.get(url).content.decode()
        assert SCRIPT_NAME not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    detail = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in detail


def test_hostile_text_in_an_invalid_document_is_escaped(alice_client, alice):
    strategy = lifecycle.create(alice, document("Broken one", **{
        "rsi_14 < 30": "rsi_14 < <b>oops</b>"}), "yaml")
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert "<b>oops</b>" not in html and "&lt;b&gt;oops&lt;/b&gt;" in html


# Detail

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


def test_detail_of_an_active_strategy_gives_the_reasons_for_refused_actions(alice_client,
                                                                            alice):
    strategy = lifecycle.activate(alice, make(alice))
    html = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    for action in ("edit", "activate", "archive", "delete", "restore"):
        reason = re.search(rf'class="refusal" data-action="{action}">(.*?)</p>', html, re.S)
        assert reason, action
        assert strategy.refusal(action) in reason.group(1).replace("&#x27;", "'")
    assert '<button type="submit" data-action="deactivate"' in html
    assert '<button type="submit" data-action="duplicate"' in html


def test_detail_of_an_invalid_strategy_lists_its_errors_with_codes_and_lines(alice_client,
                                                                             alice):
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
    assert '<span class="line" id="L1" data-line="1"><span class="line-number" ' \
           'aria-hidden="true">1</span>name: RSI dip' in html


# Actions

@pytest.mark.parametrize("operation, start, end, flash", [
    ("activate", Status.DRAFT, Status.ACTIVE, "“RSI dip” is active."),
    ("deactivate", Status.ACTIVE, Status.INACTIVE, "“RSI dip” is inactive."),
    ("archive", Status.INACTIVE, Status.ARCHIVED, "“RSI dip” is archived."),
    ("restore", Status.ARCHIVED, Status.INACTIVE, "“RSI dip” is restored and inactive."),
])
def test_status_actions_change_the_status_and_say_so(alice_client, alice, operation, start,
                                                     end, flash):
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
    assert "fix them before activating it. Open the editor and run Test syntax." in html
    assert "Line 3:" in html and "(timeframe.invalid)" in html
    strategy.refresh_from_db()
    assert strategy.status == Status.DRAFT


def test_restoring_a_name_in_use_flashes_message_and_hint(alice_client, alice):
    archived = make(alice, status=Status.ARCHIVED)
    make(alice)  # a new "RSI dip" took the name
    response = alice_client.post(f"/strategies/{archived.pk}/restore")
    assert flashes(response) == ["You already have a strategy named “RSI dip”. "
                                 "Choose another name, or archive the other strategy."]


# Versions

def _two_versions(user):
    strategy = make(user)
    return lifecycle.save(user, strategy, document(**{"rsi_14 > 70": "rsi_14 > 75"}), "yaml",
                          strategy.lock_version)


def test_versions_are_listed_newest_first_with_author_time_and_validity(alice_client, alice):
    strategy = _two_versions(alice)
    strategy = lifecycle.save(alice, strategy, document(**{"1h": "1H"}), "yaml",
                              strategy.lock_version)
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
    assert 'data-line="9"><span class="line-number" aria-hidden="true">9</span>' \
           'exit_conditions: rsi_14 &gt; 70' in html
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
    response = alice_client.post(f"/strategies/{strategy.pk}/versions/1/restore",
                                 {"lock_version": strategy.lock_version})
    assert response["Location"] == f"/strategies/{strategy.pk}/versions"
    assert flashes(response) == ["Version 1 is restored as version 3."]
    strategy.refresh_from_db()
    assert strategy.current_version == 3 and "rsi_14 > 70" in strategy.document


def test_restoring_a_version_from_a_stale_page_is_a_conflict(alice_client, alice):
    strategy = _two_versions(alice)
    stale = strategy.lock_version - 1
    response = alice_client.post(f"/strategies/{strategy.pk}/versions/1/restore",
                                 {"lock_version": stale})
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
    response = alice_client.post(f"/strategies/{strategy.pk}/versions/1/restore",
                                 {"lock_version": strategy.lock_version})
    assert flashes(response) == [strategy.refusal("restore_version")]


def test_restoring_without_a_lock_version_asks_to_reload(alice_client, alice):
    strategy = _two_versions(alice)
    response = alice_client.post(f"/strategies/{strategy.pk}/versions/1/restore")
    assert response.status_code == 302
    assert "reload the page" in flashes(response)[0]


# Error pages

def test_not_found_page_is_ours(alice_client):
    response = alice_client.get("/strategies/999999")
    assert response.status_code == 404
    assert 'id="error-page"' in response.content.decode()


def test_a_crash_shows_our_500_page_without_a_traceback(alice_client, alice, monkeypatch):
    strategy = make(alice)

    def explode(*args):
        raise RuntimeError("secret internals /work/main/trading_strategy")

    monkeypatch.setattr(views, "run_syntax_test", explode)
    alice_client.raise_request_exception = False
    response = alice_client.get(f"/strategies/{strategy.pk}")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'id="error-page"' in html and "Something went wrong" in html
    for leak in ("Traceback", "RuntimeError", "secret internals", "trading_strategy/",
                 "File \""):
        assert leak not in html


def test_csrf_failure_is_a_403_without_details(alice):
    strategy = make(alice)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(alice)
    response = csrf_client.post(f"/strategies/{strategy.pk}/delete")
    assert response.status_code == 403
    assert "Traceback" not in response.content.decode()
