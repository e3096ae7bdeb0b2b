"""Who may see the dashboard: admins only. Everyone else, anonymous included, gets a 404,
so the dashboard's existence is not confirmed to them; /dev/dashboard is a 404 for
everyone whenever DEBUG is off."""

from __future__ import annotations

import functools

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import Http404
from django.utils.cache import add_never_cache_headers

ADMIN_NAMESPACE = "dashboard"
DEV_NAMESPACE = "dev-dashboard"


def _allowed(request, user) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and match.namespace == DEV_NAMESPACE and not settings.DEBUG:
        return False
    return bool(user.is_authenticated and getattr(user, "is_admin", False))


def admin_only(view):
    """404 for everyone but admins (and for /dev/dashboard whenever DEBUG is off)."""
    if iscoroutinefunction(view):

        @functools.wraps(view)
        async def async_wrapper(request, *args, **kwargs):
            if not _allowed(request, await request.auser()):
                raise Http404("No such page.")
            response = await view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response

        return markcoroutinefunction(async_wrapper)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _allowed(request, request.user):
            raise Http404("No such page.")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper
