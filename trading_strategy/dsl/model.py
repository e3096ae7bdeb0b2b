"""The canonical model of a valid strategy, and its text in either format.

The model holds only what the language defines, under canonical names (indicator
types and parameter aliases resolved), so YAML -> model -> TOML -> model is the
identity. Numbers keep the decimals the author wrote.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import tomli_w
import yaml

from .loaders.yaml_scalars import resolve_plain

if TYPE_CHECKING:
    from .conditions import CheckedCondition
    from .rules.indicators import ResolvedIndicator

_METADATA_ORDER = ("name", "strategy_id", "description", "version", "trading_pair", "timeframe")


def build_model(
    metadata: Mapping[str, str],
    indicators: Iterable[ResolvedIndicator],
    conditions: Mapping[str, tuple[CheckedCondition, str]],
    sizing: Mapping[str, Any],
    risk: Mapping[str, Any],
) -> dict[str, Any]:
    """`conditions` maps each role to (its checked condition, its text)."""
    model: dict[str, Any] = {key: metadata[key] for key in _METADATA_ORDER if key in metadata}
    model["indicators"] = [
        {"type": indicator.spec.type, "name": indicator.name, "parameters": dict(indicator.parameters)}
        for indicator in indicators
    ]
    for role in ("entry", "exit", "stop"):
        model[f"{role}_conditions"] = conditions[role][1]
    model["position_sizing"] = dict(sizing)
    model["risk_parameters"] = dict(risk)
    return model


class _Dumper(yaml.SafeDumper):
    """Writes strings so that a YAML 1.2 reader reads them back as the same strings."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value:
        style = "|"
    elif resolve_plain(value) != value:
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)


def to_yaml(model: Mapping[str, Any]) -> str:
    return yaml.dump(
        model, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )


def to_toml(model: Mapping[str, Any]) -> str:
    return tomli_w.dumps(model, multiline_strings=True)


def dump(model: Mapping[str, Any], fmt: str) -> str:
    return to_yaml(model) if fmt == "yaml" else to_toml(model)
