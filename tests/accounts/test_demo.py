from trading_strategy.accounts.demo import ensure_demo_admin
from trading_strategy.accounts.models import User


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
