"""Every operation that changes a strategy: validation, versions, status and events.

Each function takes the acting user and a strategy already found through the
owner-scoped queryset, re-reads it under a row lock inside one transaction, and
announces the outcome on the event bus after commit.

Each operation runs in a `strategy.operation` telemetry span (see
observability/telemetry.py) whose result is ok, or the refusal's kind: invalid (name,
document or storage refused), conflict, forbidden (not allowed in this status), or error
for anything unexpected. `restore_version` is an `update` (it saves an old document as a
new version); `restore` is archived -> inactive. A duplicate is counted once, as
`duplicate`, not also as a `create`.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.defaultfilters import pluralize
from django.utils import timezone

from trading_strategy.dsl import MAX_DOCUMENT_BYTES, Report, rename, validate
from trading_strategy.observability import telemetry

from . import checks, events
from .diff import diff_rows
from .errors import Conflict, LifecycleError, NameRejected, NotValid, Refused, Unstorable
from .models import NAME_MAX, NAME_MIN, Strategy, StrategyVersion

_SURROGATE = re.compile("[\ud800-\udfff]")
_NAME_LINE = {
    "yaml": re.compile(r"^name[ \t]*:[ \t]*(.+?)[ \t]*$", re.M),
    "toml": re.compile(r"^name[ \t]*=[ \t]*(.+?)[ \t]*$", re.M),
}


def document_name(document: str, fmt: str, report: Report) -> str | None:
    """The document's top-level name; read from the text itself when it cannot be parsed,
    so that a half-typed draft can still be saved under its name."""
    if report.root is not None and report.root.kind == "map":
        entry = report.root.value.get("name")
        value = entry.node.value if entry is not None else None
        return value.strip() if isinstance(value, str) else None
    match = _NAME_LINE[fmt].search(document) if fmt in _NAME_LINE else None
    return match.group(1).strip("'\"").strip() if match else None


def _storable(document: str) -> str:
    """Refuse text no database can keep, before it costs a validation."""
    if len(document.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        raise Unstorable(
            "strategy.too_large",
            f"The document is larger than {MAX_DOCUMENT_BYTES // 1024} KiB.",
            "Remove what the strategy does not use.",
        )
    if "\x00" in document or _SURROGATE.search(document):
        raise Unstorable(
            "strategy.unreadable_text",
            "The document contains characters that are not text.",
            "Paste it again from a plain-text editor.",
        )
    return document


def _checked_name(owner, name: str | None, exclude_id=None) -> str:
    if not name:
        raise NameRejected(
            "strategy.name_missing",
            "The document has no name.",
            "Add a line like  name: My strategy  at the top.",
        )
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise NameRejected(
            "strategy.name_length",
            f"The name must be {NAME_MIN} to {NAME_MAX} characters long.",
            "Change the document's name.",
        )
    if Strategy.objects.owned_by(owner).name_taken(name, exclude_id):
        raise NameRejected(
            "strategy.name_taken",
            f"You already have a strategy named \u201c{name}\u201d.",
            "Choose another name, or archive the other strategy.",
        )
    return name


def _project(strategy: Strategy, document: str, fmt: str, report: Report, name: str):
    """Keep the record's copies of document values equal to the document."""
    tree = report.root.plain() if report.root is not None and report.root.kind == "map" else {}

    def text(key, limit):
        value = tree.get(key)
        return value[:limit] if isinstance(value, str) else ""

    strategy.name = name
    strategy.description = text("description", 500)
    strategy.trading_pair = text("trading_pair", 31)
    strategy.timeframe = text("timeframe", 3)
    strategy.document = document
    strategy.format = fmt
    strategy.is_valid = report.valid


def _add_version(strategy: Strategy, author, report: Report) -> StrategyVersion:
    return StrategyVersion.objects.create(
        strategy=strategy,
        number=strategy.current_version,
        document=strategy.document,
        format=strategy.format,
        author=author,
        created_at=strategy.updated_at,
        is_valid=report.valid,
        diagnostics=[d.as_dict() for d in report.diagnostics],
    )


@contextmanager
def _writing():
    """One transaction, in which the database's own name constraint also speaks plainly."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        if "name" not in str(error).lower():
            raise
        # Two requests raced past the check; the unique index stopped the second.
        raise NameRejected(
            "strategy.name_taken", "You already have a strategy with this name.", "Choose another name."
        ) from error


_RESULTS = (
    (Conflict, "conflict"),
    (Refused, "forbidden"),
    (NameRejected, "invalid"),
    (NotValid, "invalid"),
    (Unstorable, "invalid"),
)


def result_of(error: BaseException) -> str:
    """The metric result of a failed operation."""
    for kind, result in _RESULTS:
        if isinstance(error, kind):
            return result
    return "error"


@contextmanager
def _operation(operation: str, user, strategy: Strategy | None = None):
    metadata = {"operation": operation, "user_id": getattr(user, "pk", None)}
    if strategy is not None:
        metadata["strategy_id"] = strategy.pk
    with telemetry.span("strategy.operation", **metadata) as span:
        try:
            yield span
        except LifecycleError as error:
            span.metadata["result"] = result_of(error)
            span.metadata["error_code"] = error.code
            raise


def create(user, document: str, fmt: str, event: str = "created") -> Strategy:
    with _operation("create", user) as span:
        strategy = _create(user, document, fmt, event)
        span.metadata["strategy_id"] = strategy.pk
        return strategy


def _create(user, document: str, fmt: str, event: str) -> Strategy:
    report = validate(_storable(document), fmt)
    name = _checked_name(user, document_name(document, fmt, report))
    now = timezone.now()
    strategy = Strategy(owner=user, created_at=now, updated_at=now, updated_by=user)
    _project(strategy, document, fmt, report, name)
    with _writing():
        strategy.save()
        _add_version(strategy, user, report)
    events.publish(event, strategy, user)
    return strategy


def _locked(strategy: Strategy) -> Strategy:
    return Strategy.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=strategy.pk)


def _refuse_unless_allowed(strategy: Strategy, operation: str):
    reason = strategy.status_refusal(operation)
    if reason:
        raise Refused(reason, status=strategy.status)


def conflict_for(current: Strategy, base_lock_version: int, document: str) -> Conflict:
    who = current.updated_by.email if current.updated_by else "someone"
    when = current.updated_at
    return Conflict(
        f"This strategy was changed by {who} at {when:%Y-%m-%d %H:%M:%S} UTC after you opened it.",
        "Compare the two documents, then overwrite with yours or save yours as a new strategy.",
        changed_by=who,
        changed_at=when.isoformat(),
        your_lock_version=base_lock_version,
        current_lock_version=current.lock_version,
        current_version=current.current_version,
        current_document=current.document,
        diff=diff_rows(current.document, document),
    )


def save(user, strategy: Strategy, document: str, fmt: str, lock_version: int) -> Strategy:
    """Save a new document. A save based on an older lock version is a conflict; to
    overwrite, the caller saves again with the lock version the conflict reported."""
    with _operation("update", user, strategy):
        return _save(user, strategy, document, fmt, lock_version)


def _save(user, strategy: Strategy, document: str, fmt: str, lock_version: int) -> Strategy:
    report = validate(_storable(document), fmt)
    with _writing():
        current = _locked(strategy)
        _refuse_unless_allowed(current, "edit")
        if current.lock_version != lock_version:
            raise conflict_for(current, lock_version, document)
        if document == current.document and fmt == current.format:
            # Nothing to write: a new lock version would only refuse other tabs' real saves.
            return current
        name = _checked_name(
            user, document_name(document, fmt, report) or current.name, exclude_id=current.pk
        )
        _project(current, document, fmt, report, name)
        current.updated_at, current.updated_by = timezone.now(), user
        current.current_version += 1
        _bump(
            current,
            "name",
            "description",
            "trading_pair",
            "timeframe",
            "document",
            "format",
            "is_valid",
            "current_version",
            "updated_at",
            "updated_by",
        )
        _add_version(current, user, report)
    events.publish("updated", current, user)
    return current


def _bump(strategy: Strategy, *fields):
    """Write `fields` and the next lock version, only if nobody wrote in between."""
    written = Strategy.objects.filter(pk=strategy.pk, lock_version=strategy.lock_version).update(
        lock_version=F("lock_version") + 1, **{field: getattr(strategy, field) for field in fields}
    )
    if written != 1:
        raise Conflict("This strategy was changed at the same moment; reload it.", current_lock_version=None)
    strategy.lock_version += 1


def _transition(user, strategy: Strategy, operation: str, event: str, check=None) -> Strategy:
    with _operation(operation, user, strategy), _writing():
        current = _locked(strategy)
        _refuse_unless_allowed(current, operation)
        if check is not None:
            check(current)
        next_status = current.next_status(operation)
        assert next_status is not None, "refused above when the status has no next one"
        current.status = next_status
        current.updated_at, current.updated_by = timezone.now(), user
        _bump(current, "status", "updated_at", "updated_by")
    events.publish(event, current, user)
    return current


def _require_passing_syntax_test(strategy: Strategy):
    report, summary = checks.syntax_test(strategy.document, strategy.format, "activation")
    if summary is None:
        raise NotValid(
            f"This strategy has {len(report.errors)} error{pluralize(len(report.errors))}; "
            f"fix {pluralize(len(report.errors), 'it,them')} before activating it.",
            "Open the editor and run Test syntax.",
            diagnostics=[d.as_dict() for d in report.errors],
        )


def activate(user, strategy: Strategy) -> Strategy:
    return _transition(user, strategy, "activate", "activated", _require_passing_syntax_test)


def deactivate(user, strategy: Strategy) -> Strategy:
    return _transition(user, strategy, "deactivate", "deactivated")


def archive(user, strategy: Strategy) -> Strategy:
    return _transition(user, strategy, "archive", "archived")


def restore(user, strategy: Strategy) -> Strategy:
    def name_is_free(current):
        _checked_name(user, current.name, exclude_id=current.pk)

    return _transition(user, strategy, "restore", "restored", name_is_free)


def delete(user, strategy: Strategy) -> None:
    with _operation("delete", user, strategy), _writing():
        current = _locked(strategy)
        _refuse_unless_allowed(current, "delete")
        events.publish("deleted", current, user)
        current.delete()


def copy_name(owner, name: str) -> str:
    """ "<name> - Copy", then " - Copy 2", " - Copy 3"..., cut to fit the length limit."""
    taken = Strategy.objects.owned_by(owner)
    number = 1
    while True:
        suffix = " - Copy" if number == 1 else f" - Copy {number}"
        candidate = name[: NAME_MAX - len(suffix)].rstrip() + suffix
        if not taken.name_taken(candidate):
            return candidate
        number += 1


# Each retry means another copy was written meanwhile, so this bounds only a pathological
# storm of simultaneous duplicates of one strategy.
_COPY_ATTEMPTS = 50


def duplicate(user, strategy: Strategy) -> Strategy:
    with _operation("duplicate", user, strategy) as span:
        report = validate(strategy.document, strategy.format)
        attempts_left = _COPY_ATTEMPTS
        while True:
            name = copy_name(user, strategy.name)
            document = rename(strategy.document, strategy.format, report, name)
            try:
                copy = _create(user, document, strategy.format, event="duplicated")
            except NameRejected as error:
                # A simultaneous duplicate took the free name first: the user chose no
                # name, so take the next free one instead of refusing.
                attempts_left -= 1
                if error.code != "strategy.name_taken" or not attempts_left:
                    raise
            else:
                span.metadata["copy_id"] = copy.pk
                return copy


def restore_version(user, strategy: Strategy, number: int, lock_version: int) -> Strategy:
    """Make an old version the current document again, as a new version."""
    with _operation("update", user, strategy) as span:
        span.metadata["restored_version"] = number
        old = strategy.versions.get(number=number)
        return _save(user, strategy, old.document, old.format, lock_version)
