"""Plans carry their own meaning (issue #10, item 2): each plan item records its change type and the
acquisition it replaces, in columns; ONE commit path applies them for every mode."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from app.domain import ValidationError, WorkspaceSettings
from app.domain.enums import LockLevel, Mode, OrderStatus
from app.persistence import BulkEditRefused, ScheduleDB

from .helpers import NOW, T0, committed, counts, item


def _candidate(db, ws_id, rows, tag):
    plan, _ = db.store_candidate_plan("best_fit", {"mode": "reshuffle"}, f"sha256:{tag}", None, {}, ws_id, rows)
    return plan


def _removed(a):
    return {**item(0, a.order_id, satellite=a.satellite_id, start=a.start), "target_id": a.target_id,
            "opportunity_id": a.opportunity_id, "change_type": "removed", "replaces_acquisition_id": a.id}


def test_items_record_change_type_and_replaced_acquisition(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2)
    order = db.create_order("T9", 3, ws.id)
    plan = _candidate(db, ws.id, [
        {**item(0, acqs[0].order_id, start=acqs[0].start + timedelta(seconds=40)), "change_type": "moved",
         "replaces_acquisition_id": acqs[0].id},
        _removed(acqs[1]),
        item(9, order.id, start=T0 + timedelta(hours=1))], "meaning")
    placed = db.get_plan_items(plan.id)
    every = db.get_plan_items(plan.id, removed=True)
    assert sorted(str(i.change_type) for i in placed) == ["added", "moved"]
    assert sorted(str(i.change_type) for i in every) == ["added", "moved", "removed"]
    assert {i.replaces_acquisition_id for i in every} == {None, acqs[0].id, acqs[1].id}
    assert db.get_plan(plan.id).config == {"mode": "reshuffle"}  # nothing about changes in the JSON
    # the order of a removed item stays committed (it is served until the commit removes it)
    assert db.get_order(acqs[1].order_id).status == OrderStatus.COMMITTED


@pytest.mark.parametrize("bad, match", [
    ({"change_type": "moved"}, r"items\[0\]\.replaces_acquisition_id: required for a moved item"),
    ({"change_type": "added", "replaces_acquisition_id": "acq_x"}, r"an added item replaces no acquisition"),
    ({"change_type": "teleported"}, r"items\[0\]\.change_type"),
])
def test_inconsistent_items_refused_by_field(db, ws, bad, match):
    before = counts(db)
    with pytest.raises(ValidationError, match=match):
        _candidate(db, ws.id, [{**item(0), **bad}], "bad")
    assert counts(db) == before


def test_one_commit_applies_every_change_type(db, ws):
    _, acqs, _ = committed(db, ws.id, n=4)
    a_moved, a_switched, a_removed, a_kept = acqs
    new_order = db.create_order("T9", 3, ws.id)
    plan = _candidate(db, ws.id, [
        {**item(0, a_moved.order_id, start=a_moved.start + timedelta(seconds=40), roll=-5.0),
         "change_type": "moved", "replaces_acquisition_id": a_moved.id},
        {**item(1, a_switched.order_id, satellite="SAT-2", start=a_switched.start),
         "change_type": "satellite_switched", "replaces_acquisition_id": a_switched.id},
        _removed(a_removed),
        {**item(3, a_kept.order_id, start=a_kept.start), "maneuver_time_s": 12.5,
         "change_type": "unchanged", "replaces_acquisition_id": a_kept.id},
        item(9, new_order.id, start=T0 + timedelta(hours=1))], "all-types")
    result = db.commit_plan(plan.id, lock_level="soft", workspace_id=ws.id)
    assert result["committed"] == 3  # one added, one moved, one switched: the kept one only gets its figures
    assert sorted(result["acquisitions_updated"]) == sorted([a_moved.id, a_switched.id, a_kept.id])
    assert result["superseded"] == [a_removed.id]
    now = {a.id: a for a in db.list_acquisitions(ws.id)}
    assert a_removed.id not in now and len(now) == 4
    moved, switched, kept = now[a_moved.id], now[a_switched.id], now[a_kept.id]
    assert moved.start == a_moved.start + timedelta(seconds=40) and moved.roll_deg == -5.0
    assert moved.version == a_moved.version + 1 and moved.lock_level == a_moved.lock_level  # in place
    assert switched.satellite_id == "SAT-2" and switched.mode == Mode.OPTICAL
    assert kept.start == a_kept.start and kept.maneuver_time_s == 12.5
    created = now[result["acquisitions_created"][0]["id"]]
    assert created.order_id == new_order.id and created.lock_level == LockLevel.SOFT
    assert db.get_order(new_order.id).status == OrderStatus.COMMITTED
    assert db.get_order(a_removed.order_id).status == OrderStatus.NEW  # back to the Inbox
    assert {e.action for e in db.list_audit(entity_id=a_moved.id)} >= {"move"}


def test_planning_never_moves_a_hard_locked_acquisition_and_writes_nothing(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2, lock_level="hard")
    _, soft, _ = committed(db, ws.id, n=1, lock_level="soft", start=T0 + timedelta(hours=3))
    plan = _candidate(db, ws.id, [
        {**item(0, acqs[0].order_id, start=acqs[0].start + timedelta(seconds=40)), "change_type": "moved",
         "replaces_acquisition_id": acqs[0].id},
        {**item(5, soft[0].order_id, start=soft[0].start + timedelta(minutes=5)), "change_type": "moved",
         "replaces_acquisition_id": soft[0].id}], "hard")
    before = counts(db)
    with pytest.raises(BulkEditRefused, match="hard-locked and cannot be moved") as refused:
        db.commit_plan(plan.id, workspace_id=ws.id)
    assert set(refused.value.refused) == {acqs[0].id}  # a soft lock binds the planner's policy only
    assert counts(db) == before and db.get_acquisitions([acqs[0].id]) == [acqs[0]]


def test_a_plan_that_only_removes_commits(db, ws):
    _, acqs, _ = committed(db, ws.id, n=1)
    plan = _candidate(db, ws.id, [_removed(acqs[0])], "only-removes")
    assert db.get_plan_items(plan.id) == []
    result = db.commit_plan(plan.id, workspace_id=ws.id)
    assert result["superseded"] == [acqs[0].id] and db.list_acquisitions(ws.id) == []


def _back_to_2_5(db, plan_id, config) -> None:
    """Make the database look as written before migration 2.2: no change columns, the plan's
    meaning in its config JSON (as run_planning wrote it then)."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE plan_items DROP COLUMN change_type")
        conn.exec_driver_sql("ALTER TABLE plan_items DROP COLUMN replaces_acquisition_id")
        conn.exec_driver_sql("DELETE FROM schema_migrations WHERE version = '2.2'")
        conn.execute(text("UPDATE plans SET config_json = :c WHERE id = :p"), {"c": json.dumps(config), "p": plan_id})


def test_upgrade_to_2_2_on_each_backend(db_path):
    db = ScheduleDB(db_path, user="tester")
    ws = db.create_workspace("ops", WorkspaceSettings(freeze_window_hours=2.0, scenario_clock=NOW))
    _, acqs, _ = committed(db, ws.id, n=3)
    order = db.create_order("T9", 3, ws.id)
    moved = item(0, acqs[0].order_id, start=acqs[0].start + timedelta(seconds=30))
    plan = _candidate(db, ws.id, [moved, item(9, order.id, start=T0 + timedelta(hours=1))], "legacy")
    db.close()
    legacy = {"mode": "reshuffle", "replaces": {moved["opportunity_id"]: acqs[0].id}, "supersede": [acqs[2].id],
              "changes": [{"type": "moved", "opportunity_id": moved["opportunity_id"], "acquisition_id": acqs[0].id},
                          {"type": "removed", "acquisition_id": acqs[2].id}]}
    db = ScheduleDB(db_path, user="tester")
    _back_to_2_5(db, plan.id, legacy)
    db.close()
    db = ScheduleDB(db_path, user="tester")
    try:
        assert db.applied_migrations == ["2.2"]
        every = {str(i.change_type): i for i in db.get_plan_items(plan.id, removed=True)}
        assert sorted(every) == ["added", "moved", "removed"]
        assert every["moved"].replaces_acquisition_id == acqs[0].id
        assert (every["removed"].replaces_acquisition_id, every["removed"].start) == (acqs[2].id,
                                                                                         acqs[2].start)
        assert db.get_plan(plan.id).config == {"mode": "reshuffle"}
        result = db.commit_plan(plan.id, workspace_id=ws.id)
        assert result["acquisitions_updated"] == [acqs[0].id] and result["superseded"] == [acqs[2].id]
    finally:
        db.close()
