import pytest

from trading_strategy.strategies import lifecycle
from trading_strategy.strategies.errors import Conflict, NameRejected, NotValid, Refused
from trading_strategy.strategies.models import Status, Strategy

from .conftest import document

pytestmark = pytest.mark.django_db


def test_it_creates_a_draft_with_its_first_version(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    assert strategy.status == Status.DRAFT
    assert strategy.current_version == 1
    assert [v.number for v in strategy.versions.all()] == [1]
    assert strategy.versions.get().author == alice


def test_it_takes_name_pair_and_timeframe_from_the_document(alice):
    strategy = lifecycle.create(alice, document("Eth swing", **{"BTC/USDT": "ETH/EUR", "1h": "4h"}), "yaml")
    assert (strategy.name, strategy.trading_pair, strategy.timeframe) == ("Eth swing", "ETH/EUR", "4h")


def test_it_saves_an_invalid_draft_with_its_diagnostics(alice):
    strategy = lifecycle.create(alice, document(**{"1h": "1H"}), "yaml")
    version = strategy.versions.get()
    assert not strategy.is_valid
    assert [d["code"] for d in version.errors] == ["timeframe.invalid"]


def test_it_saves_a_draft_whose_yaml_does_not_parse_under_its_written_name(alice):
    strategy = lifecycle.create(alice, "name: Half typed\nindicators: [\n", "yaml")
    assert strategy.name == "Half typed"
    assert strategy.versions.get().errors[0]["code"] == "yaml.syntax"


@pytest.mark.parametrize("name", ["ab", "x" * 101])
def test_it_refuses_names_outside_three_to_a_hundred_characters(alice, name):
    with pytest.raises(NameRejected) as refused:
        lifecycle.create(alice, document(name), "yaml")
    assert refused.value.code == "strategy.name_length"


def test_it_refuses_a_document_without_a_name(alice):
    with pytest.raises(NameRejected) as refused:
        lifecycle.create(alice, "trading_pair: BTC/USDT\n", "yaml")
    assert refused.value.code == "strategy.name_missing"


def test_it_refuses_a_name_the_owner_already_uses_in_any_case(alice):
    lifecycle.create(alice, document("RSI dip"), "yaml")
    with pytest.raises(NameRejected) as refused:
        lifecycle.create(alice, document("rsi DIP"), "yaml")
    assert refused.value.code == "strategy.name_taken"


def test_it_allows_the_same_name_for_another_owner_or_beside_an_archived_one(alice, bob):
    first = lifecycle.create(alice, document(), "yaml")
    lifecycle.create(bob, document(), "yaml")
    lifecycle.archive(alice, first)
    assert lifecycle.create(alice, document(), "yaml").name == "RSI dip"


def test_the_database_itself_refuses_a_duplicate_live_name(alice):
    from django.db import IntegrityError, transaction

    strategy = lifecycle.create(alice, document(), "yaml")
    with pytest.raises(IntegrityError), transaction.atomic():
        Strategy.objects.create(owner=alice, name="RSI DIP", document=strategy.document)


def test_a_save_that_changes_the_document_creates_a_version(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    saved = lifecycle.save(alice, strategy, document(**{"< 30": "< 25"}), "yaml", strategy.lock_version)
    assert saved.current_version == 2
    assert saved.versions.get(number=2).document == saved.document
    assert saved.versions.get(number=1).document == document()


def test_a_save_without_changes_creates_no_version(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    saved = lifecycle.save(alice, strategy, document(), "yaml", strategy.lock_version)
    assert saved.versions.count() == 1


def test_a_save_without_changes_leaves_other_tabs_able_to_save(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    from trading_strategy.strategies import events

    strategy = lifecycle.create(alice, document(), "yaml")
    opened_at = strategy.lock_version
    published = []
    monkeypatch.setattr(events.broker(), "publish", lambda topic, message: published.append(message))
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.save(alice, strategy, document(), "yaml", opened_at)

    assert published == []
    assert Strategy.objects.get(pk=strategy.pk).lock_version == opened_at
    saved = lifecycle.save(alice, strategy, document(**{"< 30": "< 25"}), "yaml", opened_at)
    assert saved.current_version == 2


def test_a_stale_save_is_a_conflict_naming_who_changed_it(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    opened_at = strategy.lock_version
    lifecycle.save(alice, strategy, document(**{"< 30": "< 25"}), "yaml", opened_at)
    with pytest.raises(Conflict) as conflict:
        lifecycle.save(alice, strategy, document(**{"< 30": "< 20"}), "yaml", opened_at)
    details = conflict.value.details
    assert details["changed_by"] == "alice@example.com"
    assert details["current_lock_version"] == opened_at + 1
    assert any(row["kind"] == "added" and "< 20" in row["text"] for row in details["diff"])
    assert Strategy.objects.get(pk=strategy.pk).document == document(**{"< 30": "< 25"})


def test_overwriting_after_a_conflict_takes_the_reported_lock_version(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    opened_at = strategy.lock_version
    lifecycle.save(alice, strategy, document(**{"< 30": "< 25"}), "yaml", opened_at)
    with pytest.raises(Conflict) as conflict:
        lifecycle.save(alice, strategy, document(**{"< 30": "< 20"}), "yaml", opened_at)
    saved = lifecycle.save(
        alice, strategy, document(**{"< 30": "< 20"}), "yaml", conflict.value.details["current_lock_version"]
    )
    assert "< 20" in saved.document and saved.current_version == 3


def test_an_old_version_is_restored_as_a_new_version(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    strategy = lifecycle.save(alice, strategy, document(**{"< 30": "< 25"}), "yaml", strategy.lock_version)
    restored = lifecycle.restore_version(alice, strategy, 1, strategy.lock_version)
    assert restored.current_version == 3
    assert restored.document == document()
    assert restored.versions.count() == 3


def test_it_duplicates_as_a_numbered_copy_in_draft(alice):
    original = lifecycle.create(alice, document(), "yaml")
    lifecycle.activate(alice, original)
    names = [lifecycle.duplicate(alice, original).name for _ in range(3)]
    assert names == ["RSI dip - Copy", "RSI dip - Copy 2", "RSI dip - Copy 3"]
    copy = Strategy.objects.get(name="RSI dip - Copy")
    assert copy.status == Status.DRAFT
    assert copy.document.startswith('name: "RSI dip - Copy"\n')


def test_a_copy_of_a_long_name_is_cut_to_fit(alice):
    original = lifecycle.create(alice, document("n" * 100), "yaml")
    copy = lifecycle.duplicate(alice, original)
    assert copy.name == "n" * 93 + " - Copy"


def test_a_copy_is_independent_of_its_original(alice):
    original = lifecycle.create(alice, document(), "yaml")
    copy = lifecycle.duplicate(alice, original)
    lifecycle.save(alice, copy, document("Changed copy"), "yaml", copy.lock_version)
    assert Strategy.objects.get(pk=original.pk).document == document()


def test_activation_demands_a_document_without_errors(alice):
    strategy = lifecycle.create(alice, document(**{"1h": "1H"}), "yaml")
    with pytest.raises(NotValid) as refused:
        lifecycle.activate(alice, strategy)
    assert refused.value.details["diagnostics"][0]["code"] == "timeframe.invalid"
    assert Strategy.objects.get(pk=strategy.pk).status == Status.DRAFT


ALLOWED = [
    ("draft", "activate", "active"),
    ("active", "deactivate", "inactive"),
    ("inactive", "activate", "active"),
    ("draft", "archive", "archived"),
    ("inactive", "archive", "archived"),
    ("archived", "restore", "inactive"),
]
REFUSED = [
    (status, operation)
    for status in ("draft", "active", "inactive", "archived")
    for operation in ("activate", "deactivate", "archive", "restore")
    if (status, operation) not in {(s, o) for s, o, _ in ALLOWED}
]


def _strategy_in(user, status):
    strategy = lifecycle.create(user, document(), "yaml")
    Strategy.objects.filter(pk=strategy.pk).update(status=status)
    return Strategy.objects.get(pk=strategy.pk)


@pytest.mark.parametrize("status, operation, result", ALLOWED)
def test_it_allows_the_transition(alice, status, operation, result):
    strategy = getattr(lifecycle, operation)(alice, _strategy_in(alice, status))
    assert strategy.status == result
    assert Strategy.objects.get(pk=strategy.pk).status == result


@pytest.mark.parametrize("status, operation", REFUSED)
def test_it_refuses_the_transition_and_says_why(alice, status, operation):
    strategy = _strategy_in(alice, status)
    with pytest.raises(Refused) as refused:
        getattr(lifecycle, operation)(alice, strategy)
    assert refused.value.message
    assert Strategy.objects.get(pk=strategy.pk).status == status


@pytest.mark.parametrize("status", ["active", "archived"])
def test_it_refuses_to_edit_an_active_or_archived_strategy(alice, status):
    strategy = _strategy_in(alice, status)
    with pytest.raises(Refused):
        lifecycle.save(alice, strategy, document(**{"< 30": "< 25"}), "yaml", strategy.lock_version)
    assert Strategy.objects.get(pk=strategy.pk).document == document()


def test_it_deletes_a_draft(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    lifecycle.delete(alice, strategy)
    assert not Strategy.objects.filter(pk=strategy.pk).exists()


@pytest.mark.parametrize("status", ["active", "inactive", "archived"])
def test_it_never_deletes_a_strategy_that_left_draft(alice, status):
    strategy = _strategy_in(alice, status)
    with pytest.raises(Refused):
        lifecycle.delete(alice, strategy)
    assert Strategy.objects.filter(pk=strategy.pk).exists()


def test_restoring_refuses_a_name_taken_meanwhile(alice):
    strategy = lifecycle.create(alice, document(), "yaml")
    lifecycle.archive(alice, strategy)
    lifecycle.create(alice, document(), "yaml")
    with pytest.raises(NameRejected):
        lifecycle.restore(alice, strategy)


def test_another_users_strategy_is_not_found_through_the_scoped_queryset(alice, bob):
    strategy = lifecycle.create(alice, document(), "yaml")
    with pytest.raises(Strategy.DoesNotExist):
        Strategy.objects.owned_by(bob).get(pk=strategy.pk)


def test_every_operation_announces_itself_after_commit(
    alice, monkeypatch, django_capture_on_commit_callbacks
):
    from trading_strategy.strategies import events

    published = []
    monkeypatch.setattr(
        events.broker(), "publish", lambda topic, message: published.append((topic, message["event"]))
    )
    with django_capture_on_commit_callbacks(execute=True):
        strategy = lifecycle.create(alice, document(), "yaml")
        strategy = lifecycle.save(
            alice, strategy, document(**{"< 30": "< 25"}), "yaml", strategy.lock_version
        )
        strategy = lifecycle.activate(alice, strategy)
        strategy = lifecycle.deactivate(alice, strategy)
        lifecycle.duplicate(alice, strategy)
        strategy = lifecycle.archive(alice, strategy)
        lifecycle.restore(alice, strategy)
    topic = events.topic_for(alice.pk)
    assert published == [
        (topic, e)
        for e in ("created", "updated", "activated", "deactivated", "duplicated", "archived", "restored")
    ]


def test_it_refuses_a_document_larger_than_the_language_allows(alice):
    from trading_strategy.strategies.errors import Unstorable

    with pytest.raises(Unstorable) as refused:
        lifecycle.create(alice, document() + "#" + "x" * 300 * 1024 + "\n", "yaml")
    assert refused.value.code == "strategy.too_large"
    assert not Strategy.objects.exists()


@pytest.mark.parametrize("text", ["\x00", "\ud800"])
def test_it_refuses_text_a_database_cannot_store(alice, text):
    from trading_strategy.strategies.errors import Unstorable

    with pytest.raises(Unstorable) as refused:
        lifecycle.create(alice, document(f"Bad {text} name"), "yaml")
    assert refused.value.code == "strategy.unreadable_text"


def test_an_invalid_draft_says_why_it_cannot_be_activated(alice):
    strategy = lifecycle.create(alice, document(**{"1h": "1H"}), "yaml")
    assert "errors" in strategy.refusal("activate")
    assert lifecycle.create(alice, document("Fine"), "yaml").refusal("activate") is None
