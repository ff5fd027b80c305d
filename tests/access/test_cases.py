"""Cases a person can reason about (spec section 4): targets placed by hand under a real orbit.

Targets are put on the Earth's surface along a chosen direction from the Earth's centre at a
chosen time T, using skyfield's GCRS state of the satellite: straight below it (on the ground
track), or turned by a few degrees towards the orbital frame's +y (right of the track) or −y.
"""
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from skyfield.api import EarthSatellite, load, wgs84
from skyfield.framelib import itrs

from app.access import Cancelled, compute_opportunities
from app.domain import Target
from app.domain.ids import opportunity_id

UTC = timezone.utc
TS = load.timescale(builtin=True)
START = datetime(2026, 4, 13, tzinfo=UTC)
END = START + timedelta(hours=6)
A, F = 6378.137, 1 / 298.257223563
E2 = F * (2 - F)


def _unit(a):
    return a / np.linalg.norm(a)


def _target(sat, when, name, right_deg=0.0):
    """The surface point along unit(r̂ + tan(right_deg)·ŷ) at ``when`` (ŷ = unit(−r̂ × v))."""
    t = TS.from_datetime(when)
    p = EarthSatellite(sat.tle_line1, sat.tle_line2, ts=TS).at(t)
    r, v = p.position.km, p.velocity.km_per_s
    y = _unit(np.cross(-_unit(r), v))
    d = itrs.rotation_at(t) @ _unit(_unit(r) + np.tan(np.radians(right_deg)) * y)
    d = d / np.sqrt((d[0] ** 2 + d[1] ** 2) / A**2 + d[2] ** 2 / (A * (1 - F)) ** 2)
    lat = np.degrees(np.arctan2(d[2], (1 - E2) * np.hypot(d[0], d[1])))
    return Target(name, float(lat), float(np.degrees(np.arctan2(d[1], d[0]))))


def _sun_alt(planets, target, when):
    site = wgs84.latlon(target.lat, target.lon)
    return (planets["earth"] + site).at(TS.from_datetime(when)).observe(planets["sun"]).apparent().altaz()[0].degrees


@pytest.fixture(scope="module")
def moments(tle, de421):
    """Times T (whole minutes in the horizon) when PLEIADES NEO 3 flies north over a night-side
    point and south over a day-side point, both between 50° S and 50° N."""
    rec = tle["PLEIADES NEO 3"]
    es = EarthSatellite(rec.line1, rec.line2, ts=TS)
    found = {}
    for minute in range(30, 330, 3):
        when = START + timedelta(minutes=minute)
        t = TS.from_datetime(when)
        p = es.at(t)
        lat = wgs84.latlon_of(p)[0].degrees
        if abs(lat) > 50:
            continue
        ascending = p.velocity.km_per_s[2] > 0
        sub = wgs84.subpoint_of(p)
        alt = _sun_alt(de421, Target("x", sub.latitude.degrees, sub.longitude.degrees), when)
        if ascending and alt < -10:
            found.setdefault("night_ascending", when)
        if not ascending and alt > 25:
            found.setdefault("day_descending", when)
    assert set(found) == {"night_ascending", "day_descending"}
    return found


def _near(opps, target, when, variant="max"):
    return [o for o in opps if o.target_id == target.id and o.variant == variant
            and abs((o.tca - when).total_seconds()) < 60]


@pytest.fixture
def neo(make_satellite):
    def make(**kw):
        agility = dict(max_off_nadir_deg=30.0, max_roll_deg=30.0, max_pitch_deg=30.0, imaging_time_s=8.0)
        return make_satellite("PLEIADES NEO 3", **{**agility, **kw})
    return make


def test_target_on_the_ground_track_is_seen_at_nadir(neo, moments):
    sat = neo(mode="SAR")
    when = moments["day_descending"]
    target = _target(sat, when, "Track")
    [opp] = _near(compute_opportunities([sat], [target], START, END, variants="max"), target, when)
    assert abs((opp.tca - when).total_seconds()) < 0.5
    assert opp.off_nadir_deg < 0.05
    assert abs(opp.roll_deg) < 0.5 and abs(opp.roll_end_deg) < 0.5


@pytest.mark.parametrize("right_deg, side", [(2.0, "RIGHT"), (-2.0, "LEFT")])
def test_target_right_of_the_track_has_positive_roll(neo, moments, right_deg, side):
    sat = neo(mode="SAR")
    when = moments["day_descending"]
    target = _target(sat, when, "Side", right_deg)
    [opp] = _near(compute_opportunities([sat], [target], START, END, variants="max"), target, when)
    assert opp.look_side == side
    assert np.sign(opp.roll_deg) == np.sign(right_deg) == np.sign(opp.roll_end_deg)
    assert 10.0 < abs(opp.roll_deg) < 25.0
    assert opp.incidence_deg > opp.off_nadir_deg + 1.0  # the Earth curves away under the look


def test_ascending_and_descending_passes(neo, moments):
    sat = neo(mode="SAR")
    up = _target(sat, moments["night_ascending"], "Up")
    down = _target(sat, moments["day_descending"], "Down")
    opps = compute_opportunities([sat], [up, down], START, END, variants="max")
    assert [o.pass_direction for o in _near(opps, up, moments["night_ascending"])] == ["ASCENDING"]
    assert [o.pass_direction for o in _near(opps, down, moments["day_descending"])] == ["DESCENDING"]


def test_night_pass_dropped_for_optical_kept_for_sar(neo, moments, de421):
    when = moments["night_ascending"]
    target = _target(neo(), when, "Dark")
    assert _sun_alt(de421, target, when) < -10
    assert not _near(compute_opportunities([neo(mode="OPTICAL")], [target], START, END), target, when)
    [opp] = _near(compute_opportunities([neo(mode="SAR")], [target], START, END), target, when)
    assert opp.sun_elevation_deg < -10


def test_incidence_exceeds_off_nadir_everywhere(neo):
    sat = neo(mode="SAR", max_off_nadir_deg=45.0, max_roll_deg=45.0)
    targets = [Target("Athens", 37.98, 23.73), Target("Quito", -0.18, -78.47), Target("Perth", -31.95, 115.86)]
    opps = compute_opportunities([sat], targets, START, END + timedelta(hours=18))
    tilted = [o for o in opps if o.off_nadir_deg > 5]
    assert len(tilted) >= 5
    assert all(o.incidence_deg > o.off_nadir_deg for o in tilted)


def test_long_observation_rejected_when_the_target_leaves_the_cone(neo, moments):
    sat = neo(mode="SAR")
    when = moments["day_descending"]
    target = _target(sat, when, "Edge", 3.2)
    [short] = _near(compute_opportunities([sat], [target], START, END, variants="max", duration_s=4.0), target, when)
    length = (short.pass_end - short.pass_start).total_seconds()
    assert 10.0 < length < 120.0
    kept = compute_opportunities([sat], [target], START, END, variants="max", duration_s=0.6 * length)
    assert _near(kept, target, when)
    too_long = compute_opportunities([sat], [target], START, END, variants="max", duration_s=length + 2.0)
    assert not _near(too_long, target, when)


def test_variants_pitch_forward_early_and_backward_late(neo, moments):
    sat = neo(mode="SAR", max_pitch_deg=30.0)
    when = moments["day_descending"]
    target = _target(sat, when, "Agile", 1.0)
    opps = [o for o in compute_opportunities([sat], [target], START, END) if abs((o.tca - when).total_seconds()) < 60]
    variants = {o.variant: o for o in opps}
    assert {"max", "early_30", "late_30"} <= set(variants)
    assert set(variants) <= {"max", "early_30", "late_30", "early_60", "late_60"}
    for name, o in variants.items():
        assert abs(o.pitch_deg) <= 30.0 and abs(o.pitch_end_deg) <= 30.0
        if name.startswith("early"):
            assert o.pitch_deg > 0 and o.pitch_end_deg > 0
            assert abs(((o.start + (o.end - o.start) / 2) - (o.tca - timedelta(seconds=int(name[6:])))).total_seconds()) < 1e-3
        if name.startswith("late"):
            assert o.pitch_deg < 0 and o.pitch_end_deg < 0
    assert variants["early_30"].id == f"{sat.id}_Agile_{variants['max'].tca:%Y%m%dT%H%M%S}_early_30"


def test_roll_only_satellites_image_at_tca_with_zero_pitch(neo, moments):
    sat = neo(mode="SAR", max_pitch_deg=0.0)
    when = moments["day_descending"]
    target = _target(sat, when, "Roll", 2.0)
    opps = compute_opportunities([sat], [target], START, END, variants="all")
    assert opps and {o.variant for o in opps} == {"max"}
    for o in opps:
        assert o.pitch_deg == 0.0 == o.pitch_end_deg and o.roll_deg == o.roll_end_deg
        assert abs((o.start + (o.end - o.start) / 2 - o.tca).total_seconds()) < 1e-3


def test_time_grid_aligns_starts_and_durations(neo):
    sat = neo(mode="SAR")
    origin = START + timedelta(seconds=2)
    opps = compute_opportunities([sat], [Target("Athens", 37.98, 23.73), Target("Quito", -0.18, -78.47)],
                                 START, END + timedelta(hours=18), time_grid_s=5.0, grid_origin=origin)
    assert opps
    for o in opps:
        assert (o.start - origin).total_seconds() % 5.0 == 0.0
        assert o.duration_s == 10.0  # 8 s of imaging rounded up to the 5 s grid
        assert START <= o.start and o.end <= END + timedelta(hours=18)


def test_satellite_incidence_limits_hold(neo):
    sat = neo(mode="SAR", max_off_nadir_deg=45.0, max_roll_deg=45.0, min_incidence_deg=20.0, max_incidence_deg=40.0)
    opps = compute_opportunities([sat], [Target("Athens", 37.98, 23.73), Target("Perth", -31.95, 115.86)],
                                 START, END + timedelta(hours=18))
    assert opps and all(20.0 <= o.incidence_deg <= 40.0 for o in opps)


def test_results_are_sorted_and_ids_unique(neo):
    sats = [neo(mode="SAR"), neo(id="NEO-OPTICAL")]
    opps = compute_opportunities(sats, [Target("Athens", 37.98, 23.73), Target("Quito", -0.18, -78.47)],
                                 START, END + timedelta(hours=18))
    assert [(o.start, o.satellite_id, o.target_id) for o in opps] == sorted((o.start, o.satellite_id, o.target_id)
                                                                            for o in opps)
    assert len({o.id for o in opps}) == len(opps)
    assert all(o.id == opportunity_id(o.satellite_id, o.target_id, o.tca, o.variant) for o in opps)
    for o in opps:
        assert o.pass_start <= o.start and o.end <= o.pass_end and o.pass_start <= o.tca <= o.pass_end
        assert o.mode == ("SAR" if o.satellite_id == "PLEIADES-NEO-3" else "OPTICAL")
        assert np.isclose(np.linalg.norm(o.los_start), 1.0) and np.isclose(np.linalg.norm(o.los_end), 1.0)


def test_progress_rises_to_one_and_cancel_stops(neo):
    sats = [neo(mode="SAR"), neo(id="B"), neo(id="C")]
    seen = []
    compute_opportunities(sats, [Target("Athens", 37.98, 23.73)], START, END, progress=lambda f, m: seen.append(f))
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 4
    calls = []
    with pytest.raises(Cancelled):
        compute_opportunities(sats, [Target("Athens", 37.98, 23.73)], START, END,
                              cancel=lambda: calls.append(1) or len(calls) > 1)


def test_bad_horizon_and_options_are_refused(neo):
    from app.domain import ValidationError
    with pytest.raises(ValidationError, match="end"):
        compute_opportunities([neo()], [Target("A", 0, 0)], END, START)
    with pytest.raises(ValidationError, match="naive"):
        compute_opportunities([neo()], [Target("A", 0, 0)], datetime(2026, 4, 13), END)
    with pytest.raises(ValueError, match="variants"):
        compute_opportunities([neo()], [Target("A", 0, 0)], START, END, variants="some")
    assert compute_opportunities([], [Target("A", 0, 0)], START, END) == []
