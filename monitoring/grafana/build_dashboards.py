#!/usr/bin/env python3
"""Build the Grafana dashboards of trading-strategy as code.

    python monitoring/grafana/build_dashboards.py           # write dashboards/*.json
    python monitoring/grafana/build_dashboards.py --check   # exit 1 if a file is stale

Writes bare dashboard models (no wrapping "dashboard" key: file provisioning reads the
model itself) with stable uids, `timeseries` and `stat` panels only, base units, and the
SLO thresholds of docs (DESIGN.md "SLOs") drawn as lines on the panels that measure them.
Queries read only the metric catalog and the recording rules of
monitoring/prometheus/rules/ (tests/monitoring/test_grafana.py checks that, and that the
committed JSON is this script's output). Standard library only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# The builders sit beside this script, which tests load by path as well as run.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from overview_dashboard import overview

DASHBOARDS = Path(__file__).resolve().parent / "dashboards"

DASHBOARD_BUILDERS = {"trading-strategy-overview.json": overview}


def render(builder) -> str:
    return json.dumps(builder(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    DASHBOARDS.mkdir(exist_ok=True)
    for name, builder in DASHBOARD_BUILDERS.items():
        path = DASHBOARDS / name
        text = render(builder)
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("stale (run monitoring/grafana/build_dashboards.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
