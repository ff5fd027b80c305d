"""Plans, plan items, commit (one transaction), direct commit, supersede, reject."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import NotFoundError, Opportunity, PlanItem, RuleViolation, ValidationError
from app.domain.enums import AcquisitionSource, AcquisitionState, LockLevel, Mode, OrderStatus, PlanStatus
from app.persistence import BulkEditRefused

from .helpers import NOW, T0, committed, counts, item


def _plan(db, ws_id, tag="a"):
    return db.create_plan("best_fit", {"weights": "balanced"}, f"sha256:{tag}", "run_20260807_000000_abc",
                          {"accepted": 2}, ws_id)


def test_plan_and_items_round_trip(db, ws):
    plan = _plan(db, ws.id)
    assert plan.status == PlanStatus.CANDIDATE and plan.id.startswith("plan_")
    assert db.get_plan(plan.id) == plan and db.get_plan("plan_000000000000") is None
    one = db.create_plan_item(plan.id, "opp-1", "SAT-1", "Athens", "2026-08-07T09:15:26Z",
                              "2026-08-07T11:15:36+02:00", 12.5, pitch_deg=-3.0, value=0.8,
                              incidence_deg=31.0, look_side="RIGHT", roll_end_deg=13.0)
    assert (one.roll_end_deg, one.pitch_end_deg, one.look_side) == (13.0, -3.0, "RIGHT")
    opp = Opportunity(id="opp-2", satellite_id="SAT-2", target_id="Rome", start=T0, end=T0 + timedelta(seconds=5),
                      roll_deg=-20.0, pitch_deg=10.0, quality=0.9, value=0.7, incidence_deg=22.0)
    pi = PlanItem(id="", plan_id=plan.id, opportunity_id="opp-3", satellite_id="SAT-1", target_id="Oslo",
                  start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=1, seconds=5), roll_deg=1.0)
    db.create_plan_items(plan.id, [opp, pi])
    items = db.get_plan_items(plan.id)
    assert [i.opportunity_id for i in items] == ["opp-2", "opp-1", "opp-3"]
    assert items[0].quality_score == 0.9 and items[0].incidence_deg == 22.0
    assert db.list_plans(ws.id) == [db.get_plan(plan.id)]
    assert db.list_plans(ws.id, status="committed") == []


@pytest.mark.parametrize("bad, match", [
    ({"start": "2026-08-07T09:00:00"}, r"items\[1\]\.start: naive time"),
    ({"end": T0 - timedelta(seconds=1)}, r"items\[1\]\.end: must not be before start"),
    ({"end": T0 + timedelta(hours=7)}, r"items\[1\]\.end: an acquisition lasts at most"),
    ({"roll_deg": float("nan")}, r"items\[1\]\.roll_deg: not a finite number"),
    ({"roll_deg": None}, r"items\[1\]\.roll_deg: required"),
    ({"satellite_id": ""}, r"items\[1\]\.satellite_id: must be a non-empty string"),
    ({"order_id": "ord_000000000000"}, r"items\[1\]\.order_id: unknown order"),
    ({"colour": "red"}, r"items\[1\]\.colour: unknown field"),
    ({"look_side": "UP"}, r"items\[1\]\.look_side: must be one of"),
])
def test_bad_plan_items_refused_nothing_written(db, ws, bad, match):
    plan = _plan(db, ws.id)
    before = counts(db)
    with pytest.raises(ValidationError, match=match):
        db.create_plan_items(plan.id, [item(0), {**item(1, start=T0), **bad}])
    assert counts(db) == before


def test_bad_plan_refused(db, ws):
    before = counts(db)
    with pytest.raises(ValidationError, match="config: must be an object"):
        db.create_plan("x", "cfg", "sha256:x", None, {}, ws.id)
    with pytest.raises(ValidationError, match="metrics: cannot be stored as JSON"):
        db.create_plan("x", {}, "sha256:x", None, {"bad": object()}, ws.id)
    with pytest.raises(NotFoundError, match="workspace"):
        db.create_plan("x", {}, "sha256:x", None, {}, "ws_nope")
    with pytest.raises(NotFoundError, match="plan"):
        db.create_plan_items("plan_000000000000", [item(0)])
    assert counts(db) == before


def test_items_mark_new_orders_planned(db, ws):
    o = db.create_order("T0", 3, ws.id)
    plan = _plan(db, ws.id)
    db.create_plan_items(plan.id, [item(0, o.id)])
    assert db.get_order(o.id).status == OrderStatus.PLANNED
    assert db.list_orders(status="new", workspace_id=ws.id) == []


def test_commit_plan_creates_acquisitions_in_one_transaction(db, ws):
    orders = [db.create_order(f"T{i}", 3, ws.id) for i in range(3)]
    plan = _plan(db, ws.id)
    db.create_plan_items(plan.id, [item(i, orders[i].id) for i in range(3)])
    result = db.commit_plan(plan.id, [], "soft", "SAR", ws.id)
    assert result["committed"] == 3 and sorted(result["orders_updated"]) == sorted(o.id for o in orders)
    acqs = db.get_acquisitions([a["id"] for a in result["acquisitions_created"]])
    assert {(a.state, a.lock_level, a.source, a.mode, a.plan_id) for a in acqs} == {
        (AcquisitionState.COMMITTED, LockLevel.SOFT, AcquisitionSource.AUTO, Mode.SAR, plan.id)}
    items = {i.id: i for i in db.get_plan_items(plan.id)}
    for created in result["acquisitions_created"]:
        acq = next(a for a in acqs if a.id == created["id"])
        assert acq.opportunity_id == items[created["plan_item_id"]].opportunity_id
    assert db.get_plan(plan.id).status == PlanStatus.COMMITTED
    assert {db.get_order(o.id).status for o in orders} == {OrderStatus.COMMITTED}
    assert db.list_audit(entity_id=plan.id, limit=1)[0].action == "commit"


def test_commit_subset_and_refusals(db, ws):
    plan = _plan(db, ws.id)
    items = db.create_plan_items(plan.id, [item(i) for i in range(4)])
    before = counts(db)
    with pytest.raises(ValidationError, match=r"item_ids\[1\]: 'planitem_nope' is not an item of plan"):
        db.commit_plan(plan.id, [items[0].id, "planitem_nope"], "none", "OPTICAL", ws.id)
    with pytest.raises(ValidationError, match="lock_level: must be one of none|soft|hard"):
        db.commit_plan(plan.id, [], "frozen", "OPTICAL", ws.id)
    with pytest.raises(ValidationError, match="workspace_id: plan .* belongs to workspace"):
        db.commit_plan(plan.id, [], "none", "OPTICAL", "ws_other")
    assert counts(db) == before
    result = db.commit_plan(plan.id, [items[1].id, items[3].id], "hard", "OPTICAL", ws.id)
    assert result["committed"] == 2
    with pytest.raises(RuleViolation, match="plan: plan .* is committed: only a candidate plan can be committed"):
        db.commit_plan(plan.id, [], "none", "OPTICAL", ws.id)
    twin = _plan(db, ws.id)  # same input hash as the committed one
    db.create_plan_items(twin.id, [item(9)])
    with pytest.raises(RuleViolation, match="input_hash: plan .* with the same inputs .* is already committed"):
        db.commit_plan(twin.id, [], "none", "OPTICAL", ws.id)


def test_commit_refuses_item_of_cancelled_order(db, ws):
    o = db.create_order("T0", 3, ws.id)
    plan = _plan(db, ws.id)
    db.create_plan_items(plan.id, [item(0, o.id)])
    db.update_order(o.id, status="cancelled")
    before = counts(db)
    with pytest.raises(RuleViolation, match="order: item .* serves order .* which is cancelled"):
        db.commit_plan(plan.id, [], "none", None, ws.id)
    assert counts(db) == before


def test_mode_per_satellite_when_not_given(db, ws):
    from .test_workspaces import _sat
    db.upsert_satellites(ws.id, [_sat("SAR-1")])
    plan = _plan(db, ws.id)
    db.create_plan_items(plan.id, [item(0, satellite="SAR-1"), item(1, satellite="OPT-1")])
    result = db.commit_plan(plan.id, workspace_id=ws.id)
    modes = {a.satellite_id: a.mode for a in db.get_acquisitions([x["id"] for x in result["acquisitions_created"]])}
    assert modes == {"SAR-1": Mode.SAR, "OPT-1": Mode.OPTICAL}


def test_commit_direct(db, ws):
    o = db.create_order("T0", 3, ws.id)
    items = [item(0, o.id), item(1)]
    result = db.commit_direct(items, "roll_pitch_best_fit", "OPTICAL", "soft", ws.id)
    assert result["committed"] == 2
    plan = db.get_plan(result["plan_id"])
    assert plan.status == PlanStatus.COMMITTED and plan.input_hash.startswith("sha256:")
    assert plan.config["source"] == "direct" and len(db.get_plan_items(plan.id)) == 2
    assert db.get_order(o.id).status == OrderStatus.COMMITTED
    before = counts(db)
    with pytest.raises(RuleViolation, match="input_hash"):
        db.commit_direct(items, "roll_pitch_best_fit", "OPTICAL", "soft", ws.id)
    with pytest.raises(ValidationError, match=r"items\[0\]\.start: naive"):
        db.commit_direct([{**item(5), "start": "2026-08-07T10:00:00"}], "x", "OPTICAL", "none", ws.id)
    assert counts(db) == before


def test_supersede_in_the_same_transaction(db, ws):
    _, old, old_orders = committed(db, ws.id, n=3)
    db.set_lock_level([old[1].id], "soft", now=NOW)
    plan = _plan(db, ws.id, "new")
    db.create_plan_items(plan.id, [item(10, old_orders[0].id)])
    result = db.commit_plan(plan.id, [], "none", "OPTICAL", ws.id, supersede_acquisition_ids=[a.id for a in old])
    assert sorted(result["superseded"]) == sorted(a.id for a in old)
    assert db.get_acquisitions([a.id for a in old]) == []
    # order 0 is served by the new plan; orders 1 and 2 lost their acquisitions: back to the Inbox.
    assert db.get_order(old_orders[0].id).status == OrderStatus.COMMITTED
    assert {db.get_order(o.id).status for o in old_orders[1:]} == {OrderStatus.NEW}
    assert {e.action for e in db.list_audit(entity_id=old[2].id)} >= {"supersede"}


def test_supersede_refuses_hard_frozen_and_executing(db, ws):
    _, old, _ = committed(db, ws.id, n=3)
    db.set_lock_level([old[0].id], "hard", now=NOW)
    db.update_acquisition(old[1].id, {"state": "executing"}, now=NOW)
    _, frozen, _ = committed(db, ws.id, n=1, start=NOW + timedelta(minutes=30))
    plan = _plan(db, ws.id, "new")
    db.create_plan_items(plan.id, [item(10)])
    before = counts(db)
    with pytest.raises(BulkEditRefused) as err:
        db.commit_plan(plan.id, [], "none", "OPTICAL", ws.id,
                       supersede_acquisition_ids=[a.id for a in old] + [frozen[0].id])
    assert set(err.value.refused) == {old[0].id, old[1].id, frozen[0].id}
    assert "hard-locked" in err.value.refused[old[0].id]
    assert "executing" in err.value.refused[old[1].id]
    assert "frozen zone" in err.value.refused[frozen[0].id]
    assert counts(db) == before
    assert db.get_plan(plan.id).status == PlanStatus.CANDIDATE


def test_reject_returns_planned_orders_unless_held(db, ws):
    a, b = db.create_order("A", 3, ws.id), db.create_order("B", 3, ws.id)
    p1, p2 = _plan(db, ws.id, "1"), _plan(db, ws.id, "2")
    db.create_plan_items(p1.id, [item(0, a.id), item(1, b.id)])
    db.create_plan_items(p2.id, [item(2, b.id)])
    rejected = db.set_plan_status(p1.id, "rejected")
    assert rejected.status == PlanStatus.REJECTED
    assert db.get_order(a.id).status == OrderStatus.NEW  # back in the Inbox
    assert db.get_order(b.id).status == OrderStatus.PLANNED  # p2 still holds it
    with pytest.raises(RuleViolation, match="status: plan .* is rejected; it cannot become superseded"):
        db.set_plan_status(p1.id, "superseded")
    with pytest.raises(RuleViolation, match="only through commit_plan"):
        db.set_plan_status(p2.id, "committed")
    with pytest.raises(RuleViolation, match="items can only be added to a candidate plan"):
        db.create_plan_items(p1.id, [item(5)])
