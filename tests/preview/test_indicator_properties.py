"""Every catalog indicator at any parameter values the language accepts: it computes on
any number of bars, and on busy bars (prices and volume above 0) it is missing exactly
over the warm-up that Test syntax reports, and nowhere after."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trading_strategy.dsl import INDICATORS, validate
from trading_strategy.preview.indicators import compute

from .preview_helpers import random_bars, strategy

# Periods up to 70 on up to 90 bars: both a warm-up longer than the data and shorter.
LONGEST_PERIOD = 70


@st.composite
def indicators(draw):
    """(type, parameters) for any catalog type, each parameter given or left out."""
    spec = draw(st.sampled_from(INDICATORS))
    parameters = {}
    for parameter in spec.parameters:
        if not draw(st.booleans()):
            continue
        if parameter.kind == "int":
            value = draw(st.integers(parameter.low, min(parameter.high, LONGEST_PERIOD)))
        elif parameter.kind == "decimal":
            value = float(draw(st.decimals(parameter.low, parameter.high, places=3)))
        else:
            value = draw(st.sampled_from(parameter.choices))
        parameters[parameter.name] = value
    return spec.type, parameters


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator=indicators(), count=st.integers(1, 90), seed=st.integers(0, 2**32 - 1))
def test_each_indicator_is_missing_exactly_over_its_warm_up(indicator, count, seed):
    kind, parameters = indicator
    report = validate(strategy("close > open", indicators=[(kind, "x", parameters)]), "yaml")
    # Values the order rules refuse (a fast period above the slow one) are not a strategy.
    assume(report.valid)
    (resolved,) = report.analysis["indicators"]
    data = random_bars(count, seed)
    outputs = compute(resolved.spec.type, resolved.effective, data)
    assert len(outputs) == max(1, len(resolved.output_names))
    warmup = min(resolved.lookback(), count)
    for values in outputs:
        assert values.shape == (count,)
        assert np.isnan(values[:warmup]).all()
        assert np.isfinite(values[warmup:]).all()
