"""`trading-strategy preview`: what a strategy does on a CSV of bars (PREVIEW.md §5)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trading_strategy.dsl import FORMATS, format_of, render_diagnostic
from trading_strategy.preview import Loaded, read_csv
from trading_strategy.preview.results import as_json, summary_lines
from trading_strategy.strategies import checks


def add_preview(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preview",
        help="show where a strategy enters and exits on price data, its trades and statistics",
        description="Run a valid strategy over a CSV of OHLCV bars (PREVIEW.md): its signals, "
        "trades, statistics and per-clause counts. Exit status: 0 done, 1 invalid strategy "
        "or rejected data, 2 usage error or unreadable file.",
    )
    parser.add_argument("path", metavar="FILE", help="the strategy (.yaml, .yml or .toml)")
    parser.add_argument("--data", required=True, metavar="CSV", help="the bars (see docs/preview.md)")
    parser.add_argument("--format", choices=FORMATS, help="format of FILE (default: from its extension)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--capital", type=_positive, default=10_000.0, help="starting equity (default: %(default)s)"
    )
    parser.add_argument(
        "--fee", type=_fee, default=0.001, help="fee per fill, a fraction of its value (default: %(default)s)"
    )
    parser.set_defaults(handler=run)


def _positive(text: str) -> float:
    value = float(text)
    if not 0 < value < 1e15:
        raise argparse.ArgumentTypeError("must be a positive amount")
    return value


def _fee(text: str) -> float:
    value = float(text)
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError("must be a fraction from 0 up to 1, e.g. 0.001 for 0.1 %")
    return value


def run(args: argparse.Namespace) -> int:
    fmt = args.format or format_of(args.path)
    if fmt is None:
        print(f"{args.path}: unknown format; pass --format yaml or --format toml", file=sys.stderr)
        return 2
    try:
        text = Path(args.path).read_text(encoding="utf-8")
        data = Path(args.data).read_bytes()
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read the file: {error}", file=sys.stderr)
        return 2
    loaded = read_csv(data)
    if loaded.bars is None:
        _print_data_problems(args.data, loaded)
        return 1
    outcome = checks.preview(text, fmt, loaded.bars, "cli", capital=args.capital, fee=args.fee)
    preview = outcome.preview
    if preview is None:
        for diagnostic in outcome.report.errors:
            print(render_diagnostic(args.path, text, diagnostic), file=sys.stderr)
        return 1
    warnings = loaded.diagnostics + outcome.warnings
    if args.json:
        result = as_json(preview) | {"warnings": [d.as_dict() for d in warnings]}
        print(json.dumps(result, indent=2))
        return 0
    _print_data_problems(args.data, Loaded(loaded.bars, warnings))
    print("\n".join(summary_lines(preview, args.path)))
    return 0


def _print_data_problems(path: str, loaded: Loaded) -> None:
    for diagnostic in loaded.diagnostics:
        place = [str(part) for part in (diagnostic.line, diagnostic.column) if part is not None]
        where = ":".join([path, *place])
        print(f"{where}: {diagnostic.severity}: {diagnostic.message} [{diagnostic.code}]", file=sys.stderr)
