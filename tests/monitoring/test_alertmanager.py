"""Alertmanager: the template renders, amtool accepts it, and each severity reaches the
receiver it should (amtool config routes test)."""

import os
import re
import stat
import subprocess

import pytest
import yaml
from monitoring_helpers import MONITORING, alert_rules, require_binary

TEMPLATE = MONITORING / "alertmanager" / "alertmanager.yml"
RECEIVER_BY_SEVERITY = {"critical": "pager", "warning": "chat-and-email"}


def amtool(*args):
    return subprocess.run([require_binary("amtool"), *args], capture_output=True, text=True, timeout=60)


def route(config, *labels):
    result = amtool("config", "routes", "test", f"--config.file={config}", *labels)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_amtool_check_config_accepts_the_rendered_template(alertmanager_config):
    result = amtool("check-config", str(alertmanager_config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 receivers" in result.stdout and "1 inhibit rules" in result.stdout


@pytest.mark.parametrize(
    "labels, receiver",
    [
        (["severity=critical", "alertname=HighHttpErrorRatio"], "pager"),
        (["severity=warning", "alertname=SlowSyntaxTest"], "chat-and-email"),
        (["severity=none", "alertname=Watchdog"], "heartbeat"),
        (["alertname=SomethingNew"], "chat-and-email"),  # no severity: a ticket, not dropped
    ],
)
def test_routes(alertmanager_config, labels, receiver):
    assert route(alertmanager_config, *labels) == receiver


def test_every_alert_reaches_the_receiver_of_its_severity(alertmanager_config):
    for rule in alert_rules():
        labels = [f"alertname={rule['alert']}", f"severity={rule['labels']['severity']}"]
        expected = (
            "heartbeat" if rule["alert"] == "Watchdog" else RECEIVER_BY_SEVERITY[rule["labels"]["severity"]]
        )
        assert route(alertmanager_config, *labels) == expected, rule["alert"]


def test_verify_receivers_catches_a_wrong_route(alertmanager_config):
    result = amtool(
        "config",
        "routes",
        "test",
        f"--config.file={alertmanager_config}",
        "--verify.receivers=pager",
        "severity=warning",
    )
    assert result.returncode != 0


def test_critical_inhibits_the_warning_of_the_same_alert(alertmanager_config):
    config = yaml.safe_load(alertmanager_config.read_text())
    assert config["inhibit_rules"] == [
        {
            "source_matchers": ['severity="critical"'],
            "target_matchers": ['severity="warning"'],
            "equal": ["alertname"],
        }
    ]
    assert config["route"]["group_by"]


def test_warnings_go_to_chat_and_email(alertmanager_config):
    config = yaml.safe_load(alertmanager_config.read_text())
    receivers = {receiver["name"]: receiver for receiver in config["receivers"]}
    assert set(receivers["chat-and-email"]) == {"name", "slack_configs", "email_configs"}
    assert set(receivers["pager"]) == {"name", "pagerduty_configs"}
    assert set(receivers["heartbeat"]) == {"name", "webhook_configs"}


def test_the_template_holds_no_receiver_settings_of_its_own():
    config = yaml.safe_load(TEMPLATE.read_text())
    placeholder = re.compile(r"\$\{ALERT_[A-Z_]+(:-[^}]*)?\}")
    receivers = {receiver["name"]: receiver for receiver in config["receivers"]}
    endpoints = [
        config["global"]["smtp_smarthost"],
        config["global"]["smtp_from"],
        config["global"]["smtp_auth_username"],
        config["global"]["smtp_auth_password"],
        receivers["pager"]["pagerduty_configs"][0]["routing_key"],
        receivers["pager"]["pagerduty_configs"][0]["url"],
        receivers["chat-and-email"]["slack_configs"][0]["api_url"],
        receivers["chat-and-email"]["email_configs"][0]["to"],
        receivers["heartbeat"]["webhook_configs"][0]["url"],
    ]
    for value in endpoints:
        assert placeholder.fullmatch(value), value


def test_rendering_names_every_missing_variable(render_config, tmp_path):
    template = TEMPLATE.read_text()
    with pytest.raises(render_config.MissingVariables) as error:
        render_config.render(template, {"ALERT_EMAIL_TO": "ops@example.org"})
    message = str(error.value)
    assert "ALERT_PAGERDUTY_ROUTING_KEY" in message and "ALERT_HEARTBEAT_URL" in message
    assert "ALERT_EMAIL_TO" not in message
    assert "ALERT_PAGERDUTY_URL" not in message  # it has a default


def test_rendering_escapes_values_and_writes_a_private_file(render_config, tmp_path):
    environ = {**render_config.EXAMPLE, "ALERT_SMTP_PASSWORD": "it's: #secret"}
    rendered = render_config.render(TEMPLATE.read_text(), environ)
    assert yaml.safe_load(rendered)["global"]["smtp_auth_password"] == "it's: #secret"
    with pytest.raises(ValueError):
        render_config.render(TEMPLATE.read_text(), {**environ, "ALERT_EMAIL_TO": "a\nb"})
    path = tmp_path / "out.yml"
    render_config.write(path, rendered)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_comments_in_the_template_are_left_alone(render_config):
    rendered = render_config.render(TEMPLATE.read_text(), render_config.EXAMPLE)
    assert "'${NAME}'" in rendered
    assert "${ALERT_" not in "".join(
        line for line in rendered.splitlines() if not line.lstrip().startswith("#")
    )


def test_help_prints_the_usage_and_writes_no_file(render_config, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        render_config.main(["--help"])

    assert exit_info.value.code == 0
    assert "--example" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []
