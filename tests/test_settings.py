"""Settings from the environment, as a fresh process computes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .test_environment import example

SETTINGS = "trading_strategy.settings"


def start(code: str, **environment: str) -> subprocess.CompletedProcess:
    """Run `code` in a fresh interpreter whose environment holds none of the documented
    variables except a SECRET_KEY and `environment`."""
    env = {key: value for key, value in os.environ.items() if key not in example()}
    env.update(SECRET_KEY="settings-test-key", DJANGO_SETTINGS_MODULE=SETTINGS, **environment)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)


def setting(name: str, **environment: str):
    started = start(
        f"import json; from {SETTINGS} import {name} as value; print(json.dumps(value))", **environment
    )
    assert started.returncode == 0, started.stderr
    return json.loads(started.stdout)


def refusal(**environment: str) -> str:
    started = start(f"import {SETTINGS}", **environment)
    assert started.returncode != 0
    return started.stderr.strip().splitlines()[-1]


def test_a_bad_integer_stops_start_up_naming_the_variable():
    assert refusal(AXES_FAILURE_LIMIT="five") == (
        "django.core.exceptions.ImproperlyConfigured: AXES_FAILURE_LIMIT='five' is not a whole number."
    )


def test_an_unknown_word_for_debug_stops_start_up_instead_of_meaning_off():
    assert "DEBUG='maybe' is not a boolean" in refusal(DEBUG="maybe")


def test_email_use_tls_takes_the_same_words_as_every_other_boolean():
    assert setting("EMAIL_USE_TLS", EMAIL_HOST="smtp.example", EMAIL_USE_TLS="on") is True
    assert setting("EMAIL_USE_TLS", EMAIL_HOST="smtp.example", EMAIL_USE_TLS="off") is False


def test_postgres_gets_the_documented_pool_unless_told_otherwise():
    url = "postgres://trader@db.example/strategies"

    assert setting("DATABASES", DATABASE_URL=url)["default"]["OPTIONS"]["pool"] == {
        "min_size": 2,
        "max_size": 20,
        "timeout": 10.0,
    }
    assert setting("DATABASES", DATABASE_URL=url, DB_POOL_MAX_SIZE="5", DB_POOL_TIMEOUT="2.5")["default"][
        "OPTIONS"
    ]["pool"] == {"min_size": 2, "max_size": 5, "timeout": 2.5}


def test_telemetry_enabled_false_turns_spans_off_once_django_is_set_up():
    code = (
        "import django; django.setup(); "
        "from trading_strategy.observability import telemetry; print(telemetry.enabled())"
    )

    assert start(code, TELEMETRY_ENABLED="false").stdout.strip() == "False"
    assert start(code).stdout.strip() == "True"
