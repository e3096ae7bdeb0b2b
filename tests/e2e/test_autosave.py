"""Nothing typed is lost when a tab closes: the editor offers to restore it."""

from .conftest import create_strategy, log_in, strategy_document, unique_email


def test_closing_a_tab_with_unsaved_text_offers_to_restore_it(server, context):
    email = server.create_user(unique_email("autosave"))
    page = context.new_page()
    log_in(page, server, email)
    saved = strategy_document("Kept when closed")
    strategy_id = create_strategy(page, server, saved)
    edit_url = f"{server.url}/strategies/{strategy_id}/edit"

    page.goto(edit_url)
    assert page.locator("#restore-banner").count() == 0
    unsaved = strategy_document("Kept when closed", entry="rsi_14 < 21")
    page.fill("#document", unsaved)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]  # unsaved text: the browser asked before leaving

    reopened = context.new_page()
    reopened.goto(edit_url)
    if reopened.locator("#restore-banner").count() == 0:
        # The beacon leaves with the closing tab and may land just after this page's
        # request; the next load sees it.
        reopened.reload()
    reopened.wait_for_selector("#restore-banner", timeout=2000)
    assert reopened.input_value("#document") == saved
    reopened.click("#restore-autosave")
    reopened.wait_for_selector("#restore-banner", state="detached")
    assert reopened.input_value("#document") == unsaved
    assert "restored" in reopened.inner_text(".messages")

    # Saving it keeps it, and the offer does not come back.
    reopened.click("#save")
    reopened.wait_for_url(f"{server.url}/strategies/{strategy_id}")
    reopened.goto(edit_url)
    assert reopened.locator("#restore-banner").count() == 0
    assert reopened.input_value("#document") == unsaved
