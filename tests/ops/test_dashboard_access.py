"""Who may see the admin dashboard: admins only, everyone else a 404, and /dev/dashboard
only while DEBUG is on."""

import asyncio
import importlib
import json
import sys
import types

import pytest
from django.test import AsyncClient
from django.urls import URLPattern, URLResolver, include, path

from trading_strategy.accounts.models import User
from trading_strategy.ops import access, history
from trading_strategy.ops import urls as dashboard_urls

pytestmark = pytest.mark.usefixtures("quiet_dashboard")

# Every dashboard route by name, with what an admin gets from the test client (a WSGI
# handler, where the event stream refuses to hold a thread). A route missing here fails
# test_the_url_list_covers_every_dashboard_route.
DASHBOARD_URLS = {
    "home": 200,
    "home-live": 200,
    "metrics": 200,
    "metrics-json": 200,
    "metrics-events": 501,
    "requests": 200,
    "requests-live": 200,
    "strategies": 200,
    "strategies-live": 200,
    "sessions": 200,
    "sessions-live": 200,
    "unlock": 405,  # POST only
}


def flatten(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from flatten(entry.url_patterns, inner)
        else:
            assert isinstance(entry, URLPattern)
            yield namespace + entry.name


def test_the_url_list_covers_every_dashboard_route():
    names = set(flatten(dashboard_urls.urlpatterns))
    assert names == {f"dashboard:{name}" for name in DASHBOARD_URLS}


@pytest.mark.django_db
@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_anonymous_gets_404(client, name, dashboard_url):
    response = client.get(dashboard_url(name))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_trader_gets_404(client, trader, name, dashboard_url):
    client.force_login(trader)
    response = client.get(dashboard_url(name))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_admin_gets_the_page(admin_client, name, dashboard_url):
    response = admin_client.get(dashboard_url(name))
    assert response.status_code == DASHBOARD_URLS[name]
    if response.status_code == 200:
        assert "no-cache" in response["Cache-Control"]


def test_a_trader_with_the_old_staff_flags_is_still_refused(client, db, dashboard_url):
    user = User.objects.create_user("super@example.com", "correct horse battery", is_superuser=True)
    client.force_login(user)
    assert client.get(dashboard_url("home")).status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [None, "trader"])
def test_event_stream_is_404_for_non_admins_under_asgi(role, dashboard_url):
    async def scenario():
        client = AsyncClient()
        if role:
            user = await User.objects.acreate(email=f"{role}@example.com", role=role)
            await client.aforce_login(user)
        response = await client.get(dashboard_url("metrics-events"))
        assert response.status_code == 404

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_event_stream_sends_metrics_to_an_admin_under_asgi(dashboard_url):
    async def scenario():
        user = await User.objects.acreate(email="admin@example.com", role="admin")
        client = AsyncClient()
        await client.aforce_login(user)
        response = await client.get(dashboard_url("metrics-events"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        chunks = aiter(response.streaming_content)
        first = await asyncio.wait_for(anext(chunks), 5)
        assert (first.decode() if isinstance(first, bytes) else first).startswith("retry:")
        second = await asyncio.wait_for(anext(chunks), 5)
        second = second.decode() if isinstance(second, bytes) else second
        assert second.startswith("event: metrics\ndata: ")
        payload = json.loads(second.removeprefix("event: metrics\ndata: ").strip())
        assert [chart["id"] for chart in payload["charts"]] == [c.id for c in history.CHARTS]
        await chunks.aclose()

    asyncio.run(scenario())


def dev_urlconf():
    module = types.ModuleType("dashboard_dev_test_urls")
    from trading_strategy import urls

    # The whole site (pages link to it) plus the dev mount, as DEBUG would have built it.
    module.urlpatterns = [
        *urls.urlpatterns,
        path(
            "", include((dashboard_urls.routes("dev/dashboard"), "dashboard"), namespace=access.DEV_NAMESPACE)
        ),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def test_dev_dashboard_does_not_exist_without_debug(admin_client):
    assert admin_client.get("/dev/dashboard").status_code == 404
    assert not any(name.startswith("dev-dashboard:") for name in flatten(dashboard_urls.urlpatterns))


def test_dev_dashboard_is_mounted_with_debug_on(settings):
    settings.DEBUG = True
    try:
        importlib.reload(dashboard_urls)
        names = set(flatten(dashboard_urls.urlpatterns))
    finally:
        settings.DEBUG = False
        importlib.reload(dashboard_urls)
    assert names == (
        {f"dashboard:{name}" for name in DASHBOARD_URLS}
        | {f"dev-dashboard:{name}" for name in DASHBOARD_URLS}
    )


@pytest.mark.parametrize("name", DASHBOARD_URLS)
def test_dev_dashboard_with_debug_on_is_admin_only(settings, client, admin, trader, name, dashboard_url):
    settings.DEBUG = True
    settings.ROOT_URLCONF = dev_urlconf()
    url = dashboard_url(name, "dev/dashboard")
    assert client.get(url).status_code == 404
    client.force_login(trader)
    assert client.get(url).status_code == 404
    client.force_login(admin)
    assert client.get(url).status_code == DASHBOARD_URLS[name]


def test_dev_routes_refuse_even_admins_once_debug_is_off(settings, admin_client):
    # Defence in depth: a dev route mounted while DEBUG was on answers 404 after it is off.
    settings.ROOT_URLCONF = dev_urlconf()
    settings.DEBUG = False
    assert admin_client.get("/dev/dashboard").status_code == 404
    assert admin_client.get("/admin/dashboard").status_code == 200


def test_dev_pages_link_within_the_dev_mount(settings, admin_client):
    settings.DEBUG = True
    settings.ROOT_URLCONF = dev_urlconf()
    page = admin_client.get("/dev/dashboard").content.decode()
    assert 'href="/dev/dashboard/metrics"' in page
    assert 'hx-get="/dev/dashboard/live"' in page
