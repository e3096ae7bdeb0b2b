"""The load test (SC-003: 100+ concurrent users), headless: `make load`.

Starts `trading-strategy serve --workers 2` on a fresh PostgreSQL database, creates the
users (each with a few strategies), then runs locust (tests/load/locustfile.py) `--runs`
times in a row against the same server and prints, per endpoint, p50/p95/p99, throughput
and errors, separately for the sign-in ramp (every user logs in through Argon2) and the
steady state after it, and the server's memory (the exporter's
trading_strategy_process_resident_memory_bytes summed over the workers) before and after
each run. Ends with a check that no strategy lost a version. The database is dropped at
the end.

    python tests/load/run_load.py [--users 100] [--pace human|stress] [--duration 60]
                                  [--runs 2] [--json PATH]

--pace human (the default) is the pace the latency targets are set for; --pace stress
drops every reading pause, to find the machine's capacity (tests/load/locustfile.py).

Exit status: 0 when no request failed and every strategy is consistent, 1 otherwise,
2 when PostgreSQL is unreachable. Latency targets are reported, not enforced here
(tests/load/test_load_smoke.py asserts zero errors; bench/results.md keeps the figures).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
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
ENDPOINTS = ("GET /users/log-in", "POST /users/log-in [submit]", "GET /strategies",
             "GET /strategies/[id]/edit", "POST /strategies/live/validate",
             "POST /strategies/live/syntax-test", "POST /strategies/[id]/edit [save]")
# p95 under; a miss is flagged in either phase.
TARGETS_MS = {"POST /strategies/live/validate": 100, "GET /strategies": 100}


def run_locust(server: live_stack.Server, args, out_dir: Path, run: int) -> dict:
    """One locust run; returns the figures of its two phases (see phases())."""
    prefix = out_dir / f"run{run}"
    samples = out_dir / f"run{run}.samples.json"
    env = {**os.environ, "LOAD_EMAIL_TEMPLATE": args.email_template,
           "LOAD_USER_COUNT": str(args.users), "LOAD_PACE": args.pace,
           "LOAD_SAMPLES": str(samples)}
    command = [sys.executable, "-m", "locust", "-f", str(HERE / "locustfile.py"),
               "--headless", "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
               "--run-time", f"{args.duration}s", "--host", server.url, "--csv", str(prefix),
               "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
               "--exit-code-on-error", "0"]
    completed = subprocess.run(command, env=env, capture_output=True, text=True)
    (out_dir / f"run{run}.locust.log").write_text(completed.stdout + completed.stderr)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-3000:])
        raise SystemExit(f"locust exited with status {completed.returncode}")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for failure in list(csv.DictReader(failures.open(newline="")))[:10]:
            print(f"  failure: {failure}", file=sys.stderr)
    return phases(json.loads(samples.read_text()))


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
    names = sorted(by_name, key=lambda name: (
        ENDPOINTS.index(name) if name in ENDPOINTS else len(ENDPOINTS), name))
    rows = []
    for name, group in [(name, by_name[name]) for name in names] + [("all", samples)]:
        times = sorted(s[2] for s in group)
        rows.append({"name": name, "requests": len(group),
                     "errors": sum(1 for s in group if not s[3]),
                     "rps": len(group) / seconds, "p50_ms": percentile(times, 50),
                     "p95_ms": percentile(times, 95), "p99_ms": percentile(times, 99)})
    return rows


def percentile(ordered: list[float], rank: int) -> float:
    """Nearest-rank percentile of sorted values."""
    return ordered[max(0, -(-rank * len(ordered) // 100) - 1)]


def print_table(title: str, rows: list[dict]):
    print(f"\n{title}")
    print(f"{'endpoint':44} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7}")
    for row in rows:
        target = TARGETS_MS.get(row["name"])
        flag = f"  (p95 target < {target} ms missed)" \
            if target and row["p95_ms"] >= target else ""
        print(f"{row['name']:44} {row['requests']:>8} {row['errors']:>6} {row['rps']:>7.1f} "
              f"{row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f} {row['p99_ms']:>7.0f}{flag}")


def print_memory(memory_before: int, memory_after: int):
    print(f"server memory (sum of workers' RSS): before {memory_before / 2**20:.1f} MiB, "
          f"after {memory_after / 2**20:.1f} MiB "
          f"({(memory_after - memory_before) / 2**20:+.1f} MiB)")


def inconsistent_strategies(database: str) -> list[tuple]:
    """Strategies whose current_version is not their newest version's number."""
    return live_stack.psql(database, """
        SELECT s.id, s.current_version, max(v.number)
        FROM strategies_strategy s LEFT JOIN strategies_strategyversion v
          ON v.strategy_id = s.id
        GROUP BY s.id, s.current_version
        HAVING max(v.number) IS DISTINCT FROM s.current_version""")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--pace", choices=("human", "stress"), default="human",
                        help="how fast each trader acts (default: %(default)s)")
    parser.add_argument("--spawn-rate", type=float, default=5,
                        help="users started per second (each signs in: Argon2 costs CPU)")
    parser.add_argument("--duration", type=int, default=60, help="seconds per run")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--keep", type=Path, help="keep locust's CSV files and the server "
                        "log in this folder")
    args = parser.parse_args(argv)
    args.email_template = "load-{n}@example.com"

    if not live_stack._reachable(live_stack.POSTGRES_HOST, live_stack.POSTGRES_PORT):
        print(f"PostgreSQL is not reachable at {live_stack.POSTGRES_HOST}:"
              f"{live_stack.POSTGRES_PORT}", file=sys.stderr)
        return 2
    out_dir = args.keep or Path(tempfile.mkdtemp(prefix="ts-load-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {"users": args.users, "pace": args.pace, "duration_s": args.duration,
               "workers": args.workers, "runs": []}
    with live_stack.postgres_database("ts_load") as database:
        env = live_stack.server_env(out_dir, live_stack.postgres_url(database))
        server = live_stack.Server(out_dir, env, workers=args.workers)
        try:
            emails = [args.email_template.format(n=n) for n in range(args.users)]
            documents = tuple(live_stack.strategy_document(f"Load {{email}} {k}")
                              for k in range(STRATEGIES_PER_USER))
            started = time.monotonic()
            live_stack.create_users(server.env, emails, documents=documents)
            print(f"{args.users} users with {STRATEGIES_PER_USER} strategies each created "
                  f"in {time.monotonic() - started:.1f} s; server {server.url} "
                  f"(--workers {args.workers}, PostgreSQL); pace: {args.pace}")
            for run in range(1, args.runs + 1):
                print(f"load average before run {run}: "
                      + " ".join(f"{v:.1f}" for v in os.getloadavg())
                      + f" ({os.cpu_count()} CPUs, shared with locust and PostgreSQL)")
                before = server.resident_memory_bytes()
                figures = run_locust(server, args, out_dir, run)
                after = server.resident_memory_bytes()
                print_table(f"run {run}, while the {args.users} users sign in (ramp)",
                            figures["ramp"])
                print_table(f"run {run}, steady state (all {args.users} users signed in)",
                            figures["steady"])
                print_memory(before, after)
                results["runs"].append({**figures, "memory_before_bytes": before,
                                        "memory_after_bytes": after})
            bad = inconsistent_strategies(database)
            results["inconsistent_strategies"] = bad
            results["server_errors_logged"] = server.log_text().count('"level": "error"')
        finally:
            server.stop()
    errors = sum(row["errors"] for run in results["runs"] for phase in ("ramp", "steady")
                 for row in run[phase] if row["name"] == "all")
    results["errors"] = errors
    print(f"\nerrors: {errors}; strategies whose versions disagree: {len(bad)}; "
          f"output in {out_dir}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0 if errors == 0 and not bad else 1


if __name__ == "__main__":
    sys.exit(main())
