"""Price datasets a trader uploaded: owned like strategies, stored in the database.

The bars live in the database, not on a disk of one instance, so every instance behind a
load balancer sees the same datasets and a database backup holds them. They are stored as
numpy's compressed archive of the six columns (`np.savez_compressed`, read back without
pickle): 3.1 MB for 100,000 bars whose CSV is 7.1 MB, read back in about 30 ms.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from trading_strategy.dsl import Diagnostic
from trading_strategy.preview import Bars, read_csv

NAME_MAX = 100
# The most a trader keeps, and the largest upload: bounded storage per user.
MAX_PER_USER = 20
MAX_UPLOAD_BYTES = 16 * 1024 * 1024
_COLUMNS = ("time", "open", "high", "low", "close", "volume")


@dataclass
class Upload:
    dataset: Dataset | None  # None when refused
    diagnostics: list[Diagnostic]  # why refused, or warnings about the data


def too_large() -> Diagnostic:
    return _refusal("data.too_large", f"The file is over {MAX_UPLOAD_BYTES:,} bytes.")


def _refusal(code: str, message: str) -> Diagnostic:
    hints = {
        "data.too_large": "upload a shorter period or a longer timeframe",
        "data.too_many": "delete a dataset you no longer need",
    }
    return Diagnostic(code, "error", message, hint=hints[code])


class DatasetQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The only way datasets are looked up: another user's dataset is not found."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def listed(self):
        """Without the bars themselves: a list reads only the description."""
        return self.defer("data").order_by("-created_at", "-id")

    def upload(self, owner, name: str, trading_pair: str, data: bytes) -> Upload:
        """Read a CSV and keep it as `owner`'s dataset; refused with diagnostics when the
        file is rejected (rows and columns named) or the owner has MAX_PER_USER already."""
        if len(data) > MAX_UPLOAD_BYTES:
            return Upload(None, [too_large()])
        loaded = read_csv(data)
        if loaded.bars is None:
            return Upload(None, loaded.diagnostics)
        with transaction.atomic():
            # The owner's row, locked, orders concurrent uploads: the count below cannot
            # be read by two of them at once, on any worker or instance.
            # Not type(owner): on a page, request.user is a lazy proxy around the user.
            get_user_model().objects.select_for_update().filter(pk=owner.pk).exists()
            if self.owned_by(owner).count() >= MAX_PER_USER:
                return Upload(None, [_refusal("data.too_many", f"You keep {MAX_PER_USER} datasets already.")])
            dataset = Dataset.build(
                owner, name.strip()[:NAME_MAX] or "Dataset", trading_pair.strip()[:31], loaded.bars
            )
            dataset.save()
        return Upload(dataset, loaded.diagnostics)


class Dataset(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=NAME_MAX)
    # As the uploader labelled it, e.g. BTC/USDT; empty when not given.
    trading_pair = models.CharField(max_length=31, blank=True, default="")
    bar_count = models.PositiveIntegerField()
    # The usual spacing of the bars in seconds (the median step).
    spacing = models.PositiveIntegerField()
    first_time = models.DateTimeField()
    last_time = models.DateTimeField()
    data = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["owner", "-created_at"], name="dataset_owner_recent")]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def build(cls, owner, name: str, trading_pair: str, bars: Bars) -> Dataset:
        steps = np.diff(bars.time)
        return cls(
            owner=owner,
            name=name,
            trading_pair=trading_pair,
            bar_count=len(bars),
            spacing=int(np.median(steps)) if len(steps) else 0,
            first_time=_moment(int(bars.time[0])),
            last_time=_moment(int(bars.time[-1])),
            data=pack(bars),
        )

    def bars(self) -> Bars:
        return unpack(bytes(self.data))


def pack(bars: Bars) -> bytes:
    buffer = io.BytesIO()
    time, open_, high, low, close, volume = bars.time, *bars.columns()
    np.savez_compressed(buffer, time=time, open=open_, high=high, low=low, close=close, volume=volume)
    return buffer.getvalue()


def unpack(data: bytes) -> Bars:
    with np.load(io.BytesIO(data), allow_pickle=False) as archive:
        return Bars.from_columns(*(archive[name] for name in _COLUMNS))


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)
