import io

import pytest

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
