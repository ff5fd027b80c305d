"""Workspace planning: modes, policies, protection of locked/frozen/immutable acquisitions,
no error conflicts, determinism, change list and metrics."""
import json
import random
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.domain import ChangeType, LockLevel, Severity
from app.domain.enums import AcquisitionState
from app.scheduling.compare import compare_plans
from app.scheduling.planner import PolicyParams, _json_chunks, classify, is_protected, plan
from app.scheduling.value import ValueConfig

from .drawn_rng import up_to
from .factories import T0, acquisition, at, opportunity, order, satellite, target
from .scenarios import existing_schedule, request, scenario, scenarios

MODES = [("from_scratch", None), ("incremental", None), ("reshuffle", "hard_lock_committed"),
         ("reshuffle", "soft_lock_windowed"), ("reshuffle", "replace_if_better"), ("reshuffle", "time_based_freeze")]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(n_orders=up_to(12, 0), n_sats=up_to(2), passes_per_order=up_to(2), power=st.booleans()),
       st.sampled_from(MODES),
       st.sampled_from(["first_fit", "best_fit", "roll_pitch_first_fit", "roll_pitch_best_fit", "optimal"]),
       st.floats(0.0, 4.0))
def test_invariants_in_every_mode_and_policy(case, mode_policy, algorithm, now_h):
    mode, policy = mode_policy
    sats, orders, targets, opps, existing = case
    now = T0 + timedelta(hours=now_h)
    req = request(sats, orders, targets, opps, mode=mode, policy=policy, algorithm=algorithm, existing=existing,
                  now=now)
    out = plan(req)
    cutoff = now + timedelta(hours=req.freeze_window_hours)
    fixed = {a.id: a for a in out.fixed}
    changes = {c.acquisition_id: c for c in out.changes if c.acquisition_id}
    for a in existing:
        if is_protected(a, cutoff):
            assert fixed.get(a.id) == a, a           # stays, identical
            assert a.id not in out.supersede
            assert changes[a.id].type == ChangeType.UNCHANGED
            assert not any(it.replaces_acquisition_id == a.id for it in out.items)
        if mode == "incremental":
            assert fixed.get(a.id) == a
        kind = classify(req, a)
        if mode == "reshuffle" and kind == "shift" and a.id not in fixed:
            (it,) = [it for it in out.items if it.replaces_acquisition_id == a.id]   # never dropped
            o = it.opportunity
            assert o.satellite_id == a.satellite_id and o.target_id == a.target_id
            assert abs((o.start - a.start).total_seconds()) <= 30 * 60
    # No error conflict in the resulting schedule (the existing one is feasible by construction).
    assert [c for c in out.conflicts if c.severity == Severity.ERROR] == []
    assert out.metrics["error_conflicts"] == 0
    # New items never start in the frozen zone or outside the horizon; one item per order.
    for it in out.items:
        if it.replaces_acquisition_id is None or mode == "from_scratch":
            assert it.opportunity.start >= cutoff or it.replaces_acquisition_id in fixed
        assert req.horizon_start <= it.opportunity.start and it.opportunity.end <= req.horizon_end
    served = [it.opportunity.order_id for it in out.items] + [a.order_id for a in out.fixed if a.order_id]
    assert len(served) == len(set(served))


def test_determinism_and_input_hash():
    # One fixed scenario (seed 11) and one fixed shuffle: the property is that equal inputs, in any
    # order, give equal plans and hashes, which needs the same instance twice.
    sats, orders, targets, opps = scenario(11, n_orders=15)
    existing = existing_schedule(11, sats, orders, targets, opps)
    req = request(sats, orders, targets, opps, mode="reshuffle", policy="soft_lock_windowed", existing=existing,
                  algorithm="optimal")
    a, b = plan(req), plan(req)
    shuffled = list(opps)
    random.Random(3).shuffle(shuffled)
    c = plan(replace(req, opportunities=shuffled, orders=list(reversed(orders)), existing=list(reversed(existing))))
    assert a.input_hash == b.input_hash == c.input_hash and a.input_hash.startswith("sha256:")
    assert a.items == b.items == c.items
    assert a.changes == c.changes
    d = plan(replace(req, now=req.now + timedelta(minutes=1)))
    assert d.input_hash != a.input_hash


def _soft_case(policy_params=PolicyParams()):
    sats = [satellite("SAT-1")]
    o_old = order("ord_old", target="A", requested_window_start=at(0), requested_window_end=at(20000))
    o_new = order("ord_new", target="B", priority=1)
    existing = [acquisition("acq_soft", "SAT-1", 10000.0, roll=0.0, order_id="ord_old", target="A",
                            lock=LockLevel.SOFT, opportunity_id="A_0")]
    opps = [opportunity("A_0", "SAT-1", "ord_old", 10000.0, target="A", incidence=30.0),
            opportunity("A_20", "SAT-1", "ord_old", 11200.0, target="A", incidence=30.0),    # +20 min
            opportunity("A_40", "SAT-1", "ord_old", 12400.0, target="A", incidence=0.0),     # +40 min, best
            opportunity("A_far", "SAT-1", "ord_old", 21000.0, target="A", incidence=0.0),    # outside window
            opportunity("B_0", "SAT-1", "ord_new", 10005.0, target="B", roll=10.0)]          # clashes with acq_soft
    return request(sats, [o_old, o_new], [target("A"), target("B")], opps, mode="reshuffle",
                   policy="soft_lock_windowed", existing=existing, algorithm="optimal", policy_params=policy_params)


def test_soft_lock_shift_bound_and_window():
    out = plan(_soft_case())
    by_order = {it.opportunity.order_id: it for it in out.items}
    assert by_order["ord_old"].replaces_acquisition_id == "acq_soft"
    assert by_order["ord_old"].opportunity.id == "A_20"       # moved ≤ 30 min to make room, never A_40
    assert by_order["ord_new"].opportunity.id == "B_0"
    (moved,) = [c for c in out.changes if c.acquisition_id == "acq_soft"]
    assert moved.type == ChangeType.MOVED and moved.to_dict()["shift_seconds"] == 1200.0
    # With a 10-minute bound it cannot move: it stays, never dropped, and the new order loses.
    out = plan(_soft_case(PolicyParams(max_shift_minutes=10)))
    by_order = {it.opportunity.order_id: it for it in out.items}
    assert by_order["ord_old"].opportunity.id == "A_0" and "ord_new" not in by_order
    assert out.unserved == {"ord_new": "lost to conflict"}


def test_replace_if_better_threshold():
    sats = [satellite("SAT-1")]
    # A window start without an end: timing is flat, so geometry decides (an ASAP order, without a
    # window start, would keep its earlier pass whatever the geometry: tests/scheduling/test_asap.py).
    o = order("ord_1", target="A", requested_window_start=at(0))
    existing = [acquisition("acq_1", "SAT-1", 10000.0, order_id="ord_1", target="A", incidence_deg=20.0,
                            opportunity_id="A_cur")]
    cfg = ValueConfig(quality_model="monotonic")
    # Geometry score exp(−0.02·θ): 20° → 0.670; 16° → 0.726 (+8.3 %); 14° → 0.756 (+12.7 %).
    def run(inc):
        opps = [opportunity("A_cur", "SAT-1", "ord_1", 10000.0, target="A", incidence=20.0),
                opportunity("A_alt", "SAT-1", "ord_1", 14000.0, target="A", incidence=inc)]
        req = request(sats, [o], [target("A")], opps, mode="reshuffle", policy="replace_if_better",
                      existing=existing, value_config=cfg,
                      policy_params=PolicyParams(improvement_threshold_pct=10, score_function="geometry"))
        return {it.opportunity.order_id: it for it in plan(req).items}["ord_1"]
    assert run(16.0).opportunity.id == "A_cur"
    kept = run(16.0)
    assert kept.replaces_acquisition_id == "acq_1"
    assert run(14.0).opportunity.id == "A_alt"
    assert run(14.0).replaces_acquisition_id == "acq_1"


def test_time_based_freeze_zones_move_with_the_clock():
    sats = [satellite("SAT-1")]
    a = acquisition("acq_1", "SAT-1", 5 * 3600.0, order_id="ord_1", target="A", state=AcquisitionState.COMMITTED)
    later = acquisition("acq_2", "SAT-1", 40 * 3600.0, order_id="ord_2", target="B", state=AcquisitionState.COMMITTED)
    # ord_1 has a window start (not ASAP, which would keep its earlier pass whatever the geometry).
    base = request(sats, [order("ord_1", target="A", requested_window_start=T0), order("ord_2", target="B")],
                   [target("A"), target("B")], [],
                   mode="reshuffle", policy="time_based_freeze", existing=[a, later], hours=48.0)
    assert classify(replace(base, now=T0), a) == "shift"          # 5 h away: soft zone (< 24 h)
    assert classify(replace(base, now=T0), later) == "free"       # 40 h away: tentative
    assert classify(replace(base, now=T0 + timedelta(hours=3.5)), a) == "fixed"   # within 2 h: frozen
    assert classify(replace(base, now=T0 + timedelta(hours=20)), later) == "shift"
    # A soft-zone item moves to a better option within the shift bound; once frozen it does not.
    opps = [opportunity("A_cur", "SAT-1", "ord_1", 5 * 3600.0, target="A", incidence=40.0),
            opportunity("A_better", "SAT-1", "ord_1", 5 * 3600.0 + 600, target="A", incidence=0.0)]
    req = replace(base, opportunities=opps, existing=[replace(a, opportunity_id="A_cur")])
    items = {it.opportunity.order_id: it for it in plan(replace(req, now=T0)).items}
    assert items["ord_1"].opportunity.id == "A_better"
    out = plan(replace(req, now=T0 + timedelta(hours=3.5)))
    assert [x.id for x in out.fixed] == ["acq_1"] and out.items == []


def test_incremental_and_from_scratch():
    sats, orders, targets, opps = scenario(5, n_orders=12)
    existing = existing_schedule(5, sats, orders, targets, opps)
    existing[0] = replace(existing[0], lock_level=LockLevel.HARD, state=AcquisitionState.COMMITTED)
    inc = plan(request(sats, orders, targets, opps, mode="incremental", existing=existing))
    assert {a.id for a in inc.fixed} == {a.id for a in existing} and inc.supersede == []
    assert all(it.replaces_acquisition_id is None for it in inc.items)
    have = {a.order_id for a in existing}
    assert not {it.opportunity.order_id for it in inc.items} & have
    fs = plan(request(sats, orders, targets, opps, mode="from_scratch", existing=existing))
    protected = {a.id for a in existing if is_protected(a, T0 + timedelta(hours=2))}
    assert existing[0].id in protected
    assert set(fs.supersede) == {a.id for a in existing} - protected
    assert {a.id for a in fs.fixed} == protected


def test_unserved_reasons_and_metrics():
    sats = [satellite("SAT-1")]
    orders = [order("o_none", target="A"), order("o_filtered", target="A"), order("o_lost", target="A"),
              order("o_ok", target="A", priority=1), order("o_frozen", target="A")]
    opps = [opportunity("ok", "SAT-1", "o_ok", 10000.0, target="A", incidence=10.0),
            opportunity("lost", "SAT-1", "o_lost", 10002.0, target="A"),
            opportunity("frozen", "SAT-1", "o_frozen", 60.0, target="A")]
    out = plan(request(sats, orders, [target("A")], opps, unserved_reasons={"o_filtered": "filtered by constraint"}))
    assert out.unserved == {"o_none": "no opportunity", "o_filtered": "filtered by constraint",
                            "o_lost": "lost to conflict", "o_frozen": "filtered by constraint"}
    m = out.metrics
    assert m["accepted"] == 1 and m["rejected"] == 4 and m["coverage"] == pytest.approx(0.2)
    assert m["mean_incidence_deg"] == 10.0 and m["total_imaging_time_s"] == 10.0
    assert m["total_maneuver_time_s"] == pytest.approx(5.0)   # from nadir to roll 0: settle only
    assert m["conflicts"] == 0 and m["stale_tle_count"] == 0
    (it,) = out.items
    assert it.maneuver_time_s == pytest.approx(5.0) and it.slack_time_s == pytest.approx(10000.0 - 5.0)


def test_compare_plans_arrows():
    cur = {"coverage": 0.8, "mean_quality": 0.72, "total_maneuver_time_s": 342.0, "conflicts": 2}
    new = {"coverage": 0.93, "mean_quality": 0.78, "total_maneuver_time_s": 298.0, "conflicts": 0}
    cmp = compare_plans(cur, new, [{"type": "moved", "acquisition_id": "acq_1"}])
    rows = {r["metric"]: r for r in cmp["metrics"]}
    assert rows["coverage"]["arrow"] == "▲" and rows["coverage"]["better"] is True
    assert rows["total_maneuver_time_s"]["arrow"] == "▼" and rows["total_maneuver_time_s"]["better"] is True
    assert rows["conflicts"]["delta"] == -2 and rows["conflicts"]["better"] is True
    assert cmp["change_counts"] == {"moved": 1}


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
                     max_leaves=30)


@given(_json)
def test_input_hash_streams_the_same_canonical_json(doc):
    """The hash is fed in pieces (so no one C call holds the GIL for long); the text is exactly
    the one-shot canonical JSON."""
    assert "".join(_json_chunks(doc)) == json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
