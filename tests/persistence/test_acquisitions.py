"""Horizon queries and the planner's edits under spec §10 (locks, frozen zone, states)."""
from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from app.domain import NotFoundError, RuleViolation, StaleEditError, ValidationError
from app.domain.enums import AcquisitionState, LockLevel, OrderStatus, PlanStatus
from app.persistence import BulkEditRefused, ScheduleDB

from .helpers import NOW, T0, committed, counts, item

WEEK_END = T0 + timedelta(days=7)


# --- queries -------------------------------------------------------------------------------------

def test_horizon_overlap_semantics_and_filters(db, ws):
    _, acqs, _ = committed(db, ws.id, n=3)  # T0, T0+1min, T0+2min, 10 s each
    other = db.create_workspace("other")
    committed(db, other.id, n=2)
    got = db.get_acquisitions_in_horizon(T0 + timedelta(seconds=5), T0 + timedelta(minutes=1, seconds=1), ws.id)
    assert [a.id for a in got] == [acqs[0].id, acqs[1].id]  # the first straddles the start
    assert len(db.get_acquisitions_in_horizon(T0, WEEK_END)) == 5  # all workspaces
    assert db.get_acquisitions_in_horizon(T0 + timedelta(seconds=10), T0 + timedelta(seconds=60), ws.id) == []
    db.update_acquisition(acqs[2].id, {"state": "executing"}, now=NOW)
    plan = db.create_plan("x", {}, "sha256:tent", None, {}, ws.id)
    db.create_plan_items(plan.id, [item(30)])
    res = db.apply_changes(ws.id, plan.id, create_item_ids=[db.get_plan_items(plan.id)[0].id])
    db.update_acquisition(res["created"][0], {"state": "committed"}, now=NOW)
    assert len(db.get_acquisitions_in_horizon(T0, WEEK_END, ws.id, include_tentative=False)) == 4
    with pytest.raises(ValidationError, match="start_time: naive time"):
        db.get_acquisitions_in_horizon("2026-08-07T00:00:00", WEEK_END, ws.id)
    with pytest.raises(ValidationError, match="end_time: must be after start_time"):
        db.get_acquisitions_in_horizon(WEEK_END, T0, ws.id)


def test_get_horizon_response(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2, lock_level="soft")
    committed(db, ws.id, n=1, satellite="SAT-2", start=T0 + timedelta(hours=1))
    h = db.get_horizon("2026-08-07T00:00:00Z", "2026-08-14T00:00:00Z", ws.id)
    assert h["horizon"] == {"start": "2026-08-07T00:00:00Z", "end": "2026-08-14T00:00:00Z",
                            "freeze_cutoff": "2026-08-06T11:00:00Z", "now": "2026-08-06T09:00:00Z"}
    assert h["statistics"] == {"total_acquisitions": 3, "by_state": {"committed": 3},
                               "by_satellite": {"SAT-1": 2, "SAT-2": 1}}
    first = h["acquisitions"][0]
    assert first["id"] == acqs[0].id and first["start_time"] == "2026-08-07T09:00:00Z"
    assert first["state"] == "committed" and first["lock_level"] == "soft"
    json.dumps(h)  # JSON-able as a whole
    h2 = db.get_horizon(T0, WEEK_END, ws.id, now="2026-08-07T08:00:00Z")
    assert h2["horizon"]["freeze_cutoff"] == "2026-08-07T10:00:00Z"
    with pytest.raises(NotFoundError):
        db.get_horizon(T0, WEEK_END, "ws_nope")


def test_committed_for_satellite_and_last_before(db, ws):
    _, acqs, _ = committed(db, ws.id, n=3)
    committed(db, ws.id, n=1, satellite="SAT-2")
    blocked = db.get_committed_acquisitions_for_satellite("SAT-1", T0, WEEK_END, ws.id)
    assert [a.id for a in blocked] == [a.id for a in acqs]
    assert db.last_acquisition_before(ws.id, "SAT-1", T0 + timedelta(minutes=2)).id == acqs[1].id
    assert db.last_acquisition_before(ws.id, "SAT-1", T0) is None
    assert db.last_acquisition_before(ws.id, "SAT-1", WEEK_END).id == acqs[2].id
    assert [a.id for a in db.list_acquisitions(ws.id, satellite_id="SAT-1")] == [a.id for a in acqs]
    assert db.get_acquisition("acq_000000000000") is None


# --- locks ---------------------------------------------------------------------------------------

def test_hard_locked_move_and_delete_refused_then_overridden_and_audited(db, ws):
    _, (a,), _ = committed(db, ws.id, n=1, lock_level="hard")
    before = counts(db)
    with pytest.raises(RuleViolation, match=rf"{a.id} is hard-locked and cannot be moved: unlock it first"):
        db.update_acquisition(a.id, {"start": T0 + timedelta(minutes=5)})
    with pytest.raises(BulkEditRefused, match=rf"{a.id}: {a.id} is hard-locked and cannot be deleted"):
        db.delete_acquisitions([a.id])
    assert counts(db) == before
    moved = db.update_acquisition(a.id, {"start": T0 + timedelta(minutes=5)}, override=True)
    assert moved.start == T0 + timedelta(minutes=5) and moved.end - moved.start == a.end - a.start
    assert moved.version == a.version + 1
    entry = db.list_audit(entity_id=a.id, limit=1)[0]
    assert entry.action == "override_move" and "hard-locked" in entry.after["override"]
    assert entry.before["start"] == "2026-08-07T09:00:00Z" and entry.who == "tester"
    result = db.delete_acquisitions([a.id], override=True)
    assert result["deleted"] == [a.id] and db.get_acquisition(a.id) is None
    entry = db.list_audit(entity_id=a.id, limit=1)[0]
    assert entry.action == "override_delete" and entry.before["id"] == a.id and entry.after["override"]


def test_soft_lock_moves_only_within_order_window_and_is_not_deletable(db, ws):
    _, (a,), (o,) = committed(db, ws.id, n=1, lock_level="soft")  # window T0 ± 12 h
    ok = db.update_acquisition(a.id, {"start": T0 + timedelta(hours=3)})
    assert ok.start == T0 + timedelta(hours=3)
    with pytest.raises(RuleViolation, match=r"soft-locked: it may only move within its order's requested window"):
        db.update_acquisition(a.id, {"start": T0 + timedelta(hours=13)})
    with pytest.raises(RuleViolation, match="soft-locked: it may only shift in time on SAT-1, not switch to SAT-9"):
        db.update_acquisition(a.id, {"satellite_id": "SAT-9"})
    with pytest.raises(BulkEditRefused, match="soft-locked and cannot be deleted: unlock it first"):
        db.delete_acquisitions([a.id])
    db.set_lock_level([a.id], "none")
    assert db.delete_acquisitions([a.id])["deleted"] == [a.id]
    assert db.get_order(o.id).status == OrderStatus.NEW  # its only acquisition went


def test_tentative_moves_freely_but_not_into_the_frozen_zone(db, ws):
    _, (a,), _ = committed(db, ws.id, n=1)
    moved = db.update_acquisition(a.id, {"start": T0 + timedelta(days=2), "end": T0 + timedelta(days=2, seconds=30),
                                         "roll_deg": -25.0, "satellite_id": "SAT-7"})
    assert (moved.satellite_id, moved.roll_deg, moved.roll_end_deg) == ("SAT-7", -25.0, a.roll_end_deg)
    with pytest.raises(RuleViolation, match="the new start .* is inside the frozen zone"):
        db.update_acquisition(a.id, {"start": NOW + timedelta(hours=1)})
    with pytest.raises(ValidationError, match=r"changes\.end: must not be before start"):
        db.update_acquisition(a.id, {"end": T0})
    with pytest.raises(ValidationError, match=r"changes\.target_id: not an editable acquisition field"):
        db.update_acquisition(a.id, {"target_id": "X"})
    with pytest.raises(ValidationError, match=r"changes\.start: naive time"):
        db.update_acquisition(a.id, {"start": "2026-08-08T00:00:00"})
    with pytest.raises(ValidationError, match=r"changes\.roll_deg: must be between"):
        db.update_acquisition(a.id, {"roll_deg": 400})


def test_frozen_zone_unlock_needs_override(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2, lock_level="hard", start=NOW + timedelta(minutes=30))
    with pytest.raises(BulkEditRefused, match="in the frozen zone .* unlocking it needs an explicit override"):
        db.set_lock_level([a.id for a in acqs], "none")
    assert {db.get_acquisition(a.id).lock_level for a in acqs} == {LockLevel.HARD}
    # The same acquisitions are outside the frozen zone for an earlier clock.
    assert db.set_lock_level([acqs[0].id], "soft", now=NOW - timedelta(hours=3))["updated"] == [acqs[0].id]
    res = db.set_lock_level([acqs[1].id], "none", override=True)
    assert (res["updated"], res["refused"]) == ([acqs[1].id], {})
    # The result carries the acquisition as it was and as it is now (the GUI shows it without a re-read).
    assert [(a.id, a.lock_level) for a in res["before"]] == [(acqs[1].id, LockLevel.HARD)]
    assert [(a.id, a.lock_level) for a in res["after"]] == [(acqs[1].id, LockLevel.NONE)]
    assert res["after"][0] == db.get_acquisition(acqs[1].id)
    entry = db.list_audit(entity_id=acqs[1].id, limit=1)[0]
    assert entry.action == "override_lock" and "frozen zone" in entry.after["override"]
    with pytest.raises(BulkEditRefused, match="frozen zone .* cannot be deleted without an explicit override"):
        db.delete_acquisitions([acqs[1].id])


def test_executing_and_completed_never_change(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2, lock_level="hard")
    ex = db.update_acquisition(acqs[0].id, {"state": "executing"})
    with pytest.raises(RuleViolation, match="is executing: executing, completed and failed acquisitions never change"):
        db.update_acquisition(ex.id, {"start": T0 + timedelta(hours=1)}, override=True)
    with pytest.raises(BulkEditRefused, match="is executing"):
        db.delete_acquisitions([ex.id], override=True)
    with pytest.raises(BulkEditRefused, match="is executing: unlocking it needs an explicit override"):
        db.set_lock_level([ex.id], "none")
    assert db.set_lock_level([ex.id], "none", override=True)["updated"] == [ex.id]
    done = db.update_acquisition(ex.id, {"state": "completed"})
    with pytest.raises(BulkEditRefused, match="is completed"):
        db.set_lock_level([done.id], "hard", override=True)
    with pytest.raises(RuleViolation, match="cannot go from completed to committed; allowed: none"):
        db.update_acquisition(done.id, {"state": "committed"}, override=True)


def test_lock_state_coupling(db, ws):
    _, (a,), _ = committed(db, ws.id, n=1)
    db.delete_acquisitions([a.id])
    tentative = dataclasses.replace(a, state=AcquisitionState.TENTATIVE)
    db.restore_acquisitions([tentative])
    db.set_lock_level([a.id], "soft")
    assert db.get_acquisition(a.id).state == AcquisitionState.LOCKED  # tentative → locked
    db.set_lock_level([a.id], "none")
    assert db.get_acquisition(a.id).state == AcquisitionState.TENTATIVE  # and back when unlocked
    db.update_acquisition(a.id, {"state": "committed"})
    db.set_lock_level([a.id], "hard")
    assert db.get_acquisition(a.id).state == AcquisitionState.COMMITTED  # committed keeps its state


def test_bulk_partial_reports_refused(db, ws):
    _, acqs, _ = committed(db, ws.id, n=3)
    db.set_lock_level([acqs[0].id], "hard")
    before = counts(db)
    with pytest.raises(BulkEditRefused) as err:
        db.delete_acquisitions([a.id for a in acqs] + ["acq_missing00000"])
    assert set(err.value.refused) == {acqs[0].id, "acq_missing00000"}
    assert "2 acquisitions refused, nothing changed" in str(err.value)
    assert counts(db) == before
    res = db.delete_acquisitions([a.id for a in acqs], partial=True)
    assert res["deleted"] == [acqs[1].id, acqs[2].id] and list(res["refused"]) == [acqs[0].id]
    assert "hard-locked" in res["refused"][acqs[0].id]
    assert [a.id for a in db.list_acquisitions(ws.id)] == [acqs[0].id]


def test_check_edit_previews_without_writing(db, ws):
    _, acqs, _ = committed(db, ws.id, n=3)
    db.set_lock_level([acqs[0].id], "hard")
    db.set_lock_level([acqs[1].id], "soft")
    before = counts(db)
    ids = [a.id for a in acqs]
    assert set(db.check_edit(ids, "delete")) == {acqs[0].id, acqs[1].id}
    assert set(db.check_edit(ids, "move")) == {acqs[0].id}
    assert db.check_edit(ids, "move", override=True) == {}
    assert db.check_edit(ids, "unlock") == {}
    assert set(db.check_edit(ids, "unlock", now=T0 - timedelta(minutes=30))) == {acqs[0].id, acqs[1].id}
    assert db.check_edit(["acq_x"], "lock_hard") == {"acq_x": "no such acquisition"}
    with pytest.raises(ValidationError, match="action: must be one of"):
        db.check_edit(ids, "explode")
    assert counts(db) == before


def test_update_acquisition_stale_across_instances(db_path, db, ws):
    _, (a,), _ = committed(db, ws.id, n=1)
    other = ScheduleDB(db_path, user="bob")
    mine, theirs = db.get_acquisition(a.id), other.get_acquisition(a.id)
    db.update_acquisition(a.id, {"roll_deg": 5.0}, expected_version=mine.version)
    with pytest.raises(StaleEditError, match=rf"acquisition {a.id} was changed by tester at \d{{4}}-\d\d-\d\d \d\d:\d\d UTC"):
        other.update_acquisition(a.id, {"roll_deg": -5.0}, expected_version=theirs.version)
    assert db.get_acquisition(a.id).roll_deg == 5.0
    other.close()


def test_restore_after_delete_is_exact(db, ws):
    _, acqs, orders = committed(db, ws.id, n=2, lock_level="soft")
    db.delete_acquisitions([a.id for a in acqs], override=True)
    assert {db.get_order(o.id).status for o in orders} == {OrderStatus.NEW}
    assert db.restore_acquisitions(acqs) == [a.id for a in acqs]
    assert db.get_acquisitions([a.id for a in acqs]) == acqs
    assert {db.get_order(o.id).status for o in orders} == {OrderStatus.COMMITTED}
    before = counts(db)
    with pytest.raises(ValidationError, match=r"acquisitions\[0\]\.id: .* already exists"):
        db.restore_acquisitions(acqs)
    with pytest.raises(ValidationError, match=r"acquisitions\[0\]\.order_id: unknown order"):
        db.restore_acquisitions([dataclasses.replace(acqs[0], id="acq_new000000000", order_id="ord_gone")])
    assert counts(db) == before


def test_apply_changes_one_transaction(db, ws):
    _, acqs, orders = committed(db, ws.id, n=3)
    new_order = db.create_order("N", 2, ws.id)
    plan = db.create_plan("best_fit", {"mode": "reshuffle"}, "sha256:re", None, {}, ws.id)
    new_items = db.create_plan_items(plan.id, [item(20, new_order.id)])
    res = db.apply_changes(ws.id, plan.id,
                           updates=[{"acquisition_id": acqs[0].id, "expected_version": acqs[0].version,
                                     "changes": {"start": T0 + timedelta(minutes=30)}}],
                           deletes=[acqs[2].id], create_item_ids=[new_items[0].id], lock_level="soft")
    assert res["updated"] == [acqs[0].id] and res["deleted"] == [acqs[2].id] and len(res["created"]) == 1
    created = db.get_acquisition(res["created"][0])
    assert (created.source.value, created.lock_level, created.order_id) == ("reshuffle", LockLevel.SOFT, new_order.id)
    assert db.get_order(new_order.id).status == OrderStatus.COMMITTED
    assert db.get_order(orders[2].id).status == OrderStatus.NEW
    assert db.get_plan(plan.id).status == PlanStatus.COMMITTED


def test_apply_changes_refused_or_stale_writes_nothing(db, ws):
    _, acqs, _ = committed(db, ws.id, n=3)
    db.set_lock_level([acqs[1].id], "hard")
    plan = db.create_plan("best_fit", {}, "sha256:re2", None, {}, ws.id)
    new_items = db.create_plan_items(plan.id, [item(20)])
    fresh = db.get_acquisition(acqs[0].id)
    before = counts(db)
    with pytest.raises(BulkEditRefused) as err:
        db.apply_changes(ws.id, plan.id,
                         updates=[{"acquisition_id": acqs[0].id, "expected_version": fresh.version,
                                   "changes": {"start": T0 + timedelta(minutes=30)}},
                                  {"acquisition_id": acqs[1].id, "expected_version": 2,
                                   "changes": {"start": T0 + timedelta(minutes=40)}}],
                         deletes=[acqs[2].id], create_item_ids=[new_items[0].id])
    assert list(err.value.refused) == [acqs[1].id]
    with pytest.raises(StaleEditError):
        db.apply_changes(ws.id, plan.id, updates=[{"acquisition_id": acqs[0].id, "expected_version": 99,
                                                   "changes": {"roll_deg": 1.0}}],
                         create_item_ids=[new_items[0].id])
    assert counts(db) == before
    assert db.get_acquisition(acqs[0].id) == fresh
    assert db.get_plan(plan.id).status == PlanStatus.CANDIDATE


def test_update_acquisition_lock_and_metrics(db, ws):
    _, (a,), _ = committed(db, ws.id, n=1)
    locked = db.update_acquisition(a.id, {"lock_level": "hard", "slack_time_s": 42.0})
    assert (locked.lock_level, locked.slack_time_s, locked.version) == (LockLevel.HARD, 42.0, a.version + 1)
    assert db.list_audit(entity_id=a.id, limit=1)[0].action == "set_lock_level"
    # Derived figures of a hard-locked acquisition may still be refreshed (they are not a move).
    assert db.update_acquisition(a.id, {"maneuver_time_s": 12.0}).maneuver_time_s == 12.0
    with pytest.raises(NotFoundError):
        db.update_acquisition("acq_000000000000", {"slack_time_s": 1.0})
    with pytest.raises(ValidationError, match="changes: expected a non-empty dict"):
        db.update_acquisition(a.id, {})
