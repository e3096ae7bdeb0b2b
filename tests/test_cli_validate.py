import json
import os
import subprocess
import sys

import pytest

from trading_strategy.cli import main
from trading_strategy.observability import telemetry

VALID = """\
name: RSI dip
trading_pair: BTC/USDT
timeframe: 1h
indicators:
  - type: rsi
    name: rsi_14
    parameters: {period: 14}
entry_conditions: rsi_14 < 30
exit_conditions: rsi_14 > 70
stop_conditions: unrealized_pnl_pct < -0.05
position_sizing: {type: percentage, percentage_of_capital: 0.1}
risk_parameters: {max_daily_loss: 0.02, max_drawdown: 0.1}
"""


@pytest.fixture
def valid_file(tmp_path):
    path = tmp_path / "dip.yaml"
    path.write_text(VALID)
    return path


@pytest.fixture
def invalid_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(VALID.replace("timeframe: 1h", "timeframe: 1H"))
    return path


def test_it_exits_zero_when_every_file_is_valid(valid_file, capsys):
    assert main(["validate", str(valid_file)]) == 0
    assert "valid" in capsys.readouterr().out


def test_it_prints_errors_like_a_compiler_with_a_caret(invalid_file, capsys):
    assert main(["validate", str(invalid_file)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{invalid_file}:3:12: error[timeframe.invalid]: ")
    assert lines[1] == "3 | timeframe: 1H"
    assert lines[2].index("^") == len("3 | timeframe: ")
    assert lines[3].startswith("  = hint: ")


def test_it_prints_json_with_results_per_path(valid_file, invalid_file, capsys):
    assert main(["validate", "--json", str(valid_file), str(invalid_file)]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    assert [r["valid"] for r in results] == [True, False]
    assert set(results[0]) == {"path", "format", "valid", "errors", "warnings", "summary"}
    assert results[0]["summary"]["warmup_bars"] == 14
    error = results[1]["errors"][0]
    assert set(error) == {"code", "severity", "message", "line", "column", "path", "hint"}
    assert (error["code"], error["line"], error["column"]) == ("timeframe.invalid", 3, 12)


def test_it_exits_two_for_an_unreadable_file(tmp_path, valid_file, capsys):
    assert main(["validate", "--json", str(valid_file), str(tmp_path / "missing.yaml")]) == 2
    results = json.loads(capsys.readouterr().out)["results"]
    assert results[1]["errors"][0]["code"] == "file.unreadable"


def test_it_takes_the_format_from_the_option_over_the_extension(tmp_path, capsys):
    path = tmp_path / "strategy.txt"
    path.write_text(VALID)
    assert main(["validate", str(path)]) == 1
    assert "format.unknown" in capsys.readouterr().out
    assert main(["validate", "--format", "yaml", str(path)]) == 0


def test_it_prints_the_test_syntax_summary_on_request(valid_file, capsys):
    main(["validate", "--summary", str(valid_file)])
    assert "Enter when RSI(14) is below 30" in capsys.readouterr().out


def test_it_records_each_file_as_one_cli_check(valid_file, invalid_file):
    heard = []
    telemetry.attach(
        "test-cli", lambda phase, span: heard.append((phase, span.metadata)), names={"dsl.check"}
    )
    try:
        main(["validate", str(valid_file), str(invalid_file)])
    finally:
        telemetry.detach("test-cli")
    finished = [
        (metadata["source"], metadata["check"], metadata["result"])
        for phase, metadata in heard
        if phase == "stop"
    ]
    assert finished == [("cli", "validate", "valid"), ("cli", "validate", "invalid")]


def test_it_validates_files_without_loading_django(valid_file):
    probe = (
        "import sys; from trading_strategy.cli import main; "
        f"status = main(['validate', {str(valid_file)!r}]); "
        "print(status, [m for m in sys.modules if m.split('.')[0] == 'django'])"
    )
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=environment, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == "0 []"


def test_it_exits_two_on_usage_errors():
    completed = subprocess.run(
        [sys.executable, "-m", "trading_strategy.cli", "validate"], capture_output=True
    )
    assert completed.returncode == 2


def test_it_converts_yaml_to_toml_that_validates_to_the_same_model(valid_file, tmp_path, capsys):
    from trading_strategy.dsl import validate

    assert main(["convert", str(valid_file), "--to", "toml"]) == 0
    toml_text = capsys.readouterr().out
    assert validate(toml_text, "toml").model == validate(VALID, "yaml").model


def test_it_refuses_to_convert_an_invalid_strategy(invalid_file, capsys):
    assert main(["convert", str(invalid_file), "--to", "toml"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "timeframe.invalid" in captured.err


def test_it_counts_one_warning_as_one_warning(tmp_path, capsys):
    path = tmp_path / "same_exit.yaml"
    path.write_text(VALID.replace("rsi_14 > 70", "rsi_14 < 30"))

    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.rstrip().endswith("valid (1 warning)")
