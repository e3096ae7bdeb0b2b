"""The load test (SC-003: 100+ concurrent users), headless: `make load`.

Starts `trading-strategy serve --workers 2` on a fresh PostgreSQL database, creates the
users (each with a few strategies), then runs locust (tests/load/locustfile.py) `--runs`
times in a row against the same server and prints, per endpoint, p50/p95/p99, throughput
and errors, separately for the sign-in ramp (every user logs in through Argon2) and the
steady state after it, and the server's memory (the exporter's
trading_strategy_process_resident_memory_bytes summed over the workers) before and after
each run. The database is dropped at the end.

    python tests/load/run_load.py [--users 100] [--pace human|stress] [--duration 60]
                                  [--runs 2] [--kill-worker-after S] [--json PATH]

--pace human (the default) is the pace the latency targets are set for; --pace stress
drops every reading pause, to find the machine's capacity (tests/load/locustfile.py).

--kill-worker-after S kills one worker (SIGKILL) S seconds into each run: requests that
fail within 10 s of the kill are the killed worker's and are reported apart.

Every save the server acknowledged must be found among the strategy's versions afterwards.
Exit status: 0 when no request failed (but those of a kill), no acknowledged save is
missing and every strategy is consistent, 1 otherwise, 2 when PostgreSQL is unreachable.
Latency targets are reported, not enforced here (tests/load/test_load_smoke.py runs it
briefly; bench/results.md keeps the figures).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))

import live_stack  # noqa: E402

STRATEGIES_PER_USER = 3
# Table order: a trader's path through the pages.
ENDPOINTS = (
    "GET /users/log-in",
    "POST /users/log-in [submit]",
    "GET /strategies",
    "GET /strategies/[id]/edit",
    "POST /strategies/live/validate",
    "POST /strategies/live/syntax-test",
    "POST /strategies/[id]/edit [save]",
)
# A failed request this close to a worker kill is the kill's, not the server's.
KILL_WINDOW_SECONDS = 10
# p95 under; a miss is flagged in either phase.
TARGETS_MS = {"POST /strategies/live/validate": 100, "GET /strategies": 100}


def run_locust(server: live_stack.Server, args, out_dir: Path, run: int) -> dict:
    """One locust run (killing a worker partway with --kill-worker-after); returns what the
    locustfile recorded, and the time of the kill."""
    prefix = out_dir / f"run{run}"
    samples = out_dir / f"run{run}.samples.json"
    env = {
        **os.environ,
        "LOAD_EMAIL_TEMPLATE": args.email_template,
        "LOAD_USER_COUNT": str(args.users),
        "LOAD_PACE": args.pace,
        "LOAD_SAMPLES": str(samples),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.duration}s",
        "--host",
        server.url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    log = out_dir / f"run{run}.locust.log"
    with open(log, "w") as output:
        locust = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
        killed_at = kill_a_worker(server, args.kill_worker_after) if args.kill_worker_after else None
        returncode = locust.wait()
    if returncode != 0:
        sys.stderr.write(log.read_text()[-3000:])
        raise SystemExit(f"locust exited with status {returncode}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for failure in list(csv.DictReader(failures.open(newline="")))[:10]:
            print(f"  failure: {failure}", file=sys.stderr)
    return {**json.loads(samples.read_text()), "killed_at": killed_at}


def kill_a_worker(server: live_stack.Server, after: float) -> float:
    """SIGKILL one worker `after` seconds from now; return when gunicorn has replaced it."""
    time.sleep(after)
    victim = server.worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    killed_at = time.time()
    print(f"killed worker {victim} {after:g} s into the run")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pids = server.worker_pids()
        if victim not in pids and len(pids) == server.workers:
            return killed_at
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not replace worker {victim} within 60 s")


def lost_saves(database: str, saved: list) -> list[int]:
    """Strategies with a save the server acknowledged (302) but no version holding it."""
    ids = sorted({strategy_id for strategy_id, _ in saved})
    kept = set(
        live_stack.psql(
            database,
            "SELECT strategy_id, document FROM strategies_strategyversion WHERE strategy_id = ANY(%s)",
            (ids,),
        )
    )
    return sorted({strategy_id for strategy_id, document in saved if (strategy_id, document) not in kept})


def excused(recorded: dict) -> int:
    """Failed requests that started within KILL_WINDOW_SECONDS of the worker kill: the
    requests and connections the killed worker held."""
    killed_at = recorded["killed_at"]
    if killed_at is None:
        return 0
    return sum(
        1
        for start, _, _, ok in recorded["samples"]
        if not ok and abs(start - killed_at) <= KILL_WINDOW_SECONDS
    )


def phases(recorded: dict) -> dict:
    """Per-endpoint figures for the sign-in ramp (until the last user has signed in:
    every Argon2 log-in falls in it) and for the steady state after it. A run in which not
    everyone signed in is all ramp."""
    ramp_end = recorded["all_signed_in_at"] or float("inf")
    split = {"ramp": [], "steady": []}
    for sample in recorded["samples"]:
        split["ramp" if sample[0] < ramp_end else "steady"].append(sample)
    return {phase: endpoint_rows(samples) for phase, samples in split.items()}


def endpoint_rows(samples: list) -> list[dict]:
    if not samples:
        return []
    seconds = max(max(s[0] for s in samples) - min(s[0] for s in samples), 1e-9)
    by_name: dict[str, list] = {}
    for sample in samples:
        by_name.setdefault(sample[1], []).append(sample)
    names = sorted(
        by_name, key=lambda name: (ENDPOINTS.index(name) if name in ENDPOINTS else len(ENDPOINTS), name)
    )
    rows = []
    for name, group in [(name, by_name[name]) for name in names] + [("all", samples)]:
        times = sorted(s[2] for s in group)
        rows.append(
            {
                "name": name,
                "requests": len(group),
                "errors": sum(1 for s in group if not s[3]),
                "rps": len(group) / seconds,
                "p50_ms": percentile(times, 50),
                "p95_ms": percentile(times, 95),
                "p99_ms": percentile(times, 99),
            }
        )
    return rows


def percentile(ordered: list[float], rank: int) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, -(-rank * len(ordered) // 100) - 1)]


def print_table(title: str, rows: list[dict]):
    print(f"\n{title}")
    print(
        f"{'endpoint':44} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'p99 ms':>7}"
    )
    for row in rows:
        target = TARGETS_MS.get(row["name"])
        flag = f"  (p95 target < {target} ms missed)" if target and row["p95_ms"] >= target else ""
        print(
            f"{row['name']:44} {row['requests']:>8} {row['errors']:>6} {row['rps']:>7.1f} "
            f"{row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f}{flag}"
        )


def print_memory(memory_before: int, memory_after: int):
    print(
        f"server memory (sum of workers' RSS): before {memory_before / 2**20:.1f} MiB, "
        f"after {memory_after / 2**20:.1f} MiB "
        f"({(memory_after - memory_before) / 2**20:+.1f} MiB)"
    )


def inconsistent_strategies(database: str) -> list[tuple]:
    """Strategies whose current_version is not their newest version's number."""
    return live_stack.psql(
        database,
        """
        SELECT s.id, s.current_version, max(v.number)
        FROM strategies_strategy s LEFT JOIN strategies_strategyversion v
          ON v.strategy_id = s.id
        GROUP BY s.id, s.current_version
        HAVING max(v.number) IS DISTINCT FROM s.current_version""",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument(
        "--pace",
        choices=("human", "stress"),
        default="human",
        help="how fast each trader acts (default: %(default)s)",
    )
    parser.add_argument(
        "--spawn-rate",
        type=float,
        default=5,
        help="users started per second (each signs in: Argon2 costs CPU)",
    )
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--kill-worker-after",
        type=float,
        metavar="SECONDS",
        help="SIGKILL one worker this many seconds into each run",
    )
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--keep", type=Path, help="keep locust's CSV files and the server log in this folder")
    args = parser.parse_args(argv)
    args.email_template = "load-{n}@example.com"

    if not live_stack._reachable(live_stack.POSTGRES_HOST, live_stack.POSTGRES_PORT):
        print(
            f"PostgreSQL is not reachable at {live_stack.POSTGRES_HOST}:{live_stack.POSTGRES_PORT}",
            file=sys.stderr,
        )
        return 2
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="ts-load-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {
        "users": args.users,
        "pace": args.pace,
        "duration_s": args.duration,
        "workers": args.workers,
        "runs": [],
    }
    with live_stack.postgres_database("ts_load") as database:
        env = live_stack.server_env(out_dir, live_stack.postgres_url(database))
        server = live_stack.Server(out_dir, env, workers=args.workers)
        try:
            emails = [args.email_template.format(n=n) for n in range(args.users)]
            documents = tuple(
                live_stack.strategy_document(f"Load {{email}} {k}") for k in range(STRATEGIES_PER_USER)
            )
            started = time.monotonic()
            live_stack.create_users(server.env, emails, documents=documents)
            print(
                f"{args.users} users with {STRATEGIES_PER_USER} strategies each created "
                f"in {time.monotonic() - started:.1f} s; server {server.url} "
                f"(--workers {args.workers}, PostgreSQL); pace: {args.pace}"
            )
            for run in range(1, args.runs + 1):
                print(
                    f"load average before run {run}: "
                    + " ".join(f"{v:.1f}" for v in os.getloadavg())
                    + f" ({os.cpu_count()} CPUs, shared with locust and PostgreSQL)"
                )
                before = server.resident_memory_bytes()
                recorded = run_locust(server, args, out_dir, run)
                # Read from the exporter in the gunicorn master: after a kill too.
                after = server.resident_memory_bytes()
                figures = phases(recorded)
                print_table(f"run {run}, while the {args.users} users sign in (ramp)", figures["ramp"])
                print_table(f"run {run}, steady state (all {args.users} users signed in)", figures["steady"])
                print_memory(before, after)
                results["runs"].append(
                    {
                        **figures,
                        "memory_before_bytes": before,
                        "memory_after_bytes": after,
                        "saves_acknowledged": len(recorded["saved"]),
                        "lost_saves": lost_saves(database, recorded["saved"]),
                        "killed_at": recorded["killed_at"],
                        "excused_errors": excused(recorded),
                    }
                )
            bad = inconsistent_strategies(database)
            results["inconsistent_strategies"] = bad
            results["server_errors_logged"] = server.log_text().count('"level": "error"')
        finally:
            server.stop()
    errors = sum(
        row["errors"]
        for run in results["runs"]
        for phase in ("ramp", "steady")
        for row in run[phase]
        if row["name"] == "all"
    )
    excused_errors = sum(run["excused_errors"] for run in results["runs"])
    lost = sorted({i for run in results["runs"] for i in run["lost_saves"]})
    acknowledged = sum(run["saves_acknowledged"] for run in results["runs"])
    results.update(errors=errors, excused_errors=excused_errors, lost_saves=lost)
    print(
        f"\nerrors: {errors}"
        + (
            f" ({excused_errors} within {KILL_WINDOW_SECONDS} s of a worker kill)"
            if args.kill_worker_after
            else ""
        )
        + f"; acknowledged saves: {acknowledged}, lost: {len(lost)}; strategies whose "
        f"versions disagree: {len(bad)}; output in {out_dir}"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if errors == excused_errors and not lost and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
