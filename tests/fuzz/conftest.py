import pytest

SLOWEST = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter, config):
    if SLOWEST in config.stash:
        terminalreporter.write_line(config.stash[SLOWEST])
