"""A ring of the last N small JSON entries in shared memory, which other processes can read.

Each worker appends to its own ring: in memory, or in a file beside the metric values when
there are several workers (exporter.process_file), so that whichever worker answers the
dashboard reads every worker's ring without a thread or a file rewrite. Appending is a copy
into the mapping: no system call, no lock shared with other processes.

Layout: a header (entries ever appended) and `capacity` slots of SLOT_BYTES. A slot holds
a sequence number, odd while its entry is being written, the entry's length and its JSON;
a reader that sees the sequence change (or odd) skips the slot instead of reading half an
entry.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import threading
from pathlib import Path

SLOT_BYTES = 512
_HEADER = struct.Struct("<Q")
_SLOT_HEADER = struct.Struct("<II")
_PAYLOAD_BYTES = SLOT_BYTES - _SLOT_HEADER.size


class SharedRing:
    def __init__(self, capacity: int, path: Path | None = None):
        self.capacity = capacity
        size = _HEADER.size + capacity * SLOT_BYTES
        if path is None:
            self._map = mmap.mmap(-1, size)
        else:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                os.ftruncate(descriptor, size)
                self._map = mmap.mmap(descriptor, size)
            finally:
                os.close(descriptor)
        self._lock = threading.Lock()

    def append(self, entry: dict) -> None:
        """Keep `entry` (JSON-serialisable; an entry too big for a slot is not kept)."""
        payload = json.dumps(entry, separators=(",", ":"), default=str).encode()
        if len(payload) > _PAYLOAD_BYTES:
            return
        with self._lock:
            (appended,) = _HEADER.unpack_from(self._map, 0)
            offset = _HEADER.size + (appended % self.capacity) * SLOT_BYTES
            sequence = _SLOT_HEADER.unpack_from(self._map, offset)[0]
            _SLOT_HEADER.pack_into(self._map, offset, sequence + 1, 0)
            start = offset + _SLOT_HEADER.size
            self._map[start : start + len(payload)] = payload
            _SLOT_HEADER.pack_into(self._map, offset, sequence + 2, len(payload))
            _HEADER.pack_into(self._map, 0, appended + 1)

    def entries(self) -> list[dict]:
        """The entries kept, newest first."""
        return _entries(self._map)

    def clear(self) -> None:
        with self._lock:
            self._map[:] = bytes(len(self._map))


def read(path: Path) -> list[dict]:
    """Another process's ring, newest first ([] when it is gone or not a ring)."""
    try:
        with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as mapping:
            return _entries(mapping)
    except (OSError, ValueError):
        return []


def _entries(mapping) -> list[dict]:
    capacity = (len(mapping) - _HEADER.size) // SLOT_BYTES
    if capacity <= 0:
        return []
    (appended,) = _HEADER.unpack_from(mapping, 0)
    found = []
    for back in range(min(appended, capacity)):
        offset = _HEADER.size + ((appended - 1 - back) % capacity) * SLOT_BYTES
        sequence, length = _SLOT_HEADER.unpack_from(mapping, offset)
        if sequence % 2 or not 0 < length <= _PAYLOAD_BYTES:
            continue
        start = offset + _SLOT_HEADER.size
        payload = bytes(mapping[start : start + length])
        if _SLOT_HEADER.unpack_from(mapping, offset)[0] != sequence:
            continue  # rewritten while read
        try:
            entry = json.loads(payload)
        except ValueError:
            continue
        if isinstance(entry, dict):
            found.append(entry)
    return found
