"""The signal preview on the web: which bars, which range, and what the panel shows.

Pages and the API name the data as a sample (`sample:<name>`, synthetic, the same for
everyone) or as the id of one of the user's own datasets; nothing else is accepted, and
another user's dataset is not found. The preview itself runs in `checks.preview`, the one
recorded path the command line shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np

from trading_strategy.datasets.models import Dataset
from trading_strategy.dsl import Report, load
from trading_strategy.preview import Bars, samples
from trading_strategy.preview.chart import chart
from trading_strategy.preview.results import as_json, blocking, blocking_words

from . import checks
from .forms import PreviewChoiceForm

SAMPLE_PREFIX = "sample:"


class DataNotFound(Exception):
    """The data named is not a sample, nor a dataset of this user."""


@dataclass(frozen=True)
class DataSource:
    ref: str  # "sample:<name>" or the dataset's id
    title: str
    bars: Bars
    pair: str | None
    synthetic: bool


def choices(user) -> list[tuple[str, str]]:
    """(ref, title) of every dataset a user may preview on: samples first."""
    found = [(SAMPLE_PREFIX + sample.name, sample.title) for sample in samples.SAMPLES]
    for dataset in Dataset.objects.owned_by(user).listed():
        found.append((str(dataset.pk), f"{dataset.name} ({dataset.bar_count:,} bars)"))
    return found


def default_ref(pair: str, timeframe: str) -> str:
    return SAMPLE_PREFIX + samples.for_strategy(pair, timeframe).name


def default_ref_for(document: str, fmt: str) -> str:
    """The sample of the pair and timeframe a document names, read without validating it
    (the preview validates it once, itself)."""
    root = load(document, fmt).root
    fields = root.value if root is not None and root.kind == "map" else {}

    def text(key: str) -> str:
        entry = fields.get(key)
        value = None if entry is None else entry.node.value
        return value if isinstance(value, str) else ""

    return default_ref(text("trading_pair"), text("timeframe"))


def source(user, ref: str) -> DataSource:
    if ref.startswith(SAMPLE_PREFIX):
        sample = samples.find(ref.removeprefix(SAMPLE_PREFIX))
        if sample is None:
            raise DataNotFound(ref)
        return DataSource(ref, sample.title, sample.bars(), sample.pair, True)
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not (ref.isascii() and ref.isdigit()) or len(ref) > 18:
        raise DataNotFound(ref)
    dataset = Dataset.objects.owned_by(user).filter(pk=int(ref)).first()
    if dataset is None:
        raise DataNotFound(ref)
    return DataSource(ref, dataset.name, dataset.bars(), dataset.trading_pair or None, False)


def bar_range(bars: Bars, start: date | None, end: date | None) -> tuple[int, int]:
    """Bars from the first UTC day to the last one, both included; all when not given."""
    first = 0 if start is None else int(np.searchsorted(bars.time, _seconds(start)))
    last = len(bars) if end is None else int(np.searchsorted(bars.time, _seconds(end) + 86_400))
    return first, max(first, last)


def _seconds(day: date) -> int:
    return int(datetime.combine(day, time(), tzinfo=UTC).timestamp())


@dataclass
class Shown:
    """A preview as a page or the API presents it."""

    data: DataSource
    outcome: checks.PreviewOutcome
    first: int
    end: int

    @property
    def ran(self) -> bool:
        return self.outcome.preview is not None

    def results(self) -> dict[str, Any]:
        assert self.outcome.preview is not None
        return as_json(self.outcome.preview) | {
            "warnings": [d.as_dict() for d in self.outcome.warnings],
            "data": {"ref": self.data.ref, "title": self.data.title, "synthetic": self.data.synthetic},
        }

    def chart(self) -> dict[str, Any]:
        assert self.outcome.preview is not None
        return chart(self.outcome.preview, self.outcome.report)

    def blocking_sentence(self) -> str | None:
        preview = self.outcome.preview
        clause = None if preview is None else blocking(preview)
        return None if clause is None else blocking_words(clause)


def show(
    user,
    document: str,
    fmt: str,
    ref: str,
    where: checks.Source,
    start: date | None = None,
    end: date | None = None,
    report: Report | None = None,
) -> Shown:
    """Raises DataNotFound for a data reference the user may not read. `report`: the
    document's validation, when the caller has it already."""
    data = source(user, ref)
    first, stop = bar_range(data.bars, start, end)
    outcome = checks.preview(
        document, fmt, data.bars, where, first=first, end=stop, data_pair=data.pair, report=report
    )
    return Shown(data, outcome, first, stop)


# The trades table shows this many; the statistics count them all.
TRADES_SHOWN = 200


def preview_context(user, document: str, fmt: str, params, where, report: Report | None = None) -> dict:
    """What `_preview.html` needs, for `params` (data, start, end) as a form reads them;
    `report` as for `show`."""
    form = PreviewChoiceForm(params)
    valid_choice = form.is_valid()
    choice = form.cleaned_data if valid_choice else {}
    ref = choice.get("data_source") or default_ref_for(document, fmt)
    context = {
        "preview_form": form,
        "preview_choices": choices(user),
        "preview_ref": ref,
        "preview_start": choice.get("start"),
        "preview_end": choice.get("end"),
    }
    if not valid_choice:
        return context
    try:
        shown = show(user, document, fmt, ref, where, choice.get("start"), choice.get("end"), report)
    except DataNotFound:
        return context | {"preview_missing": True}
    context["preview"] = shown
    if shown.ran:
        results = shown.results()
        context |= {
            "preview_results": results,
            "preview_trades": results["trades"][:TRADES_SHOWN],
            "preview_trades_hidden": max(0, len(results["trades"]) - TRADES_SHOWN),
            "preview_chart": shown.chart(),
            "preview_blocking": shown.blocking_sentence(),
            "preview_percents": {
                key: f"{value * 100:.2f} %"
                for key in ("win_rate", "total_return", "max_drawdown", "exposure")
                if (value := results["stats"][key]) is not None
            },
        }
    return context
