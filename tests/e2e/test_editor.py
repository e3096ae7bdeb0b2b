"""The editor in a real browser: live markers while typing, Add indicator, Test syntax."""

import time

from .conftest import PASSWORD, log_in, strategy_document, unique_email, validation_seq, wait_validated

# Live validation must answer within 1 s of the last keystroke, the 300 ms debounce included.
LIVE_BUDGET_MS = 1000


def left_of_budget(since: float) -> float:
    """Milliseconds left of the budget started at `since`; never 0, which would mean
    "no timeout" to Playwright."""
    return max(1.0, LIVE_BUDGET_MS - (time.monotonic() - since) * 1000)


def open_editor_as_new_user(page, server, label):
    email = server.create_user(unique_email(label))
    log_in(page, server, email)
    page.goto(f"{server.url}/strategies/new")
    page.wait_for_selector("#gutter .line-number[data-line='1']")
    return email


def select_in_document(page, text: str):
    """Put the selection on the first occurrence of `text`, as a user would with the mouse."""
    page.eval_on_selector(
        "#document",
        "(area, text) => { const at = area.value.indexOf(text); area.focus();"
        " area.setSelectionRange(at, at + text.length); }",
        text,
    )


def test_markers_appear_at_the_mistaken_lines_while_typing_and_leave_when_fixed(server, page, screenshots):
    email = unique_email("typing")
    page.goto(f"{server.url}/users/register")
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{server.url}/users/log-in")  # registering signs nobody in
    log_in(page, server, email)

    page.goto(f"{server.url}/strategies/new")
    assert page.locator(".marker").count() == 0  # the starter document is valid
    # Line 3 has an unknown timeframe, line 10 names an indicator that does not exist.
    document = strategy_document("Typed by hand", timeframe="7x", exit="rsi_99 > 70")
    lines = document.split("\n")
    before = validation_seq(page)
    page.fill("#document", "\n".join(lines[:8]) + "\n")
    page.focus("#document")
    page.keyboard.press("Control+End")
    page.keyboard.type("\n".join(lines[8:]))
    typed = time.monotonic()
    page.wait_for_selector(".marker[data-line='3'][data-severity=error]", timeout=LIVE_BUDGET_MS)
    page.wait_for_selector(".marker[data-line='10'][data-severity=error]", timeout=left_of_budget(typed))
    wait_validated(page, before, timeout=left_of_budget(typed))
    print(f"\nmarkers after typing: {(time.monotonic() - typed) * 1000:.0f} ms")
    assert page.input_value("#document") == document
    assert sorted(page.eval_on_selector_all(".marker", "ms => ms.map(m => +m.dataset.line)")) == [3, 10]
    assert page.locator("li.diagnostic[data-line='3'][data-code='timeframe.invalid']").count() == 1
    assert page.locator("li.diagnostic[data-line='10'][data-code='condition.undefined_name']").count() == 1
    assert page.get_attribute("#section-status [data-section=metadata]", "data-state") == "error"
    assert page.get_attribute("#section-status [data-section=conditions]", "data-state") == "error"
    page.screenshot(path=str(screenshots / "editor-markers.png"))

    before = validation_seq(page)
    select_in_document(page, "7x")
    page.keyboard.type("1h")
    fixed = time.monotonic()
    page.wait_for_selector(".marker[data-line='3']", state="detached", timeout=LIVE_BUDGET_MS)
    wait_validated(page, before, timeout=left_of_budget(fixed))
    print(f"marker gone after the fix: {(time.monotonic() - fixed) * 1000:.0f} ms")
    assert page.locator(".marker[data-line='10'][data-severity=error]").count() == 1
    assert page.locator(".marker").count() == 1
    assert page.locator("li.diagnostic[data-line='3']").count() == 0
    assert page.get_attribute("#section-status [data-section=metadata]", "data-state") == "ok"


def test_an_indicator_added_through_the_panel_validates(server, page):
    open_editor_as_new_user(page, server, "indicator")
    page.fill("#document", strategy_document("With an EMA"))
    wait_validated(page, 0)
    assert page.locator(".marker").count() == 0

    page.click("#add-indicator")
    page.wait_for_selector("#indicator-panel:not([hidden])")
    page.select_option("#indicator-type", "ema")
    page.fill("#indicator-name", "ema_fast")
    page.fill("input[data-parameter=period]", "12")
    before = validation_seq(page)
    page.click("#insert-indicator")
    wait_validated(page, before, timeout=2000)

    document = page.input_value("#document")
    assert "name: ema_fast" in document
    assert "type: ema" in document
    assert "period: 12" in document
    assert page.locator(".marker[data-severity=error]").count() == 0
    assert page.locator("li.diagnostic[data-severity=error]").count() == 0
    assert page.inner_text("#indicator-errors") == ""
    assert page.get_attribute("#section-status [data-section=indicators]", "data-state") in ("ok", "warning")

    # The inserted indicator is usable at once: a condition on it is valid too.
    before = validation_seq(page)
    select_in_document(page, "rsi_14 < 30")
    page.keyboard.type("close > ema_fast")
    wait_validated(page, before)
    assert page.locator(".marker[data-severity=error]").count() == 0
    assert page.inner_text("#validation-state").startswith("Valid")


def test_test_syntax_explains_the_strategy_in_plain_english(server, page, screenshots):
    open_editor_as_new_user(page, server, "syntax")
    page.fill("#document", strategy_document("Explained", entry="rsi_14 < 30 and close > open"))
    page.click("#test-syntax")
    summary = page.wait_for_selector("#syntax-result .syntax-summary", timeout=3000)
    explanations = page.locator("#syntax-result .explanation").all_inner_texts()
    assert any(text.startswith("Enter when") for text in explanations), explanations
    assert any(text.startswith("Exit when") for text in explanations), explanations
    assert int(page.inner_text("#warmup-bars")) > 0
    assert "BTC/USDT" in summary.inner_text()
    page.locator("#syntax-result").screenshot(path=str(screenshots / "syntax-test.png"))

    # A broken document gets its errors listed instead of a summary.
    page.fill("#document", strategy_document("Explained", exit="rsi_99 > 70"))
    page.click("#test-syntax")
    page.wait_for_selector("#syntax-result .syntax-errors")
    assert (
        page.locator(
            "#syntax-result .syntax-error[data-code='condition.undefined_name'][data-line='10']"
        ).count()
        == 1
    )
