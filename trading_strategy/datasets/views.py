"""Dataset pages: the user's datasets beside the synthetic samples, upload and delete.

Views parse the request, call the queryset or `uploads`, and render or flash and redirect.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from trading_strategy.dsl import Diagnostic
from trading_strategy.preview import samples

from . import uploads
from .forms import UploadForm
from .models import MAX_PER_USER, MAX_UPLOAD_BYTES, Dataset

_TIMEFRAMES = {seconds: name for name, seconds in samples.TIMEFRAME_SECONDS.items()}


def owned_or_404(user, dataset_id: int) -> Dataset:
    """The one way a page finds a dataset: the user's own, or a 404 that does not confirm
    another user's dataset exists."""
    return get_object_or_404(Dataset.objects.owned_by(user).listed(), pk=dataset_id)


def spacing_label(seconds: int) -> str:
    """The bar spacing as a timeframe ("4h") where it is one, else in seconds."""
    return _TIMEFRAMES.get(seconds, f"{seconds:,} s")


def _page(request, form: UploadForm, diagnostics: list[Diagnostic] | None = None, status: int = 200):
    datasets = Dataset.objects.owned_by(request.user).listed()
    return render(
        request,
        "datasets/list.html",
        {
            "datasets": [(dataset, spacing_label(dataset.spacing)) for dataset in datasets],
            "samples": samples.SAMPLES,
            "form": form,
            "rejection": [d.as_dict() for d in diagnostics or []],
            "max_per_user": MAX_PER_USER,
            "max_megabytes": MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=status,
    )


@login_required
@require_GET
def dataset_list(request):
    return _page(request, UploadForm())


def refuse_declared_too_large(view):
    """Refuse an upload by the size it declares, before anything reads its body: CSRF is
    checked after, since reading the token means parsing the whole multipart body."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and uploads.declared_too_large(request):
            return _page(request, UploadForm(), uploads.refused_too_large().diagnostics, status=413)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


@login_required
@require_POST
@refuse_declared_too_large
def upload_dataset(request):
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=422)
    data = form.cleaned_data
    upload = uploads.receive(request.user, data["name"], data["trading_pair"], data["file"])
    if upload.dataset is None:
        # The name and pair are kept; a browser never refills a file input.
        return _page(request, form, upload.diagnostics, status=uploads.refusal_status(upload))
    dataset = upload.dataset
    messages.success(request, f"\u201c{dataset.name}\u201d is uploaded: {dataset.bar_count:,} bars.")
    for warning in upload.diagnostics:
        messages.warning(request, warning.message)
    return redirect("datasets:list")


@login_required
@require_POST
def delete_dataset(request, dataset_id: int):
    dataset = owned_or_404(request.user, dataset_id)
    dataset.delete()
    messages.success(request, f"\u201c{dataset.name}\u201d is deleted.")
    return redirect("datasets:list")
