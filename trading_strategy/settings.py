"""Django settings: wiring only, every deployment choice comes from the environment.

Each variable is read here, through trading_strategy.env (one parser, one set of boolean
words, an error naming the variable for a bad value). `.env.example` lists every variable
with its default and meaning; the README's Environment table repeats it (a test keeps the
three in step).
"""

import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from trading_strategy.database_url import database_config, sqlite_config
from trading_strategy.env import env_bool, env_float, env_int, env_list, env_str
from trading_strategy.observability.logging import logging_settings

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TRADING_STRATEGY_DATA_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A missing key in production would sign sessions with a value anyone can read here.
        raise ImproperlyConfigured("Set SECRET_KEY, or DEBUG=true for local development.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])

# Off by default: local development and the tests serve plain HTTP.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if HTTPS else 0
FORWARDED_PROTO_HEADER = env_str("FORWARDED_PROTO_HEADER")
if FORWARDED_PROTO_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + FORWARDED_PROTO_HEADER.upper().replace("-", "_"), "https")
# Plain HTTP is sent to HTTPS; behind a TLS-terminating proxy a request is plain only when
# the proxy's header says so. Health probes stay answerable over plain HTTP, as monitors
# on the host call them.
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^health(/|$)"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "trading_strategy.accounts",
    "trading_strategy.strategies",
    "trading_strategy.datasets",
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
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/users/log-in"
LOGIN_REDIRECT_URL = "/strategies"
LOGOUT_REDIRECT_URL = "/users/log-in"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Per e-mail and address: a stranger's failures lock that e-mail from the stranger's
# address only (accounts/lockout.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "trading_strategy.headers.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "trading_strategy.accounts.lockout.username_for_lockout"
AXES_LOCKOUT_CALLABLE = "trading_strategy.accounts.lockout.lockout_response"
# A refused attempt is not recorded, so it cannot extend a lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failed log-ins from one address, whatever the e-mail, before it is refused until the
# cool-off window ends: against trying one password on many accounts.
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 20)
AXES_VERBOSE = False

EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif DEBUG:
    # Development: the whole e-mail, reset links included, on standard output.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # Nowhere to send it, and a printed reset link would be readable in the logs.
    EMAIL_BACKEND = "trading_strategy.accounts.email_backends.UnsentEmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "trading-strategy@localhost")

# Budgets a minute, counted in the shared cache below (budgets.py).
API_VALIDATE_RATE = env_int("API_VALIDATE_RATE", 60)
STRATEGY_SAVE_RATE = env_int("STRATEGY_SAVE_RATE", 60)
EDITOR_LIVE_RATE = env_int("EDITOR_LIVE_RATE", 300)

MIDDLEWARE = [
    # First, so that the request metrics time every other middleware too and every line
    # logged while a request is served carries its request_id.
    "trading_strategy.observability.request_pipeline.RequestPipelineMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "trading_strategy.headers.ContentSecurityPolicyMiddleware",
    # Static files straight from the app folders, also under gunicorn without DEBUG.
    "trading_strategy.static_files.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The gunicorn master reads DEBUG, LOG_FORMAT and LOG_LEVEL the same way, without these
# settings (observability/logging.py: logging_from_environment).
LOG_FORMAT = env_str("LOG_FORMAT", "console" if DEBUG else "json")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = logging_settings(LOG_FORMAT, LOG_LEVEL)

MEMORY_LIMIT_BYTES = env_int("MEMORY_LIMIT_BYTES", 2_147_483_648)  # 2 GiB
HEALTH_CHECK_TIMEOUT_SECONDS = env_float("HEALTH_CHECK_TIMEOUT_SECONDS", 2.0)


def _networks(text: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()]
    except ValueError as error:
        raise ImproperlyConfigured(f"HEALTH_DETAILS_NETWORKS: {error}") from None


# The network the monitoring runs in. Matched against the connecting address: behind a
# reverse proxy on the same host every caller comes from the proxy, so list the proxy's
# address only if the proxy does not forward /health from outside.
HEALTH_DETAILS_NETWORKS = _networks(env_str("HEALTH_DETAILS_NETWORKS", ""))

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

DATABASE_URL = env_str("DATABASE_URL")
# PostgreSQL only: Django's psycopg pool lends connections across requests. Every thread
# that touches the database (request threads, the health check, pollers) borrows one, so
# the pool is sized above psycopg's default of four.
DB_POOL = {
    "min_size": env_int("DB_POOL_MIN_SIZE", 2),
    "max_size": env_int("DB_POOL_MAX_SIZE", 20),
    # Seconds a request waits for a free connection before failing.
    "timeout": env_float("DB_POOL_TIMEOUT", 10.0),
}
DATABASES = {
    "default": database_config(DATABASE_URL, pool=DB_POOL)
    if DATABASE_URL
    else sqlite_config(DATA_DIR / "db.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "trading_strategy" / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# When set, strategy events cross processes through Redis pub/sub (strategies/events.py).
REDIS_URL = env_str("REDIS_URL")

# The cache holds the rate limits' counts, which every worker must see alike: Redis when
# there is one, else files in the data directory that every process on this machine shares
# (cheaper than the database cache: bench/cache_bench.py).
CACHES: dict[str, dict[str, object]] = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "trading_strategy.file_cache.SharedFileCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    }
}

# False turns spans into no-ops and stops the HTTP and database measurements: it exists to
# measure the instrumentation's own cost (bench/observability_bench.py).
TELEMETRY_ENABLED = env_bool("TELEMETRY_ENABLED", True)
# TEST ONLY: seconds every Test syntax sleeps inside its span, so that the monitoring
# end-to-end test can watch the SlowSyntaxTest alert fire on a real server. Never set it
# in production.
TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS = env_float("TEST_ONLY_SYNTAX_TEST_DELAY_SECONDS", 0.0)
