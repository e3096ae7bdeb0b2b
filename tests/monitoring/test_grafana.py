"""Grafana: provisioning files, and dashboards that are the generator's output and lint clean."""

import json
import subprocess
import sys

import yaml
from monitoring_helpers import MONITORING, catalog_series, load_module, metric_names, recording_rules

GRAFANA = MONITORING / "grafana"
DATASOURCE_UID = "trading-strategy-prometheus"
UNITS = {"s", "bytes", "percentunit", "reqps", "ops", "none"}


def dashboards():
    return {
        path.name: json.loads(path.read_text()) for path in sorted((GRAFANA / "dashboards").glob("*.json"))
    }


def panels(model):
    for panel in model["panels"]:
        yield panel
        yield from panel.get("panels", [])


def test_committed_json_is_the_generators_output():
    builder = load_module("build_dashboards", GRAFANA / "build_dashboards.py")
    built = set(builder.DASHBOARD_BUILDERS)
    assert built == set(dashboards())
    for name, build in builder.DASHBOARD_BUILDERS.items():
        assert (GRAFANA / "dashboards" / name).read_text() == builder.render(build), (
            f"{name} is stale: run python monitoring/grafana/build_dashboards.py"
        )
    result = subprocess.run(
        [sys.executable, str(GRAFANA / "build_dashboards.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_datasource_has_the_fixed_uid():
    config = yaml.safe_load((GRAFANA / "provisioning" / "datasources" / "prometheus.yml").read_text())
    (datasource,) = config["datasources"]
    assert datasource["uid"] == DATASOURCE_UID
    assert datasource["type"] == "prometheus" and datasource["url"] == "http://prometheus:9090"


def test_dashboard_provider_points_at_the_mounted_dashboards():
    config = yaml.safe_load((GRAFANA / "provisioning" / "dashboards" / "trading-strategy.yml").read_text())
    (provider,) = config["providers"]
    assert provider["type"] == "file"
    assert provider["options"]["path"] == "/var/lib/grafana/dashboards"


def test_dashboards_are_bare_models_with_stable_uids():
    uids = set()
    for name, model in dashboards().items():
        assert "dashboard" not in model, name
        assert model["uid"] and model["uid"] == name.removesuffix(".json"), name
        assert model["title"] and model["panels"]
        uids.add(model["uid"])
    assert len(uids) == len(dashboards())


def test_panels_are_timeseries_or_stat_with_the_datasource_and_base_units():
    for name, model in dashboards().items():
        ids = [panel["id"] for panel in panels(model)]
        assert len(ids) == len(set(ids)), name
        for panel in panels(model):
            where = f"{name}: {panel['title']}"
            assert panel["type"] in {"timeseries", "stat"}, where
            assert panel["datasource"] == {"type": "prometheus", "uid": DATASOURCE_UID}, where
            assert panel["targets"], where
            for target in panel["targets"]:
                assert target["datasource"]["uid"] == DATASOURCE_UID, where
            assert panel["fieldConfig"]["defaults"]["unit"] in UNITS, where


def test_queries_read_only_catalog_metrics_and_recording_rules():
    known = catalog_series() | {rule["record"] for rule in recording_rules()}
    for name, model in dashboards().items():
        for panel in panels(model):
            for target in panel["targets"]:
                unknown = metric_names(target["expr"]) - known
                assert not unknown, (name, panel["title"], unknown)


def test_every_catalog_metric_is_on_the_overview():
    exprs = " ".join(
        target["expr"]
        for panel in panels(dashboards()["trading-strategy-overview.json"])
        for target in panel["targets"]
    )
    recorded = " ".join(rule["expr"] for rule in recording_rules())
    for series in catalog_series():
        family = series.removesuffix("_bucket").removesuffix("_count").removesuffix("_sum")
        assert family in exprs or family in recorded, family


def test_slo_thresholds_are_drawn():
    by_title = {panel["title"]: panel for panel in panels(dashboards()["trading-strategy-overview.json"])}

    def steps(title):
        defaults = by_title[title]["fieldConfig"]["defaults"]
        assert defaults["custom"]["thresholdsStyle"]["mode"] != "off", title
        return [step["value"] for step in defaults["thresholds"]["steps"][1:]]

    assert steps("Validation response time (p95)") == [1]
    assert steps("Syntax test duration (p95)") == [3]
    assert steps("Preview duration (p95)") == [0.3, 1]
    assert steps("Strategy creation duration (p95)") == [5, 10]
    assert steps("Error ratio") == [0.01, 0.05]
    assert steps("Database query duration (p95)") == [0.1, 0.5]
    assert steps("Database pool saturation") == [0.8]
    assert steps("Memory per worker") == [2e9]


def test_the_original_plans_seven_panels_are_there():
    titles = {panel["title"] for panel in panels(dashboards()["trading-strategy-overview.json"])}
    assert {
        "Strategy creation rate",
        "Strategy creation duration (p95)",
        "Validation response time (p95)",
        "Syntax test duration (p95)",
        "HTTP request rate",
        "Error ratio",
        "Memory per worker",
    } <= titles
    assert {
        "p95 by route",
        "5xx ratio by route",
        "Status codes",
        "Database query duration (p95)",
        "Database pool",
        "Live subscribers and events",
        "Strategies by status",
        "Log-in attempts",
    } <= titles
