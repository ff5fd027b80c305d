"""Resource lanes (issue 15): battery and memory along the schedule and a candidate plan, with
the limits and where they are broken; contacts and sunlight per satellite."""
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import Acquisition, ContactWindow, PlanItem, PowerModel, Satellite
from app.services.resource_lanes import compute_lanes, workspace_lanes

UTC = timezone.utc
T0 = datetime(2026, 8, 13, tzinfo=UTC)
E0 = T0.timestamp()
TLE1 = "1 43800U 18099AB  26222.00000000  .00000000  00000-0  00000-0 0  9990"
TLE2 = "2 43800  97.7000 100.0000 0010000 100.0000 260.0000 15.00000000    09"


def sat():
    return Satellite("SAT-1", TLE1, TLE2, memory_gbit=10.0, data_per_acquisition_gbit=6.0, downlink_rate_mbps=100.0,
                     power=PowerModel(battery_capacity_wh=1000.0, initial_battery_wh=500.0, reserve_wh=100.0,
                                      idle_power_w=36.0, imaging_power_w=360.0, slew_power_w=0.0,
                                      sunlit_charge_power_w=72.0))


def acq(i, minutes_after, seconds=100):
    s = T0 + timedelta(seconds=minutes_after)
    return Acquisition(id=f"acq_{i:012x}", workspace_id="ws", satellite_id="SAT-1", target_id=f"T{i}",
                       start=s, end=s + timedelta(seconds=seconds), roll_deg=0.0, maneuver_time_s=0.0)


CONTACT = ContactWindow("SAT-1", "Svalbard", T0 + timedelta(seconds=9000), T0 + timedelta(seconds=9015),
                        T0 + timedelta(seconds=9030), 40.0)


def lanes(schedule, candidate=None):
    return compute_lanes([sat()], schedule, candidate, T0, T0 + timedelta(hours=3),
                         {"SAT-1": [(E0, E0 + 3600)]}, [CONTACT])["SAT-1"]


def test_battery_follows_sunlight_idle_and_imaging():
    lane = lanes([acq(1, 7200)])
    b = lane.battery
    assert (b.limit, b.full_scale) == (100.0, 1000.0)
    assert b.value_at(E0) == pytest.approx(500.0)
    assert b.value_at(E0 + 3600) == pytest.approx(536.0)           # +36 W net for 1 h in sunlight
    assert b.value_at(E0 + 7200) == pytest.approx(500.0)           # −36 W for 1 h in eclipse
    assert b.value_at(E0 + 7300) == pytest.approx(500.0 - 396 * 100 / 3600)  # imaging 360 W + idle 36 W
    assert b.value_at(E0 + 10800) == pytest.approx(500.0 - 11.0 - 36 * 3500 / 3600, abs=1e-6)
    assert b.violations == ()
    assert lane.sunlit == ((E0, E0 + 3600),)
    assert [(c.station_id, c.start, c.end) for c in lane.contacts] == [("Svalbard", E0 + 9000, E0 + 9030)]
    assert lane.contact_at(E0 + 9010).station_id == "Svalbard" and lane.contact_at(E0 + 9100) is None


def test_memory_fills_at_each_end_drains_in_contacts_and_shows_where_it_overflows():
    lane = lanes([acq(1, 7200), acq(2, 9100)])
    m = lane.memory
    assert m.limit == 10.0
    assert m.value_at(E0 + 8000) == pytest.approx(6.0)     # first image stored
    assert m.value_at(E0 + 9030) == pytest.approx(3.0)     # 30 s at 0.1 Gbit/s downlinked
    assert m.value_at(E0 + 9250) == pytest.approx(9.0)     # second image: 3 + 6
    assert m.violations == ()
    # A candidate plan adding a third image overflows the memory from that image's end.
    extra = PlanItem(id="planitem_1", plan_id="plan_1", opportunity_id="o", satellite_id="SAT-1", target_id="T9",
                     start=T0 + timedelta(seconds=9300), end=T0 + timedelta(seconds=9400),
                     roll_deg=0.0, maneuver_time_s=0.0)
    lane = lanes([acq(1, 7200), acq(2, 9100)], [extra])
    assert lane.memory.violations == ()                          # the committed line is unchanged
    assert lane.memory_candidate.value_at(E0 + 9500) == pytest.approx(15.0)
    assert lane.memory_candidate.violations == ((pytest.approx(E0 + 9400, abs=1e-3), pytest.approx(E0 + 10800, abs=1e-3)),)
    assert lane.battery_candidate.value_at(E0 + 10800) < lane.battery.value_at(E0 + 10800)


def test_battery_below_the_reserve_is_a_violation_where_it_happens():
    s = sat()
    s = Satellite(**{**{f: getattr(s, f) for f in s.__dataclass_fields__},
                     "power": PowerModel(battery_capacity_wh=1000.0, initial_battery_wh=120.0, reserve_wh=100.0,
                                         idle_power_w=36.0, imaging_power_w=360.0, slew_power_w=0.0,
                                         sunlit_charge_power_w=0.0)})
    lane = compute_lanes([s], [], None, T0, T0 + timedelta(hours=3), {}, [])["SAT-1"]
    # 120 Wh − 36 W: the reserve (100 Wh) is crossed after 2000 s.
    ((a, b),) = lane.battery.violations
    assert a == pytest.approx(E0 + 2000.0, abs=1e-3) and b == pytest.approx(E0 + 10800.0, abs=1e-3)
    assert lane.battery_candidate is None and lane.memory is not None


def test_demo_lanes_come_from_the_workspace_and_are_cached(tmp_path):
    from app.persistence import ScheduleDB
    from app.services.demo import ensure_demo
    db = ScheduleDB(tmp_path / "d.db")
    try:
        ws = ensure_demo(db, schedule=True)
        first = workspace_lanes(db, ws.id)
        assert workspace_lanes(db, ws.id) is first
        assert set(first) == {s.id for s in db.list_satellites(ws.id)}
        with_power = [lane for lane in first.values() if lane.battery is not None]
        assert len(with_power) == 15 and all(lane.contacts for lane in first.values())
        # Locking an acquisition changes its version: the lanes are recomputed.
        a = db.list_acquisitions(ws.id)[0]
        db.set_lock_level([a.id], "soft")
        assert workspace_lanes(db, ws.id) is not first
    finally:
        db.close()


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.scheduling.power import PowerTrack  # noqa: E402


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 120), st.floats(0, 10_000), st.floats(1, 300)), max_size=12),
       st.lists(st.tuples(st.floats(0, 10_000), st.floats(1, 4_000)), max_size=6))
def test_the_drawn_battery_line_is_the_schedulers_own_state_of_charge(raw_items, raw_sun):
    """At every acquisition's end the profile equals what ``PowerTrack.step`` (planning's check)
    computes, so the lane shows the violation planning sees."""
    model = sat().power
    sun = sorted((a, a + d) for a, d in raw_sun)
    track = PowerTrack(model, sun) if not any(b1 > a2 for (_, b1), (a2, _) in zip(sun, sun[1:])) else None
    if track is None:
        return
    items, t = [], 0.0
    for slew, gap, dur in raw_items:
        start = t + gap + slew
        items.append((slew, start, start + dur))
        t = start + dur
    points = track.profile(items, 0.0, t + 100.0)
    times = [p[0] for p in points]
    values = [p[1] for p in points]
    soc, prev = track.initial, 0.0
    import numpy as np
    for slew, start, end in items:
        soc, _ = track.step(soc, prev, slew, start, end)
        prev = end
        assert float(np.interp(end, times, values)) == pytest.approx(soc, abs=1e-6)

