"""Request and response bodies, as the OpenAPI document shows them to clients."""

from __future__ import annotations

from datetime import datetime
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
