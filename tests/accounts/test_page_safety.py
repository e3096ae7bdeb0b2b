"""CSRF on every form, and what users type is shown as text, never as markup."""

from trading_strategy.accounts.models import ApiToken, User

SCRIPT = "<script>alert(1)</script>"


def test_the_log_in_form_refuses_a_post_without_its_csrf_token(new_visitor, trader, password):
    browser = new_visitor(enforce_csrf_checks=True)

    response = browser.log_in(trader.email, password)

    assert response.status_code == 403
    assert not browser.is_logged_in()


def test_the_log_in_form_carries_its_csrf_token(new_visitor, trader, password, form_csrf_token):
    browser = new_visitor(enforce_csrf_checks=True)
    token = form_csrf_token(browser.page("/users/log-in"))

    response = browser.client.post(
        "/users/log-in", {"username": trader.email, "password": password, "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_the_token_form_refuses_a_post_without_its_csrf_token(new_visitor, trader, form_csrf_token):
    browser = new_visitor(enforce_csrf_checks=True)
    browser.client.post(
        "/users/log-in",
        {
            "username": trader.email,
            "password": "correct horse battery",
            "csrfmiddlewaretoken": form_csrf_token(browser.page("/users/log-in")),
        },
    )

    refused = browser.client.post("/users/settings/tokens", {"name": "laptop"})
    accepted = browser.client.post(
        "/users/settings/tokens",
        {"name": "laptop", "csrfmiddlewaretoken": form_csrf_token(browser.page("/users/settings"))},
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert ApiToken.objects.count() == 1


def test_the_log_out_button_is_a_form_with_a_csrf_token(logged_in, form_csrf_token):
    page = logged_in.page("/users/settings")

    assert 'action="/users/log-out"' in page
    assert form_csrf_token(page)


def test_a_token_name_with_markup_is_shown_as_text(logged_in):
    created = logged_in.client.post("/users/settings/tokens", {"name": SCRIPT}).content.decode()
    listed = logged_in.page("/users/settings")

    for page in (created, listed):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert SCRIPT not in page


def test_an_e_mail_with_markup_is_shown_as_text(visitor, db):
    # A quoted local part may hold almost anything and is still a valid address.
    email = '"<b>bold</b>"@example.com'
    registered = visitor.client.post(
        "/users/register",
        {"email": email, "password1": "a long passphrase", "password2": "a long passphrase"},
        follow=True,
    )
    assert User.objects.get().email == email

    page = registered.content.decode()

    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold</b>" not in page


def test_a_refused_e_mail_is_echoed_as_text(visitor, db):
    response = visitor.client.post(
        "/users/register", {"email": f'"{SCRIPT}"@example.com', "password1": "short", "password2": "short"}
    )

    assert SCRIPT not in response.content.decode()


def test_pages_have_no_inline_script(visitor, logged_in):
    for path in ("/users/settings", "/users/register", "/users/reset-password"):
        page = logged_in.page(path)
        assert "<script" not in page
        assert " on" + "click=" not in page
