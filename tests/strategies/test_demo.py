from pathlib import Path

import pytest

from trading_strategy.accounts.demo import ensure_demo_admin
from trading_strategy.strategies.demo import load_examples
from trading_strategy.strategies.models import Strategy

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.django_db


def test_it_loads_every_example_once_as_a_valid_draft_of_the_demo_admin():
    admin, password = ensure_demo_admin()
    assert password
    loaded = load_examples(admin, EXAMPLES)
    stems = {path.stem for path in EXAMPLES.iterdir() if path.is_file()}
    assert len(loaded) == len(stems)
    assert all(strategy.is_valid and strategy.owner == admin for strategy in loaded)
    assert load_examples(admin, EXAMPLES) == []
    assert Strategy.objects.count() == len(stems)


def test_the_demo_password_is_given_only_when_the_admin_is_created():
    ensure_demo_admin()
    assert ensure_demo_admin()[1] is None
