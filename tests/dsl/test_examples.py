"""Golden tests of the example strategies in examples/.

Regenerate the golden models after an intended change with
`UPDATE_GOLDEN=1 .venv/bin/pytest tests/dsl/test_examples.py`.
"""

import json
import os
from pathlib import Path

import pytest

from trading_strategy.dsl.model import to_toml, to_yaml
from trading_strategy.dsl.validator import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).parent / "golden"
NAMES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
FORMATS = ("yaml", "toml")


def model_of(name, fmt):
    return validate((EXAMPLES / f"{name}.{fmt}").read_text(encoding="utf-8"), fmt).model


def as_json(model) -> str:
    # Decimals are written as strings, so 0.10 and 0.1 stay told apart, as in the model.
    return json.dumps(model, indent=2, ensure_ascii=False, default=str) + "\n"


def test_there_are_at_least_six_examples_each_in_both_formats():
    assert len(NAMES) >= 6
    assert sorted(path.stem for path in EXAMPLES.glob("*.toml")) == NAMES


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", NAMES)
def test_each_example_validates_without_any_diagnostic(name, fmt):
    report = validate((EXAMPLES / f"{name}.{fmt}").read_text(encoding="utf-8"), fmt)
    assert [d.code for d in report.diagnostics] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_yaml_and_toml_of_an_example_mean_the_same_model(name):
    assert model_of(name, "yaml") == model_of(name, "toml")


@pytest.mark.parametrize("name", NAMES)
def test_yaml_to_model_to_toml_to_model_changes_nothing(name):
    model = model_of(name, "yaml")
    assert validate(to_toml(model), "toml").model == model


@pytest.mark.parametrize("name", NAMES)
def test_toml_to_model_to_yaml_to_model_changes_nothing(name):
    model = model_of(name, "toml")
    assert validate(to_yaml(model), "yaml").model == model


def test_the_toml_examples_write_top_level_keys_above_the_first_table_header():
    for name in NAMES:
        lines = (EXAMPLES / f"{name}.toml").read_text(encoding="utf-8").splitlines()
        first_header = next(i for i, line in enumerate(lines) if line.startswith("["))
        top = {line.split("=")[0].strip() for line in lines[:first_header] if "=" in line}
        assert {"entry_conditions", "exit_conditions", "stop_conditions"} <= top, name


@pytest.mark.parametrize("name", NAMES)
def test_the_model_of_each_example_matches_its_golden_file(name):
    golden = GOLDEN / f"{name}.json"
    actual = as_json(model_of(name, "yaml"))
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.read_text(encoding="utf-8") == actual
