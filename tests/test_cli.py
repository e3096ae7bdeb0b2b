import os
import subprocess
import sys

import pytest

from trading_strategy.cli import main


def test_serve_help_lists_the_options(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--help"])

    assert exit_info.value.code == 0
    help_text = capsys.readouterr().out
    for option in ("--host", "--port", "--metrics-port", "--workers"):
        assert option in help_text


def test_a_subcommand_is_required(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([])

    assert exit_info.value.code == 2


def test_serve_refuses_several_workers_without_redis_and_names_the_setting(settings, capsys, monkeypatch):
    settings.REDIS_URL = ""
    started = []
    monkeypatch.setattr("os.execv", lambda *args: started.append(args))

    status = main(["serve", "--workers", "2"])

    assert status == 2 and started == []
    assert "REDIS_URL" in capsys.readouterr().err


def test_serve_starts_several_workers_when_redis_shares_their_events(settings, monkeypatch):
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    started = []
    monkeypatch.setattr("os.execv", lambda *args: started.append(args))
    monkeypatch.setattr("trading_strategy.cli.migrate_if_needed", lambda: [])

    main(["serve", "--workers", "2"])

    assert "--workers" in started[0][1]


def test_serve_from_a_shell_refuses_several_workers_without_redis_in_words(tmp_path):
    """As a shell runs it: no settings module chosen beforehand (pytest chooses one)."""
    hidden = ("DJANGO_SETTINGS_MODULE", "REDIS_URL")
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env |= {"TRADING_STRATEGY_DATA_DIR": str(tmp_path), "SECRET_KEY": "cli-test-secret-key"}

    result = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "serve", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "--workers 2 needs REDIS_URL" in result.stderr


@pytest.mark.parametrize("command", [["token", "create", "--email", "a@example.com"], ["serve"]])
def test_a_missing_secret_key_is_one_line_naming_the_setting(tmp_path, command):
    env = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DEBUG")}
    env["TRADING_STRATEGY_DATA_DIR"] = str(tmp_path)

    result = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "SECRET_KEY" in result.stderr
