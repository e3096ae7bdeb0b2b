"""WSGI entry point, for hosts that cannot run ASGI; live updates need the ASGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trading_strategy.settings")

application = get_wsgi_application()
