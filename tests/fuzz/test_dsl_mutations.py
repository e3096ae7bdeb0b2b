"""The loader and validator fed the examples after random damage: lines deleted and
duplicated, characters swapped, YAML and TOML punctuation inserted, deep nesting and
huge numbers. Whatever comes in, an answer comes out, and the answer is coherent: valid
means no errors, every position is inside the document, and a valid strategy still
converts to the other format."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading_strategy.dsl import dump, summarize, validate

from .conftest import SLOWEST

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.*"))
FORMAT = {".yaml": "yaml", ".toml": "toml"}

SPECIAL = [
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    "&a ",
    "*a",
    "<<: *a",
    "!",
    "!!python/object/apply:os.system ['true']",
    "!!binary ",
    "|",
    ">",
    "'",
    '"',
    '"""',
    "'''",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "@",
    "`",
    "\\",
    "\\u0000",
    "=",
    "[[",
    "]]",
    "[a.b]",
    ".",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\x00",
    "\ufeff",
    "\u2028",
    "\ud800",
    "é",
    "🚀",
    "?",
    "~",
    "null",
    "true",
    "0x",
    "0o",
    "1_",
    "inf",
    "nan",
]
# Integers past the 4,300 digits CPython converts between int and text are included: the
# loaders must refuse them as diagnostics, not let a ValueError escape.
HUGE = [
    "1e999999",
    "-1e999999",
    "1e-999999",
    "9" * 400,
    "-" + "9" * 400,
    "0x" + "f" * 300,
    "9" * 5000,
    "0x" + "f" * 5000,
    "0b" + "1" * 1000,
    "1" + "0" * 399,
    "1.7976931348623157e309",
    "-0",
    ".inf",
    "-.inf",
    ".nan",
    "nan",
    "+inf",
    "1e308",
    "1_000_000",
]


def nested(depth: int, fmt: str) -> str:
    if fmt == "toml":
        return "deep = " + "[" * depth + "1" + "]" * depth + "\n"
    return "deep: " + "[" * depth + "1" + "]" * depth + "\n"


@st.composite
def damaged(draw):
    path = draw(st.sampled_from(EXAMPLES))
    fmt = FORMAT[path.suffix]
    lines = path.read_text().split("\n")
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "number", "nest", "indent"]))
        at = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if kind == "delete" and lines:
            del lines[at]
        elif kind == "duplicate" and lines:
            lines.insert(at, lines[at])
        elif kind == "swap" and lines and len(lines[at]) > 1:
            i = draw(st.integers(0, len(lines[at]) - 2))
            line = lines[at]
            lines[at] = line[:i] + line[i + 1] + line[i] + line[i + 2 :]
        elif kind == "insert" and lines:
            i = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:i] + draw(st.sampled_from(SPECIAL)) + lines[at][i:]
        elif kind == "number":
            text = "\n".join(lines)
            digits = [i for i, c in enumerate(text) if c.isdigit()]
            if digits:
                i = draw(st.sampled_from(digits))
                text = text[:i] + draw(st.sampled_from(HUGE)) + text[i + 1 :]
            lines = text.split("\n")
        elif kind == "nest":
            lines.insert(at, nested(draw(st.sampled_from([5, 33, 200, 5000])), fmt))
        elif kind == "indent" and lines:
            lines[at] = " " * draw(st.integers(1, 9)) + lines[at]
    return "\n".join(lines), fmt


slowest = {"seconds": 0.0, "document": ""}


@pytest.fixture(scope="module", autouse=True)
def report_the_slowest_run(request):
    yield
    # Printed by conftest.pytest_terminal_summary: a figure to read, not a pass/fail timer.
    request.config.stash[SLOWEST] = (
        f"slowest validation of a damaged document: "
        f"{slowest['seconds']:.3f} s "
        f"({len(slowest['document'])} characters)"
    )


def check(text: str, fmt: str):
    started = time.perf_counter()
    report = validate(text, fmt)
    summary = summarize(report)
    elapsed = time.perf_counter() - started
    if elapsed > slowest["seconds"]:
        slowest.update(seconds=elapsed, document=text)

    last_line = text.count("\n") + 1
    assert report.valid == (not report.errors)
    assert (summary is not None) == report.valid
    for diagnostic in report.diagnostics:
        assert diagnostic.severity in ("error", "warning")
        assert diagnostic.code and diagnostic.message
        assert diagnostic.line is None or 1 <= diagnostic.line <= last_line + 1, diagnostic
        assert diagnostic.column is None or diagnostic.column >= 1
    if report.valid:
        other = "toml" if fmt == "yaml" else "yaml"
        converted = validate(dump(report.model, other), other)
        assert converted.valid and converted.model == report.model
    return report


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_is_valid_as_shipped(path):
    assert check(path.read_text(), FORMAT[path.suffix]).valid


@settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(damaged())
def test_a_damaged_example_always_gets_a_coherent_answer(damage):
    check(*damage)


@pytest.mark.parametrize("fmt", ["yaml", "toml"])
@pytest.mark.parametrize("depth", [1, 31, 32, 33, 1000, 100_000])
def test_nesting_of_any_depth_is_a_diagnostic_not_a_crash(fmt, depth):
    report = check(nested(depth, fmt), fmt)

    assert not report.valid


def test_yaml_tags_never_run_code(tmp_path):
    marker = tmp_path / "ran"
    text = (
        EXAMPLES[0].read_text()
        if EXAMPLES[0].suffix == ".yaml"
        else next(p for p in EXAMPLES if p.suffix == ".yaml").read_text()
    )
    attack = f"payload: !!python/object/apply:os.system ['touch {marker}']\n"

    report = check(text + attack, "yaml")

    assert not marker.exists()
    assert report.errors or report.warnings
