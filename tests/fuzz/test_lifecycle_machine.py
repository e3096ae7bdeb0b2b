"""A Hypothesis state machine plays a trader's random day: create, save, save from a stale
page, activate, deactivate, archive, restore, duplicate, delete and bring back old
versions. A model of what should have happened is checked against the database after
every step: a refused move changes nothing, versions only grow, no saved document is
lost, and of two saves from the same page only the first wins."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    rule,
    run_state_machine_as_test,
)

from trading_strategy.accounts.models import User
from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.errors import Conflict, NameRejected, NotValid, Refused
from trading_strategy.strategies.models import TRANSITIONS, Status, Strategy

from ..documents import strategy_document

# Saved as a draft with errors: the required sections are missing.
INVALID = "name: {name}\ntrading_pair: BTC/USDT\ntimeframe: 1h\n# draft {threshold}\n"

_owners = itertools.count()


def text(name: str, valid: bool, threshold: int) -> str:
    if valid:
        return strategy_document(name, entry=f"rsi_14 < {threshold}")
    return INVALID.format(name=name, threshold=threshold)


class Expected:
    """What the model says one strategy is."""

    def __init__(self, strategy: Strategy):
        self.pk = strategy.pk
        self.name = strategy.name
        self.status = strategy.status
        self.valid = strategy.is_valid
        self.lock_version = strategy.lock_version
        self.documents = [strategy.document]  # version n is documents[n - 1]

    @property
    def document(self) -> str:
        return self.documents[-1]


class StrategyLifecycle(RuleBasedStateMachine):
    strategies = Bundle("strategies")

    def __init__(self):
        super().__init__()
        self.owner = User.objects.create_user(f"trader{next(_owners)}@example.com", "pw")
        self.model: dict[int, Expected] = {}
        self.deleted: set[int] = set()
        self.highest_version: dict[int, int] = {}
        self.names = itertools.count()

    # --- helpers -------------------------------------------------------------------

    def fetch(self, pk: int) -> Strategy:
        return Strategy.objects.get(pk=pk)

    def live_name_taken(self, name: str, except_pk: int | None = None) -> bool:
        return any(
            e.name.lower() == name.lower() and e.status != Status.ARCHIVED and e.pk != except_pk
            for e in self.model.values()
        )

    def refused_without_change(self, expected: Expected, error_type, action):
        with pytest.raises(error_type):
            action()
        stored = self.fetch(expected.pk)
        assert (stored.status, stored.lock_version, stored.current_version) == (
            expected.status,
            expected.lock_version,
            len(expected.documents),
        )

    def remember(self, strategy: Strategy) -> Expected:
        expected = Expected(strategy)
        self.model[strategy.pk] = expected
        return expected

    def saved(self, expected: Expected, result: Strategy, document: str):
        # A save that changes nothing writes nothing: no version, no new lock version.
        if document != expected.document:
            expected.documents.append(document)
            expected.lock_version += 1
        expected.valid = result.is_valid
        assert result.lock_version == expected.lock_version

    # --- rules ---------------------------------------------------------------------

    @rule(target=strategies, valid=st.booleans(), threshold=st.integers(1, 99))
    def create(self, valid, threshold):
        strategy = lifecycle.create(
            self.owner, text(f"Strategy {next(self.names)}", valid, threshold), "yaml"
        )
        assert (strategy.status, strategy.current_version) == (Status.DRAFT, 1)
        return self.remember(strategy).pk

    @rule(target=strategies, pk=strategies, valid=st.booleans())
    def create_reusing_a_name(self, pk, valid):
        if pk in self.deleted:
            return pk
        name = self.model[pk].name.upper()
        if self.live_name_taken(name):
            with pytest.raises(NameRejected):
                lifecycle.create(self.owner, text(name, valid, 50), "yaml")
            return pk
        return self.remember(lifecycle.create(self.owner, text(name, valid, 50), "yaml")).pk

    @rule(pk=strategies, valid=st.booleans(), threshold=st.integers(1, 99))
    def save(self, pk, valid, threshold):
        if pk in self.deleted:
            return
        expected = self.model[pk]
        document = text(expected.name, valid, threshold)

        def action():
            return lifecycle.save(self.owner, self.fetch(pk), document, "yaml", expected.lock_version)

        if expected.status not in (Status.DRAFT, Status.INACTIVE):
            self.refused_without_change(expected, Refused, action)
            return
        self.saved(expected, action(), document)

    @rule(pk=strategies, threshold=st.integers(1, 99), behind=st.integers(1, 3))
    def save_from_a_stale_page(self, pk, threshold, behind):
        if pk in self.deleted:
            return
        expected = self.model[pk]
        document = text(expected.name, True, threshold)
        stale = max(expected.lock_version - behind, 0)
        refusal = Refused if expected.status not in (Status.DRAFT, Status.INACTIVE) else Conflict
        self.refused_without_change(
            expected, refusal, lambda: lifecycle.save(self.owner, self.fetch(pk), document, "yaml", stale)
        )

    @rule(pk=strategies, first=st.integers(1, 99), second=st.integers(1, 99))
    def two_saves_from_the_same_page(self, pk, first, second):
        if pk in self.deleted or self.model[pk].status not in (Status.DRAFT, Status.INACTIVE):
            return
        expected = self.model[pk]
        opened_at = expected.lock_version
        mine, theirs = (text(expected.name, True, first), text(expected.name, False, second))
        changed = mine != expected.document
        self.saved(expected, lifecycle.save(self.owner, self.fetch(pk), mine, "yaml", opened_at), mine)
        if not changed:
            # The first save wrote nothing, so the page the second comes from is not stale.
            self.saved(
                expected, lifecycle.save(self.owner, self.fetch(pk), theirs, "yaml", opened_at), theirs
            )
            assert self.fetch(pk).document == theirs
            return
        self.refused_without_change(
            expected, Conflict, lambda: lifecycle.save(self.owner, self.fetch(pk), theirs, "yaml", opened_at)
        )
        assert self.fetch(pk).document == mine

    @rule(pk=strategies, operation=st.sampled_from(sorted(TRANSITIONS)))
    def change_status(self, pk, operation):
        if pk in self.deleted:
            return
        expected = self.model[pk]
        action = lambda: getattr(lifecycle, operation)(self.owner, self.fetch(pk))  # noqa: E731
        allowed = TRANSITIONS[operation].get(expected.status)
        if allowed is None:
            self.refused_without_change(expected, Refused, action)
            return
        if operation == "activate" and not expected.valid:
            self.refused_without_change(expected, NotValid, action)
            return
        if operation == "restore" and self.live_name_taken(expected.name, expected.pk):
            self.refused_without_change(expected, NameRejected, action)
            return
        result = action()
        assert result.status == allowed
        expected.status = allowed
        expected.lock_version += 1

    @rule(target=strategies, pk=strategies)
    def duplicate(self, pk):
        if pk in self.deleted:
            return pk
        copy = lifecycle.duplicate(self.owner, self.fetch(pk))
        assert copy.pk != pk and copy.status == Status.DRAFT and copy.current_version == 1
        assert not self.live_name_taken(copy.name)
        return self.remember(copy).pk

    @rule(pk=consumes(strategies))
    def delete(self, pk):
        if pk in self.deleted:
            return
        expected = self.model[pk]
        action = lambda: lifecycle.delete(self.owner, self.fetch(pk))  # noqa: E731
        if expected.status != Status.DRAFT:
            self.refused_without_change(expected, Refused, action)
            return
        action()
        self.deleted.add(pk)
        del self.model[pk]

    @rule(pk=strategies, pick=st.integers(0, 1000))
    def restore_an_old_version(self, pk, pick):
        if pk in self.deleted:
            return
        expected = self.model[pk]
        number = pick % len(expected.documents) + 1
        action = lambda: lifecycle.restore_version(  # noqa: E731
            self.owner, self.fetch(pk), number, expected.lock_version
        )
        if expected.status not in (Status.DRAFT, Status.INACTIVE):
            self.refused_without_change(expected, Refused, action)
            return
        self.saved(expected, action(), expected.documents[number - 1])

    # --- what must always hold -----------------------------------------------------

    @invariant()
    def the_database_matches_the_model(self):
        stored = {s.pk: s for s in Strategy.objects.filter(owner=self.owner)}
        assert set(stored) == set(self.model)
        for pk, expected in self.model.items():
            strategy = stored[pk]
            assert (strategy.status, strategy.lock_version, strategy.is_valid) == (
                expected.status,
                expected.lock_version,
                expected.valid,
            )

    @invariant()
    def every_saved_document_is_still_a_version(self):
        for pk, expected in self.model.items():
            versions = list(self.fetch(pk).versions.order_by("number").values_list("number", "document"))
            assert versions == list(enumerate(expected.documents, start=1))

    @invariant()
    def version_numbers_only_grow(self):
        for pk in self.model:
            current = self.fetch(pk).current_version
            assert current >= self.highest_version.get(pk, 1)
            self.highest_version[pk] = current

    @invariant()
    def no_two_live_strategies_share_a_name(self):
        names = [s.name.lower() for s in Strategy.objects.filter(owner=self.owner).live()]
        assert len(names) == len(set(names))


def test_the_lifecycle_keeps_its_promises_whatever_the_order(db):
    run_state_machine_as_test(
        StrategyLifecycle,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
