"""The names callers outside the dashboard reach for, kept under their old module.

The dashboard's data lives in one module per source: `dashboard_history` (the metrics
registry), `dashboard_workers` (heartbeat files), `dashboard_requests` (the recent
requests and operations rings), `dashboard_home`, `dashboard_strategies` and
`dashboard_sessions` (the pages' database facts), `dashboard_sampler` (the thread that keeps
heartbeats and history current). The security tests' fixture resets this worker's state and
the chart history through this module, so those two names stay reachable here.
"""
from .dashboard_history import history
from .dashboard_workers import worker

__all__ = ["history", "worker"]
