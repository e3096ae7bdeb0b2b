"""Prometheus configuration, recording and alert rules: checked and unit-tested by promtool."""

import re
import subprocess

import pytest
import yaml
from monitoring_helpers import (
    MONITORING,
    PROMETHEUS_TESTS_DIR,
    RULES_DIR,
    RUNBOOK_BASE,
    alert_rules,
    catalog_series,
    metric_names,
    recording_rules,
    require_binary,
)

PROMETHEUS_YML = MONITORING / "prometheus" / "prometheus.yml"


def run(*command):
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_promtool_check_config_loads_every_rule_file():
    promtool = require_binary("promtool")
    result = run(promtool, "check", "config", str(PROMETHEUS_YML))
    assert result.returncode == 0, result.stdout + result.stderr
    found = int(re.search(r"SUCCESS: (\d+) rule files found", result.stdout)[1])
    assert found == len(list(RULES_DIR.glob("*.yml")))


def test_promtool_check_rules():
    promtool = require_binary("promtool")
    result = run(promtool, "check", "rules", *map(str, sorted(RULES_DIR.glob("*.yml"))))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("test_file", sorted(p.name for p in PROMETHEUS_TESTS_DIR.glob("*.yml")))
def test_promtool_rule_unit_tests(test_file):
    promtool = require_binary("promtool")
    result = run(promtool, "test", "rules", str(PROMETHEUS_TESTS_DIR / test_file))
    assert result.returncode == 0, result.stdout + result.stderr


def test_config_scrapes_the_app_and_loads_the_rules_directory():
    config = yaml.safe_load(PROMETHEUS_YML.read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    app = jobs["trading-strategy"]
    assert app["static_configs"][0]["targets"] == ["host.docker.internal:9568"]
    assert app.get("metrics_path", "/metrics") == "/metrics"
    assert config["rule_files"] == ["rules/*.yml"]
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]


def test_the_names_later_tests_rely_on():
    names = {rule["alert"] for rule in alert_rules()}
    assert {"SlowSyntaxTest", "TargetDown", "Watchdog"} <= names


def test_every_alert_has_for_severity_and_annotations():
    for rule in alert_rules():
        name = rule["alert"]
        if name == "Watchdog":
            assert rule["labels"]["severity"] == "none"
        else:
            assert re.fullmatch(r"\d+[smh]", rule.get("for", "")), name
            assert rule["labels"]["severity"] in {"critical", "warning"}, name
        annotations = rule["annotations"]
        assert set(annotations) == {"summary", "description", "runbook_url"}, name
        assert annotations["runbook_url"] == f"{RUNBOOK_BASE}{name}.md", name


def test_descriptions_show_the_value_humanized():
    for rule in alert_rules():
        if rule["alert"] in {"Watchdog", "TargetDown"}:
            continue
        assert re.search(
            r"\$value \| humanize|printf \"%\.2f\" \$value", rule["annotations"]["description"]
        ), rule["alert"]


def test_latency_p95s_are_quantiles_over_summed_bucket_rates():
    p95s = [rule for rule in recording_rules() if rule["record"].endswith(":p95_5m")]
    assert len(p95s) >= 4
    for rule in p95s:
        assert re.fullmatch(
            r"histogram_quantile\(0\.95, sum by \(le(, \w+)?\) \(rate\(\w+_bucket\{[^}]*\}\[5m\]\)\)\)",
            rule["expr"].strip(),
        ), rule["record"]


def test_slo_alerts_read_the_shared_recording_rules():
    exprs = {rule["alert"]: rule["expr"] for rule in alert_rules()}
    assert 'p95_5m{route="strategies:live-validate"} > 1' in exprs["SlowLiveValidation"]
    assert 'p95_5m{check="syntax_test"} > 3' in exprs["SlowSyntaxTest"]
    assert 'p95_5m{operation="create"} > 10' in exprs["SlowStrategyCreation"]
    assert 'preview_duration_seconds:p95_5m{bars="le_20k"} > 1' in exprs["SlowPreview"]
    assert "db_query_duration_seconds:p95_5m > 0.5" in exprs["SlowDatabaseQueries"]
    for name in ("HighHttpErrorRatio", "HighStrategyOperationErrorRatio"):
        # A ratio, and a minimum-traffic guard.
        assert ":ratio_5m > 0.05" in exprs[name] and "and on()" in exprs[name], name


def test_rules_read_only_catalog_metrics_and_defined_recording_rules():
    known = catalog_series() | {rule["record"] for rule in recording_rules()}
    for rule in recording_rules() + alert_rules():
        unknown = metric_names(rule["expr"]) - known
        assert not unknown, (rule.get("alert") or rule.get("record"), unknown)


def test_every_alert_is_unit_tested_firing_silent_and_resolved():
    fired, silent = set(), set()
    for path in PROMETHEUS_TESTS_DIR.glob("*.yml"):
        for test in yaml.safe_load(path.read_text())["tests"]:
            for case in test.get("alert_rule_test", []):
                (fired if case.get("exp_alerts") else silent).add(case["alertname"])
    names = {rule["alert"] for rule in alert_rules()}
    assert names <= fired
    assert names - {"Watchdog"} <= silent


def test_alert_thresholds_are_bucket_edges_of_the_exporters_histograms():
    """A p95 crosses a threshold exactly only when the threshold is a bucket edge, and a
    strict `> threshold` can fire only when some edge lies above it (histogram_quantile
    never answers beyond the top finite edge)."""
    metrics = pytest.importorskip("trading_strategy.observability.metrics")
    edges = {
        "trading_strategy_http_request_duration_seconds": {1.0},
        "trading_strategy_dsl_check_duration_seconds": {1.0, 3.0},
        "trading_strategy_strategy_operation_duration_seconds": {5.0, 10.0, 30.0},
        "trading_strategy_db_query_duration_seconds": {0.1, 0.5},
        "trading_strategy_preview_duration_seconds": {0.3, 1.0},
    }
    histograms = {
        h._name: h
        for h in (
            metrics.http_request_duration,
            metrics.dsl_check_duration,
            metrics.strategy_operation_duration,
            metrics.db_query_duration,
            metrics.preview_duration,
        )
    }
    for name, needed in edges.items():
        upper_bounds = set(histograms[name]._upper_bounds)
        assert needed <= upper_bounds, (name, needed - upper_bounds)
        top_edge = max(bound for bound in upper_bounds if bound != float("inf"))
        assert top_edge > max(needed), (name, top_edge)
