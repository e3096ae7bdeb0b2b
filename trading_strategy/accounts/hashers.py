"""Password hashing: Argon2id in one lane, on threads that give way to page requests."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connections

# How much nicer the hashing threads are than the request threads: under contention Linux
# gives a thread 10 steps nicer about a tenth of the CPU, so page requests run first and
# log-ins take longer.
HASHING_NICENESS = 10


def _give_way():
    # Linux schedules each thread as its own task: a nice value set on this thread's id
    # lowers this thread only. Elsewhere the hash just runs at normal priority.
    try:
        thread = threading.get_native_id()
        niceness = os.getpriority(os.PRIO_PROCESS, thread) + HASHING_NICENESS
        os.setpriority(os.PRIO_PROCESS, thread, min(niceness, 19))
    except (AttributeError, OSError):
        pass


# Threads start on first use, in whichever process hashes (each gunicorn worker).
_hashing = ThreadPoolExecutor(
    max_workers=os.cpu_count() or 1, thread_name_prefix="password-hash", initializer=_give_way
)


def _lend_back_pooled_connections():
    """While a hash waits for CPU its request needs no database connection, but would keep
    the pooled one it used to find the user; with enough log-ins waiting the pool runs dry
    and other requests fail after DB_POOL_TIMEOUT. The next query borrows one again. Not
    inside a transaction, which must keep its connection."""
    for connection in connections.all(initialized_only=True):
        if (
            connection.connection is not None
            and not connection.in_atomic_block
            and getattr(connection, "pool", None) is not None
        ):
            connection.close()


class OneLaneArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id settings (100 MiB, 2 passes) computed in one lane instead of 8,
    on a low-priority thread.

    The lanes split the same memory and the same work, so a guess costs an attacker the
    same; but eight lanes run on every core at once, and on a small server a burst of
    log-ins then stalls every other request. One lane keeps a log-in to one core, and the
    low priority lets page requests go first while hashes wait (bench/results.md: the
    load test's sign-in ramp); a waiting hash holds no pooled database connection. Hashes
    made with other parameters still verify and are re-hashed at the next log-in.
    """

    algorithm = "argon2"
    parallelism = 1

    def encode(self, password, salt):
        _lend_back_pooled_connections()
        return _hashing.submit(super().encode, password, salt).result()

    def verify(self, password, encoded):
        _lend_back_pooled_connections()
        return _hashing.submit(super().verify, password, encoded).result()
