"""The strategy editor's new and edit pages.

The pages work without JavaScript: the form posts, the server validates, saves through
lifecycle and renders the diagnostics. The script only makes the same answers arrive
while the user types (see live_views). Every strategy is found through the owner-scoped
queryset.
"""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from trading_strategy.budgets import spend_save
from trading_strategy.dsl import MAX_DOCUMENT_BYTES, dump, rename, validate

from . import autosave, lifecycle, previews, snippets
from .editor_checks import SECTIONS, checked, syntax_answer
from .errors import Conflict, LifecycleError
from .forms import EditorForm
from .line_numbers import gutter
from .models import Strategy
from .previews import preview_context
from .views import owned_or_404

STARTER = """\
# A small example to start from: edit it, or replace it with your own.
name: My first strategy
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - type: rsi
    name: rsi_14
    parameters:
      period: 14
entry_conditions: rsi_14 < 30
exit_conditions: rsi_14 > 70
stop_conditions: unrealized_pnl_pct < -0.05
position_sizing:
  type: percentage
  percentage_of_capital: 0.1
risk_parameters:
  max_daily_loss: 0.02
  max_drawdown: 0.1
"""


@functools.cache
def catalog_reference() -> dict:
    """The editor's catalog parts (indicator choices, the fields and indicators help, the
    catalog for the script). They are the same for every page and user, and rendering them
    per request took a quarter of the editor page's server time; once per process now.
    Safe to mark safe: the template escaped the catalog's text when it rendered them."""
    catalog = snippets.describe_catalog()

    def part(name):
        return mark_safe(
            render_to_string("strategies/_editor_reference.html", {"catalog": catalog, "part": name})
        )

    return {
        "indicator_options": part("indicator_options"),
        "field_help": part("field_help"),
        "catalog_json": json_script(catalog, "indicator-catalog"),
    }


def _render(
    request,
    strategy: Strategy | None,
    document: str,
    fmt: str,
    *,
    status=200,
    lock_version=None,
    conflict=None,
    syntax=None,
    form_errors=None,
):
    result, report = checked(request.user, document, fmt, strategy.pk if strategy else None)
    diagnostics = sorted(
        result["errors"] + result["warnings"], key=lambda d: (d["line"] or 0, d["column"] or 0)
    )
    draft = autosave.pending(request.user, strategy)
    if draft is not None and draft.document == document and draft.format == fmt:
        draft = None  # what the page shows is the draft already
    read_only = strategy.refusal("edit") if strategy is not None else None
    context = {
        "strategy": strategy,
        "document": document,
        "format": fmt,
        "lock_version": lock_version
        if lock_version is not None
        else (strategy.lock_version if strategy else ""),
        "result": result,
        "diagnostics": diagnostics,
        "gutter": gutter(document, diagnostics),
        "sections": [(key, label, result["sections"][key]) for key, label in SECTIONS],
        "reference": catalog_reference(),
        "draft": draft,
        "draft_data": {
            "document": draft.document,
            "format": draft.format,
            "base_lock_version": draft.base_lock_version,
            "updated_at": draft.updated_at.isoformat(),
        }
        if draft
        else None,
        "conflict": conflict,
        "syntax": syntax,
        "form_errors": form_errors or [],
        "read_only": read_only,
        "form_id": "editor-form",
    }
    if result["valid"]:
        # The controls belong to the editor's form: a save or Test syntax keeps the choice.
        params = request.POST if request.method == "POST" else request.GET
        context |= preview_context(request.user, document, fmt, params, "editor", report)
    else:
        context |= {
            "preview_choices": previews.choices(request.user),
            "preview_error_count": len(result["errors"]),
        }
    return render(request, "strategies/editor.html", context, status=status)


def _saved_message(request, strategy: Strategy, before_version: int | None):
    name = strategy.name
    if before_version is not None and strategy.current_version == before_version:
        messages.info(request, f"No changes to save in \u201c{name}\u201d.")
    elif strategy.is_valid:
        messages.success(request, f"Saved \u201c{name}\u201d as version {strategy.current_version}.")
    else:
        messages.warning(
            request,
            f"Saved \u201c{name}\u201d as a draft, version "
            f"{strategy.current_version}; it still has errors to fix "
            "before it can be activated.",
        )


def _after_save(strategy: Strategy):
    # A draft with errors goes back to the editor, which shows them at their lines.
    if strategy.is_valid:
        return redirect(f"/strategies/{strategy.pk}")
    return redirect("strategies:edit", strategy_id=strategy.pk)


def _form_error_response(request, strategy, form: EditorForm):
    errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    for error in errors:
        messages.error(request, error)
    document = request.POST.get("document", "")
    if len(document) > MAX_DOCUMENT_BYTES:
        document = ""  # not echoed back: the page would be as large as the mistake
    fmt = request.POST.get("format") if request.POST.get("format") in ("yaml", "toml") else "yaml"
    return _render(
        request, strategy, document, fmt, status=422, lock_version=request.POST.get("lock_version")
    )


INTENTS = ("test-syntax", "convert", "preview")


def _intent_response(request, strategy, form: EditorForm, intent: str):
    """Test syntax, Preview and Convert, for the page without JavaScript: nothing is saved."""
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    lock_version = form.cleaned_data.get("lock_version")
    if intent == "preview":
        # Every page of the editor shows the preview; this one only keeps the text.
        return _render(request, strategy, document, fmt, lock_version=lock_version)
    if intent == "test-syntax":
        syntax = syntax_answer(document, fmt)
        return _render(request, strategy, document, fmt, syntax=syntax, lock_version=lock_version)
    target = "toml" if fmt == "yaml" else "yaml"
    report = validate(document, fmt)
    if report.model is None:  # present exactly when the document is valid
        count = len(report.errors)
        messages.error(
            request, f"Only a valid document can be converted; this one has {count} error{pluralize(count)}."
        )
        return _render(request, strategy, document, fmt, status=422, lock_version=lock_version)
    messages.info(
        request,
        f"Converted to {target.upper()}. Comments and unknown keys are "
        "not carried over. Nothing is saved yet.",
    )
    return _render(request, strategy, dump(report.model, target), target, lock_version=lock_version)


@login_required
@never_cache
def new_strategy(request):
    if request.method != "POST":
        draft = autosave.pending(request.user, None) if request.GET.get("restore") else None
        if draft is not None:
            messages.info(request, "Your unsaved text was restored.")
            return _render(request, None, draft.document, draft.format)
        return _render(request, None, STARTER, "yaml")
    form = EditorForm(request.POST)
    if not form.is_valid():
        return _form_error_response(request, None, form)
    intent = request.POST.get("intent", "")
    if intent in INTENTS:
        return _intent_response(request, None, form, intent)
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    if request.POST.get("save_as_new"):
        document = _renamed_copy(request.user, document, fmt)
    if (refused := _save_budget_spent(request, None, document, fmt)) is not None:
        return refused
    try:
        strategy = lifecycle.create(request.user, document, fmt)
    except LifecycleError as error:
        messages.error(request, _said(error))
        return _render(request, None, document, fmt, status=error.http_status)
    autosave.discard(request.user, None)
    source = request.POST.get("from_strategy", "")
    if source.isdigit():
        original = Strategy.objects.owned_by(request.user).filter(pk=int(source)).first()
        if original is not None:
            autosave.discard(request.user, original)
    _saved_message(request, strategy, None)
    return _after_save(strategy)


def _save_budget_spent(request, strategy, document: str, fmt: str, lock_version=None):
    """The editor again, unsaved, when the user's saves this minute are spent (shared with
    the API: budgets.spend_save); else None."""
    wait = spend_save(request.user.pk)
    if wait is None:
        return None
    messages.error(request, f"Too many saves in a minute. Nothing was saved; try again in {wait} s.")
    response = _render(request, strategy, document, fmt, status=429, lock_version=lock_version)
    response["Retry-After"] = str(wait)
    return response


def _renamed_copy(user, document: str, fmt: str) -> str:
    report = validate(document, fmt)
    name = lifecycle.document_name(document, fmt, report) or "Untitled strategy"
    return rename(document, fmt, report, lifecycle.copy_name(user, name))


def _said(error: LifecycleError) -> str:
    return f"{error.message} {error.hint}" if error.hint else error.message


@login_required
@never_cache
def edit_strategy(request, strategy_id: int):
    strategy = owned_or_404(request.user, strategy_id)
    if request.method != "POST":
        draft = autosave.pending(request.user, strategy) if request.GET.get("restore") else None
        if draft is not None:
            messages.info(request, "Your unsaved text was restored; save it to keep it.")
            return _render(
                request, strategy, draft.document, draft.format, lock_version=draft.base_lock_version
            )
        return _render(request, strategy, strategy.document, strategy.format)
    form = EditorForm(request.POST)
    if not form.is_valid():
        return _form_error_response(request, strategy, form)
    intent = request.POST.get("intent", "")
    if intent in INTENTS:
        return _intent_response(request, strategy, form, intent)
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    base = form.base_lock_version()
    before = strategy.current_version
    if (refused := _save_budget_spent(request, strategy, document, fmt, base)) is not None:
        return refused
    try:
        saved = lifecycle.save(request.user, strategy, document, fmt, base if base is not None else 0)
    except Conflict as conflict:
        # The banner says who changed it and when; a flash would only say it again.
        return _render(
            request, strategy, document, fmt, status=409, lock_version=base, conflict=conflict.as_dict()
        )
    except LifecycleError as error:
        messages.error(request, _said(error))
        strategy.refresh_from_db()
        return _render(request, strategy, document, fmt, status=error.http_status, lock_version=base)
    autosave.discard(request.user, saved)
    _saved_message(request, saved, before)
    return _after_save(saved)
