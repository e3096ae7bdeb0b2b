"""Properties of the TOML loader: on any text it never raises and reads exactly what
tomllib reads, including documents rendered from arbitrary data and their mutations."""

import re
import tomllib
from decimal import Decimal

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trading_strategy.dsl.loaders.toml_loader import load_toml
from trading_strategy.dsl.loaders.toml_scan import scan


def strict(value):
    """Compare dicts including key order, and NaN decimals as equal to themselves."""
    if isinstance(value, dict):
        return [(key, strict(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [strict(item) for item in value]
    if isinstance(value, Decimal) and value.is_nan():
        return ("nan", value.is_signed())
    return (type(value), value)


def assert_mirrors_tomllib(text):
    result = load_toml(text)
    try:
        expected = tomllib.loads(text, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, RecursionError):
        assert result.root is None and len(result.diagnostics) == 1
        return result
    if result.root is not None:
        assert strict(result.root.plain()) == strict(expected)
    else:
        assert [error.code for error in result.diagnostics] == ["document.too_deep"]
    return result


BARE = re.compile(r"[A-Za-z0-9_-]+")
keys = st.one_of(st.from_regex(BARE, fullmatch=True).filter(lambda key: len(key) < 9), st.text(max_size=6))
scalars = st.one_of(
    st.booleans(),
    st.integers(-(10**9), 10**9),
    st.text(max_size=20),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**6), max_value=10**6),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(keys, inner, max_size=3)),
    max_leaves=12,
)
documents = st.dictionaries(keys, values, max_size=5)


def escape(text, keep=""):
    out = ""
    for char in text:
        if char in keep:
            out += char
        elif char in '"\\':
            out += "\\" + char
        elif has_controls(char, ""):
            out += f"\\u{ord(char):04X}"
        else:
            out += char
    return out


def render_key(key):
    return key if BARE.fullmatch(key) else f'"{escape(key)}"'


def has_controls(text, allowed):
    return any((ord(char) < 32 or ord(char) == 127) and char not in allowed for char in text)


def render_string(text, draw):
    kinds = ["basic", "multi_basic"]
    if "'" not in text and not has_controls(text, "\t"):
        kinds.append("literal")
    if "'" not in text and not has_controls(text, "\t\n"):
        kinds.append("multi_literal")
    kind = draw(st.sampled_from(kinds))
    if kind == "basic":
        return f'"{escape(text)}"'
    if kind == "literal":
        return f"'{text}'"
    # A newline right after the opening quotes is trimmed, so a leading one needs another.
    lead = "\n" if text.startswith("\n") or draw(st.booleans()) else ""
    if kind == "multi_basic":
        return f'"""{lead}{escape(text, keep=chr(10))}"""'
    return f"'''{lead}{text}'''"


def render_value(value, draw):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, str):
        return render_string(value, draw)
    if isinstance(value, list):
        if draw(st.booleans()):
            return "[" + ", ".join(render_value(item, draw) for item in value) + "]"
        return "[ # items\n" + "".join(f"  {render_value(item, draw)}, # c\n" for item in value) + "]"
    return (
        "{"
        + ", ".join(f"{render_key(key)} = {render_value(item, draw)}" for key, item in value.items())
        + "}"
    )


def render_dotted(prefix, value, draw, out):
    for key, item in value.items():
        if isinstance(item, dict) and item and draw(st.booleans()):
            render_dotted(prefix + [key], item, draw, out)
        else:
            dotted = ".".join(map(render_key, prefix + [key]))
            out.append(f"{dotted} = {render_value(item, draw)}")


def render_table(path, table, draw, out):
    """Plain and dotted keys first, then each sub-table or array of tables as headers."""
    later = []
    for key, value in table.items():
        if (isinstance(value, dict) and draw(st.booleans())) or (
            isinstance(value, list)
            and value
            and all(isinstance(item, dict) for item in value)
            and draw(st.booleans())
        ):
            later.append((key, value))
        elif isinstance(value, dict) and value and draw(st.booleans()):
            render_dotted([key], value, draw, out)
        else:
            out.append(f"{render_key(key)} = {render_value(value, draw)}")
    for key, value in later:
        name = ".".join(map(render_key, path + [key]))
        for element in [value] if isinstance(value, dict) else value:
            out.append(f"\n[{name}]" if isinstance(value, dict) else f"\n[[{name}]]")
            render_table(path + [key], element, draw, out)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(alphabet=st.sampled_from(list("[]{}=.,\"'#\n \\ab1tu")), max_size=60), st.text(max_size=200)
    )
)
def test_arbitrary_text_never_raises_and_mirrors_tomllib(text):
    assert_mirrors_tomllib(text)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.data())
def test_rendered_documents_load_to_exactly_what_tomllib_reads(data, draw):
    out = []
    render_table([], data, draw.draw, out)
    text = "\n".join(out) + "\n"
    expected = tomllib.loads(text, parse_float=Decimal)
    assert expected == data
    result = assert_mirrors_tomllib(text)
    assert result.diagnostics == []
    found = scan(text)

    def walk(path, value):
        # Every key and item must have been found, or the loader fell back to its parent.
        children = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in children:
            assert path + (key,) in found.value_at
            assert isinstance(key, int) or path + (key,) in found.key_at
            if isinstance(child, (dict, list)):
                walk(path + (key,), child)

    walk((), expected)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.integers(min_value=0), st.sampled_from(["", "[", "{", '"', "'", "\n", "="]))
def test_tomli_w_documents_and_their_mutations_never_raise(data, where, insert):
    text = tomli_w.dumps(data)
    assert_mirrors_tomllib(text)
    cut = where % (len(text) + 1)
    assert_mirrors_tomllib(text[:cut] + insert + text[cut + 1 :])
