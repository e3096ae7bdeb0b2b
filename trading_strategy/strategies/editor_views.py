"""The strategy editor: the new and edit pages, and the live endpoints their script calls.

The pages work without JavaScript: the form posts, the server validates, saves through
lifecycle and renders the diagnostics. The script only makes the same answers arrive
while the user types. Every strategy is found through the owner-scoped queryset.
"""
from __future__ import annotations

import re
import time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from trading_strategy.dsl import limits, snippets
from trading_strategy.dsl.model import dump
from trading_strategy.dsl.rename import rename
from trading_strategy.dsl.summary import summarize
from trading_strategy.dsl.validator import Report, validate
from trading_strategy.observability import telemetry

from . import autosave, lifecycle
from .errors import Conflict, LifecycleError
from .forms import AutosaveForm, ConvertForm, EditorForm, IndicatorForm, LiveForm
from .models import Strategy

# Room for the other form fields beside a document of the largest allowed size, so that
# such a document still gets the validator's own `document.too_large` diagnostic.
MAX_BODY_BYTES = limits.MAX_DOCUMENT_BYTES + 8 * 1024

SECTIONS = (("metadata", "Metadata"), ("indicators", "Indicators"),
            ("conditions", "Conditions"), ("sizing", "Position sizing"), ("risk", "Risk"))
_SECTION_OF_KEY = {
    "name": "metadata", "trading_pair": "metadata", "timeframe": "metadata",
    "strategy_id": "metadata", "description": "metadata", "version": "metadata",
    "indicators": "indicators", "entry_conditions": "conditions",
    "exit_conditions": "conditions", "stop_conditions": "conditions",
    "position_sizing": "sizing", "risk_parameters": "risk",
}
_TOP_KEY = {"yaml": re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:"),
            "toml": re.compile(r"^(?:\[\[?[ \t]*([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*)"
                               r"[ \t]*=)")}

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


# --- what the editor shows about a document ---------------------------------------------

def _keys_by_line(document: str, fmt: str) -> list[tuple[int, str]]:
    """(line, top-level key) in document order, read from the text so that it also works
    on a document that does not parse. In TOML a table's keys follow its header."""
    pattern, found, in_table = _TOP_KEY.get(fmt), [], False
    if pattern is None:
        return found
    for number, line in enumerate(document.split("\n"), start=1):
        match = pattern.match(line)
        if not match:
            continue
        if fmt == "toml" and match.group(1):
            in_table = True
            found.append((number, match.group(1)))
        elif not in_table:
            found.append((number, match.group(match.lastindex)))
    return found


def section_states(document: str, fmt: str, report: Report) -> dict[str, str]:
    keyed = _keys_by_line(document, fmt)
    if report.root is not None and report.root.kind == "map":
        written = {_SECTION_OF_KEY.get(key) for key in report.root.value}
    else:
        written = {_SECTION_OF_KEY.get(key) for _, key in keyed}
    states = {name: ("ok" if name in written else "missing") for name, _ in SECTIONS}
    for diagnostic in report.diagnostics:
        section = _SECTION_OF_KEY.get(re.split(r"[.\[]", diagnostic.path or "")[0])
        if section is None and diagnostic.line is not None:
            above = [key for line, key in keyed if line <= diagnostic.line]
            section = _SECTION_OF_KEY.get(above[-1]) if above else None
        if section is None or states[section] == "missing" and \
                diagnostic.code == "field.required":
            continue
        if diagnostic.is_error:
            states[section] = "error"
        elif states[section] != "error":
            states[section] = "warning"
    return states


def name_status(user, document: str, fmt: str, report: Report, strategy_id=None) -> dict:
    name = lifecycle.document_name(document, fmt, report)
    taken = bool(name) and Strategy.objects.owned_by(user).name_taken(name, strategy_id)
    message = (f"You already have a strategy named \u201c{name}\u201d." if taken
               else (f"\u201c{name}\u201d is free." if name else ""))
    return {"value": name, "taken": taken, "message": message}


def check(user, document: str, fmt: str, strategy_id=None) -> dict:
    """The live validation answer; the pages render the same data."""
    started = time.perf_counter()
    report = validate(document, fmt)
    return {
        "valid": report.valid,
        "errors": [d.as_dict() for d in report.errors],
        "warnings": [d.as_dict() for d in report.warnings],
        "sections": section_states(document, fmt, report),
        "name": name_status(user, document, fmt, report, strategy_id),
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _gutter(document: str, diagnostics: list[dict]) -> list[dict]:
    by_line: dict[int, list[dict]] = {}
    for diagnostic in diagnostics:
        if diagnostic["line"] is not None:
            by_line.setdefault(diagnostic["line"], []).append(diagnostic)
    rows = []
    for number in range(1, document.count("\n") + 2):
        here = by_line.get(number, [])
        severity = ("error" if any(d["severity"] == "error" for d in here)
                    else "warning" if here else None)
        rows.append({"number": number, "severity": severity,
                     "title": " \u2022 ".join(d["message"] for d in here)})
    return rows


# --- the pages ------------------------------------------------------------------------

def _render(request, strategy: Strategy | None, document: str, fmt: str, *, status=200,
            lock_version=None, conflict=None, syntax=None, form_errors=None):
    result = check(request.user, document, fmt, strategy.pk if strategy else None)
    diagnostics = sorted(result["errors"] + result["warnings"],
                         key=lambda d: (d["line"] or 0, d["column"] or 0))
    draft = autosave.pending(request.user, strategy)
    if draft is not None and draft.document == document and draft.format == fmt:
        draft = None  # what the page shows is the draft already
    read_only = strategy.refusal("edit") if strategy is not None else None
    context = {
        "strategy": strategy,
        "document": document,
        "format": fmt,
        "lock_version": lock_version if lock_version is not None
        else (strategy.lock_version if strategy else ""),
        "result": result,
        "diagnostics": diagnostics,
        "gutter": _gutter(document, diagnostics),
        "sections": [(key, label, result["sections"][key]) for key, label in SECTIONS],
        "catalog": snippets.describe_catalog(),
        "draft": draft,
        "draft_data": {"document": draft.document, "format": draft.format,
                       "base_lock_version": draft.base_lock_version,
                       "updated_at": draft.updated_at.isoformat()} if draft else None,
        "conflict": conflict,
        "syntax": syntax,
        "form_errors": form_errors or [],
        "read_only": read_only,
    }
    return render(request, "strategies/editor.html", context, status=status)


def _saved_message(request, strategy: Strategy, before_version: int | None):
    name = strategy.name
    if before_version is not None and strategy.current_version == before_version:
        messages.info(request, f"No changes to save in \u201c{name}\u201d.")
    elif strategy.is_valid:
        messages.success(request, f"Saved \u201c{name}\u201d as version "
                                  f"{strategy.current_version}.")
    else:
        messages.warning(request, f"Saved \u201c{name}\u201d as a draft, version "
                                  f"{strategy.current_version}; it still has errors to fix "
                                  "before it can be activated.")


def _after_save(strategy: Strategy):
    # A draft with errors goes back to the editor, which shows them at their lines.
    if strategy.is_valid:
        return redirect(f"/strategies/{strategy.pk}")
    return redirect("strategies:edit", strategy_id=strategy.pk)


def _form_error_response(request, strategy, form: EditorForm):
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    for error in errors:
        messages.error(request, error)
    document = request.POST.get("document", "")
    if len(document) > limits.MAX_DOCUMENT_BYTES:
        document = ""  # not echoed back: the page would be as large as the mistake
    fmt = request.POST.get("format") if request.POST.get("format") in ("yaml", "toml") \
        else "yaml"
    return _render(request, strategy, document, fmt, status=422,
                   lock_version=request.POST.get("lock_version"))


def _intent_response(request, strategy, form: EditorForm, intent: str):
    """Test syntax and Convert, for the page without JavaScript: nothing is saved."""
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    lock_version = form.cleaned_data.get("lock_version")
    if intent == "test-syntax":
        syntax = _syntax_test(document, fmt)
        return _render(request, strategy, document, fmt, syntax=syntax,
                       lock_version=lock_version)
    target = "toml" if fmt == "yaml" else "yaml"
    report = validate(document, fmt)
    if not report.valid:
        messages.error(request, f"Only a valid document can be converted; this one has "
                                f"{len(report.errors)} error(s).")
        return _render(request, strategy, document, fmt, status=422, lock_version=lock_version)
    messages.info(request, f"Converted to {target.upper()}. Comments and unknown keys are "
                           "not carried over. Nothing is saved yet.")
    return _render(request, strategy, dump(report.model, target), target,
                   lock_version=lock_version)


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
    if intent in ("test-syntax", "convert"):
        return _intent_response(request, None, form, intent)
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    if request.POST.get("save_as_new"):
        document = _renamed_copy(request.user, document, fmt)
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


def _renamed_copy(user, document: str, fmt: str) -> str:
    report = validate(document, fmt)
    name = lifecycle.document_name(document, fmt, report) or "Untitled strategy"
    return rename(document, fmt, report, lifecycle.copy_name(user, name))


def _said(error: LifecycleError) -> str:
    return f"{error.message} {error.hint}" if error.hint else error.message


@login_required
@never_cache
def edit_strategy(request, strategy_id: int):
    strategy = get_object_or_404(Strategy.objects.owned_by(request.user), pk=strategy_id)
    if request.method != "POST":
        draft = autosave.pending(request.user, strategy) if request.GET.get("restore") \
            else None
        if draft is not None:
            messages.info(request, "Your unsaved text was restored; save it to keep it.")
            return _render(request, strategy, draft.document, draft.format,
                           lock_version=draft.base_lock_version)
        return _render(request, strategy, strategy.document, strategy.format)
    form = EditorForm(request.POST)
    if not form.is_valid():
        return _form_error_response(request, strategy, form)
    intent = request.POST.get("intent", "")
    if intent in ("test-syntax", "convert"):
        return _intent_response(request, strategy, form, intent)
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    base = form.base_lock_version()
    before = strategy.current_version
    try:
        saved = lifecycle.save(request.user, strategy, document, fmt,
                               base if base is not None else 0)
    except Conflict as conflict:
        messages.error(request, conflict.message)
        return _render(request, strategy, document, fmt, status=409, lock_version=base,
                       conflict=conflict.as_dict())
    except LifecycleError as error:
        messages.error(request, _said(error))
        strategy.refresh_from_db()
        return _render(request, strategy, document, fmt, status=error.http_status,
                       lock_version=base)
    autosave.discard(request.user, saved)
    _saved_message(request, saved, before)
    return _after_save(saved)


# --- live endpoints -------------------------------------------------------------------

def _json_error(status: int, code: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)


def live(view):
    """POST only, signed in, CSRF-checked, and refused before reading a body that is
    larger than any document could be."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return _json_error(413, "request.too_large",
                               f"The request is {length:,} bytes; documents may be at most "
                               f"{limits.MAX_DOCUMENT_BYTES:,} bytes.")
        if not request.user.is_authenticated:
            return _json_error(401, "auth.required", "Log in again to continue.")
        if request.method != "POST":
            return _json_error(405, "request.method", "Use POST.")
        return protected(request, *args, **kwargs)

    return csrf_exempt(never_cache(wrapper))


def _bad_form(form) -> JsonResponse:
    return _json_error(400, "request.invalid", "The request is missing fields.",
                       fields={k: [str(e) for e in v] for k, v in form.errors.items()})


def _owned(request, strategy_id) -> Strategy | None:
    if strategy_id is None:
        return None
    return get_object_or_404(Strategy.objects.owned_by(request.user), pk=strategy_id)


@live
def live_validate(request):
    form = LiveForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    strategy = _owned(request, form.cleaned_data["strategy_id"])
    data = form.cleaned_data
    with telemetry.dsl_check("validate", data["format"], "editor") as span:
        result = check(request.user, data["document"], data["format"],
                       strategy.pk if strategy else None)
        span.metadata["result"] = "valid" if result["valid"] else "invalid"
    return JsonResponse(result)


def _syntax_test(document: str, fmt: str) -> dict:
    with telemetry.dsl_check("syntax_test", fmt, "editor") as span:
        report = validate(document, fmt)
        syntax = {"summary": summarize(report), "errors": [d.as_dict() for d in report.errors]}
        span.metadata["result"] = telemetry.report_result(report)
    return syntax


@live
def live_syntax_test(request):
    form = LiveForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    _owned(request, form.cleaned_data["strategy_id"])
    syntax = _syntax_test(form.cleaned_data["document"], form.cleaned_data["format"])
    return HttpResponse(render_to_string("strategies/_editor_syntax.html",
                                         {"syntax": syntax}, request))


@live
def live_convert(request):
    form = ConvertForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    data = form.cleaned_data
    report = validate(data["document"], data["format"])
    if not report.valid:
        return JsonResponse({"error": {"code": "convert.invalid", "message":
                             "Only a valid document can be converted; fix the errors first."},
                             "errors": [d.as_dict() for d in report.errors]}, status=422)
    if data["to"] == data["format"]:
        return JsonResponse({"document": data["document"], "format": data["to"]})
    return JsonResponse({"document": dump(report.model, data["to"]), "format": data["to"]})


@live
def live_indicator(request):
    form = IndicatorForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    data = form.cleaned_data
    document, fmt = data["document"].replace("\r\n", "\n"), data["format"]
    report = validate(document, fmt) if document.strip() else None
    taken = snippets.indicator_names(report.root) if report else set()
    indent = snippets.yaml_indent(document) if fmt == "yaml" else ""
    try:
        entry = snippets.snippet(data["type"], fmt, data["name"], form.parameters(), indent,
                                 taken)
    except snippets.SnippetRejected as rejected:
        return JsonResponse({"error": {"code": "indicator.invalid",
                                       "message": str(rejected)},
                             "errors": [e.as_dict() for e in rejected.errors]}, status=422)
    edit = snippets.placement(document, fmt, entry) if document.strip() else None
    return JsonResponse({"snippet": entry, "edit": edit.as_dict() if edit else None})


@login_required
@require_GET
def live_catalog(request):
    return JsonResponse(snippets.describe_catalog())


@live
def live_autosave(request):
    form = AutosaveForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    data = form.cleaned_data
    strategy = _owned(request, data["strategy_id"])
    draft = autosave.store(request.user, strategy, data["document"], data["format"],
                           data["base_lock_version"])
    return JsonResponse({"saved": True, "at": draft.updated_at.isoformat()})


@live
def live_autosave_discard(request):
    form = LiveForm({"format": "yaml", **request.POST.dict()})
    if not form.is_valid():
        return _bad_form(form)
    strategy = _owned(request, form.cleaned_data["strategy_id"])
    autosave.discard(request.user, strategy)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"discarded": True})
    messages.info(request, "Your unsaved text was discarded.")
    target = reverse("strategies:edit", args=[strategy.pk]) if strategy \
        else reverse("strategies:new")
    return redirect(target)


@live
def live_conflict(request):
    """The conflict banner for a page that learned from the event stream that its
    strategy was saved elsewhere; empty when the page is not behind."""
    form = AutosaveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["strategy_id"] is None:
        return _bad_form(form)
    strategy = _owned(request, form.cleaned_data["strategy_id"])
    base = form.cleaned_data["base_lock_version"]
    if base is None or strategy.lock_version == base:
        return HttpResponse(status=204)
    conflict = lifecycle._conflict(Strategy.objects.select_related("updated_by")
                                   .get(pk=strategy.pk), base, form.cleaned_data["document"])
    return HttpResponse(render_to_string("strategies/_editor_conflict.html",
                                         {"conflict": conflict.as_dict(),
                                          "strategy": strategy}, request))
