"""Typed environment variables: the same words everywhere, and a bad value is named."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from trading_strategy.env import env_bool, env_float, env_int, env_list, env_str

NAME = "TRADING_STRATEGY_TEST_VARIABLE"


@pytest.fixture
def variable(monkeypatch):
    def set_to(value: str) -> None:
        monkeypatch.setenv(NAME, value)

    monkeypatch.delenv(NAME, raising=False)
    return set_to


@pytest.mark.parametrize("word", ["1", "true", "yes", "on", "TRUE", "Yes", " On "])
def test_each_truthy_word_reads_as_true(variable, word):
    variable(word)

    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("word", ["0", "false", "no", "off", "FALSE", "No", " off "])
def test_each_falsy_word_reads_as_false(variable, word):
    variable(word)

    assert env_bool(NAME, True) is False


@pytest.mark.parametrize("word", ["enabled", "y", "2", "tru"])
def test_an_unknown_boolean_word_stops_start_up_naming_the_variable(variable, word):
    variable(word)

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='{word}' is not a boolean"):
        env_bool(NAME, False)


@pytest.mark.parametrize("read", [env_bool, env_int, env_float, env_str, env_list])
def test_unset_or_blank_gives_the_default(variable, read):
    default = {env_bool: True, env_int: 7, env_float: 0.5, env_str: "x", env_list: ["a"]}[read]

    assert read(NAME, default) == default
    variable("  ")
    assert read(NAME, default) == default


def test_an_integer_is_read_as_one(variable):
    variable(" 42 ")

    assert env_int(NAME, 5) == 42


@pytest.mark.parametrize("value", ["ten", "1.5", "12s"])
def test_a_bad_integer_stops_start_up_naming_the_variable_and_the_value(variable, value):
    variable(value)

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='{value}' is not a whole number"):
        env_int(NAME, 5)


def test_a_bad_number_stops_start_up_naming_the_variable(variable):
    variable("two seconds")

    with pytest.raises(ImproperlyConfigured, match=f"{NAME}='two seconds' is not a number"):
        env_float(NAME, 2.0)


def test_a_number_may_have_a_fraction(variable):
    variable("2.5")

    assert env_float(NAME, 2.0) == 2.5


def test_a_list_is_split_on_commas_without_blanks(variable):
    variable(" a.example, ,b.example ,")

    assert env_list(NAME, []) == ["a.example", "b.example"]


def test_a_string_without_a_default_is_none_when_unset(variable):
    assert env_str(NAME) is None
    variable("redis://localhost:6379/0")
    assert env_str(NAME) == "redis://localhost:6379/0"
