"""Swap/Move choices and the commit re-check use the planner's own feasibility check, battery and
memory included (issue #10 item 7, issue #13 item 1), and a swap recomputes the figures of the
acquisitions that follow the old and the new place."""
from __future__ import annotations

import dataclasses

import pytest

from app.domain import PowerModel, RuleViolation
from app.persistence import CommitRefused
from app.scheduling import SatelliteSpec, slew_time
from app.services import commands as cmd
from app.services import commits, edits
from app.services.placement_choices import placement_choices
from app.services.planning import PlanOptions, run_planning

#: Two implementations (the test's slew and the service's) may round differently.
SLEW_TOL_S = 1e-6

#: A battery that any imaging second takes below its reserve (no charging, 1 kW imaging draw).
FLAT = PowerModel(battery_capacity_wh=100.0, initial_battery_wh=100.0, idle_power_w=0.0, imaging_power_w=1000.0,
                  slew_power_w=0.0, sunlit_charge_power_w=0.0, reserve_wh=99.9)
#: One that never runs low.
AMPLE = PowerModel(battery_capacity_wh=10000.0, initial_battery_wh=10000.0, idle_power_w=1.0,
                   imaging_power_w=10.0, slew_power_w=5.0, sunlit_charge_power_w=100.0, reserve_wh=10.0)


@pytest.fixture
def planned(small_db):
    db, ws = small_db
    commits.commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
    return db, ws


def _with_power(db, ws, model, satellite_ids=None):
    sats = [s for s in db.list_satellites(ws) if satellite_ids is None or s.id in satellite_ids]
    db.upsert_satellites(ws, [dataclasses.replace(s, power=model) for s in sats])


def _a_valid_choice(db, ws, where=lambda c: True):
    for a in db.list_acquisitions(ws):
        for c in placement_choices(db, ws, a.id):
            if c.valid and where(c):
                return a, c
    pytest.skip("no valid choice of that kind in this workspace")


def test_a_choice_that_would_drain_the_battery_is_refused_and_cannot_be_swapped_to(planned):
    db, ws = planned
    a, choice = _a_valid_choice(db, ws)
    sat = choice.opportunity.satellite_id
    _with_power(db, ws, AMPLE)
    again = {c.opportunity.id: c for c in placement_choices(db, ws, a.id)}
    assert again[choice.opportunity.id].valid  # a battery that never runs low refuses nothing
    _with_power(db, ws, FLAT, {sat})
    refused = {c.opportunity.id: c for c in placement_choices(db, ws, a.id)}[choice.opportunity.id]
    assert not refused.valid and "battery would fall below its reserve" in refused.refusal
    assert sat in refused.refusal
    before = db.get_acquisition(a.id)
    with pytest.raises(RuleViolation, match="battery"):
        edits.swap(db, ws, a.id, choice.opportunity.id)
    assert db.get_acquisition(a.id) == before


def test_a_swap_recomputes_the_figures_of_the_acquisitions_that_follow(planned):
    db, ws = planned
    a, choice = _a_valid_choice(db, ws, lambda c: bool(c.follow_ups))
    specs = {s.id: SatelliteSpec.of(s) for s in db.list_satellites(ws)}
    followers = {x.id: x for x in db.get_acquisitions([i for i, _ in choice.follow_ups])}
    stack = cmd.CommandStack(db)
    swap = cmd.Swap(ws, a.id, choice.opportunity.id)
    stack.push(swap)
    o = choice.opportunity
    now = {x.id: x for x in db.get_acquisitions(list(followers))}
    for fid, n in now.items():
        row = sorted((x for x in db.list_acquisitions(ws) if x.satellite_id == n.satellite_id),
                     key=lambda x: x.start)
        prev = row[row.index(next(x for x in row if x.id == fid)) - 1] if row[0].id != fid else None
        assert prev is not None  # each follower has a predecessor after the swap
        need = slew_time(specs[n.satellite_id].agility, prev.roll_end_deg, prev.pitch_end_deg, n.roll_deg,
                         n.pitch_deg)
        assert n.maneuver_time_s == pytest.approx(need, abs=SLEW_TOL_S)
        assert n.slack_time_s == pytest.approx((n.start - prev.end).total_seconds() - need, abs=SLEW_TOL_S)
    assert a.id in {x.id for x in db.list_acquisitions(ws) if x.opportunity_id == o.id}
    stack.undo()
    assert {x.id: (x.maneuver_time_s, x.slack_time_s) for x in db.get_acquisitions(list(followers))} == \
        {x.id: (x.maneuver_time_s, x.slack_time_s) for x in followers.values()}
    stack.redo()
    assert {x.id: x.maneuver_time_s for x in db.get_acquisitions(list(followers))} == \
        {x.id: x.maneuver_time_s for x in now.values()}


def _stale_candidate(db, ws):
    """A candidate computed, then the schedule changed by an unrelated edit (the commit re-checks)."""
    for t in sorted(db.list_targets(ws), key=lambda t: t.id)[16:20]:
        db.create_order(t.id, 1, ws)
    result = run_planning(db, ws, PlanOptions(mode="incremental"))
    assert result.items
    some = db.list_acquisitions(ws)[0]
    db.set_lock_level([some.id], "soft")
    return result


def test_the_commit_recheck_refuses_items_that_would_drain_the_battery(planned):
    db, ws = planned
    result = _stale_candidate(db, ws)
    _with_power(db, ws, FLAT, {it.satellite_id for it in result.items})
    before = sorted(a.id for a in db.list_acquisitions(ws))
    with pytest.raises(CommitRefused, match="battery would fall below its reserve"):
        commits.commit_plan(db, ws, result.plan_id)
    assert sorted(a.id for a in db.list_acquisitions(ws)) == before


def test_the_commit_recheck_passes_a_battery_that_never_runs_low(planned):
    db, ws = planned
    result = _stale_candidate(db, ws)
    _with_power(db, ws, AMPLE)
    record = commits.commit_plan(db, ws, result.plan_id)
    assert len(record.created) == len(result.items)
