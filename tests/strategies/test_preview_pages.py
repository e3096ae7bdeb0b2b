"""The signal preview on the strategy page and in the editor."""

import json
import re
from pathlib import Path

import pytest

from trading_strategy.datasets.models import Dataset
from trading_strategy.preview.samples import synthetic
from trading_strategy.strategies import lifecycle

from .conftest import make

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LIVE_PREVIEW = "/strategies/live/preview"


def _example(user, stem="trend_following"):
    return lifecycle.create(user, (EXAMPLES / f"{stem}.yaml").read_text(), "yaml")


def _chart(html: str) -> dict:
    found = re.search(r'<script id="preview-chart-data" type="application/json">(.*?)</script>', html, re.S)
    assert found, "the page carries the chart's data"
    return json.loads(found.group(1))


def test_the_strategy_page_previews_an_example_on_its_synthetic_sample(alice_client, alice):
    strategy = _example(alice)
    page = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert "BTC/USDT 4h (synthetic)" in page
    assert 'class="synthetic-label"' in page
    assert 'id="preview-trades"' in page
    chart = _chart(page)
    assert chart["markers"] and chart["candles"][0]
    assert {clause["text"] for clause in chart["clauses"]} >= {"ema_12 > ema_26"}


def test_the_page_without_javascript_lists_the_trades(alice_client, alice):
    strategy = _example(alice)
    page = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    trades = re.findall(r"<tr><td><time", page)
    stat = re.search(r'data-stat="trades">(\d+)<', page)
    assert stat and int(stat.group(1)) >= len(trades) > 0


def test_a_range_of_days_restricts_the_preview(alice_client, alice):
    strategy = _example(alice)
    page = alice_client.get(
        f"/strategies/{strategy.pk}", {"start": "2024-02-01", "end": "2024-02-29"}
    ).content.decode()
    # 29 days of 4-hour bars.
    assert "174 bars" in page


def test_another_users_dataset_is_not_previewed(alice_client, alice, bob):
    strategy = _example(alice)
    theirs = Dataset.build(bob, "Bob's data", "BTC/USDT", synthetic("BTC/USDT", "4h", 300))
    theirs.save()
    page = alice_client.get(f"/strategies/{strategy.pk}", {"data_source": str(theirs.pk)}).content.decode()
    assert "That data is not available" in page
    assert "Bob&#x27;s data" not in page and "Bob's data" not in page


def test_own_dataset_is_offered_and_previewed(alice_client, alice):
    strategy = _example(alice)
    mine = Dataset.build(alice, "My <b>BTC</b>", "BTC/USDT", synthetic("BTC/USDT", "4h", 500))
    mine.save()
    page = alice_client.get(f"/strategies/{strategy.pk}", {"data_source": str(mine.pk)}).content.decode()
    assert "My &lt;b&gt;BTC&lt;/b&gt;" in page and "<b>BTC</b>" not in page
    assert "500 bars" in page
    assert 'class="synthetic-label"' not in page


def test_an_entry_that_never_fires_names_the_blocking_clause(alice_client, alice):
    strategy = make(alice, **{"rsi_14 < 30": "close > high AND rsi_14 > 0"})
    page = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    blocked = "`close &gt; high` was false on 100 % of the bars where the rest held"
    assert f"The entry never fires: {blocked}" in page


def test_an_invalid_strategy_page_says_the_preview_waits(alice_client, alice):
    strategy = make(alice, **{"timeframe: 1h": "timeframe: 7h"})
    page = alice_client.get(f"/strategies/{strategy.pk}").content.decode()
    assert 'id="preview-invalid"' in page


@pytest.fixture
def example_text():
    return (EXAMPLES / "mean_reversion.yaml").read_text()


def test_the_live_preview_answers_a_fragment_with_chart_data(alice_client, example_text):
    response = alice_client.post(LIVE_PREVIEW, {"document": example_text, "format": "yaml"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="preview-results"')
    assert _chart(html)["time"]


def test_the_live_preview_of_an_invalid_text_runs_nothing(alice_client):
    response = alice_client.post(LIVE_PREVIEW, {"document": "name: [", "format": "yaml"})
    assert 'id="preview-invalid"' in response.content.decode()
    assert "preview-chart-data" not in response.content.decode()


def test_the_live_preview_needs_a_session(client, example_text):
    response = client.post(LIVE_PREVIEW, {"document": example_text, "format": "yaml"})
    assert response.status_code == 401


def test_the_live_preview_needs_the_csrf_token(alice, example_text):
    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(alice)
    response = guarded.post(LIVE_PREVIEW, {"document": example_text, "format": "yaml"})
    assert response.status_code == 403


def test_the_editor_without_javascript_shows_the_preview_it_asks_for(alice_client, alice, example_text):
    strategy = _example(alice, "mean_reversion")
    response = alice_client.post(
        f"/strategies/{strategy.pk}/edit",
        {
            "document": example_text,
            "format": "yaml",
            "lock_version": strategy.lock_version,
            "intent": "preview",
            "data_source": "sample:eth-usdt-1h",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ETH/USDT 1h (synthetic)" in page and 'id="preview-stats"' in page
    strategy.refresh_from_db()
    assert strategy.current_version == 1, "asking for a preview saves nothing"


def test_a_last_day_before_the_first_is_refused_in_words(alice_client, alice):
    strategy = _example(alice)
    page = alice_client.get(
        f"/strategies/{strategy.pk}", {"start": "2024-03-01", "end": "2024-02-01"}
    ).content.decode()
    assert "The last day comes before the first." in page
