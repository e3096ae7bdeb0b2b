"""The editor without JavaScript: the form posts and the server renders what the script
would have shown, for a new strategy and for an edit."""

import re

import pytest

from .conftest import log_in, strategy_document, unique_email


@pytest.fixture
def page_without_js(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    yield context.new_page()
    context.close()


def test_the_editor_creates_and_edits_a_strategy_without_javascript(server, page_without_js):
    page = page_without_js
    email = server.create_user(unique_email("nojs"))
    log_in(page, server, email)

    page.goto(f"{server.url}/strategies/new")
    assert page.is_hidden("#add-indicator")  # only the script can insert indicators
    assert page.get_attribute("#validation-state", "data-state") == "idle"

    # Create: an invalid document is kept as a draft and comes back with its problems.
    page.fill("#document", strategy_document("Without script", timeframe="7x", exit="rsi_99 > 70"))
    page.click("#save")
    page.wait_for_url(re.compile(r".*/strategies/\d+/edit$"))
    strategy_id = int(re.search(r"/strategies/(\d+)/edit", page.url).group(1))
    assert "still has errors" in page.inner_text(".messages")
    assert page.locator("li.diagnostic[data-line='3'][data-code='timeframe.invalid']").count() == 1
    assert page.locator("li.diagnostic[data-line='10'][data-code='condition.undefined_name']").count() == 1
    assert sorted(
        page.eval_on_selector_all(
            "#gutter .marker[data-severity=error]", "ms => ms.map(m => +m.dataset.line)"
        )
    ) == [3, 10]
    assert page.get_attribute("#section-status [data-section=metadata]", "data-state") == "error"
    assert page.inner_text("#validation-state").startswith("2 errors")

    # Test syntax works as a plain submit too, and saves nothing.
    page.click("#test-syntax")
    page.wait_for_selector("#syntax-result .syntax-errors")
    assert page.locator("#syntax-result .syntax-error[data-line='3']").count() == 1

    # Edit: fixing one mistake leaves the other on its line.
    page.fill("#document", strategy_document("Without script", exit="rsi_99 > 70"))
    page.click("#save")
    page.wait_for_url(f"{server.url}/strategies/{strategy_id}/edit")
    assert "version 2" in page.inner_text(".messages")
    assert page.locator("#gutter .marker[data-line='3']").count() == 0
    assert page.locator("#gutter .marker[data-line='10'][data-severity=error]").count() == 1

    # Fixing the last one saves a valid version and leaves the editor.
    fixed = strategy_document("Without script")
    page.fill("#document", fixed)
    page.click("#test-syntax")
    page.wait_for_selector("#syntax-result .syntax-summary")
    assert "Enter when" in page.inner_text("#syntax-result .explanation >> nth=0")
    page.click("#save")
    page.wait_for_url(f"{server.url}/strategies/{strategy_id}")
    assert "as version 3" in page.inner_text(".messages")
    assert page.locator("#syntax-errors").count() == 0  # the detail page has no errors to list
    page.goto(f"{server.url}/strategies/{strategy_id}/versions")
    assert page.locator("#version-list li[data-version]").count() == 3
    assert page.get_attribute("li[data-version='3']", "class").split()[-1] == "valid"
