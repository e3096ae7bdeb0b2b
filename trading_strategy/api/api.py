"""The NinjaAPI instance mounted at /api/v1/ (spec at /api/v1/openapi.json)."""

from ninja import NinjaAPI

from .auth import BearerToken, JsonBody
from .errors import install_handlers
from .strategies import router

# Strategies are at most 256 KiB; twice that leaves room for JSON escapes.
BODY_LIMIT = 512 * 1024

api = NinjaAPI(
    title="trading-strategy",
    version="1",
    description="Strategies, their versions and validation. Every route takes "
    "`Authorization: Bearer <token>`; errors are `{code, message, hint}`.",
    urls_namespace="api",
    auth=BearerToken(),
    parser=JsonBody(BODY_LIMIT),
    # The Swagger page loads its scripts from a CDN, which this product does not use.
    docs_url=None,
)
install_handlers(api, BODY_LIMIT)
api.add_router("", router)
