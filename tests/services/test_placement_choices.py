"""Swap and Move offer only valid places (defect 5) and a swap recomputes every figure of the new
placement (defect 4): mode, incidence, quality, value, manoeuvre, slack."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from app.domain import RuleViolation
from app.persistence import ScheduleDB
from app.scheduling import SatelliteSpec, ValueModel, slew_time
from app.services import commits, edits
from app.services.placement_choices import placement_choices
from app.services.planning import PlanOptions, _value_config, run_planning
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario

#: Two implementations (the checks here and the service) may round a slew differently.
SLEW_TOL_S = 1e-6


@pytest.fixture
def planned(db_url, small_scenario):
    """The small workspace planned and committed. Its orders get a window start (no end): an
    ASAP order takes its earliest feasible pass, which would leave no earlier choice to offer
    (tests/scheduling/test_asap.py); with a window start, the best-looking pass is taken."""
    doc = small_scenario()
    for o in doc["orders"]:
        o["requested_window_start"] = doc["settings"]["horizon_start"]
    db = ScheduleDB(db_url)
    ws = import_scenario(db, parse_scenario(doc), "small").id
    commits.commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
    yield db, ws
    db.close()


def _neighbours(acqs, moving, sat, start):
    row = sorted((a for a in acqs if a.satellite_id == sat and a.id != moving), key=lambda a: a.start)
    before = [a for a in row if a.start < start]
    after = [a for a in row if a.start >= start]
    return (before[-1] if before else None), (after[0] if after else None)


def test_valid_choices_fit_between_their_neighbours_and_come_first_by_pass_and_value(planned):
    db, ws = planned
    acqs = db.list_acquisitions(ws)
    specs = {s.id: SatelliteSpec.of(s) for s in db.list_satellites(ws)}
    checked = 0
    for a in acqs[:6]:
        choices = placement_choices(db, ws, a.id)
        valid = [c for c in choices if c.valid]
        assert [c.valid for c in choices] == sorted((c.valid for c in choices), reverse=True)
        for x, y in zip(valid, valid[1:]):
            if x.pass_key == y.pass_key:
                assert x.value >= y.value
        for c in choices:
            o = c.opportunity
            before, after = _neighbours(acqs, a.id, o.satellite_id, o.start)
            ag = specs[o.satellite_id].agility
            fits = True
            if before is not None:
                need = slew_time(ag, before.roll_end_deg, before.pitch_end_deg, o.roll_deg, o.pitch_deg)
                fits &= (o.start - before.end).total_seconds() >= need - SLEW_TOL_S
                if c.valid:
                    assert c.maneuver_time_s == pytest.approx(need, abs=SLEW_TOL_S)
            if after is not None:
                need = slew_time(ag, o.roll_end_deg, o.pitch_end_deg, after.roll_deg, after.pitch_deg)
                fits &= (after.start - o.end).total_seconds() >= need - SLEW_TOL_S
            assert c.valid == fits, (c.refusal, o.id)
            checked += 1
    assert checked > 0


def test_frozen_zone_choices_are_refused_and_swapping_to_one_writes_nothing(planned):
    db, ws_id = planned
    ws = db.get_workspace(ws_id)
    a = max(db.list_acquisitions(ws_id), key=lambda a: a.start)
    choices = placement_choices(db, ws_id, a.id)
    assert choices
    # The clock moves so the frozen zone ends between the earliest choice and the acquisition.
    earliest = min(c.opportunity.start for c in choices)
    cutoff = earliest + timedelta(minutes=1)
    assert cutoff < a.start
    clock = cutoff - timedelta(hours=ws.settings.freeze_window_hours)
    db.update_workspace_settings(ws_id, dataclasses.replace(ws.settings, scenario_clock=clock))
    again = placement_choices(db, ws_id, a.id)
    frozen = [c for c in again if c.opportunity.start < cutoff]
    assert frozen and all(not c.valid and "frozen zone" in c.refusal for c in frozen)
    before = db.get_acquisition(a.id)
    with pytest.raises(RuleViolation, match="frozen zone"):
        edits.swap(db, ws_id, a.id, frozen[0].opportunity.id)
    assert db.get_acquisition(a.id) == before


def test_a_swap_recomputes_every_figure_of_the_new_placement(planned):
    db, ws_id = planned
    ws = db.get_workspace(ws_id)
    for a in db.list_acquisitions(ws_id):
        switch = [c for c in placement_choices(db, ws_id, a.id) if c.valid and c.opportunity.mode != a.mode]
        if switch:
            break
    else:
        pytest.skip("no valid choice on a satellite of another sensor in this workspace")
    choice = switch[0]
    o = choice.opportunity
    _, after = edits.swap(db, ws_id, a.id, o.id)
    order = db.get_order(a.order_id)
    model = ValueModel(_value_config(ws.settings, PlanOptions()), {order.id: order},
                       {t.id: t for t in db.list_targets(ws_id)},
                       horizon=(ws.settings.horizon_start, ws.settings.horizon_end))
    value, quality = model.evaluate(o)
    assert after.mode == o.mode != a.mode
    assert after.incidence_deg == o.incidence_deg and after.satellite_id == o.satellite_id
    assert after.quality_score == pytest.approx(quality, rel=1e-12) and choice.value == pytest.approx(value)
    assert after.maneuver_time_s == pytest.approx(choice.maneuver_time_s)
    assert after.slack_time_s is None or after.slack_time_s == pytest.approx(choice.slack_time_s)
