"""The shared rings of recent requests: the newest N, readable by another process."""

from trading_strategy.ops import rings


def test_a_ring_keeps_the_newest_entries_newest_first():
    ring = rings.SharedRing(3)
    for number in range(5):
        ring.append({"n": number})

    assert [entry["n"] for entry in ring.entries()] == [4, 3, 2]


def test_another_process_reads_a_ring_from_its_file(tmp_path):
    path = tmp_path / "requests_123.mmap"
    ring = rings.SharedRing(4, path)
    ring.append({"route": "strategies:list", "status": 200})
    ring.append({"route": "unmatched", "status": 404})

    assert rings.read(path) == [
        {"route": "unmatched", "status": 404},
        {"route": "strategies:list", "status": 200},
    ]


def test_an_entry_too_big_for_a_slot_is_left_out():
    ring = rings.SharedRing(2)
    ring.append({"kept": 1})
    ring.append({"huge": "x" * rings.SLOT_BYTES})

    assert ring.entries() == [{"kept": 1}]


def test_a_missing_or_empty_file_reads_as_no_entries(tmp_path):
    empty = tmp_path / "empty.mmap"
    empty.touch()

    assert rings.read(tmp_path / "gone.mmap") == [] and rings.read(empty) == []


def test_a_cleared_ring_is_empty():
    ring = rings.SharedRing(2)
    ring.append({"n": 1})
    ring.clear()

    assert ring.entries() == []
