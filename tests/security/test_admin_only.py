"""The operations dashboard exists only for admins: everyone else, signed in or not, gets
the same 404 as for a page that does not exist, on every page, partial and stream."""

from __future__ import annotations

import asyncio
import re

import pytest
from django.test import AsyncClient, Client

from trading_strategy.ops import urls as dashboard_urls

from .conftest import signed_in

ROUTES = ["/" + str(pattern.pattern) for pattern in dashboard_urls.routes("admin/dashboard")]
DEV_ROUTES = ["/" + str(pattern.pattern) for pattern in dashboard_urls.routes("dev/dashboard")]


def test_every_dashboard_route_is_checked_here():
    mounted = {"/" + route for route, name, _ in _site_routes() if name.startswith("dashboard:")}
    assert mounted == set(ROUTES)


def _site_routes():
    from .test_isolation import url_patterns

    return url_patterns()


def without_csrf(response) -> str:
    # The log-out form in the header carries a CSRF token masked afresh on every page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("path", ROUTES)
def test_anonymous_visitors_and_traders_get_a_plain_404(path, quiet_dashboard, alice, admin):
    for client in (Client(), signed_in(alice)):
        response = client.get(path, headers={"HX-Request": "true"})
        assert response.status_code == 404
        assert without_csrf(response) == without_csrf(client.get("/admin/no-such-page"))
    assert signed_in(admin).get(path).status_code != 404


@pytest.mark.parametrize("path", ROUTES)
def test_a_trader_cannot_reach_the_dashboard_with_other_methods(path, quiet_dashboard, alice):
    client = signed_in(alice)

    assert {client.generic(method, path).status_code for method in ("POST", "HEAD")} == {404}


@pytest.mark.parametrize("path", DEV_ROUTES)
def test_the_development_mount_does_not_exist_in_production(path, quiet_dashboard, admin):
    assert signed_in(admin).get(path).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_metrics_stream_refuses_a_trader_under_asgi(quiet_dashboard, alice):
    async def scenario():
        client = AsyncClient()
        await client.aforce_login(alice)
        return await client.get("/admin/dashboard/metrics/events")

    assert asyncio.run(scenario()).status_code == 404
