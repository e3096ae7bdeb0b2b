"""Two tabs editing one strategy: the first learns of the second's save while it is open."""

import re

from .conftest import create_strategy, log_in, strategy_document, unique_email


def open_editor_listening(page, server, strategy_id: int):
    """Open the edit page and wait until its event stream is connected, so that a save made
    elsewhere afterwards reaches it. (The response event fires on the stream's headers; the
    server subscribes as it starts the body, microseconds later and long before the other
    tab can load its page and save.)"""
    with page.expect_response(lambda r: r.url.endswith("/strategies/events")) as stream:
        page.goto(f"{server.url}/strategies/{strategy_id}/edit")
    assert stream.value.status == 200
    assert stream.value.headers["content-type"].startswith("text/event-stream")


def document_shown(page) -> list[str]:
    """The lines of the document a version page shows, without their numbers."""
    return page.eval_on_selector_all(
        "pre.document .line",
        "lines => lines.map(line => { const copy = line.cloneNode(true);"
        " copy.querySelector('.line-number').remove();"
        " return copy.textContent.replace(/\\n$/, ''); })",
    )


def test_a_save_in_another_tab_raises_the_conflict_banner_and_overwriting_keeps_both_versions(
    server, context
):
    email = server.create_user(unique_email("conflict"))
    first = context.new_page()
    log_in(first, server, email)
    strategy_id = create_strategy(first, server, strategy_document("Two tabs"))
    assert first.url == f"{server.url}/strategies/{strategy_id}"

    first.goto(f"{server.url}/strategies")
    row = first.locator(f"#strategy-list tr[data-strategy-id='{strategy_id}']")
    assert row.locator("td.name").inner_text() == "Two tabs"
    assert row.locator("td.version").inner_text() == "v1"

    theirs = strategy_document("Two tabs", entry="rsi_14 < 25")
    mine = strategy_document("Two tabs", entry="rsi_14 < 35")
    open_editor_listening(first, server, strategy_id)
    first.fill("#document", mine)

    second = context.new_page()
    second.goto(f"{server.url}/strategies/{strategy_id}/edit")
    second.fill("#document", theirs)
    second.click("#save")
    second.wait_for_url(f"{server.url}/strategies/{strategy_id}")
    assert "version 2" in second.inner_text(".messages")

    # The first tab was not submitted: the stream alone brings the banner.
    banner = first.wait_for_selector("#conflict-banner", timeout=5000)
    assert "Someone else saved this strategy" in banner.inner_text()
    assert first.locator("#conflict-banner .diff-row[data-kind=removed]", has_text="rsi_14 < 25").count() == 1
    assert first.locator("#conflict-banner .diff-row[data-kind=added]", has_text="rsi_14 < 35").count() == 1
    assert first.locator("#conflict-discard").count() == 1
    assert first.locator("#conflict-save-as-new").count() == 1
    assert first.input_value("#document") == mine  # nothing of mine was touched

    first.click("#conflict-overwrite")
    first.wait_for_url(f"{server.url}/strategies/{strategy_id}")
    assert "version 3" in first.inner_text(".messages")

    first.goto(f"{server.url}/strategies/{strategy_id}/versions")
    assert first.locator("#version-list li[data-version]").count() == 3
    for number, document in ((2, theirs), (3, mine)):
        first.click(f"li[data-version='{number}'] a.version-link")
        first.wait_for_url(re.compile(rf".*/strategies/{strategy_id}/versions/{number}$"))
        assert document_shown(first) == document.splitlines()
        first.go_back()


def test_the_conflict_banner_says_who_and_when_once_with_a_readable_overwrite_button(server, context):
    email = server.create_user(unique_email("banner"))
    first = context.new_page()
    log_in(first, server, email)
    strategy_id = create_strategy(first, server, strategy_document("Banner words"))
    open_editor_listening(first, server, strategy_id)
    first.fill("#document", strategy_document("Banner words", entry="rsi_14 < 35"))

    second = context.new_page()
    second.goto(f"{server.url}/strategies/{strategy_id}/edit")
    second.fill("#document", strategy_document("Banner words", entry="rsi_14 < 25"))
    second.click("#save")
    second.wait_for_url(f"{server.url}/strategies/{strategy_id}")

    banner = first.wait_for_selector("#conflict-banner", timeout=5000)
    text = banner.inner_text()
    assert text.count(email) == 1
    # Times read as everywhere else in the interface: to the minute, no ISO "T" or
    # microseconds.
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d\b", banner.inner_text())
    assert not re.search(r"\d\d:\d\d:\d\d\.\d+|\dT\d", first.inner_text("body"))
    colours = first.eval_on_selector(
        "#conflict-overwrite",
        "button => { const style = getComputedStyle(button); return [style.color, style.backgroundColor]; }",
    )
    assert colours[0] != colours[1], colours
