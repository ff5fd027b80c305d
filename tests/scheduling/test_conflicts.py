"""Conflict detection: types, severities at the 5 s / 10 s boundaries, messages, stable ids and
resolution options that really remove the conflict."""
import pytest
from hypothesis import given, settings, strategies as st

from app.domain import ConflictType, LockLevel, PowerModel, ResolutionAction, Severity
from app.domain.enums import AcquisitionState
from app.domain.wording import acquisition_name, order_name
from app.scheduling.conflicts import DetectionInput, conflict_id, detect_conflicts, slew_severity, summary
from app.scheduling.problem import InitialAttitude, SatelliteSpec
from app.scheduling.slew import Agility

from .factories import T0, acquisition, at, opportunity, order

SPEC = SatelliteSpec("SAT-1", Agility(1.0, 0.5, 1.0, 0.5, 5.0))
SPEC2 = SatelliteSpec("SAT-2", Agility(1.0, 0.5, 1.0, 0.5, 5.0))


def detect(acqs, **kw):
    kw.setdefault("satellites", {"SAT-1": SPEC, "SAT-2": SPEC2})
    return detect_conflicts(acqs, DetectionInput(**kw))


def test_severity_boundaries():
    assert slew_severity(10.01) == Severity.ERROR
    assert slew_severity(10.0) == Severity.WARNING
    assert slew_severity(5.0) == Severity.WARNING
    assert slew_severity(4.99) == Severity.INFO


@pytest.mark.parametrize("gap, severity", [(32.0, Severity.ERROR), (37.0, Severity.WARNING),
                                           (42.0, Severity.WARNING), (44.0, Severity.INFO)])
def test_slew_infeasible_severity_by_deficit(gap, severity):
    # Roll 0 → 40°: 40/1 + 1/0.5 + 5 s settle = 47 s needed; deficits 15, 10, 5, 3 s.
    a = acquisition("acq_a", "SAT-1", 0.0, roll=0.0)
    b = acquisition("acq_b", "SAT-1", 10.0 + gap, roll=40.0)
    (c,) = detect([a, b])
    assert c.type == ConflictType.SLEW_INFEASIBLE
    assert c.severity == severity
    assert c.description == f"Insufficient slew time: need 47 s, have {gap:.0f} s"
    assert c.acquisition_ids == ("acq_a", "acq_b")


def test_exact_boundaries_of_deficit():
    a = acquisition("acq_a", "SAT-1", 0.0, roll=0.0)
    for gap, sev in ((37.0, Severity.WARNING), (42.0, Severity.WARNING), (36.9, Severity.ERROR), (42.1, Severity.INFO)):
        (c,) = detect([a, acquisition("acq_b", "SAT-1", 10.0 + gap, roll=40.0)])
        assert c.severity == sev, gap
    assert detect([a, acquisition("acq_b", "SAT-1", 57.0, roll=40.0)]) == []   # exactly feasible


def test_temporal_overlap_beyond_the_next_neighbour_and_stable_ids():
    long = acquisition("acq_long", "SAT-1", 0.0, dur=100.0)
    inner = acquisition("acq_in", "SAT-1", 10.0, dur=5.0)
    late = acquisition("acq_late", "SAT-1", 50.0, dur=5.0)
    conflicts = detect([late, inner, long])
    overlaps = {c.acquisition_ids for c in conflicts if c.type == ConflictType.TEMPORAL_OVERLAP}
    assert overlaps == {("acq_long", "acq_in"), ("acq_long", "acq_late")}
    assert all(c.severity == Severity.ERROR for c in conflicts if c.type == ConflictType.TEMPORAL_OVERLAP)
    again = detect([long, inner, late])
    assert [c.id for c in conflicts] == [c.id for c in again]
    assert conflicts[0].id.startswith("conflict_") and len(conflicts[0].id) == len("conflict_") + 12
    assert conflict_id("x", ["b", "a"]) == conflict_id("x", ["a", "b"])
    # Different satellites never conflict.
    assert detect([acquisition("x1", "SAT-1", 0.0), acquisition("x2", "SAT-2", 0.0)]) == []


def test_initial_attitude_is_checked():
    a = acquisition("acq_a", "SAT-1", 20.0, roll=40.0)
    (c,) = detect([a], initial={"SAT-1": InitialAttitude(T0.timestamp(), 0.0, 0.0)})
    assert c.type == ConflictType.SLEW_INFEASIBLE and c.acquisition_ids == ("acq_a",)
    assert c.severity == Severity.ERROR    # need 47, have 20


def _apply(acqs, option, alternatives):
    """The schedule after applying a resolution option."""
    out = []
    for a in acqs:
        if a.id != option.acquisition_id:
            out.append(a)
        elif option.action == ResolutionAction.DELETE:
            continue
        else:
            opp = next(o for alts in alternatives.values() for o in alts if o.id == option.params["opportunity_id"])
            from dataclasses import replace
            out.append(replace(a, satellite_id=opp.satellite_id, start=opp.start, end=opp.end,
                               roll_deg=opp.roll_deg, pitch_deg=opp.pitch_deg,
                               roll_end_deg=opp.roll_end_deg, pitch_end_deg=opp.pitch_end_deg, opportunity_id=opp.id))
    return out


def test_resolution_options_remove_the_conflict_without_new_errors():
    a = acquisition("acq_a", "SAT-1", 0.0, roll=0.0, order_id="o1", opportunity_id="A_max")
    b = acquisition("acq_b", "SAT-1", 30.0, roll=40.0, order_id="o2", opportunity_id="B_max")
    c = acquisition("acq_c", "SAT-1", 300.0, roll=40.0, order_id="o3")
    alternatives = {"o2": [
        opportunity("B_max", "SAT-1", "o2", 30.0, roll=40.0, tca=35.0),
        opportunity("B_late", "SAT-1", "o2", 60.0, roll=40.0, pitch=-5.0, variant="late_30", tca=35.0),
        opportunity("B_next", "SAT-1", "o2", 295.0, roll=40.0, tca=300.0),   # clashes with acq_c
        opportunity("B_later", "SAT-1", "o2", 900.0, roll=40.0, tca=900.0),
        opportunity("B_other", "SAT-2", "o2", 40.0, roll=10.0, tca=40.0),
    ]}
    acqs = [a, b, c]
    (conflict,) = detect(acqs, alternatives=alternatives)
    assert conflict.severity == Severity.ERROR   # need 47, have 20
    actions = {o.action: o for o in conflict.resolution_options if o.acquisition_id == "acq_b"}
    assert set(actions) >= {ResolutionAction.USE_PITCH, ResolutionAction.MOVE_LATER,
                            ResolutionAction.SWITCH_SATELLITE, ResolutionAction.DELETE}
    assert actions[ResolutionAction.USE_PITCH].params["opportunity_id"] == "B_late"
    assert actions[ResolutionAction.USE_PITCH].params["new_pitch_deg"] == -5.0
    assert actions[ResolutionAction.MOVE_LATER].params["opportunity_id"] == "B_later"   # B_next would clash
    assert actions[ResolutionAction.SWITCH_SATELLITE].params["satellite_id"] == "SAT-2"
    for option in conflict.resolution_options:
        after = detect(_apply(acqs, option, alternatives), alternatives=alternatives)
        assert conflict.id not in {x.id for x in after}, option
        assert not [x for x in after if x.severity == Severity.ERROR], option


def test_locked_and_immutable_acquisitions_are_never_proposed():
    a = acquisition("acq_a", "SAT-1", 0.0, roll=0.0, order_id="o1", lock=LockLevel.HARD)
    b = acquisition("acq_b", "SAT-1", 30.0, roll=40.0, order_id="o2", state=AcquisitionState.EXECUTING)
    (conflict,) = detect([a, b])
    assert conflict.resolution_options == ()
    soft = acquisition("acq_b", "SAT-1", 30.0, roll=40.0, order_id="o2", lock=LockLevel.SOFT)
    alternatives = {"o2": [opportunity("B2", "SAT-1", "o2", 600.0, roll=40.0),
                           opportunity("B3", "SAT-2", "o2", 40.0, roll=40.0)]}
    (conflict,) = detect([a, soft], alternatives=alternatives)
    actions = {o.action for o in conflict.resolution_options}
    assert actions == {ResolutionAction.MOVE_LATER}   # soft: may move on its satellite, no delete, no switch
    # A soft-locked acquisition only moves inside its order window.
    orders = {"o2": order("o2", requested_window_start=at(0), requested_window_end=at(300))}
    (conflict,) = detect([a, soft], alternatives=alternatives, orders=orders)
    assert conflict.resolution_options == ()


def test_resource_contention_downlink_and_ground():
    pm = PowerModel(battery_capacity_wh=10.0, initial_battery_wh=5.0, idle_power_w=0.0, imaging_power_w=720.0,
                    slew_power_w=0.0, sunlit_charge_power_w=0.0, reserve_wh=2.0)
    spec = SatelliteSpec("SAT-1", Agility(), power=pm, memory_gbit=10.0, data_per_acquisition_gbit=7.0,
                         downlink_rate_mbps=1000.0)
    # Each 10 s image draws 2 Wh: 5 → 3 → 1 (< reserve 2) at the second one.
    a1 = acquisition("acq_1", "SAT-1", 0.0, order_id="o1")
    a2 = acquisition("acq_2", "SAT-1", 100.0, order_id="o2")
    contacts = {"SAT-1": [(T0.timestamp() + 50, T0.timestamp() + 52)]}   # drains only 2 Gbit: 7 → 5 → 12 > 10
    conflicts = detect([a1, a2], satellites={"SAT-1": spec}, contacts=contacts, horizon_end=at(1000),
                       horizon_start=T0)
    rc = [c for c in conflicts if c.type == ConflictType.RESOURCE_CONTENTION]
    assert {c.acquisition_ids for c in rc} == {("acq_2",)}
    assert any("Battery below reserve" in c.description for c in rc)
    assert any("memory overflows" in c.description for c in rc)
    assert len({c.id for c in rc}) == 2
    dl = [c for c in conflicts if c.type == ConflictType.DOWNLINK_WINDOW]
    assert [c.acquisition_ids for c in dl] == [("acq_2",)]   # acq_1 has the contact at 50 s
    for c in rc + dl:
        assert c.severity == Severity.WARNING
        assert any(o.action == ResolutionAction.DELETE for o in c.resolution_options)
    # Ground: one order served twice.
    g1 = acquisition("acq_g1", "SAT-1", 0.0, order_id="o9")
    g2 = acquisition("acq_g2", "SAT-2", 500.0, order_id="o9")
    (g,) = detect([g1, g2])
    assert g.type == ConflictType.GROUND_CONFLICT and g.severity == Severity.WARNING
    assert {o.acquisition_id for o in g.resolution_options} == {"acq_g1", "acq_g2"}
    s = summary(conflicts + [g])
    assert s["by_type"]["ground_conflict"] == 1 and s["total"] == len(conflicts) + 1
    # Descriptions name acquisitions and orders as the planner reads them, never by id.
    for c in rc + dl:
        assert acquisition_name(a2) in c.description and "acq_" not in c.description
    assert g.description == "The order for {} is served 2 times".format(g1.target_id)
    (named,) = detect([g1, g2], orders={"o9": order("o9", external_ref="REQ-9")})
    assert named.description == f"{order_name(order('o9', external_ref='REQ-9'))} is served 2 times"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 400), st.floats(1, 30), st.floats(-40, 40), st.floats(-20, 20)),
                min_size=1, max_size=12), st.booleans())
def test_window_check_agrees_with_the_sweep(rows, eigen):
    """The scalar window check used for resolution options finds what the numpy sweep finds."""
    from app.scheduling.conflicts import _Detector

    spec = SatelliteSpec("SAT-1", Agility(1.0, 0.5, 0.7, 0.3, 3.0, eigen_axis=eigen))
    acqs = [acquisition(f"acq_{k:02d}", "SAT-1", round(t, 3), dur=round(d, 3), roll=r, pitch=p)
            for k, (t, d, r, p) in enumerate(rows)]
    det = _Detector(acqs, DetectionInput(satellites={"SAT-1": spec},
                                         initial={"SAT-1": InitialAttitude(T0.timestamp(), 0.0, 0.0)}))
    sweep = {(c[0], c[1], c[3]) for c in det.pair_conflicts("SAT-1", det.tracks["SAT-1"])}
    window = {(c[0], c[1], c[3]) for c in det._local("SAT-1", det.rows("SAT-1"), True)}
    # The sweep takes its slew needs from slew_times (numpy), the window check from slew_time (math): they
    # agree to rounding (relative 1e-12, test_slew.py), not bit for bit. So a decision may differ only for a
    # slew whose need lies within BOUNDARY_TOL_S of a threshold (feasible, 5 s, 10 s); all else agrees exactly.
    rows = {r.id: r for r in det.rows("SAT-1")}
    for kind, severity, ids in sweep ^ window:
        assert kind == ConflictType.SLEW_INFEASIBLE, (kind, ids)  # overlaps compare the same floats
        assert _slew_margin_s(spec.agility, det.inp.initial["SAT-1"], rows, ids) < BOUNDARY_TOL_S, (severity, ids)


#: Far above the 1e-12-relative disagreement of the two slew forms on needs of a few minutes at most.
BOUNDARY_TOL_S = 1e-9


def _slew_margin_s(ag, init, rows, ids) -> float:
    """How far a slew's need is from flipping a decision: feasibility (with its epsilon) or a severity step."""
    from app.scheduling.conflicts import ERROR_DEFICIT_S, WARNING_DEFICIT_S
    from app.scheduling.slew import FEASIBILITY_EPS_S, slew_time

    if len(ids) == 1:
        b = rows[ids[0]]
        need, have = slew_time(ag, init.roll_deg, init.pitch_deg, b.r0, b.p0, init.los, b.los0), b.start - init.time
    else:
        a, b = rows[ids[0]], rows[ids[1]]
        need, have = slew_time(ag, a.r1, a.p1, b.r0, b.p0, a.los1, b.los0), b.start - a.end
    deficit = need - have
    return min(abs(deficit - FEASIBILITY_EPS_S), abs(deficit - WARNING_DEFICIT_S), abs(deficit - ERROR_DEFICIT_S))
