"""The value model of spec section 6."""
import math
from datetime import timedelta

import pytest

from app.domain import WEIGHT_PRESETS, OrderConstraints, ValidationError
from app.scheduling.value import ValueConfig, ValueModel, priority_term, quality, timing_term, weighted

from .factories import T0, opportunity, order, target


def test_priority_term():
    assert [priority_term(p) for p in (1, 2, 3, 4, 5)] == pytest.approx([1.0, 0.8, 0.6, 0.4, 0.2])


def test_quality_models_use_absolute_incidence():
    mono = ValueConfig(quality_model="monotonic")
    assert quality(30.0, mono) == pytest.approx(math.exp(-0.6))
    assert quality(-30.0, mono) == quality(30.0, mono)
    band = ValueConfig(quality_model="band")
    assert quality(35.0, band) == pytest.approx(1.0)
    assert quality(-35.0, band) == pytest.approx(1.0)   # the seed's bug scored this ~0
    assert quality(42.5, band) == pytest.approx(math.exp(-1.0))
    assert quality(80.0, ValueConfig(quality_model="off")) == 1.0


def test_timing_term():
    s, e = T0, T0 + timedelta(hours=10)
    assert timing_term(s, s, e) == 1.0
    assert timing_term(T0 + timedelta(hours=5), s, e) == pytest.approx(0.5)
    assert timing_term(e, s, e) == 0.0
    assert timing_term(T0 + timedelta(days=3), s, None) == 1.0


def test_weights_and_presets():
    assert weighted(1.0, 0.0, 0.5, (0, 0, 0)) == pytest.approx(0.5)           # all zero → thirds
    assert weighted(1.0, 0.0, 0.0, WEIGHT_PRESETS["balanced"]) == pytest.approx(0.4)
    assert ValueConfig.preset("urgent").weights == (60.0, 10.0, 30.0)
    with pytest.raises(ValidationError, match="weights"):
        ValueConfig.preset("nope")
    with pytest.raises(ValidationError, match="weights"):
        ValueConfig(weights=(1.0, -1.0, 0.0))


def test_value_model_sources():
    orders = {"o1": order("o1", priority=1), "o2": order("o2", priority=5,
                                                         constraints=OrderConstraints(value=5.0)),
              "o3": order("o3", priority=3, constraints=OrderConstraints(value=10.0))}
    targets = {"T1": target()}
    opp = opportunity("x", "SAT-1", "o1", 0.0, incidence=0.0)
    cfg = ValueConfig(value_source="target_priority", weights=(1, 0, 0))
    assert ValueModel(cfg, orders, targets).evaluate(opp) == (pytest.approx(1.0), pytest.approx(1.0))
    uni = ValueModel(ValueConfig(value_source="uniform", weights=(1, 0, 0)), orders, targets)
    assert uni.evaluate(opportunity("y", "SAT-1", "o2", 0.0))[0] == pytest.approx(1.0)
    cust = ValueModel(ValueConfig(value_source="custom", weights=(1, 0, 0)), orders, targets)
    assert cust.evaluate(opportunity("z", "SAT-1", "o2", 0.0))[0] == pytest.approx(0.5)
    assert cust.evaluate(opportunity("w", "SAT-1", "o3", 0.0))[0] == pytest.approx(1.0)
    # Balanced: (40·0.6 + 40·exp(−0.4) + 20·1) / 100 for priority 3, incidence 20, no window.
    bal = ValueModel(ValueConfig(), orders, targets)
    v, q = bal.evaluate(opportunity("v", "SAT-1", "o3", 0.0, incidence=20.0))
    assert q == pytest.approx(math.exp(-0.4))
    assert v == pytest.approx((40 * 0.6 + 40 * math.exp(-0.4) + 20) / 100)
