"""Bearer tokens, and the per-token budget of validations."""

from __future__ import annotations

import json

from django.conf import settings
from ninja.parser import Parser
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from trading_strategy.accounts.models import ApiToken, hash_token
from trading_strategy.budgets import MINUTE, seconds_left, spend, spend_save

from .errors import ApiError, too_large


class BearerToken(HttpBearer):
    """Tokens only: a session cookie never authenticates, so CSRF has nothing to protect."""

    def authenticate(self, request, token: str):
        user = ApiToken.objects.authenticate(token)
        if user is not None:
            # The rate limit counts per token, and must not keep the raw value around.
            request.api_token_key = hash_token(token)
        return user


class Budget(BaseThrottle):
    """A per-minute budget counted in the cache every worker shares (see budgets.py)."""

    scope = ""

    def allow_request(self, request) -> bool:
        if self.spend(request) is None:
            return True
        # For the 429's message: which budget ran out.
        request.budget_spent = self.scope
        return False

    def spend(self, request) -> int | None:
        raise NotImplementedError

    def wait(self) -> float:
        return seconds_left(MINUTE)


class ValidationRate(Budget):
    """Validations, syntax tests and previews per token: settings.API_VALIDATE_RATE a minute."""

    scope = "api-validate"

    def spend(self, request) -> int | None:
        return spend(self.scope, request.api_token_key, settings.API_VALIDATE_RATE)


class SaveRate(Budget):
    """Creates and updates per user, whichever token they use, shared with the editor."""

    scope = "strategy-save"

    def spend(self, request) -> int | None:
        return spend_save(request.auth.pk)


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
