"""docker-compose.monitoring.yml, checked by parsing (no Docker engine here)."""

import re

import yaml
from monitoring_helpers import MONITORING, REPO, load_module

COMPOSE = REPO / "docker-compose.monitoring.yml"


def compose():
    return yaml.safe_load(COMPOSE.read_text())


def bind_mounts(service):
    for volume in service.get("volumes", []):
        source, target, *options = volume.split(":")
        if source.startswith((".", "/")):
            yield source, target, options


def test_images_are_pinned():
    for name, service in compose()["services"].items():
        image = service["image"]
        assert re.fullmatch(r"[\w./-]+:[\w.-]+", image), (name, image)
        assert not image.endswith(":latest"), name


def test_the_three_engines_are_there():
    services = compose()["services"]
    assert services["prometheus"]["image"].startswith("prom/prometheus:v2.")
    assert services["alertmanager"]["image"].startswith("prom/alertmanager:v0.")
    assert services["grafana"]["image"].startswith("grafana/grafana:")


def test_every_bind_mount_exists_in_the_repository_and_is_read_only():
    mounts = 0
    for name, service in compose()["services"].items():
        for source, _target, options in bind_mounts(service):
            assert (REPO / source).exists(), (name, source)
            assert "ro" in options, (name, source)
            mounts += 1
    assert mounts >= 5


def test_prometheus_gets_its_config_and_every_rule_file():
    prometheus = compose()["services"]["prometheus"]
    mounts = {target: source for source, target, _ in bind_mounts(prometheus)}
    assert mounts["/etc/prometheus/prometheus.yml"] == "./monitoring/prometheus/prometheus.yml"
    # prometheus.yml reads rules/*.yml relative to itself.
    assert mounts["/etc/prometheus/rules"] == "./monitoring/prometheus/rules"
    assert "--config.file=/etc/prometheus/prometheus.yml" in prometheus["command"]
    assert prometheus["extra_hosts"] == ["host.docker.internal:host-gateway"]


def test_grafana_gets_provisioning_and_dashboards():
    grafana = compose()["services"]["grafana"]
    mounts = {target: source for source, target, _ in bind_mounts(grafana)}
    assert mounts["/etc/grafana/provisioning"] == "./monitoring/grafana/provisioning"
    provider = yaml.safe_load(
        (MONITORING / "grafana/provisioning/dashboards/trading-strategy.yml").read_text()
    )
    assert mounts[provider["providers"][0]["options"]["path"]] == "./monitoring/grafana/dashboards"


def test_ports_are_bound_to_localhost():
    for name, service in compose()["services"].items():
        for port in service.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_grafana_password_is_required_from_the_environment():
    environment = compose()["services"]["grafana"]["environment"]
    password = environment["GF_SECURITY_ADMIN_PASSWORD"]
    assert re.fullmatch(r"\$\{GRAFANA_ADMIN_PASSWORD:\?[^}]+\}", password)
    assert environment["GF_USERS_ALLOW_SIGN_UP"] == "false"


def test_alertmanager_config_is_rendered_from_every_variable_the_template_needs():
    services = compose()["services"]
    render_step = services["alertmanager-config"]
    renderer = load_module("render_config_for_compose", MONITORING / "alertmanager/render_config.py")
    needed = renderer.variables((MONITORING / "alertmanager/alertmanager.yml").read_text())
    environment = render_step["environment"]
    for name, default in needed.items():
        if default is None:
            assert environment[name].startswith(f"${{{name}:?"), name
        else:
            assert environment[name] == f"${{{name}:-{default}}}", name
    assert (
        services["alertmanager"]["depends_on"]["alertmanager-config"]["condition"]
        == "service_completed_successfully"
    )
    volume = compose()["volumes"]["alertmanager-config"]
    assert volume["driver_opts"]["type"] == "tmpfs"
