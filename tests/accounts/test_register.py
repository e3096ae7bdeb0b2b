from trading_strategy.accounts.models import User

GOOD = {"email": "new@example.com", "password1": "a long passphrase", "password2": "a long passphrase"}


def test_registering_logs_the_new_trader_in(visitor, db):
    response = visitor.client.post("/users/register", GOOD)

    assert response.status_code == 302
    assert response.url == "/strategies"
    assert visitor.is_logged_in()
    assert User.objects.get().role == User.Role.TRADER


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


def test_an_e_mail_already_registered_in_any_case_is_refused(visitor, trader):
    response = visitor.client.post("/users/register", {**GOOD, "email": "TRADER@Example.COM"})

    assert response.context["form"].has_error("email", "duplicate")
    assert "An account with this e-mail already exists." in response.content.decode()
    assert User.objects.count() == 1


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
