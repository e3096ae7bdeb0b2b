"""Strategy pages: the list, one strategy, its lifecycle actions and its versions.

Views parse the request, call the queryset or lifecycle, and render or flash and
redirect. The rules live on the model (refusal) and in lifecycle.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from trading_strategy.dsl import summarize, validate

from . import lifecycle
from .diff import diff_rows
from .errors import LifecycleError, NotValid
from .line_numbers import numbered
from .models import MAX_NUMBER, Status, Strategy
from .moments import minute
from .previews import preview_context

PAGE_SIZE = 50
# Each sort ends on the primary key so that pages never overlap or skip rows.
SORTS = {
    "name": ("name", "pk"),
    "-name": ("-name", "-pk"),
    "status": ("status", "-updated_at", "-pk"),
    "updated": ("updated_at", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}
DEFAULT_SORT = "-updated"
# Sortable columns: (label, ascending key, descending key, first click).
SORT_COLUMNS = {
    "name": ("name", "-name", "name"),
    "status": ("status", "status", "status"),
    "created": ("created", "-created", "-created"),
    "updated": ("updated", "-updated", "-updated"),
}
LIST_COLUMNS = (
    "id",
    "name",
    "status",
    "trading_pair",
    "timeframe",
    "current_version",
    "created_at",
    "updated_at",
)
STATUS_LABELS = dict(Status.choices)
# Stands for the id in a reversed URL: no other part of a strategy URL holds these digits.
ID_SLOT = 7_654_321
# Archived strategies are kept out of the way: listed only when asked for.
ALL_STATUSES = "all"
STATUS_FILTERS = [
    ("", "Not archived"),
    *[(s.value, s.label) for s in Status],
    (ALL_STATUSES, "All, with archived"),
]

OPERATIONS = {
    "activate": lifecycle.activate,
    "deactivate": lifecycle.deactivate,
    "archive": lifecycle.archive,
    "restore": lifecycle.restore,
    "duplicate": lifecycle.duplicate,
    "delete": lifecycle.delete,
}
DONE = {
    "activate": "\u201c{name}\u201d is active.",
    "deactivate": "\u201c{name}\u201d is inactive.",
    "archive": "\u201c{name}\u201d is archived.",
    "restore": "\u201c{name}\u201d is restored and inactive.",
    "duplicate": "Copied to \u201c{name}\u201d, a new draft.",
    "delete": "\u201c{name}\u201d is deleted.",
}
# The order in which the detail page offers actions.
DETAIL_ACTIONS = ("edit", "activate", "deactivate", "archive", "restore", "duplicate", "delete")
ERRORS_FLASHED = 5


def owned_or_404(user, strategy_id: int) -> Strategy:
    """The one way a page finds a strategy: the user's own, or a 404 that does not
    confirm another user's strategy exists."""
    return get_object_or_404(Strategy.objects.owned_by(user), pk=strategy_id)


def _list_filters(params) -> tuple[str, str, str]:
    query = params.get("q", "").strip()[:100]
    status = params.get("status", "")
    if status not in Status.values and status != ALL_STATUSES:
        status = ""
    sort = params.get("sort", "")
    return query, status, sort if sort in SORTS else DEFAULT_SORT


def _sort_links(sort: str) -> dict:
    links = {}
    for column, (ascending, descending, first) in SORT_COLUMNS.items():
        current = "ascending" if sort == ascending else "descending" if sort == descending else None
        following = (
            descending
            if sort == ascending and ascending != descending
            else ascending
            if sort == descending
            else first
        )
        links[column] = {"sort": following, "aria": current or "none"}
    return links


def _list_rows(page) -> list[dict[str, str]]:
    """Each row's cells as the text the table shows, computed here once: resolved in the
    template ({% url %}, filters, localized numbers, for each of 50 rows) they were most
    of the page's time (bench/web_bench.py)."""
    detail = _url_for_any_id("strategies:detail")
    zone = timezone.get_current_timezone()
    return [
        {
            "id": str(row["id"]),
            "url": detail.format(row["id"]),
            "name": row["name"],
            "status": row["status"],
            "status_label": STATUS_LABELS[row["status"]],
            "pair": row["trading_pair"] or "\u2014",
            "timeframe": row["timeframe"] or "\u2014",
            "version": f"v{row['current_version']}",
            "created_iso": row["created_at"].isoformat(),
            "created": minute(row["created_at"], zone),
            "updated_iso": row["updated_at"].isoformat(),
            "updated": minute(row["updated_at"], zone),
        }
        for row in page.object_list
    ]


def _url_for_any_id(name: str) -> str:
    """The URL of the pattern `name` with "{}" where the id goes ("/strategies/{}"): one
    reverse() for the page, and str.format for each row."""
    return reverse(name, args=[ID_SLOT]).replace(str(ID_SLOT), "{}")


@require_GET
def home(request):
    """The way in: a signed-in user's strategies, or the log-in page."""
    return redirect("strategies:list" if request.user.is_authenticated else settings.LOGIN_URL)


@login_required
@require_GET
def strategy_list(request):
    query, status, sort = _list_filters(request.GET)
    strategies = Strategy.objects.owned_by(request.user)
    if status == "":
        strategies = strategies.live()
    strategies = strategies.search(query, "" if status == ALL_STATUSES else status)
    page = Paginator(strategies.values(*LIST_COLUMNS).order_by(*SORTS[sort]), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": _list_rows(page),
        "q": query,
        "status": status,
        "sort": sort,
        "status_filters": STATUS_FILTERS,
        "sort_links": _sort_links(sort),
        "filtered": bool(query or status),
    }
    # A history restore asks for the whole page even though it comes from htmx.
    fragment = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = render(request, "strategies/_list_table.html" if fragment else "strategies/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def strategy_detail(request, strategy_id: int):
    strategy = owned_or_404(request.user, strategy_id)
    # Shown, not asked for: not a recorded check (see checks).
    report = validate(strategy.document, strategy.format)
    summary = summarize(report)
    actions = [{"name": name, "refusal": strategy.refusal(name)} for name in DETAIL_ACTIONS]
    preview = preview_context(request.user, strategy.document, strategy.format, request.GET, "page", report)
    return render(
        request,
        "strategies/detail.html",
        {
            "strategy": strategy,
            "summary": summary,
            "actions": actions,
            "errors": [d.as_dict() for d in report.errors],
            "lines": numbered(strategy.document),
            "form_id": "",
        }
        | preview,
    )


@login_required
@require_POST
def change_strategy(request, strategy_id: int, operation: str):
    strategy = owned_or_404(request.user, strategy_id)
    try:
        result = OPERATIONS[operation](request.user, strategy)
    except LifecycleError as error:
        _flash_error(request, error)
        return redirect("strategies:detail", strategy.pk)
    messages.success(request, DONE[operation].format(name=(result or strategy).name))
    if result is None:  # deleted
        return redirect("strategies:list")
    return redirect("strategies:detail", result.pk)


def _flash_error(request, error: LifecycleError):
    messages.error(request, f"{error.message} {error.hint}" if error.hint else error.message)
    if isinstance(error, NotValid):
        diagnostics = error.details.get("diagnostics", [])
        for diagnostic in diagnostics[:ERRORS_FLASHED]:
            where = f"Line {diagnostic['line']}: " if diagnostic.get("line") else ""
            messages.error(request, f"{where}{diagnostic['message']} ({diagnostic['code']})")
        if len(diagnostics) > ERRORS_FLASHED:
            messages.error(request, f"\u2026 and {len(diagnostics) - ERRORS_FLASHED} more.")


@login_required
@require_GET
def version_list(request, strategy_id: int):
    strategy = owned_or_404(request.user, strategy_id)
    versions = strategy.versions.select_related("author").defer("document", "diagnostics")
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "strategies/versions.html", {"strategy": strategy, "page": page})


@login_required
@require_GET
def version_detail(request, strategy_id: int, number: int):
    strategy = owned_or_404(request.user, strategy_id)
    version = get_object_or_404(strategy.versions.select_related("author"), number=number)
    return render(
        request,
        "strategies/version.html",
        {
            "strategy": strategy,
            "version": version,
            "lines": numbered(version.document),
            "restore_refusal": strategy.refusal("restore_version"),
        },
    )


def _version_number(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such version.") from None


@login_required
@require_GET
def version_diff(request, strategy_id: int):
    strategy = owned_or_404(request.user, strategy_id)
    a = _version_number(request.GET.get("a"))
    b = _version_number(request.GET.get("b"))
    old = get_object_or_404(strategy.versions, number=a)
    new = get_object_or_404(strategy.versions, number=b)
    return render(
        request,
        "strategies/diff.html",
        {
            "strategy": strategy,
            "old": old,
            "new": new,
            "rows": diff_rows(old.document, new.document),
        },
    )


@login_required
@require_POST
def restore_version(request, strategy_id: int, number: int):
    strategy = owned_or_404(request.user, strategy_id)
    get_object_or_404(strategy.versions, number=number)
    try:
        lock_version = int(request.POST.get("lock_version", ""))
        if not 0 <= lock_version <= MAX_NUMBER:
            raise ValueError(lock_version)
    except ValueError:
        messages.error(request, "The form was incomplete; reload the page and try again.")
        return redirect("strategies:version", strategy.pk, number)
    try:
        strategy = lifecycle.restore_version(request.user, strategy, number, lock_version)
    except LifecycleError as error:
        _flash_error(request, error)
        return redirect("strategies:version", strategy.pk, number)
    messages.success(request, f"Version {number} is restored as version {strategy.current_version}.")
    return redirect("strategies:versions", strategy.pk)
