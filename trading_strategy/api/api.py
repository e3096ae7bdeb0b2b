"""The NinjaAPI instance mounted at /api/v1/ (spec at /api/v1/openapi.json)."""

from ninja import NinjaAPI

from . import datasets, previews, strategies
from .auth import BearerToken, JsonBody
from .errors import install_handlers

# Strategies are at most 256 KiB; twice that leaves room for JSON escapes.
BODY_LIMIT = 512 * 1024

api = NinjaAPI(
    title="trading-strategy",
    version="1",
    description="Strategies, their versions, validation, and previews on price datasets. Every route takes "
    "`Authorization: Bearer <token>`; errors are `{code, message, hint}`.",
    urls_namespace="api",
    auth=BearerToken(),
    parser=JsonBody(BODY_LIMIT),
    # The Swagger page loads its scripts from a CDN, which this product does not use.
    docs_url=None,
)
install_handlers(api, BODY_LIMIT)
# Previews first: POST /strategies/preview would otherwise reach /strategies/{strategy_id}.
api.add_router("", previews.router)
api.add_router("", strategies.router)
api.add_router("", datasets.router)
