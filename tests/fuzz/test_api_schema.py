"""Schemathesis drives every operation of /api/v1/openapi.json with generated requests,
signed with a valid token: no request makes the server fail, and every answer is one the
document promises (status, content type, headers and body schema)."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance

from trading_strategy.accounts.models import ApiToken, User
from trading_strategy.api.api import api
from trading_strategy.strategies import lifecycle
from trading_strategy.wsgi import application

from ..documents import strategy_document


@pytest.fixture
def api_schema(db, settings):
    # Generated requests call validate far more often than a person would.
    settings.API_VALIDATE_RATE = 1_000_000
    # As Django's test client does: the WSGI handler would otherwise close the test's
    # connection (and its transaction) at the end of each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(db):
    """A trader with strategies in every status, so small generated ids find some."""
    trader = User.objects.create_user("fuzz@example.com", "correct horse battery")
    strategies = [lifecycle.create(trader, strategy_document(f"Fuzzed {n}"), "yaml") for n in range(4)]
    lifecycle.save(
        trader, strategies[0], strategy_document("Fuzzed 0") + "# v2\n", "yaml", strategies[0].lock_version
    )
    active = lifecycle.activate(trader, strategies[1])
    lifecycle.deactivate(trader, lifecycle.activate(trader, strategies[2]))
    lifecycle.archive(trader, strategies[3])
    assert active.status == "active"
    return ApiToken.issue(trader, "fuzzer")[1]


# Not checked: that a schema-valid body is accepted. A strategy document is a string to
# the schema and a language to the validator, so a schema-valid request is still a
# documented 422 when its document breaks the language's rules.
def operations():
    """Every operation in the document, read from django-ninja without a request."""
    return [
        pytest.param(path, method, id=f"{method.upper()} {path}")
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    ]


# schemathesis.pytest.from_fixture does not run under pytest 9 (it rewrites a node id
# attribute pytest removed), so each operation gets its own Hypothesis test here.
@pytest.mark.parametrize("path, method", operations())
def test_no_generated_request_breaks_the_api_or_its_contract(path, method, api_schema, token):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=20,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_within_the_contract(case):
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
        )

    answers_within_the_contract()
