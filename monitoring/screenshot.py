#!/usr/bin/env python3
"""Screenshots of the dashboard's key queries graphed by Prometheus's own UI.

Grafana needs Docker, which these machines lack; Prometheus's graph page draws the same
PromQL the dashboard panels run. tests/monitoring/test_end_to_end.py calls `capture()` while
its real server and Prometheus hold fresh data, which refreshes docs/screenshots/prometheus-*.png
(the README's "Monitoring" section shows them). By hand, against `make run` + `make monitoring`:

    python monitoring/screenshot.py [--prometheus http://127.0.0.1:9090] [--out docs/screenshots]

Browser: Debian's Chromium driven by Playwright (pip install playwright; never
`playwright install`), as in tests/e2e/conftest.py.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DASHBOARD = REPO / "monitoring" / "grafana" / "dashboards" / "trading-strategy-overview.json"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# file stem -> the dashboard panel whose first query it graphs.
SHOTS = {
    "prometheus-request-rate": "HTTP request rate",
    "prometheus-syntax-test-p95": "Syntax test duration (p95)",
    "prometheus-log-in-attempts": "Log-in attempts",
}


def panel_queries(path: Path = DASHBOARD) -> dict[str, list[str]]:
    """Panel title -> its PromQL expressions, as committed."""
    model = json.loads(path.read_text(encoding="utf-8"))
    return {
        panel["title"]: [target["expr"] for target in panel.get("targets", [])] for panel in model["panels"]
    }


def graph_url(prometheus: str, expr: str, range_input: str = "5m") -> str:
    query = urlencode(
        {
            "g0.expr": expr,
            "g0.tab": "0",
            "g0.range_input": range_input,
            "g0.stacked": "0",
            "g0.show_exemplars": "0",
        }
    )
    return f"{prometheus.rstrip('/')}/graph?{query}"


def capture(
    prometheus: str, out_dir: Path, *, range_input: str = "5m", shots: dict[str, str] = SHOTS
) -> list[Path]:
    """Open each shot's query in Prometheus's graph tab and save out_dir/<stem>.png."""
    from playwright.sync_api import sync_playwright

    queries = panel_queries()
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for stem, title in shots.items():
                page.goto(graph_url(prometheus, queries[title][0], range_input))
                # Debian's Prometheus serves the classic UI (rickshaw): a line is an SVG
                # path, drawn once the range query has answered with series.
                page.wait_for_selector(
                    ".graph_area .rickshaw_graph path.path", state="attached", timeout=15_000
                )
                page.wait_for_timeout(300)
                path = out_dir / f"{stem}.png"
                page.screenshot(path=str(path), full_page=True)
                saved.append(path)
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prometheus", default="http://127.0.0.1:9090")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--range", default="5m", help="graph range (default: %(default)s)")
    args = parser.parse_args(argv)
    for path in capture(args.prometheus, args.out, range_input=args.range):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
