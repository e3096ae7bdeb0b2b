"""Passwords hashed before the one-lane Argon2 setting still sign in, and are upgraded."""
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from trading_strategy import settings as project_settings
from trading_strategy.accounts.models import User

PASSWORD = "a long enough password 42"


def test_a_password_hashed_with_eight_lanes_still_signs_in_and_is_rehashed_with_one(
        client, settings, db):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User.objects.create_user("old@example.com")
    user.password = make_password(PASSWORD, hasher=Argon2PasswordHasher())
    user.save()
    assert ",p=8$" in user.password

    response = client.post("/users/log-in", {"username": "old@example.com",
                                             "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert ",p=1$" in user.password
    assert user.check_password(PASSWORD)
