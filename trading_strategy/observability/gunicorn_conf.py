"""gunicorn hooks that make the metrics right with any number of workers.

`trading-strategy serve` runs gunicorn with `-c python:trading_strategy.observability.gunicorn_conf`
(a direct `gunicorn -c ...` works the same way):

    (import)          PROMETHEUS_MULTIPROC_DIR is set before any worker exists: a fresh
                      temporary directory unless the operator named one. prometheus_client
                      picks file-backed values at import, so this must precede it.
    on_starting       empties that directory: files from an earlier run would add its counts.
    when_ready        the master starts the exporter (METRICS_HOST:METRICS_PORT, default
                      127.0.0.1:9568; METRICS_PORT=0 turns it off) over every worker's files.
    post_fork         a worker closes its inherited copy of the exporter's socket.
    post_worker_init  each worker: lifespan + event-loop lag monitor around the ASGI app, and
                      its one sampler thread (poller.py: the worker's facts, the pool,
                      strategies by status, the dashboard's chart history).
    child_exit        the master drops a dead worker's live gauges and its own files
                      (mark_process_dead).
    on_exit           the master removes the directory it created.
    logconfig_dict    the master's own lines (start-up, worker boots and exits, signals) go
                      through the same pipeline as the workers' (observability/logging.py).
"""

from __future__ import annotations

import logging

from trading_strategy.observability import exporter

# Before anything else is imported: whatever imports prometheus_client from here on (in
# the master, and in the workers it forks) must already see PROMETHEUS_MULTIPROC_DIR.
# Not emptied here: a configuration reload (SIGHUP) may import this file again mid-run.
_directory, _created = exporter.ensure_multiprocess_dir()
_exporter = None

from trading_strategy.observability.logging import logging_from_environment  # noqa: E402

logger = logging.getLogger("gunicorn.error")

# LOG_FORMAT and LOG_LEVEL as the settings read them; each worker applies the same LOGGING
# again when Django sets up.
logconfig_dict = logging_from_environment()

# Seconds an idle keep-alive connection stays open. gunicorn's default of 2 s is shorter
# than the pauses of a person at work, so a browser's next request races the server
# closing its connection; a reverse proxy in front keeps idle connections for 60 s by
# default (nginx, cloud load balancers), and the server must outlast it. Idle connections
# cost an async worker almost nothing. `--keep-alive` in GUNICORN_CMD_ARGS overrides it.
keepalive = 75


def on_starting(server):
    exporter.clear(_directory)


def when_ready(server):
    global _exporter
    if exporter.port() == 0:
        server.log.info("Metrics exporter off (METRICS_PORT=0)")
        return
    try:
        _exporter = exporter.start()
    except OSError as error:
        # The application still serves; the scrape-target-down alert says what is missing.
        server.log.error(
            "Metrics exporter could not listen on %s:%s: %s", exporter.host(), exporter.port(), error
        )
        return
    server.log.info("Metrics exporter listening at http://%s:%s/metrics", exporter.host(), exporter.port())


def post_fork(server, worker):
    if _exporter is not None:
        _exporter[0].socket.close()


def post_worker_init(worker):
    from trading_strategy.observability import poller
    from trading_strategy.observability.instrumentation import ObservedASGI

    worker.wsgi = ObservedASGI(worker.wsgi)
    poller.start()


def child_exit(server, worker):
    exporter.mark_process_dead(worker.pid)


def on_exit(server):
    if _created:
        exporter.remove_multiprocess_dir(_directory)
