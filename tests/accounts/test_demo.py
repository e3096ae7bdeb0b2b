from trading_strategy.accounts.demo import DEMO_ADMIN_EMAIL, ensure_demo_admin
from trading_strategy.accounts.models import User
from trading_strategy.cli import main


def test_the_demo_admin_is_created_once_with_a_password_that_works(db, visitor):
    user, password = ensure_demo_admin()

    assert user.email == "admin@example.com"
    assert user.is_staff
    assert visitor.log_in("admin@example.com", password).status_code == 302


def test_the_password_is_returned_only_when_the_admin_is_created(db):
    first, _ = ensure_demo_admin()

    again, password = ensure_demo_admin()

    assert again == first
    assert password is None
    assert User.objects.count() == 1


def test_serve_with_the_demo_says_where_to_open_and_how_to_get_back_in(db, capsys, monkeypatch):
    monkeypatch.setattr("os.execv", lambda *args: None)
    monkeypatch.setattr("django.core.management.call_command", lambda *args, **options: None)

    main(["serve", "--port", "4000", "--demo"])
    first = capsys.readouterr().out
    main(["serve", "--port", "4000", "--demo"])
    again = capsys.readouterr().out

    for output in (first, again):
        assert "http://127.0.0.1:4000/" in output
        assert f"trading-strategy setpassword --email {DEMO_ADMIN_EMAIL}" in output
