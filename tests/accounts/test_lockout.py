from datetime import UTC, datetime, timedelta

import pytest
from asgiref.sync import async_to_sync
from axes.models import AccessAttempt
from django.db.models import F
from django.utils import timezone

WRONG = "not the password at all"


def _retry_times(before: datetime, after: datetime, cool_off: timedelta) -> set[str]:
    """The "HH:MM" the page may show for a lockout that started between two instants."""

    def ceil_minute(moment):
        floor = moment.replace(second=0, microsecond=0)
        return floor if floor == moment else floor + timedelta(minutes=1)

    return {ceil_minute(moment + cool_off).astimezone(UTC).strftime("%H:%M") for moment in (before, after)}


@pytest.fixture(autouse=True)
def default_lockout(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_TIME = 0.25  # hours


def test_it_locks_out_after_five_failures_and_says_when_to_retry(visitor, trader):
    for _ in range(4):
        assert visitor.log_in(trader.email, WRONG).status_code == 200

    before = timezone.now()
    response = visitor.log_in(trader.email, WRONG)
    after = timezone.now()

    assert response.status_code == 429
    page = response.content.decode()
    shown = page.split("Too many failed attempts. Try again after ")[1].split(" UTC.")[0]
    assert shown in _retry_times(before, after, timedelta(minutes=15))
    # Our page, inside the site layout, not axes' plain text.
    assert "<header" in page


def test_the_right_password_is_refused_while_locked_out(visitor, trader, password):
    for _ in range(5):
        visitor.log_in(trader.email, WRONG)

    response = visitor.log_in(trader.email, password)

    assert response.status_code == 429
    assert "Too many failed attempts." in response.content.decode()
    assert not visitor.is_logged_in()


def test_the_failure_limit_is_configurable(visitor, trader, settings):
    settings.AXES_FAILURE_LIMIT = 2

    assert visitor.log_in(trader.email, WRONG).status_code == 200
    assert visitor.log_in(trader.email, WRONG).status_code == 429


def test_failures_count_for_the_address_whatever_its_case(visitor, trader):
    for email in ["trader@example.com", "TRADER@example.com", "Trader@Example.com", "trader@EXAMPLE.COM"]:
        visitor.log_in(email, WRONG)

    assert visitor.log_in("tRaDeR@example.com", WRONG).status_code == 429


def test_an_unknown_e_mail_is_locked_out_like_a_known_one(visitor, trader):
    answers = [visitor.log_in("nobody@example.com", WRONG).status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]


def test_a_lockout_does_not_lock_other_users_out(visitor, new_visitor, trader, other_trader, password):
    for _ in range(5):
        visitor.log_in(trader.email, WRONG)

    other = new_visitor()
    other.log_in(other_trader.email, password)

    assert other.is_logged_in()


def test_a_successful_login_forgets_earlier_failures(visitor, new_visitor, trader, password):
    for _ in range(4):
        visitor.log_in(trader.email, WRONG)
    visitor.log_in(trader.email, password)

    later = new_visitor()
    for _ in range(4):
        assert later.log_in(trader.email, WRONG).status_code == 200


def test_the_lockout_lifts_after_the_cool_off(visitor, trader, password, settings):
    for _ in range(5):
        visitor.log_in(trader.email, WRONG)
    settings.AXES_COOLOFF_TIME = timedelta(seconds=0.001)

    response = visitor.log_in(trader.email, password)

    assert response.status_code == 302
    assert visitor.is_logged_in()


def test_the_lockout_page_is_ours_when_served_over_asgi(async_client, trader):
    # Axes' async middleware calls the lockout hook with other arguments than the sync one.
    def log_in():
        return async_to_sync(async_client.post)(
            "/users/log-in", {"username": trader.email, "password": WRONG}
        )

    for _ in range(4):
        log_in()

    response = log_in()

    assert response.status_code == 429
    assert "Too many failed attempts. Try again after " in response.content.decode()


STRANGER = "127.0.0.2"


def test_a_strangers_failures_do_not_lock_the_owner_out_from_another_address(
    new_visitor, visitor, trader, password
):
    stranger = new_visitor(REMOTE_ADDR=STRANGER)
    answers = [stranger.log_in(trader.email, WRONG).status_code for _ in range(6)]

    owner = visitor.log_in(trader.email, password)

    assert answers[-1] == 429
    assert owner.status_code == 302 and visitor.is_logged_in()


def _time_passes(minutes: int):
    """Move every recorded failure `minutes` into the past, as if that much time went by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_refused_attempts_during_a_lockout_do_not_extend_it(visitor, trader, password):
    for _ in range(5):
        visitor.log_in(trader.email, WRONG)
    _time_passes(10)
    assert visitor.log_in(trader.email, WRONG).status_code == 429

    _time_passes(6)

    assert visitor.log_in(trader.email, password).status_code == 302


def test_the_lockout_page_says_when_the_lock_that_refused_started_lifts(visitor, trader):
    for _ in range(5):
        visitor.log_in(trader.email, WRONG)
    _time_passes(10)
    before = timezone.now() - timedelta(minutes=10, seconds=5)

    page = visitor.log_in(trader.email, WRONG).content.decode()

    shown = page.split("Try again after ")[1].split(" UTC.")[0]
    assert shown in _retry_times(before, timezone.now() - timedelta(minutes=10), timedelta(minutes=15))


def test_an_address_failing_across_many_e_mails_is_refused_even_the_right_password(
    visitor, new_visitor, trader, password, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    for n in range(3):
        visitor.log_in(f"guess-{n}@example.com", WRONG)

    refused = visitor.log_in(trader.email, password)
    elsewhere = new_visitor(REMOTE_ADDR=STRANGER)

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert not visitor.is_logged_in()
    assert elsewhere.log_in(trader.email, password).status_code == 302
