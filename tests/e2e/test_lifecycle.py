"""Duplicate and activate from the detail page; an active strategy is read-only."""

import re

from .conftest import create_strategy, log_in, strategy_document, unique_email


def test_a_duplicate_can_be_activated_and_its_edit_page_explains_why_it_is_read_only(server, page):
    email = server.create_user(unique_email("lifecycle"))
    log_in(page, server, email)
    original_id = create_strategy(page, server, strategy_document("Original"))

    page.click("button[data-action=duplicate]")
    page.wait_for_url(re.compile(r".*/strategies/\d+$"))
    copy_id = int(page.url.rsplit("/", 1)[1])
    assert copy_id != original_id
    copy_name = page.inner_text("h1.strategy-name")
    assert copy_name != "Original" and "Original" in copy_name
    assert "a new draft" in page.inner_text(".messages")
    assert page.get_attribute("#strategy-detail", "data-status") == "draft"

    page.click("button[data-action=activate]")
    page.wait_for_selector("#strategy-detail[data-status=active]")
    assert page.url == f"{server.url}/strategies/{copy_id}"
    assert "is active" in page.inner_text(".messages")
    # What an active strategy cannot do is said where the buttons would be.
    assert page.locator("button[data-action=activate]").count() == 0
    assert page.locator("button[data-action=deactivate]").count() == 1
    assert "Deactivate it first" in page.inner_text(".refusal[data-action=archive]")
    assert page.locator("a[data-action=edit]").count() == 0
    assert "cannot be edited" in page.inner_text(".refusal[data-action=edit]")

    page.goto(f"{server.url}/strategies/{copy_id}/edit")
    notice = page.inner_text("#read-only-notice")
    assert "An active strategy cannot be edited" in notice
    assert "Deactivate it first" in notice and "duplicate it" in notice
    assert page.get_attribute("#document", "readonly") is not None
    assert page.locator("#save").count() == 0
    assert page.locator("#add-indicator").count() == 0
    assert page.get_attribute("#editor-form", "data-read-only") == "true"

    # The original is untouched: still a draft that can be edited.
    page.goto(f"{server.url}/strategies/{original_id}/edit")
    assert page.locator("#read-only-notice").count() == 0
    assert page.locator("#save").count() == 1

    page.goto(f"{server.url}/strategies")
    statuses = dict(
        page.eval_on_selector_all(
            "#strategy-list tr[data-strategy-id]",
            "rows => rows.map(r => [+r.dataset.strategyId, r.dataset.status])",
        )
    )
    assert statuses == {original_id: "draft", copy_id: "active"}
