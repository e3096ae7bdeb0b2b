"""The condition language of strategies (DSL.md section 3): parse, check, print, explain.

Pure standard library: the validator, the CLI and the web app all share it.
"""

from .ast import (
    ARITH_OPS,
    COMPARE_OPS,
    And,
    Arith,
    Compare,
    Neg,
    Node,
    Not,
    Number,
    Or,
    Series,
    constant_value,
    fold,
    shape,
    walk,
)
from .check import CheckedCondition, check_condition
from .issues import ConditionIssue
from .names import OHLCV, POSITION_VARIABLES, SeriesInfo, builtin_series, resolve
from .parser import MAX_DEPTH, MAX_LENGTH, MAX_LOOKBACK, ParseResult, parse
from .printer import explain, normalize
from .types import check_types

__all__ = [
    "ARITH_OPS",
    "COMPARE_OPS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_LOOKBACK",
    "OHLCV",
    "POSITION_VARIABLES",
    "And",
    "Arith",
    "CheckedCondition",
    "Compare",
    "ConditionIssue",
    "Neg",
    "Node",
    "Not",
    "Number",
    "Or",
    "ParseResult",
    "Series",
    "SeriesInfo",
    "builtin_series",
    "check_condition",
    "check_types",
    "constant_value",
    "explain",
    "fold",
    "normalize",
    "parse",
    "resolve",
    "shape",
    "walk",
]
