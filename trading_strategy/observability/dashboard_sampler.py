"""Each worker's background thread: it writes the worker's heartbeat and samples the metric
history every SAMPLE_SECONDS, so both are current whichever worker answers the dashboard."""
from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.conf import settings

from .dashboard_history import SAMPLE_SECONDS, history
from .dashboard_requests import attach_telemetry
from .dashboard_workers import (WorkerState, prune_heartbeats, remove_heartbeat, worker,
                                write_heartbeat)

logger = logging.getLogger(__name__)


def _background_loop(state: WorkerState) -> None:
    try:
        prune_heartbeats()
    except OSError:
        pass
    while state.pid == os.getpid():
        try:
            write_heartbeat()
            history.sample()
        except Exception:
            logger.warning("dashboard heartbeat failed", exc_info=True)
        time.sleep(SAMPLE_SECONDS)


def ensure_started() -> None:
    """Start this worker's heartbeat and sampler once (again after a fork)."""
    state = worker()
    if not state.telemetry_attached:
        attach_telemetry()
    if not getattr(settings, "DASHBOARD_BACKGROUND", True):
        return
    if state.thread is not None and state.thread.is_alive():
        return
    with state.lock:
        if state.thread is not None and state.thread.is_alive():
            return
        state.thread = threading.Thread(target=_background_loop, args=(state,),
                                        name="dashboard-heartbeat", daemon=True)
        state.thread.start()
    atexit.register(remove_heartbeat, state.pid)
