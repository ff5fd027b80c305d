"""The planner's day without Qt: a WorkbenchSession and commands on a real database and the real
planner. Add an order, plan, compare, commit, select, lock hard, a refused delete, undo/redo of
every command, apply a resolution, undo, redo, quit with a candidate kept, reopen."""
from __future__ import annotations

import pytest

from app.domain import DomainError
from app.persistence import ScheduleDB
from app.services import commands as cmd
from app.services import planning
from app.services.planning import PlanOptions, run_planning
from app.services.scenario_file import parse_scenario
from app.services.session import SessionEvent, WorkbenchSession
from app.services.workspaces import import_scenario


@pytest.fixture
def day(tmp_path, small_scenario):
    path = tmp_path / "day.db"
    db = ScheduleDB(path)
    import_scenario(db, parse_scenario(small_scenario(n_targets=20, n_orders=12)), "day")
    yield db, path
    db.close()


def test_planners_day_headless(day, force_overlap):
    db, path = day
    session = WorkbenchSession(db, "day")
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    ws = session.workspace.id
    assert len(session.inbox_orders()) == 12 and not session.acquisitions

    # Add an order: only that order is read again.
    target = sorted(t.id for t in db.list_targets(ws))[15]
    add = cmd.AddOrder(ws, target=target, priority=1)
    session.execute(add)
    assert events[-1].changes.orders == (add.order.id,) and not events[-1].full
    assert len(session.inbox_orders()) == 13
    session.undo()
    assert add.order.id not in session.orders and events[-1].changes.removed_orders == (add.order.id,)
    session.redo()
    assert session.orders[add.order.id].status == "new" and len(session.inbox_orders()) == 13

    # Plan: a candidate whose orders stay in the Inbox as proposed.
    session.planning_done(run_planning(db, ws, PlanOptions()))
    candidate = session.candidate
    assert candidate is not None and candidate.items
    figures = session.figures()
    assert figures.inbox == 13 and figures.proposed == len({it.order_id for it in candidate.items})

    # Compare, then commit: the new acquisitions arrive as changed rows, no full read.
    compared = planning.compare_plan(db, ws, candidate.plan_id)
    assert compared["plan_id"] == candidate.plan_id
    commit = cmd.AcceptPlan(ws, candidate.plan_id)
    session.execute(commit)
    assert session.candidate is None and len(session.acquisitions) == commit.committed == len(candidate.items)
    assert not events[-1].full and len(events[-1].changes.acquisitions) == len(candidate.items)

    # Select, lock hard, a refused delete (nothing kept on the stack).
    chosen = sorted(session.acquisitions)[:3]
    session.set_selection(chosen)
    assert session.selection == tuple(chosen) and events[-1].selection
    session.execute(cmd.SetLock(chosen, "hard"))
    assert all(session.acquisitions[i].lock_level == "hard" for i in chosen)
    depth = len(session.stack)
    refused = cmd.Delete(chosen)
    session.execute(refused)
    assert set(refused.refused) == set(chosen) and len(session.stack) == depth

    # Undo every command since the plan (the lock, the commit): the candidate is back with its
    # orders proposed; then redo them all.
    end = {i: (a.lock_level, a.start) for i, a in session.acquisitions.items()}
    for _ in range(depth - 1):
        session.undo()
    assert not session.acquisitions and session.candidate is not None
    assert session.candidate.plan_id == candidate.plan_id and session.figures().proposed == figures.proposed
    for _ in range(depth - 1):
        session.redo()
    assert {i: (a.lock_level, a.start) for i, a in session.acquisitions.items()} == end
    assert session.candidate is None

    # A deleted acquisition leaves the selection (the Inspector clears itself from it).
    free = next(i for i in sorted(session.acquisitions) if i not in chosen)
    session.set_selection([free])
    session.execute(cmd.Delete([free]))
    assert session.selection == () and events[-1].selection and free in events[-1].changes.removed
    session.undo()
    assert free in session.acquisitions

    # A conflict between two unlocked acquisitions (ids are random, so the three hard-locked above
    # may share a satellite): apply a resolution, undo, redo.
    force_overlap(db, [a for a in session.acquisitions.values() if a.lock_level != "hard"])
    session.reload()
    session.detect_conflicts()
    overlap = next(c for c in session.conflicts.values() if c.type == "temporal_overlap")
    index = next(i for i, o in enumerate(overlap.resolution_options) if o.action != "delete")
    resolve = cmd.ApplyResolution(ws, overlap.id, index)
    session.execute(resolve)
    assert overlap.id not in session.conflicts
    fixed = session.acquisitions[resolve.record.before.id].start
    session.undo()
    assert any(c.type == "temporal_overlap" for c in session.conflicts.values())
    session.redo()
    assert session.acquisitions[resolve.record.before.id].start == fixed
    assert not any(c.type == "temporal_overlap" for c in session.conflicts.values())

    # Quit with a candidate (kept), reopen: it is back and its orders are proposed in the Inbox.
    session.execute(cmd.AddOrder(ws, target=sorted(t.id for t in db.list_targets(ws))[17], priority=2))
    session.planning_done(run_planning(db, ws, PlanOptions(mode="incremental")))
    kept = session.candidate.plan_id
    db.close()
    again_db = ScheduleDB(path)
    try:
        again = WorkbenchSession(again_db, "day")
        assert again.candidate is not None and again.candidate.plan_id == kept
        proposed = {o.id for o in again.inbox_orders() if o.status == "planned"}
        assert proposed == {it.order_id for it in again.candidate.items}
        # Discarding it on quit returns its orders to new.
        again.discard_candidate()
        third = WorkbenchSession(again_db, "day")
        assert third.candidate is None and all(again_db.get_order(o).status == "new" for o in proposed)
    finally:
        again_db.close()


def test_a_stale_step_leaves_the_session_as_the_database_is(day):
    db, _ = day
    session = WorkbenchSession(db, "day")
    ws = session.workspace.id
    order = session.inbox_orders()[0]
    session.execute(cmd.EditOrder(order.id, order.version, priority=5 if order.priority != 5 else 4))
    db.update_order(order.id, priority=order.priority)  # someone else puts it back meanwhile
    with pytest.raises(DomainError):
        session.undo()
    session.reload()
    assert session.orders[order.id].priority == order.priority and ws
