"""The signal preview in a real browser: the chart, the hover readout, live refresh."""

import json
import re
from pathlib import Path

from .conftest import log_in, unique_email

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def chart_data(page) -> dict:
    return json.loads(page.text_content("#preview-chart-data"))


def new_strategy_from_example(page, server, label: str, stem: str) -> int:
    log_in(page, server, server.create_user(unique_email(label)))
    page.goto(f"{server.url}/strategies/new")
    page.fill("#document", (EXAMPLES / f"{stem}.yaml").read_text())
    page.click("#save")
    page.wait_for_url(re.compile(r".*/strategies/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def test_the_strategy_page_draws_candles_indicators_and_trade_markers(server, page, screenshots):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    new_strategy_from_example(page, server, "preview-page", "mean_reversion")
    page.wait_for_selector("#preview-chart canvas")
    assert page.is_visible("#preview-chart")
    data = chart_data(page)
    assert data["markers"], "trades on the sample"
    assert [line["name"] for line in data["overlays"]] == ["bb_20_middle", "bb_20_upper", "bb_20_lower"]
    assert [pane["name"] for pane in data["panes"]] == ["rsi_14"]
    assert "synthetic" in page.text_content(".preview-data-title")
    assert errors == []
    # The panel down to the end of the chart: the tables below it are long.
    panel = page.locator("#strategy-preview").bounding_box()
    chart = page.locator("#preview-chart").bounding_box()
    page.screenshot(
        path=str(screenshots / "preview.png"),
        full_page=True,
        clip={
            "x": panel["x"],
            "y": panel["y"],
            "width": panel["width"],
            "height": chart["y"] + chart["height"] - panel["y"] + 16,
        },
    )


def test_hovering_a_bar_shows_each_clause_with_its_values_and_truth(server, page):
    new_strategy_from_example(page, server, "preview-hover", "trend_following")
    page.wait_for_selector("#preview-chart canvas")
    page.locator("#preview-chart").scroll_into_view_if_needed()
    box = page.locator("#preview-chart").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.3, steps=4)
    page.wait_for_selector("#preview-readout:not([hidden]) .clause")
    lines = page.locator("#preview-readout .clause").all_text_contents()
    entry = next(line for line in lines if "ema_12 > ema_26" in line)
    assert re.search(r"ema_12 > ema_26 \u2192 [\d.]+ > [\d.]+ [\u2713\u2717]$", entry), entry
    assert any("unrealized_pnl_pct < -0.03" in line for line in lines)


def test_editing_the_entry_condition_refreshes_the_markers(server, page):
    strategy_id = new_strategy_from_example(page, server, "preview-live", "trend_following")
    page.goto(f"{server.url}/strategies/{strategy_id}/edit")
    page.wait_for_selector("#preview-chart canvas")
    before = chart_data(page)
    entries = sum(1 for marker in before["markers"] if marker["kind"] == "entry")
    assert entries > 0
    text = page.input_value("#document")
    # An entry that cannot fire on this data: the fast average half as high again.
    stricter = text.replace("ema_12 > ema_26", "ema_12 > ema_26 * 1.5")
    assert stricter != text
    page.fill("#document", stricter)
    page.wait_for_function(
        "count => { const node = document.getElementById('preview-chart-data');"
        " if (!node) return false; const data = JSON.parse(node.textContent);"
        " return data.markers.filter(m => m.kind === 'entry').length !== count; }",
        arg=entries,
        timeout=10_000,
    )
    assert page.get_attribute("#preview-panel", "data-state") == "done"
    assert "The entry never fires" in page.text_content("#preview-results")


def test_an_upload_with_a_bad_row_names_the_row_and_a_good_one_is_offered_to_preview(server, page, tmp_path):
    log_in(page, server, server.create_user(unique_email("preview-upload")))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "time,open,high,low,close,volume\n"
        "2024-01-01T00:00:00Z,100,101,99,100.5,10\n"
        "2024-01-01T01:00:00Z,100.5,100,99,100.2,12\n"
    )
    page.goto(f"{server.url}/datasets")
    page.fill("#dataset-name", "Hand-made bars")
    page.set_input_files("#dataset-file", str(bad))
    page.click("#upload-form button[type=submit]")
    rejected = page.locator("#upload-rejection li[data-code='data.high_below']")
    assert rejected.get_attribute("data-line") == "3"
    assert "line 3, column 3" in rejected.text_content()
    assert page.input_value("#dataset-name") == "Hand-made bars"

    good = tmp_path / "good.csv"
    rows = [f"2024-01-01T{hour:02d}:00:00Z,100,101,99,100.5,10" for hour in range(24)]
    good.write_text("time,open,high,low,close,volume\n" + "\n".join(rows) + "\n")
    page.set_input_files("#dataset-file", str(good))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#dataset-list tr[data-dataset-id]")
    page.goto(f"{server.url}/strategies/new")
    options = page.locator("#preview-data option").all_text_contents()
    assert "Hand-made bars (24 bars)" in options
