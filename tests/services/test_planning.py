"""Planning a real (small) workspace end to end: access → plan → store → compare → commit → undo."""
from __future__ import annotations

import pytest

from app.domain import ValidationError
from app.services import commits, planning
from app.services.planning import Cancelled, PlanOptions, run_planning


def _orders(db, ws):
    return {o.id: o for o in db.list_orders(workspace_id=ws, limit=None)}


def test_from_scratch_stores_a_conflict_free_candidate_plan(small_db):
    db, ws = small_db
    seen = []
    result = run_planning(db, ws, PlanOptions(), progress=lambda f, m: seen.append(f))
    assert result.items, "a day of four satellites over twenty cities must give a plan"
    assert result.metrics["error_conflicts"] == 0 and result.conflicts == []
    assert db.get_plan(result.plan_id).status == "candidate"
    assert len(db.get_plan_items(result.plan_id)) == len(result.items)
    orders = _orders(db, ws)
    served = {it.order_id for it in result.items}
    assert all(orders[o].status == "planned" for o in served)
    assert set(result.unserved) == set(orders) - served
    assert all(reason for reason in result.unserved.values())
    assert seen == sorted(seen) and seen[-1] <= 1.0 + 1e-9
    # Items honour the satellite's limits and carry geometry from the access engine.
    for it in result.items:
        assert it.incidence_deg is not None and it.look_side in ("LEFT", "RIGHT")
        assert it.opportunity_id.endswith("@" + it.order_id)


def test_same_inputs_same_plan(small_db):
    db, ws = small_db
    a = run_planning(db, ws, PlanOptions())
    b = run_planning(db, ws, PlanOptions())
    assert a.input_hash == b.input_hash
    key = lambda r: sorted((i.opportunity_id, i.start) for i in r.items)  # noqa: E731
    assert key(a) == key(b)
    assert db.get_plan(a.plan_id).status == "rejected", "a new run replaces the previous candidate"


def test_commit_then_undo_and_redo(small_db):
    db, ws = small_db
    result = run_planning(db, ws, PlanOptions())
    record = commits.commit_plan(db, ws, result.plan_id, lock_level="soft")
    created = {a.id for a in record.created}
    assert len(created) == len(result.items) == record.summary["committed"]
    acqs = db.list_acquisitions(ws)
    assert {a.id for a in acqs} == created
    assert all(a.state == "committed" and a.lock_level == "soft" for a in acqs)
    assert all(_orders(db, ws)[a.order_id].status == "committed" for a in acqs)

    commits.revert_commit(db, record)
    assert db.list_acquisitions(ws) == []
    assert all(o.status == "new" for o in _orders(db, ws).values())
    commits.reapply_commit(db, record)
    assert {a.id for a in db.list_acquisitions(ws)} == created
    actions = [e.action for e in db.list_audit(ws, limit=None)]
    assert "override_delete" in actions and "restore" in actions  # soft-locked: undo is an audited override


def test_incremental_keeps_the_schedule_and_serves_the_new_order(small_db):
    db, ws = small_db
    first = run_planning(db, ws, PlanOptions())
    commits.commit_plan(db, ws, first.plan_id)
    before = {a.id: a for a in db.list_acquisitions(ws)}
    unserved_target = next(t.id for t in db.list_targets(ws) if t.id not in {a.target_id for a in before.values()})
    new = db.create_order(unserved_target, 1, ws)
    second = run_planning(db, ws, PlanOptions(mode="incremental"))
    assert {it.order_id for it in second.items} <= {new.id}
    kinds = {c["type"] for c in second.changes}
    assert kinds <= {"unchanged", "added"}
    commits.commit_plan(db, ws, second.plan_id)
    after = {a.id: a for a in db.list_acquisitions(ws)}
    assert all(after[i] == a for i, a in before.items()), "incremental never touches the schedule"


def test_reshuffle_never_moves_hard_locked(small_db):
    db, ws = small_db
    record = commits.commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
    locked = [a.id for a in record.created[::2]]
    db.set_lock_level(locked, "hard")
    before = {a.id: a for a in db.get_acquisitions(locked)}
    result = run_planning(db, ws, PlanOptions(mode="reshuffle", algorithm="roll_pitch_best_fit",
                                              policy="soft_lock_windowed"))
    assert result.metrics["error_conflicts"] == 0
    commits.commit_plan(db, ws, result.plan_id)
    assert {a.id: a for a in db.get_acquisitions(locked)} == before


def test_compare_sets_current_against_proposed(small_db):
    db, ws = small_db
    commits.commit_plan(db, ws, run_planning(db, ws, PlanOptions(algorithm="first_fit")).plan_id)
    proposed = run_planning(db, ws, PlanOptions(mode="reshuffle", algorithm="optimal", time_limit_s=10,
                                                policy="hard_lock_committed"))
    cmp = planning.compare_plan(db, ws, proposed.plan_id)
    rows = {r["metric"]: r for r in cmp["metrics"]}
    assert rows["accepted"]["current"] == len(db.list_acquisitions(ws))
    assert rows["error_conflicts"]["proposed"] == 0
    assert cmp["change_counts"].get("unchanged", 0) == len(db.list_acquisitions(ws))


def test_reject_returns_orders_to_the_inbox(small_db):
    db, ws = small_db
    result = run_planning(db, ws, PlanOptions())
    planning.reject_plan(db, ws, result.plan_id)
    assert all(o.status == "new" for o in _orders(db, ws).values())


def test_cancel_writes_nothing(small_db):
    db, ws = small_db
    with pytest.raises(Cancelled):
        run_planning(db, ws, PlanOptions(horizon_end="2026-08-10T20:00:00Z"), cancel=lambda: True)
    assert db.list_plans(ws) == []
    assert all(o.status == "new" for o in _orders(db, ws).values())


@pytest.mark.parametrize("kwargs, field", [
    ({"algorithm": "fastest"}, "algorithm"), ({"mode": "sideways"}, "mode"), ({"policy": "never"}, "policy"),
    ({"time_limit_s": 0}, "time_limit_s"), ({"policy_params": {"max_shift_minutes": -1}}, "max_shift_minutes"),
    ({"horizon_start": "2026-08-10T00:00:00"}, "horizon_start")])
def test_bad_options_name_the_field(kwargs, field):
    with pytest.raises(ValidationError) as err:
        PlanOptions(**kwargs)
    assert err.value.field == field


def test_unknown_order_is_refused(small_db):
    db, ws = small_db
    with pytest.raises(ValidationError, match="ord_missing"):
        run_planning(db, ws, PlanOptions(order_ids=("ord_missing",)))
