"""Preview routes: what a document, or a stored strategy, does on a dataset or a sample.

A preview validates and runs the strategy over thousands of bars, so it spends the same
per-token budget as validation (auth.ValidationRate).
"""

from __future__ import annotations

from ninja import Query, Router

from trading_strategy.strategies import previews

from .auth import ValidationRate
from .errors import ApiError
from .schemas import ALWAYS, BODY, FOUND, Error, PreviewIn, PreviewOut, PreviewRange
from .strategies import StrategyId, owned_strategy

router = Router(tags=["strategies"])

PREVIEW = {200: PreviewOut} | ALWAYS | FOUND | {429: Error}


def _results(request, document: str, fmt: str, ref: str, choice: PreviewRange) -> dict:
    try:
        shown = previews.show(request.auth, document, fmt, ref, "api", choice.start, choice.end)
    except previews.DataNotFound:
        raise ApiError(
            404,
            "data.not_found",
            "No such dataset.",
            "Name a sample as sample:<name> (GET /api/v1/datasets/samples) or one of your dataset ids.",
        ) from None
    if not shown.ran:
        errors = shown.outcome.report.errors
        raise ApiError(
            422,
            "strategy.invalid",
            f"This strategy has {len(errors)} error(s); a preview needs a valid document.",
            "Fix the diagnostics; POST /api/v1/strategies/validate checks a document.",
            diagnostics=[d.as_dict() for d in errors],
        )
    return shown.results()


@router.post(
    "/strategies/preview",
    response=PREVIEW | BODY,
    throttle=ValidationRate(),
    summary="Preview a document: its signals and trades on a dataset or a sample "
    "(422 strategy.invalid with diagnostics if it has errors)",
)
def preview_document(request, payload: PreviewIn):
    ref = payload.data or previews.default_ref_for(payload.document, payload.format)
    return _results(request, payload.document, payload.format, ref, payload)


@router.get(
    "/strategies/{strategy_id}/preview",
    response=PREVIEW,
    throttle=ValidationRate(),
    summary="Preview a stored strategy's current version",
)
def preview_strategy(request, strategy_id: StrategyId, choice: Query[PreviewRange]):
    strategy = owned_strategy(request, strategy_id)
    ref = choice.data or previews.default_ref(strategy.trading_pair, strategy.timeframe)
    return _results(request, strategy.document, strategy.format, ref, choice)
