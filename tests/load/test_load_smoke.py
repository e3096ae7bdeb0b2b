"""The load script (`make load`) run briefly: same server, same users' path, few seconds.

Only errors are asserted here; latency and memory figures come from the full run
(bench/results.md)."""
import json
import subprocess
import sys
from pathlib import Path

import live_stack

RUN_LOAD = Path(__file__).resolve().parent / "run_load.py"


def test_a_short_load_run_of_five_traders_has_no_failed_request_and_loses_no_version(tmp_path):
    live_stack.require_postgres()
    figures = tmp_path / "figures.json"
    completed = subprocess.run(
        [sys.executable, str(RUN_LOAD), "--users", "5", "--spawn-rate", "5",
         "--duration", "25", "--runs", "1", "--json", str(figures), "--keep", str(tmp_path)],
        capture_output=True, text=True, timeout=300)
    print(completed.stdout, completed.stderr)
    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    results = json.loads(figures.read_text())
    assert results["errors"] == 0
    assert results["inconsistent_strategies"] == []
    run = results["runs"][0]
    steady = {row["name"]: row for row in run["steady"]}
    for name in ("GET /strategies", "GET /strategies/[id]/edit",
                 "POST /strategies/live/validate", "POST /strategies/live/syntax-test",
                 "POST /strategies/[id]/edit [save]"):
        assert steady[name]["requests"] > 0, f"no {name} request after the ramp"
    assert all(row["errors"] == 0 for phase in ("ramp", "steady") for row in run[phase])
    signed_in = {row["name"]: row for row in run["ramp"]}["POST /users/log-in [submit]"]
    assert signed_in["requests"] == 5
