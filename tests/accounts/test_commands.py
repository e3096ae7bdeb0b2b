import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from trading_strategy.accounts.models import ApiToken, User
from trading_strategy.cli import main

PASSWORD = "a long passphrase"


@pytest.fixture
def stdin(monkeypatch):
    def type_in(text):
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    return type_in


def test_createuser_makes_a_trader_from_a_password_on_stdin(db, stdin, capsys, visitor):
    stdin(PASSWORD + "\n")

    status = main(["createuser", "--email", "New@Example.com", "--password-stdin"])

    assert status == 0
    assert "Created trader new@example.com." in capsys.readouterr().out
    assert User.objects.get().role == User.Role.TRADER
    assert visitor.log_in("new@example.com", PASSWORD).status_code == 302


def test_createuser_admin_makes_an_admin(db, stdin):
    stdin(PASSWORD + "\n")

    assert main(["createuser", "--email", "boss@example.com", "--admin", "--password-stdin"]) == 0

    assert User.objects.get().is_staff


def test_createuser_refuses_a_short_password_and_says_why(db, stdin, capsys):
    stdin("too short\n")

    status = main(["createuser", "--email", "new@example.com", "--password-stdin"])

    assert status == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert not User.objects.exists()


def test_createuser_refuses_a_taken_e_mail(trader, stdin, capsys):
    stdin(PASSWORD + "\n")

    assert main(["createuser", "--email", "TRADER@example.com", "--password-stdin"]) == 1
    assert "already exists" in capsys.readouterr().err


def test_createuser_refuses_an_invalid_e_mail(db, stdin, capsys):
    stdin(PASSWORD + "\n")

    assert main(["createuser", "--email", "not-an-address", "--password-stdin"]) == 1
    assert "valid email" in capsys.readouterr().err


def test_createuser_prompts_twice_for_the_password(db, monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    assert main(["createuser", "--email", "new@example.com"]) == 0
    assert User.objects.get().check_password(PASSWORD)


def test_createuser_refuses_prompted_passwords_that_differ(db, monkeypatch, capsys):
    answers = iter([PASSWORD, "another passphrase"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    assert main(["createuser", "--email", "new@example.com"]) == 1
    assert "do not match" in capsys.readouterr().err
    assert not User.objects.exists()


def test_token_create_prints_a_token_that_authenticates(trader, capsys):
    status = main(["token", "create", "--email", "Trader@Example.com", "--name", "ci"])

    raw = capsys.readouterr().out.strip()
    assert status == 0
    assert ApiToken.objects.authenticate(raw) == trader
    assert ApiToken.objects.get().name == "ci"


def test_token_create_refuses_an_unknown_user(db, capsys):
    assert main(["token", "create", "--email", "nobody@example.com"]) == 1
    assert "no active user" in capsys.readouterr().err
    assert not ApiToken.objects.exists()


# ------------------------------------------------------- as Django management commands


def test_setpassword_gives_a_user_a_new_password_and_ends_their_sessions(trader, stdin, visitor):
    signed_in = Client()
    signed_in.force_login(trader)
    stdin("another long passphrase\n")

    status = main(["setpassword", "--email", "TRADER@example.com", "--password-stdin"])

    assert status == 0
    assert signed_in.get("/strategies")["Location"].startswith("/users/log-in")
    assert visitor.log_in("trader@example.com", "another long passphrase").status_code == 302


def test_setpassword_refuses_an_unknown_user_and_a_short_password(trader, stdin, capsys):
    before = trader.password
    stdin(PASSWORD + "\n")
    assert main(["setpassword", "--email", "nobody@example.com", "--password-stdin"]) == 1

    stdin("too short\n")
    assert main(["setpassword", "--email", "trader@example.com", "--password-stdin"]) == 1
    trader.refresh_from_db()
    assert trader.password == before


def test_createuser_runs_as_a_management_command(db, stdin):
    stdin(PASSWORD + "\n")
    out = io.StringIO()

    call_command("createuser", email="new@example.com", password_stdin=True, stdout=out)

    assert out.getvalue() == "Created trader new@example.com.\n"
    assert User.objects.get().check_password(PASSWORD)


def test_a_refused_management_command_raises_a_command_error_with_exit_status_1(db):
    with pytest.raises(CommandError, match="no active user") as refused:
        call_command("token", "create", email="nobody@example.com")

    assert refused.value.returncode == 1


def test_django_admin_runs_createuser_and_token_with_the_settings_option(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(TRADING_STRATEGY_DATA_DIR=str(tmp_path), SECRET_KEY="commands-test-key")
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def django_admin(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "django", *args, "--settings=trading_strategy.settings"],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
        )

    assert django_admin("migrate", "--verbosity=0").returncode == 0
    created = django_admin(
        "createuser", "--email", "ops@example.com", "--admin", "--password-stdin", stdin=PASSWORD + "\n"
    )
    token = django_admin("token", "create", "--email", "ops@example.com")
    taken = django_admin(
        "createuser", "--email", "ops@example.com", "--password-stdin", stdin=PASSWORD + "\n"
    )

    assert (created.returncode, created.stdout) == (0, "Created admin ops@example.com.\n")
    assert token.returncode == 0 and len(token.stdout.split()) == 1
    assert taken.returncode == 1
    assert "a user with the e-mail ops@example.com already exists." in taken.stderr
