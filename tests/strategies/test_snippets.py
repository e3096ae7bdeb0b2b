"""Add-indicator snippets: every catalog type, both formats, placed where the list ends."""

from pathlib import Path

import pytest

from trading_strategy.dsl import INDICATORS, load, lookup_indicator, validate
from trading_strategy.strategies import snippet_placement, snippets

EXAMPLES = sorted(Path(__file__).resolve().parents[2].joinpath("examples").glob("*.*"))


def _insert(text: str, fmt: str, spec, values: dict) -> str:
    loaded = load(text, fmt)
    entry = snippets.snippet(
        spec.type,
        fmt,
        "",
        values,
        snippet_placement.yaml_indent(text, loaded) if fmt == "yaml" else "",
        snippets.indicator_names(loaded.root),
    )
    return snippet_placement.placement(text, fmt, loaded, entry).apply(text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_type_inserted_into_every_example_stays_valid(path):
    fmt = path.suffix[1:]
    text = path.read_text()
    before = len(validate(text, fmt).model["indicators"])
    for spec in INDICATORS:
        for values in ({}, {p.name: str(p.default) for p in spec.parameters if p.default is not None}):
            report = validate(_insert(text, fmt, spec, values), fmt)
            assert report.errors == [], (spec.type, values, report.errors)
            assert len(report.model["indicators"]) == before + 1
            assert report.model["indicators"][-1]["type"] == spec.type


@pytest.mark.parametrize(
    "fmt,text",
    [
        ("yaml", "name: x\nindicators: []\nentry_conditions: close > 1\n"),
        ("yaml", "name: x\nentry_conditions: close > 1"),
        ("yaml", "name: x\nindicators:\n- type: sma\n  name: sma_20\n  parameters: {}\n# end\nb: 1\n"),
        ("toml", 'name = "x"\nindicators = []\n\n[position_sizing]\ntype = "percentage"\n'),
        ("toml", 'name = "x"\n[position_sizing]\ntype = "percentage"\n'),
        ("toml", 'name = "x"\n'),
    ],
)
def test_the_list_is_extended_however_it_was_written(fmt, text):
    inserted = _insert(text, fmt, lookup_indicator("rsi"), {"period": "9"})
    report = validate(inserted, fmt)
    assert report.root is not None, inserted
    tree = report.root.plain()
    assert tree["indicators"][-1] == {"type": "rsi", "name": "rsi_9", "parameters": {"period": 9}}
    assert tree["name"] == "x"


def test_a_non_empty_flow_list_is_left_to_the_caret():
    text = "name: x\nindicators: [{type: sma, name: a, parameters: {}}]\n"
    assert snippet_placement.placement(text, "yaml", load(text, "yaml"), "  - x\n") is None


def test_the_name_is_suggested_and_made_unique():
    rsi = lookup_indicator("rsi")
    assert snippets.suggested_name(rsi, {}) == "rsi_14"
    assert snippets.suggested_name(rsi, {"period": 7}, {"rsi_7"}) == "rsi_7_2"
    assert snippets.suggested_name(lookup_indicator("obv"), {}) == "obv"


@pytest.mark.parametrize(
    "values,parameter",
    [
        ({"period": "1"}, "period"),
        ({"period": "14.5"}, "period"),
        ({"period": "abc"}, "period"),
        ({"source": "volume"}, "source"),
        ({"oversold": "75"}, "oversold"),
        ({"nonsense": "1"}, "nonsense"),
    ],
)
def test_parameter_values_are_checked_against_the_catalog(values, parameter):
    with pytest.raises(snippets.SnippetRejected) as rejected:
        snippets.snippet("rsi", "yaml", "", values)
    assert parameter in {e.parameter for e in rejected.value.errors}


@pytest.mark.parametrize("name", ["1abc", "close", "AND", "a-b", "x" * 51, "rsi_14"])
def test_bad_or_taken_names_are_refused(name):
    with pytest.raises(snippets.SnippetRejected):
        snippets.snippet("rsi", "toml", name, {}, taken={"rsi_14"})


def test_decimals_keep_what_was_written():
    text = snippets.snippet("bb", "toml", "bands", {"std_dev": "2.50"})
    assert "std_dev = 2.50" in text
    assert 'type = "bb"' in text and "[indicators.parameters]" in text


def test_the_catalog_description_has_help_for_every_field_indicator_and_parameter():
    described = snippets.describe_catalog()
    assert len(described["indicators"]) == len(INDICATORS)
    for indicator in described["indicators"]:
        assert indicator["help"] and indicator["title"]
        for parameter in indicator["parameters"]:
            assert parameter["help"] and parameter["default_text"] and parameter["range_text"]
    for key in ("name", "trading_pair", "timeframe", "max_drawdown", "percentage_of_capital"):
        assert described["fields"][key]


@pytest.mark.parametrize("spec", INDICATORS, ids=lambda s: s.type)
def test_a_converted_toml_document_gets_an_inline_table(spec):
    from trading_strategy.dsl import dump

    yaml_text = EXAMPLES[0].read_text() if EXAMPLES[0].suffix == ".yaml" else EXAMPLES[1].read_text()
    text = dump(validate(yaml_text, "yaml").model, "toml")
    assert "indicators = [\n" in text
    for values in ({}, {p.name: str(p.default) for p in spec.parameters if p.default is not None}):
        inserted = _insert(text, "toml", spec, values)
        report = validate(inserted, "toml")
        assert report.errors == [], (inserted, report.errors)
        assert report.model["indicators"][-1]["type"] == spec.type
    without_comma = text.replace("} },\n]", "} }\n]")
    assert validate(_insert(without_comma, "toml", spec, {}), "toml").errors == []


@pytest.mark.parametrize(
    "fmt,text",
    [
        ("yaml", "name: x\nindicators:\n  - type: sma\n   bad: [\n"),
        ("yaml", "name: x\nindicators:\n  name: a\n  parameters: {}\n"),
        ("toml", 'name = "x"\nindicators = [\n'),
        ("toml", 'name = "x"\n[indicators]\ntype = "sma"\n'),
    ],
)
def test_a_document_that_cannot_be_read_or_has_no_list_is_left_to_the_caret(fmt, text):
    entry = snippets.snippet("rsi", fmt)
    assert snippet_placement.placement(text, fmt, load(text, fmt), entry) is None


def test_a_comment_after_the_last_inline_item_does_not_hide_its_missing_comma():
    text = (
        'name = "x"\nindicators = [\n    { type = "sma", name = "a", parameters = {} }  # fast, for now\n]\n'
    )
    tree = load(_insert(text, "toml", lookup_indicator("rsi"), {}), "toml").root.plain()
    assert [i["name"] for i in tree["indicators"]] == ["a", "rsi_14"]
