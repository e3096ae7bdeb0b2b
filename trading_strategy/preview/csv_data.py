"""Price data from CSV (PREVIEW.md §1), with a `data.*` diagnostic at the row and column
of every rejection.

Two layouts, told apart by content: a header naming the six columns (any case, extra
columns ignored), or an exchange's kline export without one (open time in milliseconds,
open, high, low, close, volume, then columns that are ignored). A diagnostic's `line` is
the file's line and its `column` the field's number, both from 1.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from trading_strategy.dsl import Diagnostic

from .bars import Bars

MAX_BYTES = 64 * 1024 * 1024
# Enough to show the pattern of a bad file without making the answer as big as the file.
MAX_DIAGNOSTICS = 20
_TIME_NAMES = ("time", "timestamp", "date", "open_time")
_PRICES = ("open", "high", "low", "close", "volume")
# Unix times above this are milliseconds: as seconds, it is past the year 5000.
_MILLISECONDS_FROM = 100_000_000_000


@dataclass
class Loaded:
    bars: Bars | None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def _error(code: str, message: str, line: int | None = None, column: int | None = None, hint=None):
    return Diagnostic(code, "error", message, line, column, hint=hint)


def read_csv(data: bytes) -> Loaded:
    if len(data) > MAX_BYTES:
        return Loaded(
            None,
            [
                _error(
                    "data.too_large",
                    f"The file is {len(data):,} bytes; the limit is {MAX_BYTES:,}.",
                    hint="upload a shorter period or a longer timeframe",
                )
            ],
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Loaded(None, [_error("data.encoding", f"The file is not UTF-8 text ({error.reason}).")])
    rows = [(number, row) for number, row in _rows(text) if any(cell.strip() for cell in row)]
    if not rows:
        return Loaded(None, [_error("data.empty", "The file holds no rows.", hint="export bars as CSV")])
    layout = _layout(rows[0][1])
    if isinstance(layout, Diagnostic):
        return Loaded(None, [layout])
    columns, has_header = layout
    body = rows[1:] if has_header else rows
    if not body:
        return Loaded(None, [_error("data.empty", "The file has a header but no bars.", rows[0][0])])
    return _parse(body, columns)


def _rows(text: str):
    reader = csv.reader(io.StringIO(text))
    for row in reader:
        yield reader.line_num, row


def _layout(first: list[str]) -> tuple[list[int], bool] | Diagnostic:
    """Column numbers of time, open, high, low, close, volume; and whether row 1 is a
    header."""
    names = [cell.strip().lower() for cell in first]
    if _number(first[0]) is not None or _iso_time(first[0]) is not None:
        if len(first) < 6:
            return _error(
                "data.columns",
                f"A row without a header needs at least 6 columns; this one has {len(first)}.",
                1,
                hint="add a header: time,open,high,low,close,volume",
            )
        return list(range(6)), False
    time = next((names.index(name) for name in _TIME_NAMES if name in names), None)
    missing = [name for name in _PRICES if name not in names]
    if time is None or missing:
        absent = (["time"] if time is None else []) + missing
        return _error(
            "data.columns",
            f"The header lacks {', '.join(absent)}.",
            1,
            hint="name the columns time,open,high,low,close,volume (timestamp, date or open_time for time)",
        )
    return [time] + [names.index(name) for name in _PRICES], True


def _parse(body: list[tuple[int, list[str]]], columns: list[int]) -> Loaded:
    diagnostics: list[Diagnostic] = []
    lines = np.array([number for number, _ in body])
    values = np.empty((len(body), 6))
    for index, (number, row) in enumerate(body):
        for slot, column in enumerate(columns):
            cell = row[column] if column < len(row) else ""
            value = _time(cell) if slot == 0 else _number(cell)
            if value is None:
                what = "a time (ISO 8601, or Unix seconds or milliseconds)" if slot == 0 else "a number"
                diagnostics.append(
                    _error("data.not_a_number", f"'{cell[:40]}' is not {what}.", number, column + 1)
                )
                value = np.nan
            values[index, slot] = value
        if len(diagnostics) >= MAX_DIAGNOSTICS:
            return Loaded(None, diagnostics)
    # Rows with an unreadable cell hold NaN there, which none of the checks below flags.
    time, open_, high, low, close, volume = values.T
    checks = [
        ("data.negative", values[:, slot] < 0, columns[slot], f"the {name} is negative")
        for slot, name in enumerate(_PRICES, start=1)
    ] + [
        ("data.high_below", high < np.maximum(open_, close), columns[2], "high is below the open or close"),
        ("data.low_above", low > np.minimum(open_, close), columns[3], "low is above the open or close"),
        (
            "data.time_order",
            np.diff(time, prepend=-np.inf) <= 0,
            columns[0],
            "the time is not after the last",
        ),
    ]
    for code, bad, column, words in checks:
        for row in np.flatnonzero(bad)[: max(0, MAX_DIAGNOSTICS - len(diagnostics))]:
            diagnostics.append(_error(code, f"{words[0].upper()}{words[1:]}.", int(lines[row]), column + 1))
    if diagnostics:
        return Loaded(None, sorted(diagnostics, key=lambda d: (d.line or 0, d.column or 0)))
    bars = Bars.from_columns(time.astype(np.int64), open_, high, low, close, volume)
    return Loaded(bars, _gaps(bars))


def _gaps(bars: Bars) -> list[Diagnostic]:
    if len(bars) < 3:
        return []
    steps = np.diff(bars.time)
    usual = int(np.median(steps))
    count = int(np.count_nonzero(steps > usual))
    if not count:
        return []
    return [
        Diagnostic(
            "data.gaps",
            "warning",
            f"{count} gaps in time (bars further apart than the usual {usual} s).",
            hint="x[n] counts bars, not time: it reaches across the gaps",
        )
    ]


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


def _time(cell: str) -> float | None:
    number = _number(cell)
    if number is not None:
        return number // 1000 if number >= _MILLISECONDS_FROM else number
    return _iso_time(cell)


def _iso_time(cell: str) -> float | None:
    try:
        moment = datetime.fromisoformat(cell.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
