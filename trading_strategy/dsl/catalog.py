"""The indicator catalog: the single description of every indicator type.

The validator, the Test syntax summary, the reference docs and the editor's
"Add indicator" panel all read this module, so a parameter's range or default is
written exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

PRICE_SOURCES = ("open", "high", "low", "close", "hl2", "hlc3", "ohlc4")
AVERAGE_SOURCES = PRICE_SOURCES + ("volume",)


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # "int", "decimal" or "source"
    help: str
    low: Decimal | int | None = None
    high: Decimal | int | None = None
    default: Decimal | int | str | None = None
    # Shown instead of a literal default when the default is derived from other values.
    default_text: str | None = None
    aliases: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()

    def range_text(self) -> str:
        if self.kind == "source":
            return ", ".join(self.choices)
        return f"{self.low}..{self.high}"

    def describe_default(self) -> str:
        return self.default_text or str(self.default)


@dataclass(frozen=True)
class Indicator:
    type: str
    title: str
    help: str
    parameters: tuple[Parameter, ...] = ()
    aliases: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    scale: str = "unbounded"  # "price", "volume", "oscillator", "nonnegative", "unbounded"
    bounds: tuple[Decimal, Decimal] | None = None
    # Pairs (smaller, larger) of parameters whose effective values must be ordered.
    order: tuple[tuple[str, str], ...] = ()
    # Parameters whose value is a bar count; the longest one sets the warm-up.
    periods: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter | None:
        for parameter in self.parameters:
            if name == parameter.name or name in parameter.aliases:
                return parameter
        return None

    def scale_for(self, source: str | None) -> str:
        # Only moving averages and macd accept a volume source; computed on volume,
        # they live on the volume scale, whatever their scale on prices.
        if source == "volume":
            return "volume"
        return self.scale


def _period(default: int, low: int = 2, high: int = 500, what: str = "bars in the window") -> Parameter:
    return Parameter("period", "int", f"Number of {what}.", low, high, default)


def _source(choices: tuple[str, ...] = PRICE_SOURCES) -> Parameter:
    return Parameter(
        "source",
        "source",
        "Price series the indicator is computed from.",
        default="close",
        choices=choices,
    )


def _level(name: str, default: int, low: int, high: int, what: str) -> Parameter:
    return Parameter(name, "int", f"Level above/below which the market counts as {what}.", low, high, default)


_D = Decimal
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "sma",
        "Simple moving average",
        "Average of the last `period` values.",
        (_period(20), _source(AVERAGE_SOURCES)),
        scale="price",
        periods=("period",),
    ),
    Indicator(
        "ema",
        "Exponential moving average",
        "Moving average that weighs recent values more.",
        (
            _period(12),
            Parameter(
                "smoothing",
                "decimal",
                "Weight of the newest value.",
                _D("0"),
                _D("1"),
                None,
                default_text="2/(period+1)",
            ),
            _source(AVERAGE_SOURCES),
        ),
        scale="price",
        periods=("period",),
    ),
    Indicator(
        "wma",
        "Weighted moving average",
        "Linearly weighted moving average.",
        (_period(20), _source(AVERAGE_SOURCES)),
        scale="price",
        periods=("period",),
    ),
    Indicator(
        "hma",
        "Hull moving average",
        "Low-lag moving average by Alan Hull.",
        (_period(14), _source(AVERAGE_SOURCES)),
        scale="price",
        periods=("period",),
    ),
    Indicator(
        "kama",
        "Kaufman adaptive moving average",
        "Moving average whose speed follows the market's efficiency ratio.",
        (
            _period(10, what="bars of the efficiency ratio"),
            Parameter("fast_period", "int", "Period of the fastest smoothing.", 1, 100, 2),
            Parameter("slow_period", "int", "Period of the slowest smoothing.", 2, 500, 30),
            _source(AVERAGE_SOURCES),
        ),
        scale="price",
        order=(("fast_period", "slow_period"),),
        periods=("period", "slow_period"),
    ),
    Indicator(
        "macd",
        "Moving average convergence divergence",
        "Difference of a short and a long EMA, with a signal line and a histogram.",
        (
            Parameter("short_period", "int", "Period of the short EMA.", 2, 50, 12, aliases=("fast_period",)),
            Parameter("long_period", "int", "Period of the long EMA.", 2, 200, 26, aliases=("slow_period",)),
            Parameter("signal_period", "int", "Period of the signal line EMA.", 2, 50, 9),
            _source(AVERAGE_SOURCES),
        ),
        outputs=("macd", "signal", "histogram"),
        scale="unbounded",
        order=(("short_period", "long_period"),),
        periods=("long_period", "signal_period"),
    ),
    Indicator(
        "rsi",
        "Relative strength index",
        "Momentum oscillator between 0 and 100.",
        (
            _period(14, 2, 100),
            _level("overbought", 70, 0, 100, "overbought"),
            _level("oversold", 30, 0, 100, "oversold"),
            _source(),
        ),
        scale="oscillator",
        bounds=(_D(0), _D(100)),
        order=(("oversold", "overbought"),),
        periods=("period",),
    ),
    Indicator(
        "stochastic",
        "Stochastic oscillator",
        "Where the close sits in the recent high-low range, 0 to 100.",
        (
            Parameter("k_period", "int", "Bars in the %K range.", 1, 100, 14),
            Parameter("d_period", "int", "Bars in the %D average of %K.", 1, 100, 3),
            Parameter("k_smoothing", "int", "Smoothing of %K.", 1, 100, 1, aliases=("smooth",)),
            _level("overbought", 80, 0, 100, "overbought"),
            _level("oversold", 20, 0, 100, "oversold"),
        ),
        outputs=("k", "d"),
        scale="oscillator",
        bounds=(_D(0), _D(100)),
        order=(("oversold", "overbought"),),
        periods=("k_period", "d_period", "k_smoothing"),
    ),
    Indicator(
        "williams_r",
        "Williams %R",
        "Close within the recent range, -100 to 0.",
        (
            _period(14, 1, 100),
            _level("overbought", -20, -100, 0, "overbought"),
            _level("oversold", -80, -100, 0, "oversold"),
        ),
        scale="oscillator",
        bounds=(_D(-100), _D(0)),
        order=(("oversold", "overbought"),),
        periods=("period",),
    ),
    Indicator(
        "cci",
        "Commodity channel index",
        "Deviation of the typical price from its average.",
        (
            _period(20, 1, 100),
            Parameter("constant", "decimal", "Scaling constant.", _D("0.001"), _D("1"), _D("0.015")),
        ),
        periods=("period",),
    ),
    Indicator(
        "roc",
        "Rate of change",
        "Percentage change over `period` bars.",
        (_period(12, 1, 100), _source()),
        periods=("period",),
    ),
    Indicator(
        "momentum",
        "Momentum",
        "Difference from the value `period` bars ago.",
        (_period(10, 1, 100), _source()),
        periods=("period",),
    ),
    Indicator(
        "bb",
        "Bollinger bands",
        "A moving average with bands a number of standard deviations away.",
        (
            _period(20, 2, 100),
            Parameter(
                "std_dev",
                "decimal",
                "Width of the bands in standard deviations.",
                _D("0.1"),
                _D("5"),
                _D("2.0"),
                aliases=("multiplier",),
            ),
            _source(),
        ),
        aliases=("bollinger_bands",),
        outputs=("middle", "upper", "lower"),
        scale="price",
        periods=("period",),
    ),
    Indicator(
        "atr",
        "Average true range",
        "Average size of the bars' true range.",
        (_period(14, 1, 100),),
        scale="nonnegative",
        periods=("period",),
    ),
    Indicator(
        "stddev",
        "Standard deviation",
        "Standard deviation over `period` bars.",
        (_period(20, 2, 100), _source()),
        aliases=("std_dev",),
        scale="nonnegative",
        periods=("period",),
    ),
    Indicator(
        "vi",
        "Volatility index",
        "Volatility over `period` bars.",
        (_period(20, 2, 100),),
        aliases=("volatility_index",),
        scale="nonnegative",
        periods=("period",),
    ),
    Indicator("obv", "On-balance volume", "Running total of volume signed by price direction."),
    Indicator("vwap", "Volume-weighted average price", "Average price weighted by volume.", scale="price"),
    Indicator(
        "adi",
        "Accumulation/distribution line",
        "Running total of volume weighted by where the close sits in the range.",
        aliases=("ad_line",),
    ),
    Indicator(
        "cmf",
        "Chaikin money flow",
        "Money flow volume over volume, -1 to 1.",
        (_period(20, 2, 100),),
        scale="oscillator",
        bounds=(_D(-1), _D(1)),
        periods=("period",),
    ),
    Indicator(
        "mfi",
        "Money flow index",
        "Volume-weighted RSI, 0 to 100.",
        (_period(14, 2, 100),),
        scale="oscillator",
        bounds=(_D(0), _D(100)),
        periods=("period",),
    ),
)

_BY_NAME: dict[str, Indicator] = {}
for _indicator in INDICATORS:
    for _name in (_indicator.type, *_indicator.aliases):
        _BY_NAME[_name] = _indicator


def lookup(type_name: str) -> Indicator | None:
    """Find an indicator by type or alias, ignoring case."""
    return _BY_NAME.get(type_name.lower())


def type_names() -> tuple[str, ...]:
    return tuple(_BY_NAME)
