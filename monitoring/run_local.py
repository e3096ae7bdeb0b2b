#!/usr/bin/env python3
"""`make monitoring`: Prometheus and Alertmanager from the system binaries (Debian's
`prometheus` and `prometheus-alertmanager` packages), watching the app running on this
machine. Data and rendered configuration live under var/monitoring/; Ctrl-C stops both.

    python monitoring/run_local.py [--exporter 127.0.0.1:9568] [--prometheus-port 9090]
                                   [--alertmanager-port 9093] [--data var/monitoring]

The configuration is the one docker-compose.monitoring.yml uses, rendered for this machine:
the exporter and Alertmanager at 127.0.0.1, the rule files copied beside it (with
MEMORY_LIMIT_BYTES, when set, as the memory limit). Alertmanager's receivers come from the
ALERT_* variables (monitoring/alertmanager/alertmanager.yml); unset ones point at a local
address where nothing listens, so notifications fail visibly in its log instead of going
anywhere real. tests/monitoring/ uses render_prometheus_config() to retarget the same file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

MONITORING = Path(__file__).resolve().parent
REPO = MONITORING.parent
PROMETHEUS_CONFIG = MONITORING / "prometheus" / "prometheus.yml"
RULES = MONITORING / "prometheus" / "rules"
ALERTMANAGER_TEMPLATE = MONITORING / "alertmanager" / "alertmanager.yml"
APP_JOB = "trading-strategy"
MEMORY_LIMIT_RULE = "trading_strategy:memory_limit_bytes"

# Where unset receivers send in local runs: the discard port, where nothing listens.
NOWHERE = "http://127.0.0.1:9/"
LOCAL_RECEIVERS = {
    "ALERT_PAGERDUTY_ROUTING_KEY": "local-development",
    "ALERT_PAGERDUTY_URL": NOWHERE,
    "ALERT_CHAT_WEBHOOK_URL": NOWHERE,
    "ALERT_EMAIL_TO": "oncall@localhost",
    "ALERT_EMAIL_FROM": "alertmanager@localhost",
    "ALERT_SMTP_SMARTHOST": "127.0.0.1:9",
    "ALERT_SMTP_USERNAME": "local",
    "ALERT_SMTP_PASSWORD": "local",
    "ALERT_HEARTBEAT_URL": NOWHERE,
}


def _load_renderer():
    sys.path.insert(0, str(ALERTMANAGER_TEMPLATE.parent))
    try:
        import render_config
    finally:
        sys.path.pop(0)
    return render_config


def render_prometheus_config(
    out_dir: Path,
    *,
    exporter: str | list[str] = "127.0.0.1:9568",
    alertmanager: str | None = "127.0.0.1:9093",
    prometheus: str = "127.0.0.1:9090",
    scrape_interval: str | None = None,
    evaluation_interval: str | None = None,
    memory_limit_bytes: int | None = None,
) -> Path:
    """Write out_dir/prometheus.yml (and out_dir/rules/) retargeted to the given addresses.

    exporter may be a list of addresses: several app instances, one job.
    alertmanager=None drops the alerting section. Intervals like "1s" shorten scrapes and
    rule evaluation for tests. Returns the path of the configuration file."""
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text(encoding="utf-8"))
    if scrape_interval:
        config["global"]["scrape_interval"] = scrape_interval
    if evaluation_interval:
        config["global"]["evaluation_interval"] = evaluation_interval
    targets = {APP_JOB: exporter, "prometheus": prometheus, "alertmanager": alertmanager}
    jobs = []
    for job in config["scrape_configs"]:
        address = targets.get(job["job_name"])
        if address is None:
            continue
        job["static_configs"] = [{"targets": [address] if isinstance(address, str) else list(address)}]
        if scrape_interval:
            job["scrape_interval"] = scrape_interval
            job["scrape_timeout"] = scrape_interval
        jobs.append(job)
    config["scrape_configs"] = jobs
    if alertmanager:
        config["alerting"] = {"alertmanagers": [{"static_configs": [{"targets": [alertmanager]}]}]}
    else:
        config.pop("alerting", None)

    out_dir = Path(out_dir)
    rules_dir = out_dir / "rules"
    if rules_dir.exists():
        shutil.rmtree(rules_dir)
    rules_dir.mkdir(parents=True)
    for source in sorted(RULES.glob("*.yml")):
        rules = yaml.safe_load(source.read_text(encoding="utf-8"))
        if memory_limit_bytes is not None:
            for group in rules["groups"]:
                for rule in group["rules"]:
                    if rule.get("record") == MEMORY_LIMIT_RULE:
                        rule["expr"] = f"vector({int(memory_limit_bytes)})"
        (rules_dir / source.name).write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    config["rule_files"] = [str(rules_dir / "*.yml")]
    path = out_dir / "prometheus.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def render_alertmanager_config(out_path: Path, environ: dict[str, str]) -> list[str]:
    """Render the Alertmanager template; returns the ALERT_* variables that fell back to
    local placeholders."""
    renderer = _load_renderer()
    template = ALERTMANAGER_TEMPLATE.read_text(encoding="utf-8")
    defaulted = [
        name for name in renderer.variables(template) if not environ.get(name) and name in LOCAL_RECEIVERS
    ]
    filled = {**environ, **{name: LOCAL_RECEIVERS[name] for name in defaulted}}
    renderer.write(Path(out_path), renderer.render(template, filled))
    return defaulted


def binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    sys.exit(
        f"{names[0]} not found: install Debian's `{names[0]}` package "
        "(apt-get install prometheus prometheus-alertmanager)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exporter", default="127.0.0.1:9568")
    parser.add_argument("--prometheus-port", type=int, default=9090)
    parser.add_argument("--alertmanager-port", type=int, default=9093)
    parser.add_argument("--data", type=Path, default=REPO / "var" / "monitoring")
    args = parser.parse_args(argv)

    prometheus_bin = binary("prometheus")
    alertmanager_bin = binary("prometheus-alertmanager", "alertmanager")
    prometheus_address = f"127.0.0.1:{args.prometheus_port}"
    alertmanager_address = f"127.0.0.1:{args.alertmanager_port}"
    limit = os.environ.get("MEMORY_LIMIT_BYTES")

    prometheus_config = render_prometheus_config(
        args.data / "prometheus",
        exporter=args.exporter,
        alertmanager=alertmanager_address,
        prometheus=prometheus_address,
        memory_limit_bytes=int(limit) if limit else None,
    )
    alertmanager_config = args.data / "alertmanager" / "alertmanager.yml"
    defaulted = render_alertmanager_config(alertmanager_config, dict(os.environ))

    commands = {
        "prometheus": [
            prometheus_bin,
            f"--config.file={prometheus_config}",
            f"--storage.tsdb.path={args.data / 'prometheus' / 'data'}",
            f"--web.listen-address={prometheus_address}",
            f"--web.external-url=http://{prometheus_address}/",
        ],
        "alertmanager": [
            alertmanager_bin,
            f"--config.file={alertmanager_config}",
            f"--storage.path={args.data / 'alertmanager' / 'data'}",
            f"--web.listen-address={alertmanager_address}",
            f"--web.external-url=http://{alertmanager_address}/",
            "--cluster.listen-address=",
        ],
    }
    # Own sessions: Ctrl-C reaches only this script, which then stops both in order.
    processes = {
        name: subprocess.Popen(command, start_new_session=True) for name, command in commands.items()
    }

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    print(
        f"Prometheus    http://{prometheus_address}/  (scraping {args.exporter}, "
        f"alerts at http://{prometheus_address}/alerts)",
        flush=True,
    )
    print(f"Alertmanager  http://{alertmanager_address}/", flush=True)
    print(f"Data          {args.data}/   Ctrl-C stops both.", flush=True)
    if defaulted:
        print("Receivers not configured (notifications go nowhere): " + ", ".join(defaulted), flush=True)

    status = 0
    while not stopping:
        exited = {
            name: process.returncode for name, process in processes.items() if process.poll() is not None
        }
        if exited:
            for name, code in exited.items():
                print(f"{name} exited with status {code}", file=sys.stderr)
            status = 1
            break
        time.sleep(0.2)

    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    for name, process in processes.items():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in 15 s; killing it", file=sys.stderr)
            process.kill()
            process.wait()
    print("Prometheus and Alertmanager stopped.", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
