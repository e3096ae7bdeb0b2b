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
