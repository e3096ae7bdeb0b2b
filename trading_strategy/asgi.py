"""ASGI entry point; gunicorn's uvicorn workers serve `application` (see `trading-strategy serve`)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trading_strategy.settings")

application = get_asgi_application()
