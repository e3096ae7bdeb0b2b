import os
import re
import subprocess
import sys

from django.core import mail

from trading_strategy.accounts.models import ApiToken


def _ask_for_a_reset(visitor, email):
    return visitor.client.post("/users/reset-password", {"email": email}, follow=True)


def _link_in(message) -> str:
    return re.search(r"http://testserver(/users/reset-password/\S+)", message.body).group(1)


def test_it_mails_a_link_that_sets_a_new_password(visitor, new_visitor, trader):
    response = _ask_for_a_reset(visitor, "Trader@Example.com")

    assert response.redirect_chain == [("/users/reset-password/sent", 302)]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["trader@example.com"]
    form_page = visitor.client.get(_link_in(mail.outbox[0]), follow=True)
    assert "Choose a new password" in form_page.content.decode()

    done = visitor.client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    assert done.url == "/users/reset-password/done"
    assert new_visitor().log_in(trader.email, "a brand new passphrase").status_code == 302


def test_an_unknown_e_mail_gets_the_same_page_and_no_mail(visitor, trader):
    known = _ask_for_a_reset(visitor, trader.email)
    mail.outbox.clear()

    unknown = _ask_for_a_reset(visitor, "nobody@example.com")

    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.content == known.content
    assert mail.outbox == []


def test_a_reset_link_works_only_once(visitor, trader):
    _ask_for_a_reset(visitor, trader.email)
    link = _link_in(mail.outbox[0])
    form_page = visitor.client.get(link, follow=True)
    visitor.client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    again = visitor.client.get(link, follow=True)

    assert "This link no longer works" in again.content.decode()


def test_resetting_the_password_lifts_a_lockout(visitor, new_visitor, trader, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        visitor.log_in(trader.email, "not the password at all")
    _ask_for_a_reset(visitor, trader.email)
    form_page = visitor.client.get(_link_in(mail.outbox[0]), follow=True)
    visitor.client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    assert new_visitor().log_in(trader.email, "a brand new passphrase").status_code == 302


def test_a_reset_logs_out_every_session_and_revokes_every_api_token(visitor, new_visitor, trader, password):
    elsewhere = new_visitor()
    elsewhere.log_in(trader.email, password)
    _, raw = ApiToken.issue(trader, "laptop")
    _ask_for_a_reset(visitor, trader.email)
    form_page = visitor.client.get(_link_in(mail.outbox[0]), follow=True)

    visitor.client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    assert not elsewhere.is_logged_in()
    assert ApiToken.objects.authenticate(raw) is None
    assert 'id="reset-effects"' in form_page.content.decode()


def _settings_under(**environment) -> str:
    code = "from django.conf import settings; import django; django.setup(); print(settings.EMAIL_BACKEND)"
    env = {key: value for key, value in os.environ.items() if key not in ("EMAIL_HOST", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="trading_strategy.settings", SECRET_KEY="x", **environment)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_without_smtp_only_development_prints_e_mails():
    assert _settings_under(DEBUG="true").endswith("console.EmailBackend")
    assert _settings_under(DEBUG="false").endswith("UnsentEmailBackend")
    assert _settings_under(DEBUG="false", EMAIL_HOST="smtp.example.com").endswith("smtp.EmailBackend")


def test_an_e_mail_that_cannot_be_sent_is_one_warning_without_the_link(visitor, trader, settings, caplog):
    settings.EMAIL_BACKEND = "trading_strategy.accounts.email_backends.UnsentEmailBackend"

    response = _ask_for_a_reset(visitor, trader.email)

    assert response.redirect_chain == [("/users/reset-password/sent", 302)]
    lines = [record for record in caplog.records if "email.not_sent" in record.getMessage()]
    assert len(lines) == 1
    logged = "".join(record.getMessage() for record in caplog.records)
    assert not re.search(r"/users/reset-password/\w+/[\w-]{20,}", logged)
