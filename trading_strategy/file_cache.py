"""The cache every worker on one machine shares when there is no Redis: Django's file
cache, with counting made safe across processes.

Django's file cache adds with a check then a write and increments with a read then a write
that resets the entry's expiry, so two workers counting the same budget lose counts, and a
counter kept for a fifteen-minute window would vanish after the default five. Here add and
incr hold one lock file for the whole cache (an operation takes microseconds, so one lock
is no bottleneck), and incr keeps the entry's expiry. Full, the cache drops expired entries
before any live one, so that a busy window does not cull the budgets still counting.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
import zlib

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks
from django.core.files.move import file_move_safe

LOCK_FILE = "counting.lock"  # not a `.djcache` file, so clear() leaves it alone


class SharedFileCache(FileBasedCache):
    _dir: str  # set by FileBasedCache.__init__; its stubs leave it out

    @contextlib.contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, LOCK_FILE), "ab") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._exclusive():
            fname = self._key_to_file(key, version)
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)
                    value = pickle.loads(zlib.decompress(f.read()))
            except FileNotFoundError:
                raise ValueError(f"Key '{key}' not found") from None
            if expiry is not None and expiry < time.time():
                self._delete(fname)
                raise ValueError(f"Key '{key}' not found")
            value += delta
            self._replace(fname, expiry, value)
            return value

    def _replace(self, fname: str, expiry: float | None, value) -> None:
        # Written beside and moved into place, so that a reader never sees half a file.
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                f.write(pickle.dumps(expiry, self.pickle_protocol))
                f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
            file_move_safe(tmp_path, fname, allow_overwrite=True)
        except BaseException:
            os.remove(tmp_path)
            raise

    def _cull(self):
        if len(self._list_cache_files()) < self._max_entries:
            return
        for fname in self._list_cache_files():
            with contextlib.suppress(FileNotFoundError), open(fname, "rb") as f:
                self._is_expired(f)  # deletes the file when it has expired
        super()._cull()
