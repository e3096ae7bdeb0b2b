"""Bearer tokens, and the per-token budget of validations."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.cache import cache
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from trading_strategy.accounts.models import ApiToken, hash_token

from .errors import ApiError, too_large

WINDOW_SECONDS = 60


class BearerToken(HttpBearer):
    """Tokens only: a session cookie never authenticates, so CSRF has nothing to protect."""

    def authenticate(self, request, token: str):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            # The rate limit counts per token, and must not keep the raw value around.
            request.api_token_key = hash_token(token)
        return user


class ValidationRate(BaseThrottle):
    """A fixed one-minute window per token, at settings.API_VALIDATE_RATE requests, one
    budget for validate, syntax-test and the previews.

    A burst across a window's edge can reach twice the rate; for a validator that is
    harmless, and one counter per token is all the cache holds.
    """

    def allow_request(self, request) -> bool:
        window = int(time.time()) // WINDOW_SECONDS
        key = f"api:validate:{request.api_token_key}:{window}"
        # Kept past the window's end so the key cannot expire between add and incr.
        cache.add(key, 0, timeout=2 * WINDOW_SECONDS)
        return cache.incr(key) <= settings.API_VALIDATE_RATE

    def wait(self) -> float:
        return WINDOW_SECONDS - time.time() % WINDOW_SECONDS


class JsonBody(Parser):
    def __init__(self, limit: int):
        self.limit = limit

    def parse_body(self, request):
        if len(request.body) > self.limit:
            raise too_large(self.limit)
        try:
            return json.loads(request.body)
        # RecursionError: deeply nested arrays are still a malformed request.
        except (ValueError, RecursionError) as error:
            raise ApiError(
                400, "request.malformed", "The request body is not valid JSON.", str(error)[:200]
            ) from error
