"""Every failure as JSON {code, message, hint?, ...} with its 4xx status, never a 500."""

from __future__ import annotations

import structlog
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from trading_strategy.strategies.errors import LifecycleError

log = structlog.get_logger(__name__)


# What each budget (api/auth.py) counts, for the 429 that says it ran out.
RATE_LIMITED = {
    "api-validate": "Too many validations, syntax tests and previews for this token.",
    "strategy-save": "Too many creates and updates for this account.",
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, hint: str | None = None, **details):
        super().__init__(message)
        self.status, self.code, self.message, self.hint = status, code, message, hint
        # More fields of the answer, e.g. diagnostics.
        self.details = details

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "hint": self.hint, **self.details}


def too_large(limit: int) -> ApiError:
    return ApiError(
        413,
        "request.too_large",
        f"The request body is larger than {limit // 1024} KiB.",
        "Strategies are at most 256 KiB.",
    )


def install_handlers(api: NinjaAPI, body_limit: int):
    def respond(request, body: dict, status: int):
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def api_error(request, error: ApiError):
        return respond(request, error.as_dict(), error.status)

    @api.exception_handler(LifecycleError)
    def lifecycle_error(request, error: LifecycleError):
        return respond(request, error.as_dict(), error.http_status)

    @api.exception_handler(HttpError)
    def http_error(request, error: HttpError):
        # Ninja wraps whatever the body parser raises in a 400; the parser's own ApiError
        # (malformed or too large) is the cause and says which.
        if isinstance(error.__cause__, ApiError):
            return api_error(request, error.__cause__)
        return respond(request, {"code": "request.error", "message": str(error)}, error.status_code)

    @api.exception_handler(RequestDataTooBig)
    def beyond_django_limit(request, error: RequestDataTooBig):
        # Django refuses to even read a body above DATA_UPLOAD_MAX_MEMORY_SIZE.
        return api_error(request, too_large(body_limit))

    @api.exception_handler(ValidationError)
    def invalid_request(request, error: ValidationError):
        # Only loc, msg and type: pydantic's ctx may hold exception objects that are not JSON.
        details = [
            {"loc": list(item["loc"]), "message": item["msg"], "type": item["type"]} for item in error.errors
        ]
        return respond(
            request,
            {
                "code": "request.invalid",
                "message": "The request does not match the API.",
                "hint": "See details, and the schema at /api/v1/openapi.json.",
                "details": details,
            },
            422,
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, error: AuthenticationError):
        sent = "Authorization" in request.headers
        response = respond(
            request,
            {
                "code": "auth.invalid_token" if sent else "auth.required",
                "message": "This token is not valid." if sent else "An API token is required.",
                "hint": "Send Authorization: Bearer <token>; create one with "
                "`trading-strategy token create --email E`.",
            },
            401,
        )
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"' if sent else "Bearer"
        return response

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_unavailable(request, error: Exception):
        # The database is unreachable: a JSON 503 a client can retry, not an HTML 500 page.
        log.error("api.database_unavailable", error_type=type(error).__name__, error=str(error)[:300])
        response = respond(
            request,
            {
                "code": "service.unavailable",
                "message": "The database is unavailable right now.",
                "hint": "Try again in a moment.",
            },
            503,
        )
        response["Retry-After"] = "5"
        return response

    @api.exception_handler(Throttled)
    def rate_limited(request, error: Throttled):
        # Ninja adds Retry-After from the throttle's wait().
        return respond(
            request,
            {
                "code": "request.rate_limited",
                "message": RATE_LIMITED.get(getattr(request, "budget_spent", ""), "Too many requests."),
                "hint": "Wait for the time in Retry-After.",
            },
            429,
        )
