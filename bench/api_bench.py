"""The API path against a page and against the cheapest request, served for real.

In one run and one process tree: a fresh PostgreSQL database (127.0.0.1:5432, user postgres,
dropped at the end), `trading-strategy serve --workers 2` on free ports, one trader who owns
60 strategies, an API token and a signed-in session; then wrk (Debian package `wrk`) holds
100 connections open against each of

    GET  /health/live                        the process answers, nothing else (baseline)
    GET  /strategies                         the list page, signed in (50 rows)
    GET  /api/v1/strategies?page_size=1      API list, bearer token
    POST /api/v1/strategies/validate         examples/trend_following.yaml, bearer token

in turn, for several rounds (the machine's other load drifts; every round measures all four),
and prints each one's req/s, p50, p99 (medians over the rounds), errors, the workers' CPU
time per request (read from /proc: the other processes on a shared machine barely move it),
the ratios to /health/live measured in the same run, and whether API validate meets its
targets (at least half the throughput of /health/live, p99 at most twice its p99, no
errors).

    python bench/api_bench.py [--connections 100] [--rounds 3] [--duration 5] [--threads 2]

No pass/fail: the exit status is 0 whenever the benchmark ran (`make bench` prints it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))

import live_stack  # noqa: E402
import trader_session  # noqa: E402

EMAIL = "api-bench@example.com"
OWNED = 60
EXAMPLE = ROOT / "examples" / "trend_following.yaml"
# Targets for API validate, against /health/live in the same run.
MIN_THROUGHPUT_RATIO = 0.5
MAX_P99_RATIO = 2.0

# wrk's Lua hooks: the request's method, headers and body (read from a file, so no text
# needs escaping), and one JSON line of results at the end.
WRK_SCRIPT = """
wrk.method = {method}
{headers}
local body = {body_path}
if body then
  local file = assert(io.open(body, "rb"))
  wrk.body = file:read("*a")
  file:close()
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Target:
    label: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None


@dataclass
class Figures:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int = 0
    cpu_ms: float = 0.0  # the workers' CPU time per request


def combined(rounds: list[Figures]) -> Figures:
    return Figures(
        rps=statistics.median(f.rps for f in rounds),
        p50_ms=statistics.median(f.p50_ms for f in rounds),
        p99_ms=statistics.median(f.p99_ms for f in rounds),
        errors=sum(f.errors for f in rounds),
        requests=sum(f.requests for f in rounds),
        cpu_ms=statistics.median(f.cpu_ms for f in rounds),
    )


def cpu_seconds(pids: list[int]) -> float:
    """User and system time of the processes so far (/proc/PID/stat, fields 14 and 15)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII text is a valid Lua string literal


def wrk(url: str, target: Target, args: argparse.Namespace, work: Path, seconds: int) -> Figures:
    body_path = "nil"
    if target.body is not None:
        body_file = work / "request.body"
        body_file.write_bytes(target.body)
        body_path = lua_string(str(body_file))
    headers = "\n".join(
        f"wrk.headers[{lua_string(name)}] = {lua_string(value)}" for name, value in target.headers.items()
    )
    script = work / "request.lua"
    script.write_text(
        WRK_SCRIPT.format(method=lua_string(target.method), headers=headers, body_path=body_path)
    )
    completed = subprocess.run(
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url + target.path,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    errors = sum(result[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return Figures(
        rps=result["requests"] / (result["duration_us"] / 1e6),
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        errors=errors,
        requests=result["requests"],
    )


def create_token(env: dict) -> str:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "trading_strategy.cli",
            "token",
            "create",
            "--email",
            EMAIL,
            "--name",
            "api bench",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]


def targets(token: str, session_cookie: str) -> list[Target]:
    bearer = {"Authorization": f"Bearer {token}"}
    document = {"document": EXAMPLE.read_text(), "format": "yaml"}
    return [
        Target("GET /health/live", "GET", "/health/live", {}),
        Target("GET /strategies (list page, 50 rows)", "GET", "/strategies", {"Cookie": session_cookie}),
        Target("GET /api/v1/strategies?page_size=1", "GET", "/api/v1/strategies?page_size=1", bearer),
        Target(
            "POST /api/v1/strategies/validate",
            "POST",
            "/api/v1/strategies/validate",
            {**bearer, "Content-Type": "application/json"},
            json.dumps(document).encode(),
        ),
    ]


def check_answers(url: str, all_targets: list[Target]) -> None:
    """Each request answers 200 before it is timed: wrk counts only 4xx and 5xx as errors,
    and a list page redirected to the log-in form would be timed as a fast page."""
    import requests

    for target in all_targets:
        response = requests.request(
            target.method,
            url + target.path,
            data=target.body,
            headers=target.headers,
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 200, (target.label, response.status_code, response.text[:300])


def report(rows: list[tuple[Target, Figures]]) -> None:
    baseline = rows[0][1]
    print(
        f"\n  {'request':40s} {'req/s':>6s} {'p50 ms':>7s} {'p99 ms':>7s} {'errors':>6s}"
        f" {'CPU ms':>6s} {'req/s ÷ live':>12s} {'p99 ÷ live':>10s} {'CPU ÷ live':>10s}"
    )
    for target, figures in rows:
        print(
            f"  {target.label:40s} {figures.rps:6.0f} {figures.p50_ms:7.0f} "
            f"{figures.p99_ms:7.0f} {figures.errors:6d} {figures.cpu_ms:6.2f} "
            f"{figures.rps / baseline.rps:12.0%} {figures.p99_ms / baseline.p99_ms:9.1f}x "
            f"{figures.cpu_ms / baseline.cpu_ms:9.1f}x"
        )
    validate = rows[-1][1]
    throughput = validate.rps / baseline.rps
    tail = validate.p99_ms / baseline.p99_ms
    print("\n  API validate against /health/live, targets:")
    print(
        f"    throughput {throughput:.0%} (at least {MIN_THROUGHPUT_RATIO:.0%}): "
        f"{'met' if throughput >= MIN_THROUGHPUT_RATIO else 'missed'}"
    )
    print(f"    p99 {tail:.1f}x (at most {MAX_P99_RATIO:g}x): {'met' if tail <= MAX_P99_RATIO else 'missed'}")
    print(f"    errors {validate.errors} (none): {'met' if validate.errors == 0 else 'missed'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5, help="seconds per request and round")
    parser.add_argument("--warm-up", type=int, default=3, help="seconds for each, first")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    if not live_stack._reachable(live_stack.POSTGRES_HOST, live_stack.POSTGRES_PORT):
        print(
            f"PostgreSQL is not reachable at {live_stack.POSTGRES_HOST}:{live_stack.POSTGRES_PORT}",
            file=sys.stderr,
        )
        return 2
    work = Path(tempfile.mkdtemp(prefix="api-bench-"))
    with live_stack.postgres_database("ts_api_bench") as database:
        # Validations are rate-limited per token (60 a minute by default); the benchmark
        # measures the path, not the refusal.
        env = live_stack.server_env(work, live_stack.postgres_url(database), API_VALIDATE_RATE=str(10**9))
        server = live_stack.Server(work, env, workers=args.workers)
        try:
            documents = tuple(live_stack.strategy_document(f"Bench {k}") for k in range(OWNED))
            live_stack.create_users(server.env, [EMAIL], documents=documents)
            token = create_token(server.env)
            session = trader_session.log_in(server.url, EMAIL)
            cookie = f"sessionid={session.cookies['sessionid']}"
            all_targets = targets(token, cookie)
            check_answers(server.url, all_targets)
            print(
                f"API benchmark: `serve --workers {args.workers}` on PostgreSQL, wrk "
                f"-t{args.threads} -c{args.connections}, {args.rounds} rounds of "
                f"{args.duration} s per request after {args.warm_up} s of warm-up; a "
                f"trader owning {OWNED} strategies"
            )
            print(
                "  load average before: "
                + " ".join(f"{v:.2f}" for v in os.getloadavg())
                + f" ({os.cpu_count()} CPUs, shared with wrk and PostgreSQL)"
            )
            for target in all_targets:
                wrk(server.url, target, args, work, args.warm_up)
            rounds: dict[str, list[Figures]] = {target.label: [] for target in all_targets}
            for _ in range(args.rounds):
                for target in all_targets:
                    workers = server.worker_pids()
                    before = cpu_seconds(workers)
                    figures = wrk(server.url, target, args, work, args.duration)
                    figures.cpu_ms = (cpu_seconds(workers) - before) * 1000 / figures.requests
                    rounds[target.label].append(figures)
            report([(target, combined(rounds[target.label])) for target in all_targets])
        finally:
            server.stop()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
