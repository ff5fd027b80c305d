"""The vectorised battery stretch (``PowerTrack.lows``) equals stepping ``PowerTrack.step`` item by
item (what the planner's lanes do), within float round-off: the commit re-check screens with it."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import PowerModel
from app.scheduling.power import PowerTrack

#: Two summation orders of the same pieces differ in the last bits only.
TOL_WH = 1e-6


@st.composite
def schedules(draw):
    n = draw(st.integers(1, 25))
    t, rows = 0.0, []
    for _ in range(n):
        t += draw(st.floats(0.0, 900.0))
        d = draw(st.floats(0.0, 120.0))
        rows.append((draw(st.floats(0.0, 200.0)), t, t + d))
        t += d
    cuts = sorted(draw(st.lists(st.floats(0.0, t + 100.0), max_size=12)))
    sunlit = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if b > a]
    model = PowerModel(battery_capacity_wh=draw(st.floats(10.0, 500.0)), initial_battery_wh=0.0,
                       idle_power_w=draw(st.floats(0.0, 50.0)), imaging_power_w=draw(st.floats(0.0, 500.0)),
                       slew_power_w=draw(st.floats(0.0, 200.0)), sunlit_charge_power_w=draw(st.floats(0.0, 800.0)))
    initial = draw(st.floats(0.0, 1.0)) * model.battery_capacity_wh
    model = PowerModel(model.battery_capacity_wh, initial, model.idle_power_w, model.imaging_power_w,
                       model.slew_power_w, model.sunlit_charge_power_w)
    return model, sunlit, rows


@settings(max_examples=200, deadline=None)
@given(schedules())
def test_vectorised_lows_equal_the_steps(case):
    model, sunlit, rows = case
    track = PowerTrack(model, sunlit)
    soc, t, expected = track.initial, 0.0, []
    for slew, start, end in rows:
        soc, low = track.step(soc, t, slew, start, end)
        expected.append(low)
        t = end
    got = track.lows(0.0, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])
    assert got.tolist() == pytest.approx(expected, abs=TOL_WH)
