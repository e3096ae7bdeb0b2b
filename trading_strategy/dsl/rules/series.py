"""What an indicator contributes to conditions: its names, scales, bounds and labels."""

from __future__ import annotations

from ..conditions.names import SeriesInfo
from .indicators import ResolvedIndicator

# Parameters that configure levels or smoothing rather than identify the indicator.
_UNLABELLED = {"overbought", "oversold", "smoothing", "constant", "source"}
_OUTPUT_WORDS = {
    "macd": "the MACD line",
    "signal": "the signal line",
    "histogram": "the histogram",
    "k": "%K",
    "d": "%D",
    "middle": "the middle band",
    "upper": "the upper band",
    "lower": "the lower band",
}


def label_of(indicator: ResolvedIndicator) -> str:
    values = [
        str(indicator.effective[p.name])
        for p in indicator.spec.parameters
        if p.name not in _UNLABELLED and indicator.effective.get(p.name) is not None
    ]
    source = indicator.effective.get("source")
    if source not in (None, "close"):
        values.append(f"on {source}")
    title = indicator.spec.type.upper().replace("WILLIAMS_R", "Williams %R")
    return f"{title}({', '.join(values)})" if values else title


def series_of(indicator: ResolvedIndicator) -> list[SeriesInfo]:
    spec = indicator.spec
    scale = spec.scale_for(indicator.effective.get("source"))
    low, high = spec.bounds or (None, None)
    label = label_of(indicator)
    if not spec.outputs:
        return [SeriesInfo(indicator.name, "indicator", label, scale, low, high)]
    first = SeriesInfo(
        indicator.name, "indicator", f"{_OUTPUT_WORDS[spec.outputs[0]]} of {label}", scale, low, high
    )
    return [first] + [
        SeriesInfo(
            f"{indicator.name}_{output}", "output", f"{_OUTPUT_WORDS[output]} of {label}", scale, low, high
        )
        for output in spec.outputs
    ]
