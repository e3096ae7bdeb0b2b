"""Fixtures for the dashboard's tests: an admin, a trader, and a dashboard without its
background thread."""
import pytest

from trading_strategy.accounts.models import User
from trading_strategy.observability import dashboard_history, dashboard_urls, dashboard_workers


@pytest.fixture
def quiet_dashboard(settings, tmp_path):
    """No background thread in tests: each test samples and beats when it wants to."""
    settings.DASHBOARD_BACKGROUND = False
    settings.DASHBOARD_RUN_DIR = str(tmp_path / "run")
    state = dashboard_workers.worker()
    with state.lock:
        state.requests.clear()
        state.operations.clear()
    dashboard_history.history.clear()
    yield
    dashboard_history.history.clear()


@pytest.fixture
def admin(db):
    return User.objects.create_user("admin@example.com", "correct horse battery", role="admin")


@pytest.fixture
def trader(db):
    return User.objects.create_user("trader@example.com", "correct horse battery")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def dashboard_url():
    """The path of a dashboard route by name, under either mount."""
    def url(name, prefix="admin/dashboard"):
        for pattern in dashboard_urls.routes(prefix):
            if pattern.name == name:
                return "/" + str(pattern.pattern)
        raise KeyError(name)
    return url
