"""Two saves started from the same version: exactly one wins, whatever the timing."""

import threading

import pytest
from django.db import connection

from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.errors import Conflict
from trading_strategy.strategies.models import Strategy

from .conftest import document


def _race(count, action):
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = action(index)
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_never_both_win(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    opened_at = strategy.lock_version
    edits = [document(**{"< 30": f"< {20 + i}"}) for i in range(4)]

    outcomes = _race(4, lambda i: lifecycle.save(alice, strategy, edits[i], "yaml", opened_at))

    winners = [o for o in outcomes if isinstance(o, Strategy)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if o not in winners)
    stored = Strategy.objects.get(pk=strategy.pk)
    assert stored.document == winners[0].document
    assert stored.current_version == 2 and stored.versions.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_creates_with_one_name_leave_one_strategy(alice):
    outcomes = _race(3, lambda i: lifecycle.create(alice, document("Same name"), "yaml"))
    assert sum(isinstance(o, Strategy) for o in outcomes) == 1, outcomes
    assert Strategy.objects.filter(name="Same name").count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_duplicates_each_get_the_next_free_copy_name(alice):
    original = lifecycle.create(alice, document("Same name"), "yaml")

    outcomes = _race(12, lambda i: lifecycle.duplicate(alice, original))

    assert all(isinstance(o, Strategy) for o in outcomes), outcomes
    assert sorted(o.name for o in outcomes) == sorted(
        ["Same name - Copy"] + [f"Same name - Copy {n}" for n in range(2, 13)]
    )
