"""The panel toolkit of the dashboards as code: Grafana's grid, Prometheus targets,
thresholds, and the two panel kinds we use (`timeseries`, `stat`). Standard library only."""

from __future__ import annotations

DATASOURCE = {"type": "prometheus", "uid": "trading-strategy-prometheus"}
JOB = 'job="trading-strategy"'
GREEN, ORANGE, RED = "green", "orange", "red"


class Layout:
    """Places panels left to right on Grafana's 24-column grid, wrapping rows."""

    def __init__(self):
        self.x = self.y = self.row_height = 0
        self.next_id = 1

    def place(self, width: int, height: int) -> tuple[int, dict]:
        if self.x + width > 24:
            self.x, self.y, self.row_height = 0, self.y + self.row_height, 0
        grid = {"h": height, "w": width, "x": self.x, "y": self.y}
        self.x += width
        self.row_height = max(self.row_height, height)
        panel_id, self.next_id = self.next_id, self.next_id + 1
        return panel_id, grid


def target(expr: str, legend: str = "", ref: str = "A") -> dict:
    return {"refId": ref, "datasource": DATASOURCE, "expr": expr, "legendFormat": legend, "range": True}


def thresholds(*steps: tuple[float, str]) -> dict:
    """Threshold steps above a green base: (value, colour), ascending."""
    return {
        "mode": "absolute",
        "steps": [{"color": GREEN, "value": None}]
        + [{"color": colour, "value": value} for value, colour in steps],
    }


def timeseries(
    layout: Layout,
    title: str,
    description: str,
    targets: list[dict],
    unit: str,
    *,
    steps: tuple = (),
    width: int = 12,
    height: int = 8,
    stack: bool = False,
    minimum: float | None = 0,
    maximum: float | None = None,
) -> dict:
    panel_id, grid = layout.place(width, height)
    defaults = {
        "unit": unit,
        "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": False,
            "stacking": {"mode": "normal" if stack else "none", "group": "A"},
            # The SLO edges, as dashed lines across the graph.
            "thresholdsStyle": {"mode": "dashed" if steps else "off"},
        },
        "thresholds": thresholds(*steps),
        "color": {"mode": "palette-classic"},
    }
    if minimum is not None:
        defaults["min"] = minimum
    if maximum is not None:
        defaults["max"] = maximum
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": grid,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": [dict(t, refId=chr(ord("A") + i)) for i, t in enumerate(targets)],
    }


def stat(
    layout: Layout,
    title: str,
    description: str,
    expr: str,
    unit: str,
    *,
    steps: tuple = (),
    legend: str = "",
    width: int = 4,
    height: int = 4,
    base: str = GREEN,
    mappings: list | None = None,
) -> dict:
    panel_id, grid = layout.place(width, height)
    panel_thresholds = thresholds(*steps)
    panel_thresholds["steps"][0]["color"] = base
    return {
        "id": panel_id,
        "type": "stat",
        "title": title,
        "description": description,
        "datasource": DATASOURCE,
        "gridPos": grid,
        "fieldConfig": {
            "defaults": {
                "unit": unit,
                "thresholds": panel_thresholds,
                "mappings": mappings or [],
                "color": {"mode": "thresholds"},
            },
            "overrides": [],
        },
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "colorMode": "value",
            "graphMode": "area",
            "justifyMode": "auto",
            "textMode": "auto",
            "orientation": "auto",
        },
        "targets": [target(expr, legend)],
    }


def dashboard(uid: str, title: str, description: str, panels: list[dict]) -> dict:
    return {
        "uid": uid,
        "title": title,
        "description": description,
        "tags": ["trading-strategy"],
        "timezone": "browser",
        "editable": False,
        "graphTooltip": 1,
        "refresh": "30s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-6h", "to": "now"},
        "annotations": {"list": []},
        "templating": {"list": []},
        "links": [],
        "panels": panels,
    }
