"""The one sampler thread of a worker: its own measures and the jobs other apps add."""

import logging

import pytest

from trading_strategy.observability import poller


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(poller, "_jobs", {})
    return poller._jobs


def test_a_job_runs_when_due_and_again_after_its_period(jobs):
    runs = []
    poller.every(5, "sample", lambda: runs.append(len(runs)))

    assert poller._run_due_jobs(100.0) == 105.0
    assert poller._run_due_jobs(103.0) == 105.0
    assert poller._run_due_jobs(105.0) == 110.0

    assert runs == [0, 1]


def test_a_failing_job_is_logged_and_the_others_still_run(jobs, caplog):
    runs = []

    def broken():
        raise RuntimeError("sampler bug")

    poller.every(5, "broken", broken)
    poller.every(5, "fine", lambda: runs.append(1))

    with caplog.at_level(logging.ERROR, logger="trading_strategy.observability.poller"):
        poller._run_due_jobs(0.0)

    assert runs == [1]
    assert "poller job broken failed" in caplog.text


def test_the_strategies_app_registered_its_status_counter(db):
    assert poller.record_strategies() == {"draft": 0, "active": 0, "inactive": 0, "archived": 0}
