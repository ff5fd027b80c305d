"""Compare, Commit and the Conflicts tab count the same things the same way (issue 10, defect 6:
Compare said 9 conflicts for the current plan while the Conflicts tab said 0 — Compare detected
without sunlight, so every battery looked drained; Commit asked for 50 and reported 4)."""
from __future__ import annotations

import pytest

from app.persistence import ScheduleDB
from app.services import commands as cmd
from app.services import conflict_service, planning
from app.services.planning import PlanOptions, run_planning
from app.services.scenario_file import parse_scenario
from app.services.session import WorkbenchSession
from app.services.workspaces import import_scenario


@pytest.fixture
def session(tmp_path, small_scenario):
    db = ScheduleDB(tmp_path / "day.db")
    import_scenario(db, parse_scenario(small_scenario(n_targets=20, n_orders=12)), "day")
    s = WorkbenchSession(db, "day")
    s.planning_done(run_planning(db, s.workspace.id, PlanOptions(mode="from_scratch")))
    s.execute(cmd.CommitPlan(s.workspace.id, s.candidate.plan_id))
    yield s
    db.close()


@pytest.mark.parametrize("mode", ["incremental", "reshuffle"])
def test_one_conflict_count_and_one_committed_count(session, force_overlap, mode):
    db, ws = session.db, session.workspace.id
    force_overlap(db, [a for a in session.acquisitions.values() if a.lock_level != "hard"])
    session.reload()
    session.detect_conflicts()  # F5: the Conflicts tab's list
    tab = list(session.conflicts.values())
    assert tab, "the forced overlap is a conflict"
    for target in sorted(t.id for t in db.list_targets(ws))[14:17]:  # something for the plan to add
        session.execute(cmd.AddOrder(ws, target=target, priority=1))
    result = run_planning(db, ws, PlanOptions(mode=mode))
    session.planning_done(result)
    for comparison in (planning.compare_plan(db, ws, result.plan_id, tab),  # as the window calls it
                       planning.compare_plan(db, ws, result.plan_id)):  # as the command line calls it
        assert comparison["current"]["conflicts"] == len(tab)
        assert comparison["current"]["error_conflicts"] == sum(c.severity == "error" for c in tab)
    # Detection without storing finds what F5 stored.
    assert sorted(c.id for c in conflict_service.detect(db, ws)) == sorted(c.id for c in tab)

    # Commit asks for what it will commit and reports the same count.
    asked = planning.commit_preview(result)["acquisitions"]
    commit = cmd.CommitPlan(ws, result.plan_id)
    session.execute(commit)
    assert commit.committed == asked
    # The proposed plan's conflicts are what F5 finds on the committed schedule.
    session.detect_conflicts()
    assert len(session.conflicts) == comparison["proposed"]["conflicts"]


def test_compare_counts_the_demo_s_conflicts_as_the_conflicts_tab(tmp_path):
    """On the demo (satellites with battery models) the current schedule has no conflict: Compare
    used to count 9 "battery below reserve" warnings (detected as if always in eclipse)."""
    from app.services.demo import ensure_demo
    db = ScheduleDB(tmp_path / "demo.db", create=True)
    try:
        ws = ensure_demo(db).id
        stored = conflict_service.detect_and_store(db, ws)
        result = run_planning(db, ws, PlanOptions(mode="incremental"))
        current = planning.compare_plan(db, ws, result.plan_id)["current"]
        assert current["conflicts"] == len(stored) and current["error_conflicts"] == 0
    finally:
        db.close()
