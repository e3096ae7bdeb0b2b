"""Request and response bodies, as the OpenAPI document shows them to clients."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict

from trading_strategy.strategies.models import MAX_NUMBER, Format, Status

ACTIONS = ("activate", "deactivate", "archive", "restore", "delete", "edit")


def _storable(text: str) -> str:
    # JSON can escape characters that no text column stores (NUL on PostgreSQL, unpaired
    # surrogates anywhere): refuse them as bad input instead of failing while saving.
    if "\x00" in text:
        raise ValueError("must not contain NUL characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must not contain unpaired surrogates") from None
    return text


Text = Annotated[str, AfterValidator(_storable)]


def _whole_number(value):
    # The schema says "integer", and to JSON Schema 2.0 is one: a number without a
    # fractional part is taken as the integer it is. Strings and booleans stay refused.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


LockVersion = Annotated[
    int,
    BeforeValidator(_whole_number),
    Field(
        strict=True, ge=1, le=MAX_NUMBER, description="The strategy's lock_version the change starts from."
    ),
]


class DocumentIn(Schema):
    document: Text = Field(
        description="The strategy text; name, description, pair and timeframe are read from it."
    )
    format: Format


class DocumentUpdateIn(DocumentIn):
    lock_version: LockVersion


class LockVersionIn(Schema):
    lock_version: LockVersion


class StrategyFilters(Schema):
    page: int = Field(1, ge=1, le=MAX_NUMBER)
    page_size: int = Field(20, ge=1, le=100)
    status: Status | None = None
    q: Text = Field("", max_length=100, description="Part of the name, ignoring case.")


class ActionState(Schema):
    allowed: bool
    reason: str | None = Field(description="Why not, in words for the user.")


class AllowedActions(Schema):
    activate: ActionState
    deactivate: ActionState
    archive: ActionState
    restore: ActionState
    delete: ActionState
    edit: ActionState


class StrategyOut(Schema):
    id: int
    name: str
    description: str
    format: Format
    document: str
    status: Status
    trading_pair: str
    timeframe: str
    is_valid: bool
    current_version: int
    lock_version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: AllowedActions

    @staticmethod
    def resolve_allowed_actions(strategy) -> dict:
        refusals = {action: strategy.refusal(action) for action in ACTIONS}
        return {action: {"allowed": reason is None, "reason": reason} for action, reason in refusals.items()}


class StrategyPage(Schema):
    items: list[StrategyOut]
    total: int = Field(description="Strategies matching the filters, on all pages.")
    page: int
    page_size: int


class Diagnostic(Schema):
    code: str
    severity: str
    message: str
    line: int | None
    column: int | None
    path: str
    hint: str | None


class VersionSummary(Schema):
    number: int
    format: Format
    is_valid: bool
    author: str | None = Field(description="E-mail of the user who saved it.")
    created_at: datetime

    @staticmethod
    def resolve_author(version) -> str | None:
        return version.author.email if version.author else None


class VersionOut(VersionSummary):
    document: str
    errors: list[Diagnostic]
    warnings: list[Diagnostic]


class DiffRow(Schema):
    kind: str = Field(description="hunk, context, removed or added")
    old: int | None = Field(description="Line number in the older document.")
    new: int | None = Field(description="Line number in the newer document.")
    text: str


class DiffOut(Schema):
    from_version: int
    to_version: int
    text: str = Field(description="Unified diff.")
    rows: list[DiffRow]


class CheckOut(Schema):
    format: Format
    valid: bool
    errors: list[Diagnostic]
    warnings: list[Diagnostic]
    summary: dict[str, Any] | None = Field(description="What the strategy will do; null when it has errors.")


DataRef = Annotated[
    Text,
    Field(
        max_length=64,
        description="`sample:<name>` (GET /api/v1/datasets/samples) or the id of one of your "
        "datasets; by default the sample of the strategy's pair and timeframe.",
    ),
]


class PreviewRange(Schema):
    data: DataRef | None = None
    start: date | None = Field(None, description="First UTC day of the trade walk, included.")
    end: date | None = Field(None, description="Last UTC day of the trade walk, included.")


class PreviewIn(DocumentIn, PreviewRange):
    pass


class TradeOut(Schema):
    entry_time: str
    entry_price: float
    exit_time: str
    exit_price: float
    quantity: float
    reason: str = Field(description="stop_loss, take_profit, stop, exit, daily_loss, max_drawdown or end")
    pnl: float = Field(description="Net of both fees.")


class StatsOut(Schema):
    trades: int
    win_rate: float | None = Field(description="null without trades.")
    total_return: float
    max_drawdown: float
    exposure: float
    profit_factor: float | None = Field(description="null when no trade lost.")
    fees: float
    final_equity: float


class ClauseOut(Schema):
    condition: str = Field(description="entry, exit or stop")
    clause: str
    true_bars: int
    position: bool = Field(description="Reads position variables: counted along the trades.")
    blocking: bool = Field(description="The comparison that keeps an entry that never fires from firing.")
    false_while_rest_held: int | None = Field(None, description="Entry clauses only.")
    rest_held_bars: int | None = Field(None, description="Entry clauses only.")


class PreviewData(Schema):
    ref: str
    title: str
    synthetic: bool


class PreviewOut(Schema):
    """What the strategy does on the data (the CLI's `preview --json`), with warnings
    about the data against the strategy. Times are ISO 8601 UTC."""

    bars: int
    warmup_bars: int
    entry_bars: list[str]
    exit_bars: list[str]
    stop_bars: list[str]
    trades: list[TradeOut]
    stats: StatsOut
    clauses: list[ClauseOut]
    warnings: list[Diagnostic]
    data: PreviewData


class DatasetOut(Schema):
    id: int
    name: str
    trading_pair: str
    bar_count: int
    spacing: int = Field(description="The usual seconds between bars.")
    first_time: datetime
    last_time: datetime
    created_at: datetime


class DatasetUploaded(Schema):
    dataset: DatasetOut
    warnings: list[Diagnostic] = Field(description="About the data kept, e.g. gaps in time.")


class SampleOut(Schema):
    ref: str = Field(description="What preview routes take as `data`.")
    name: str
    trading_pair: str
    timeframe: str
    title: str
    synthetic: bool


class Error(Schema):
    # Some errors carry more fields (a conflict's versions and diff): clients may read them.
    model_config = ConfigDict(extra="allow")

    code: str
    message: str
    hint: str | None = None
    diagnostics: list[Diagnostic] | None = None
    details: list[dict[str, Any]] | None = Field(
        None, description="For request.invalid: where the request does not match the API."
    )


class ConflictError(Error):
    """409: refused in this status, or changed since the caller read it (strategy.conflict)."""

    changed_by: str | None = None
    changed_at: datetime | None = None
    your_lock_version: int | None = None
    current_lock_version: int | None = None
    current_version: int | None = None
    current_document: str | None = None
    diff: list[DiffRow] | None = None


# Every route needs a token and may get parameters that do not parse.
ALWAYS = {401: Error, 422: Error}
FOUND = {404: Error}
BODY = {400: Error, 413: Error}
CHANGE = {409: ConflictError}
