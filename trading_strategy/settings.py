"""Django settings: wiring only, every deployment choice comes from the environment.

DEBUG            "true" for local development; off unless set.
SECRET_KEY       required when DEBUG is off; development gets a fixed, public key.
ALLOWED_HOSTS    comma-separated; defaults to the loopback names.
DATABASE_URL     sqlite:///... or postgres://...; defaults to SQLite in the data directory.
TRADING_STRATEGY_DATA_DIR  where the default SQLite file lives; defaults to var/ in the project root.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from trading_strategy.database_url import database_config, sqlite_config

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

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "trading_strategy.observability",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "trading_strategy.urls"
WSGI_APPLICATION = "trading_strategy.wsgi.application"
ASGI_APPLICATION = "trading_strategy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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
