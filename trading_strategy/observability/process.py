"""This process's own facts, each read in one place: memory, CPU time, start time, threads
and open file descriptors.

The poller records them as per-worker gauges (metrics.py), the health check compares the
memory with its limit, and the ops dashboard reads the gauges back from the registry.
Linux has /proc; elsewhere the facts it alone provides are None.
"""

from __future__ import annotations

import os
import resource
import sys
import time

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_started: tuple[int, float] | None = None  # (pid, start time): read once per process


def resident_memory_bytes() -> int:
    """The resident set size now (Linux), or the peak where /proc is missing."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # getrusage reports bytes on macOS and KiB on Linux and the BSDs.
        return peak if sys.platform == "darwin" else peak * 1024


def cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def started_at() -> float:
    """When this process started (Unix time), so that uptime does not wait for a first
    request; where /proc is missing, the first time this was asked."""
    global _started
    pid = os.getpid()
    if _started is None or _started[0] != pid:
        _started = (pid, _read_start_time())
    return _started[1]


def _read_start_time() -> float:
    try:
        with open("/proc/self/stat") as stat:
            # Field 22, counted after the parenthesised command name (which may hold spaces).
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/stat") as system:
            boot = next(int(line.split()[1]) for line in system if line.startswith("btime"))
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return time.time()


def os_threads() -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def open_fds() -> int | None:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return None
