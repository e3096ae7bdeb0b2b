"""The editor's "Add indicator" panel: the catalog as data, and the text it inserts.

The panel's ranges, defaults and help come from the language's catalog, and the snippet
is checked against the same catalog before it is offered, so an inserted indicator never
introduces an error of its own. Where it goes in the document is snippet_placement's part.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from trading_strategy.dsl import (
    FIELD_MEANINGS,
    INDICATORS,
    KEY_RULES,
    RESERVED_NAMES,
    Indicator,
    Parameter,
    lookup_indicator,
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NAME_MAX = 50


@dataclass(frozen=True)
class ParameterError:
    parameter: str  # "" for the indicator's type or name
    message: str

    def as_dict(self) -> dict:
        return {"parameter": self.parameter, "message": self.message}


class SnippetRejected(ValueError):
    def __init__(self, errors: list[ParameterError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


def _plain(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _parameter_description(parameter: Parameter) -> dict:
    return {
        "name": parameter.name,
        "kind": parameter.kind,
        "help": parameter.help,
        "min": _plain(parameter.low),
        "max": _plain(parameter.high),
        "default": _plain(parameter.default),
        "default_text": parameter.describe_default(),
        "range_text": parameter.range_text(),
        "choices": list(parameter.choices),
        "aliases": list(parameter.aliases),
        "step": "1" if parameter.kind == "int" else "any",
    }


def _clean(text: str) -> str:
    return text.replace("`", "")


def describe_catalog() -> dict:
    """Everything the panel and the field tooltips show, JSON-ready."""
    return {
        "indicators": [
            {
                "type": spec.type,
                "title": spec.title,
                "help": _clean(spec.help),
                "aliases": list(spec.aliases),
                "outputs": list(spec.outputs),
                "parameters": [_parameter_description(p) for p in spec.parameters],
            }
            for spec in INDICATORS
        ],
        "fields": {key: _clean(text) for key, text in {**KEY_RULES, **FIELD_MEANINGS}.items()},
        "reserved_names": sorted(RESERVED_NAMES),
    }


def indicator_names(root) -> set[str]:
    """The indicator names a parsed document already declares, folded to lower case."""
    if root is None or root.kind != "map" or "indicators" not in root.value:
        return set()
    items = root.value["indicators"].node
    if items.kind != "seq":
        return set()
    names = set()
    for item in items.value:
        entry = item.value.get("name") if item.kind == "map" else None
        if entry is not None and isinstance(entry.node.value, str):
            names.add(entry.node.value.lower())
    return names


def suggested_name(spec: Indicator, values: dict, taken=frozenset()) -> str:
    """`rsi_14`-style: the type and its first bar count, as traders name them; `_2`,
    `_3`... when the document already has one."""
    base = spec.type
    for name in spec.periods:
        parameter = spec.parameter(name)
        value = values.get(name, parameter.default if parameter is not None else None)
        if value is not None:
            base = f"{spec.type}_{value}"
            break
    candidate, number = base, 1
    while candidate.lower() in taken or candidate.lower() in RESERVED_NAMES:
        number += 1
        candidate = f"{base}_{number}"
    return candidate


def _parse(parameter: Parameter, raw: str):
    text = raw.strip()
    if parameter.kind == "source":
        if text not in parameter.choices:
            raise ValueError(f"'{parameter.name}' must be one of {', '.join(parameter.choices)}")
        return text
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValueError(f"'{parameter.name}' must be a number")
    if parameter.kind == "int" and value != value.to_integral_value():
        raise ValueError(f"'{parameter.name}' must be a whole number")
    # Checked before any int(): int(Decimal("1e999999")) would keep a worker busy for minutes.
    # Every numeric parameter of the catalog has both bounds.
    assert parameter.low is not None and parameter.high is not None
    if not parameter.low <= value <= parameter.high:
        raise ValueError(f"'{parameter.name}' must be between {parameter.low} and {parameter.high}")
    if parameter.kind == "int":
        return int(value)
    # Keep the decimals as written; "2" stays an integer, which decimal fields accept.
    return int(value) if "." not in text and "e" not in text.lower() else value


def checked_values(spec: Indicator, raw: dict[str, str]) -> dict:
    """The parameters the user filled in, parsed and range-checked; blanks mean default."""
    errors, values = [], {}
    for parameter in spec.parameters:
        text = raw.get(parameter.name)
        if text is None or not str(text).strip():
            continue
        try:
            values[parameter.name] = _parse(parameter, str(text))
        except ValueError as error:
            errors.append(ParameterError(parameter.name, str(error)))
    for name in raw:
        if spec.parameter(name) is None:
            errors.append(ParameterError(name, f"{spec.type} has no parameter '{name}'"))
    defaults = {parameter.name: parameter.default for parameter in spec.parameters}
    for smaller, larger in spec.order:
        low = values.get(smaller, defaults[smaller])
        high = values.get(larger, defaults[larger])
        if smaller in values or larger in values:
            if low is not None and high is not None and not low < high:
                errors.append(
                    ParameterError(
                        larger if larger in values else smaller,
                        f"'{smaller}' ({low}) must be less than '{larger}' ({high})",
                    )
                )
    if errors:
        raise SnippetRejected(errors)
    return values


def _checked_name(name: str, taken) -> None:
    if not _IDENTIFIER.match(name) or len(name) > _NAME_MAX:
        raise SnippetRejected(
            [
                ParameterError(
                    "",
                    f"'{name}' is not a valid indicator name: start with a letter or '_', then "
                    "letters, digits or '_', at most 50 characters",
                )
            ]
        )
    if name.lower() in RESERVED_NAMES:
        raise SnippetRejected([ParameterError("", f"'{name}' is a reserved word")])
    if name.lower() in taken:
        raise SnippetRejected([ParameterError("", f"the document already has an indicator named '{name}'")])


def _yaml_value(value) -> str:
    # Sources and numbers are plain scalars that read back as themselves.
    return _plain(value) if not isinstance(value, int) else str(value)


def _toml_value(value) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    return str(_plain(value))


def snippet(
    type_name: str, fmt: str, name: str = "", raw: dict | None = None, indent: str = "  ", taken=frozenset()
) -> str:
    """One indicator entry, ready to be placed in the `indicators` list of `fmt`.

    YAML entries are list items indented by `indent`; TOML entries are `[[indicators]]`
    tables. `taken` holds the document's indicator names in lower case. Raises
    SnippetRejected with per-parameter errors.
    """
    spec = lookup_indicator(type_name or "")
    if spec is None:
        raise SnippetRejected([ParameterError("", f"'{type_name}' is not an indicator type")])
    if fmt not in ("yaml", "toml"):
        raise SnippetRejected([ParameterError("", f"the format '{fmt}' is not known")])
    values = checked_values(spec, raw or {})
    name = (name or "").strip() or suggested_name(spec, values, taken)
    _checked_name(name, taken)
    if fmt == "yaml":
        lines = [f"{indent}- type: {spec.type}", f"{indent}  name: {name}"]
        if not values:
            lines.append(f"{indent}  parameters: {{}}")
        else:
            lines.append(f"{indent}  parameters:")
            lines += [f"{indent}    {key}: {_yaml_value(value)}" for key, value in values.items()]
    else:
        lines = ["[[indicators]]", f'type = "{spec.type}"', f'name = "{name}"']
        if not values:
            lines.append("parameters = {}")
        else:
            lines.append("[indicators.parameters]")
            lines += [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"
