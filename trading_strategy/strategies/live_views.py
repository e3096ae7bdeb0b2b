"""The editor's live endpoints, which its script calls while the user types: validation,
syntax test, conversion, indicator snippets, autosave, the conflict banner and the preview.

Each answers JSON or an HTML fragment; the pages themselves are in editor_views.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET

from trading_strategy.budgets import spend
from trading_strategy.dsl import MAX_DOCUMENT_BYTES, dump, load, validate

from . import autosave, lifecycle, snippet_placement, snippets
from .editor_checks import check, syntax_answer
from .forms import AutosaveForm, ConvertForm, IndicatorForm, LiveForm, LivePreviewForm
from .models import Strategy
from .previews import preview_context
from .views import owned_or_404

# Room for the other form fields beside a document of the largest allowed size, so that
# such a document still gets the validator's own `document.too_large` diagnostic.
MAX_BODY_BYTES = MAX_DOCUMENT_BYTES + 8 * 1024


def _json_error(status: int, code: str, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message, **extra}}, status=status)


def live(view):
    """POST only, signed in, within the session's budget (settings.EDITOR_LIVE_RATE a
    minute), CSRF-checked, and refused before reading a body that is larger than any
    document could be."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY_BYTES:
            return _json_error(
                413,
                "request.too_large",
                f"The request is {length:,} bytes; documents may be at most {MAX_DOCUMENT_BYTES:,} bytes.",
            )
        if not request.user.is_authenticated:
            return _json_error(401, "auth.required", "Log in again to continue.")
        if request.method != "POST":
            return _json_error(405, "request.method", "Use POST.")
        wait = spend("editor-live", request.session.session_key or "", settings.EDITOR_LIVE_RATE)
        if wait is not None:
            response = _json_error(
                429, "request.rate_limited", "Too many requests from this editor in a minute; wait a moment."
            )
            response["Retry-After"] = str(wait)
            return response
        return protected(request, *args, **kwargs)

    return csrf_exempt(never_cache(wrapper))


def _bad_form(form) -> JsonResponse:
    return _json_error(
        400,
        "request.invalid",
        "The request is missing fields.",
        fields={k: [str(e) for e in v] for k, v in form.errors.items()},
    )


def _named_strategy(request, form) -> Strategy | None:
    """The strategy the form names, if any: the user's own, or a 404."""
    strategy_id = form.cleaned_data["strategy_id"]
    return None if strategy_id is None else owned_or_404(request.user, strategy_id)


@live
def live_validate(request):
    form = LiveForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    strategy = _named_strategy(request, form)
    data = form.cleaned_data
    return JsonResponse(
        check(
            request.user, data["document"], data["format"], strategy.pk if strategy else None, source="editor"
        )
    )


@live
def live_syntax_test(request):
    form = LiveForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    _named_strategy(request, form)
    syntax = syntax_answer(form.cleaned_data["document"], form.cleaned_data["format"])
    return HttpResponse(render_to_string("strategies/_editor_syntax.html", {"syntax": syntax}, request))


@live
def live_convert(request):
    form = ConvertForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    data = form.cleaned_data
    report = validate(data["document"], data["format"])
    if not report.valid:
        return JsonResponse(
            {
                "error": {
                    "code": "convert.invalid",
                    "message": "Only a valid document can be converted; fix the errors first.",
                },
                "errors": [d.as_dict() for d in report.errors],
            },
            status=422,
        )
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
    loaded = load(document, fmt)
    taken = snippets.indicator_names(loaded.root)
    indent = snippet_placement.yaml_indent(document, loaded) if fmt == "yaml" else ""
    try:
        entry = snippets.snippet(data["type"], fmt, data["name"], form.parameters(), indent, taken)
    except snippets.SnippetRejected as rejected:
        return JsonResponse(
            {
                "error": {"code": "indicator.invalid", "message": str(rejected)},
                "errors": [e.as_dict() for e in rejected.errors],
            },
            status=422,
        )
    edit = snippet_placement.placement(document, fmt, loaded, entry)
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
    strategy = _named_strategy(request, form)
    draft = autosave.store(
        request.user, strategy, data["document"], data["format"], data["base_lock_version"]
    )
    return JsonResponse({"saved": True, "at": draft.updated_at.isoformat()})


@live
def live_autosave_discard(request):
    form = LiveForm({"format": "yaml", **request.POST.dict()})
    if not form.is_valid():
        return _bad_form(form)
    strategy = _named_strategy(request, form)
    autosave.discard(request.user, strategy)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"discarded": True})
    messages.info(request, "Your unsaved text was discarded.")
    target = reverse("strategies:edit", args=[strategy.pk]) if strategy else reverse("strategies:new")
    return redirect(target)


@live
def live_conflict(request):
    """The conflict banner for a page that learned from the event stream that its
    strategy was saved elsewhere; empty when the page is not behind."""
    form = AutosaveForm(request.POST)
    if not form.is_valid() or form.cleaned_data["strategy_id"] is None:
        return _bad_form(form)
    strategy = owned_or_404(request.user, form.cleaned_data["strategy_id"])
    base = form.cleaned_data["base_lock_version"]
    if base is None or strategy.lock_version == base:
        return HttpResponse(status=204)
    conflict = lifecycle.conflict_for(strategy, base, form.cleaned_data["document"])
    return HttpResponse(
        render_to_string(
            "strategies/_editor_conflict.html",
            {"conflict": conflict.as_dict(), "strategy": strategy},
            request,
        )
    )


@live
def live_preview(request):
    """The editor's preview panel, as an HTML fragment: the same as the strategy page's."""
    form = LivePreviewForm(request.POST)
    if not form.is_valid():
        return _bad_form(form)
    document, fmt = form.cleaned_data["document"], form.cleaned_data["format"]
    context = preview_context(request.user, document, fmt, request.POST, "editor")
    return HttpResponse(render_to_string("strategies/_preview.html", context, request=request))
