"""An admin lifts a lockout at once: `trading-strategy unlock --email E`, or the
dashboard's Sessions page."""

import pytest

from trading_strategy.cli import main

WRONG = "not the password at all"


@pytest.fixture
def locked_out(visitor, trader, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        visitor.log_in(trader.email, WRONG)
    assert visitor.log_in(trader.email, WRONG).status_code == 429
    return visitor


def test_unlock_lets_a_locked_out_e_mail_log_in_again(locked_out, trader, password, capsys):
    status = main(["unlock", "--email", "Trader@Example.com"])

    assert status == 0
    assert "Unlocked trader@example.com" in capsys.readouterr().out
    assert locked_out.log_in(trader.email, password).status_code == 302


def test_unlock_of_an_e_mail_that_is_not_locked_out_says_so(trader, capsys):
    assert main(["unlock", "--email", trader.email]) == 0
    assert "was not locked out" in capsys.readouterr().out


@pytest.fixture
def admin_browser(new_visitor, db):
    from trading_strategy.accounts.models import User

    admin = User.objects.create_user("admin@example.com", "correct horse battery", role="admin")
    browser = new_visitor(REMOTE_ADDR="127.0.0.3")
    browser.client.force_login(admin)
    return browser


def test_the_dashboard_lists_a_lockout_and_lifts_it(locked_out, trader, password, admin_browser):
    page = admin_browser.page("/admin/dashboard/sessions")

    response = admin_browser.client.post("/admin/dashboard/sessions/unlock", {"email": trader.email})

    assert trader.email in page.split('id="lockouts"')[1]
    assert response.status_code == 302 and response["Location"] == "/admin/dashboard/sessions"
    assert "No e-mail is locked out now." in admin_browser.page(response["Location"])
    assert locked_out.log_in(trader.email, password).status_code == 302


def test_only_an_admin_can_unlock(locked_out, trader, new_visitor, other_trader, password):
    stranger = new_visitor(REMOTE_ADDR="127.0.0.3")
    stranger.log_in(other_trader.email, password)

    response = stranger.client.post("/admin/dashboard/sessions/unlock", {"email": trader.email})

    assert response.status_code == 404
    assert locked_out.log_in(trader.email, password).status_code == 429
