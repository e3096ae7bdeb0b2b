import re

from django.core import mail

from trading_strategy.accounts.models import User

GOOD = {"email": "new@example.com", "password1": "a long passphrase", "password2": "a long passphrase"}


def test_registering_makes_a_trader_who_then_logs_in_and_gets_a_welcome_e_mail(visitor, db):
    response = visitor.client.post("/users/register", GOOD)

    assert response.status_code == 302
    assert response.url == "/users/log-in"
    assert User.objects.get().role == User.Role.TRADER
    assert [message.to for message in mail.outbox] == [["new@example.com"]]
    assert visitor.log_in("new@example.com", GOOD["password1"]).status_code == 302


def test_a_password_under_twelve_characters_is_refused_at_the_field(visitor, db):
    response = visitor.client.post(
        "/users/register", {**GOOD, "password1": "short pass1", "password2": "short pass1"}
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("password2", "password_too_short")
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.exists()
    assert not visitor.is_logged_in()


def test_mismatched_passwords_are_refused(visitor, db):
    response = visitor.client.post("/users/register", {**GOOD, "password2": "another passphrase"})

    assert response.context["form"].has_error("password2", "password_mismatch")
    assert not User.objects.exists()


def _answer(visitor, email: str) -> tuple:
    response = visitor.client.post("/users/register", {**GOOD, "email": email}, follow=True)
    page = response.content.decode().replace(email.lower(), "E-MAIL")
    # Each page masks its CSRF token anew.
    return response.redirect_chain, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_taken_e_mail_gets_the_same_answer_as_a_new_one(visitor, new_visitor, trader):
    taken = _answer(visitor, "TRADER@Example.COM")

    new = _answer(new_visitor(), "someone.new@example.com")

    assert taken == new
    assert User.objects.count() == 2
    assert not visitor.is_logged_in()


def test_the_owner_of_a_taken_e_mail_is_told_by_e_mail(visitor, trader, password):
    visitor.client.post("/users/register", {**GOOD, "email": "TRADER@Example.COM"})

    assert [message.to for message in mail.outbox] == [["trader@example.com"]]
    assert "/users/reset-password" in mail.outbox[0].body
    assert visitor.log_in(trader.email, password).status_code == 302


def test_the_e_mail_is_stored_in_lower_case(visitor, db):
    visitor.client.post("/users/register", {**GOOD, "email": "New@Example.com"})

    assert User.objects.get().email == "new@example.com"


def test_a_logged_in_user_is_sent_on_from_the_register_page(logged_in):
    response = logged_in.client.get("/users/register")

    assert response.status_code == 302
    assert response.url == "/strategies"


def test_argon2_hashes_passwords(visitor, settings, db):
    from trading_strategy import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS

    visitor.client.post("/users/register", GOOD)

    assert User.objects.get().password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=1$")
