"""Strategy routes: parse, call the lifecycle or an owner-scoped queryset, render."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Query, Router, Status

from trading_strategy.dsl import result_json, summarize
from trading_strategy.strategies import checks, lifecycle
from trading_strategy.strategies.diff import diff_rows, diff_text
from trading_strategy.strategies.models import MAX_ID, MAX_NUMBER, Strategy, StrategyVersion

from .auth import SaveRate, ValidationRate
from .errors import ApiError
from .schemas import (
    ALWAYS,
    BODY,
    CHANGE,
    FOUND,
    CheckOut,
    DiffOut,
    DocumentIn,
    DocumentUpdateIn,
    Error,
    LockVersionIn,
    StrategyFilters,
    StrategyOut,
    StrategyPage,
    VersionOut,
    VersionSummary,
)

router = Router(tags=["strategies"])

StrategyId = Annotated[int, Path(ge=1, le=MAX_ID)]
VersionNumber = Annotated[int, Path(ge=1, le=MAX_NUMBER)]


def owned_strategy(request, strategy_id: int) -> Strategy:
    try:
        return Strategy.objects.owned_by(request.auth).get(pk=strategy_id)
    except Strategy.DoesNotExist:
        raise ApiError(404, "strategy.not_found", "No such strategy.") from None


def _version(strategy: Strategy, number: int) -> StrategyVersion:
    try:
        return strategy.versions.select_related("author").get(number=number)
    except StrategyVersion.DoesNotExist:
        raise ApiError(404, "version.not_found", f"This strategy has no version {number}.") from None


CHECK = {200: CheckOut} | ALWAYS | BODY | {429: Error}


# validate and syntax-test come before /strategies/{strategy_id}, which would match them.
@router.post(
    "/strategies/validate",
    response=CHECK,
    throttle=ValidationRate(),
    summary="Validate a document without saving it",
)
def validate_document(request, payload: DocumentIn):
    # Both routes answer in the CLI's shape (CheckOut leaves out its file path), summary
    # included; they differ in the question the client asks, so the metrics can tell.
    report = checks.validate(payload.document, payload.format, "api")
    return result_json("", payload.format, report, summarize(report))


@router.post(
    "/strategies/syntax-test",
    response=CHECK,
    throttle=ValidationRate(),
    summary="Test syntax: validate and explain what the strategy will do",
)
def syntax_test(request, payload: DocumentIn):
    report, summary = checks.syntax_test(payload.document, payload.format, "api")
    return result_json("", payload.format, report, summary)


@router.get(
    "/strategies",
    response={200: StrategyPage} | ALWAYS,
    summary="List your strategies, most recently updated first",
)
def list_strategies(request, filters: Query[StrategyFilters]):
    found = (
        Strategy.objects.owned_by(request.auth)
        .search(filters.q, filters.status or "")
        .order_by("-updated_at", "-id")
    )
    start = (filters.page - 1) * filters.page_size
    return {
        "items": found[start : start + filters.page_size],
        "total": found.count(),
        "page": filters.page,
        "page_size": filters.page_size,
    }


@router.post(
    "/strategies",
    response={201: StrategyOut} | ALWAYS | BODY | {429: Error},
    throttle=SaveRate(),
    summary="Create a strategy from a document",
)
def create_strategy(request, payload: DocumentIn):
    return Status(201, lifecycle.create(request.auth, payload.document, payload.format))


@router.get("/strategies/{strategy_id}", response={200: StrategyOut} | ALWAYS | FOUND)
def get_strategy(request, strategy_id: StrategyId):
    return owned_strategy(request, strategy_id)


@router.put(
    "/strategies/{strategy_id}",
    response={200: StrategyOut} | ALWAYS | FOUND | BODY | CHANGE | {429: Error},
    throttle=SaveRate(),
    summary="Save a new document (409 strategy.conflict if it changed meanwhile)",
)
def update_strategy(request, strategy_id: StrategyId, payload: DocumentUpdateIn):
    return lifecycle.save(
        request.auth,
        owned_strategy(request, strategy_id),
        payload.document,
        payload.format,
        payload.lock_version,
    )


@router.delete(
    "/strategies/{strategy_id}", response={204: None} | ALWAYS | FOUND | CHANGE, summary="Delete a draft"
)
def delete_strategy(request, strategy_id: StrategyId):
    lifecycle.delete(request.auth, owned_strategy(request, strategy_id))
    return Status(204, None)


STATUS_CHANGE = {200: StrategyOut} | ALWAYS | FOUND | CHANGE


@router.post(
    "/strategies/{strategy_id}/activate",
    response=STATUS_CHANGE,
    summary="Activate (422 strategy.invalid with diagnostics if it has errors)",
)
def activate_strategy(request, strategy_id: StrategyId):
    return lifecycle.activate(request.auth, owned_strategy(request, strategy_id))


@router.post("/strategies/{strategy_id}/deactivate", response=STATUS_CHANGE)
def deactivate_strategy(request, strategy_id: StrategyId):
    return lifecycle.deactivate(request.auth, owned_strategy(request, strategy_id))


@router.post("/strategies/{strategy_id}/archive", response=STATUS_CHANGE)
def archive_strategy(request, strategy_id: StrategyId):
    return lifecycle.archive(request.auth, owned_strategy(request, strategy_id))


@router.post(
    "/strategies/{strategy_id}/restore",
    response=STATUS_CHANGE,
    summary="Bring an archived strategy back as inactive",
)
def restore_strategy(request, strategy_id: StrategyId):
    return lifecycle.restore(request.auth, owned_strategy(request, strategy_id))


@router.post(
    "/strategies/{strategy_id}/duplicate",
    response={201: StrategyOut} | ALWAYS | FOUND,
    summary="Copy the strategy as a new draft named '<name> - Copy'",
)
def duplicate_strategy(request, strategy_id: StrategyId):
    return Status(201, lifecycle.duplicate(request.auth, owned_strategy(request, strategy_id)))


@router.get(
    "/strategies/{strategy_id}/versions",
    response={200: list[VersionSummary]} | ALWAYS | FOUND,
    summary="Saved versions, newest first",
)
def list_versions(request, strategy_id: StrategyId):
    return owned_strategy(request, strategy_id).versions.select_related("author")


@router.get("/strategies/{strategy_id}/versions/{number}", response={200: VersionOut} | ALWAYS | FOUND)
def get_version(request, strategy_id: StrategyId, number: VersionNumber):
    return _version(owned_strategy(request, strategy_id), number)


@router.get(
    "/strategies/{strategy_id}/versions/{a}/diff/{b}",
    response={200: DiffOut} | ALWAYS | FOUND,
    summary="What changed from version a to version b",
)
def diff_versions(request, strategy_id: StrategyId, a: VersionNumber, b: VersionNumber):
    strategy = owned_strategy(request, strategy_id)
    old, new = _version(strategy, a), _version(strategy, b)
    return {
        "from_version": a,
        "to_version": b,
        "rows": diff_rows(old.document, new.document),
        "text": diff_text(old.document, new.document, f"version {a}", f"version {b}"),
    }


@router.post(
    "/strategies/{strategy_id}/versions/{number}/restore",
    response={200: StrategyOut} | ALWAYS | FOUND | BODY | CHANGE,
    summary="Make an old version current again, as a new version",
)
def restore_version(request, strategy_id: StrategyId, number: VersionNumber, payload: LockVersionIn):
    strategy = owned_strategy(request, strategy_id)
    _version(strategy, number)
    return lifecycle.restore_version(request.auth, strategy, number, payload.lock_version)
