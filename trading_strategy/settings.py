"""Django settings: wiring only, every deployment choice comes from the environment.

DEBUG            "true" for local development; off unless set.
SECRET_KEY       required when DEBUG is off; development gets a fixed, public key.
ALLOWED_HOSTS    comma-separated; defaults to the loopback names.
HTTPS            "true" when users reach the site over TLS: session and CSRF cookies are
                 sent over HTTPS only, and responses to HTTPS requests carry HSTS.
HSTS_SECONDS     the HSTS max-age with HTTPS on (default 31536000, a year; 0 sends none).
FORWARDED_PROTO_HEADER  behind a TLS-terminating proxy, the header it sets to "https"
                 (e.g. X-Forwarded-Proto); set it only if the proxy always overwrites it.
DATABASE_URL     sqlite:///... or postgres://...; defaults to SQLite in the data directory.
TRADING_STRATEGY_DATA_DIR  where the default SQLite file lives; defaults to var/ in the project root.
REDIS_URL        when set, strategy events cross processes through Redis pub/sub.
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
                 SMTP for password reset e-mails; without EMAIL_HOST they go to the console.
AXES_FAILURE_LIMIT, AXES_COOLOFF_MINUTES   login lockout (default 5 failures, 15 minutes).
API_VALIDATE_RATE  validations per minute per API token (default 60).
LOG_FORMAT       "json" (one JSON object per line) or "console" (readable); json unless DEBUG.
LOG_LEVEL        DEBUG, INFO, WARNING, ERROR or CRITICAL (default INFO).
MEMORY_LIMIT_BYTES  a worker above this resident size fails /health (default 2 GiB).
HEALTH_CHECK_TIMEOUT_SECONDS  how long /health and /health/ready wait for the database (default 2).
HEALTH_DETAILS_NETWORKS  comma-separated networks (10.0.0.0/8, 192.168.1.5) whose callers get
                 the health checks' details without signing in; none unless set.
"""

import ipaddress
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from trading_strategy.database_url import database_config, sqlite_config
from trading_strategy.observability.logging import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TRADING_STRATEGY_DATA_DIR") or BASE_DIR / "var")

DEBUG = os.environ.get("DEBUG", "").lower() in {"1", "true", "yes", "on"}

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        # A missing key in production would sign sessions with a value anyone can read here.
        raise ImproperlyConfigured("Set SECRET_KEY, or DEBUG=true for local development.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = [
    host.strip() for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if host.strip()
]

# Off by default: local development and the tests serve plain HTTP.
HTTPS = os.environ.get("HTTPS", "").lower() in {"1", "true", "yes", "on"}
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
if os.environ.get("FORWARDED_PROTO_HEADER"):
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + os.environ["FORWARDED_PROTO_HEADER"].upper().replace("-", "_"), "https")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "trading_strategy.accounts",
    "trading_strategy.strategies",
    "trading_strategy.observability",
    "trading_strategy.ops",
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out login is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "trading_strategy.accounts.hashers.OneLaneArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/users/log-in"
LOGIN_REDIRECT_URL = "/strategies"
LOGOUT_REDIRECT_URL = "/users/log-in"

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "trading_strategy.accounts.lockout.username_for_lockout"
AXES_LOCKOUT_CALLABLE = "trading_strategy.accounts.lockout.lockout_response"
# Every refused attempt restarts the cool-off; the lockout page's retry time relies on it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_VERBOSE = False

EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() in {"1", "true", "yes"}
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "trading-strategy@localhost")

API_VALIDATE_RATE = int(os.environ.get("API_VALIDATE_RATE", "60"))

MIDDLEWARE = [
    # First, so that the request metrics time every other middleware too and every line
    # logged while a request is served carries its request_id.
    "trading_strategy.observability.request_pipeline.RequestPipelineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "trading_strategy.headers.ContentSecurityPolicyMiddleware",
    # Static files straight from the app folders, also under gunicorn without DEBUG.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

LOG_FORMAT = os.environ.get("LOG_FORMAT") or ("console" if DEBUG else "json")
LOG_LEVEL = os.environ.get("LOG_LEVEL") or "INFO"
LOGGING = logging_settings(LOG_FORMAT, LOG_LEVEL)

MEMORY_LIMIT_BYTES = int(os.environ.get("MEMORY_LIMIT_BYTES", str(2 * 1024**3)))
HEALTH_CHECK_TIMEOUT_SECONDS = float(os.environ.get("HEALTH_CHECK_TIMEOUT_SECONDS", "2"))


def _networks(text: str) -> list:
    try:
        return [ipaddress.ip_network(item.strip(), strict=False)
                for item in text.split(",") if item.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"HEALTH_DETAILS_NETWORKS: {error}") from None


# The network the monitoring runs in. Matched against the connecting address: behind a
# reverse proxy on the same host every caller comes from the proxy, so list the proxy's
# address only if the proxy does not forward /health from outside.
HEALTH_DETAILS_NETWORKS = _networks(os.environ.get("HEALTH_DETAILS_NETWORKS", ""))

ROOT_URLCONF = "trading_strategy.urls"
WSGI_APPLICATION = "trading_strategy.wsgi.application"
ASGI_APPLICATION = "trading_strategy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trading_strategy" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL")
DATABASES = {"default": database_config(DATABASE_URL) if DATABASE_URL else sqlite_config(DATA_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "trading_strategy" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
