"""Dataset routes: the user's own price datasets (owner-scoped like strategies) and the
synthetic samples everyone may preview on."""

from __future__ import annotations

from functools import wraps
from typing import Annotated

from django.http import JsonResponse
from ninja import File, Form, Path, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from trading_strategy.datasets import uploads
from trading_strategy.datasets.models import NAME_MAX, Dataset, Upload
from trading_strategy.preview import samples
from trading_strategy.strategies.models import MAX_ID
from trading_strategy.strategies.previews import SAMPLE_PREFIX

from .errors import ApiError
from .schemas import ALWAYS, BODY, FOUND, DatasetOut, DatasetUploaded, Error, SampleOut, Text

router = Router(tags=["datasets"])

DatasetId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _dataset(request, dataset_id: int) -> Dataset:
    try:
        return Dataset.objects.owned_by(request.auth).listed().get(pk=dataset_id)
    except Dataset.DoesNotExist:
        raise ApiError(404, "data.not_found", "No such dataset.") from None


def _refusal(upload: Upload) -> ApiError:
    """A refusal about the file's rows is 422 data.rejected with every diagnostic; any
    other (too large, too many datasets) has its own code and status."""
    status, first = uploads.refusal_status(upload), upload.diagnostics[0]
    diagnostics = [d.as_dict() for d in upload.diagnostics]
    if status != 422:
        return ApiError(status, first.code, first.message, first.hint, diagnostics=diagnostics)
    return ApiError(
        422,
        "data.rejected",
        f"The file was refused: {len(diagnostics)} problem(s).",
        "Each diagnostic names the line and column of the file.",
        diagnostics=diagnostics,
    )


def _refuse_declared_too_large(run):
    """Answer 413 before the multipart body is read, from the size the request declares."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        if uploads.declared_too_large(request):
            return JsonResponse(_refusal(uploads.refused_too_large()).as_dict(), status=413)
        return run(request, *args, **kwargs)

    return wrapper


@router.get("/datasets", response={200: list[DatasetOut]} | ALWAYS, summary="Your datasets, newest first")
def list_datasets(request):
    return Dataset.objects.owned_by(request.auth).listed()


@router.post(
    "/datasets",
    response={201: DatasetUploaded} | ALWAYS | BODY | {409: Error},
    summary="Upload a CSV of OHLCV bars (422 data.rejected with positioned diagnostics, "
    "413 data.too_large, 409 data.too_many)",
)
@decorate_view(_refuse_declared_too_large)
def upload_dataset(
    request,
    file: File[UploadedFile],
    name: Annotated[Text, Form(min_length=1, max_length=NAME_MAX)],
    trading_pair: Annotated[Text, Form("", max_length=31, description="e.g. BTC/USDT")] = "",
):
    upload = uploads.receive(request.auth, name, trading_pair, file)
    if upload.dataset is None:
        raise _refusal(upload)
    return Status(201, {"dataset": upload.dataset, "warnings": [d.as_dict() for d in upload.diagnostics]})


@router.get(
    "/datasets/samples",
    response={200: list[SampleOut]} | ALWAYS,
    summary="The synthetic sample datasets: not market data",
)
def list_samples(request):
    return [
        {
            "ref": SAMPLE_PREFIX + sample.name,
            "name": sample.name,
            "trading_pair": sample.pair,
            "timeframe": sample.timeframe,
            "title": sample.title,
            "synthetic": True,
        }
        for sample in samples.SAMPLES
    ]


@router.get("/datasets/{dataset_id}", response={200: DatasetOut} | ALWAYS | FOUND)
def get_dataset(request, dataset_id: DatasetId):
    return _dataset(request, dataset_id)


@router.delete("/datasets/{dataset_id}", response={204: None} | ALWAYS | FOUND)
def delete_dataset(request, dataset_id: DatasetId):
    _dataset(request, dataset_id).delete()
    return Status(204, None)
