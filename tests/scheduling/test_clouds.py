"""Cloud forecast interpolation (nearest location, linear in time, clamped) and the value weight."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from app.domain import Opportunity, Order, Target
from app.domain.enums import Mode
from app.scheduling.clouds import MAX_DISTANCE_KM, CloudForecast, clear_sky_factors
from app.scheduling.value import ValueConfig, ValueModel

T = datetime(2026, 8, 10, tzinfo=timezone.utc)
ATHENS = Target("Athens", 37.98, 23.73)
FC = CloudForecast([(38.0, 23.7, T, 80.0), (38.0, 23.7, T + timedelta(hours=6), 20.0),
                    (48.85, 2.35, T, 0.0)])


def test_linear_in_time_at_the_nearest_location_and_held_at_the_ends():
    assert FC.cloud_pct(37.98, 23.73, T + timedelta(hours=3)) == pytest.approx(50.0, abs=1e-9)
    assert FC.p_clear(37.98, 23.73, T + timedelta(hours=1, minutes=30)) == pytest.approx(0.35, abs=1e-9)
    assert FC.cloud_pct(37.98, 23.73, T - timedelta(hours=2)) == pytest.approx(80.0)
    assert FC.cloud_pct(37.98, 23.73, T + timedelta(hours=9)) == pytest.approx(20.0)


def test_no_forecast_far_away_or_long_outside_its_span():
    assert FC.cloud_pct(-33.9, 151.2, T) is None  # Sydney: thousands of km from any point
    assert FC.nearest(40.0, 23.7)[1] < MAX_DISTANCE_KM
    assert FC.cloud_pct(37.98, 23.73, T + timedelta(days=3)) is None


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 1))
def test_interpolated_cover_stays_between_its_neighbours(a, b, frac):
    fc = CloudForecast([(0.0, 0.0, T, a), (0.0, 0.0, T + timedelta(hours=1), b)])
    pct = fc.cloud_pct(0.0, 0.0, T + timedelta(hours=frac))
    assert min(a, b) - 1e-9 <= pct <= max(a, b) + 1e-9


def _opp(mode: Mode) -> Opportunity:
    return Opportunity(id=f"S_{mode}", satellite_id="S", target_id="Athens", start=T + timedelta(hours=3),
                       end=T + timedelta(hours=3, seconds=10), roll_deg=5.0, order_id="ord_1", mode=mode,
                       incidence_deg=20.0)


def test_optical_value_weighted_sar_unaffected():
    opt, sar = _opp(Mode.OPTICAL), _opp(Mode.SAR)
    factors = clear_sky_factors(FC, [opt, sar], [ATHENS])
    assert factors == {opt.id: pytest.approx(0.5)}
    order = Order(id="ord_1", workspace_id="w", target_id="Athens", priority=2)
    plain = ValueModel(ValueConfig(), {"ord_1": order}, {"Athens": ATHENS})
    weighted = ValueModel(ValueConfig(), {"ord_1": order}, {"Athens": ATHENS}, factors)
    assert weighted.evaluate(opt)[0] == pytest.approx(0.5 * plain.evaluate(opt)[0], rel=1e-12)
    assert weighted.evaluate(sar) == plain.evaluate(sar)
    assert weighted.evaluate(opt)[1] == plain.evaluate(opt)[1]  # quality is geometry only
