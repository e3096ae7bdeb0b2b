import re

from trading_strategy.accounts.models import User


def test_it_logs_in_by_e_mail_ignoring_case(visitor, trader, password):
    response = visitor.log_in("Trader@EXAMPLE.com", password)

    assert response.status_code == 302
    assert response.url == "/strategies"
    assert visitor.is_logged_in()


def test_it_goes_to_the_page_that_asked_for_the_login(visitor, trader, password):
    response = visitor.client.post(
        "/users/log-in?next=/users/settings", {"username": trader.email, "password": password}
    )

    assert response.url == "/users/settings"


def test_it_never_follows_next_to_another_site(visitor, trader, password):
    response = visitor.client.post(
        "/users/log-in?next=https://evil.example/", {"username": trader.email, "password": password}
    )

    assert response.url == "/strategies"


def test_a_login_required_page_sends_a_visitor_to_log_in(visitor, db):
    response = visitor.client.get("/users/settings")

    assert response.status_code == 302
    assert response.url == "/users/log-in?next=/users/settings"


def _without_echoes(html: str, email: str) -> str:
    # The CSRF token is re-masked on every page and the form repeats the typed e-mail;
    # everything else must be the same.
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "EMAIL")


def test_a_wrong_password_and_an_unknown_e_mail_get_the_same_answer(visitor, trader):
    wrong_password = visitor.log_in(trader.email, "not the password at all")
    unknown_email = visitor.log_in("nobody@example.com", "not the password at all")

    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "Wrong e-mail or password." in wrong_password.content.decode()
    assert _without_echoes(wrong_password.content.decode(), trader.email) == _without_echoes(
        unknown_email.content.decode(), "nobody@example.com"
    )
    assert not visitor.is_logged_in()


def test_an_inactive_user_gets_the_same_answer_as_a_wrong_password(visitor, trader, password):
    User.objects.filter(pk=trader.pk).update(is_active=False)

    response = visitor.log_in(trader.email, password)

    assert "Wrong e-mail or password." in response.content.decode()
    assert not visitor.is_logged_in()
