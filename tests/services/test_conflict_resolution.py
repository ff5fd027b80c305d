"""A conflict made by hand on a planned schedule, resolved by one of its options (an audited edit
through ScheduleDB), then undone."""
from __future__ import annotations

from app.services import commits, conflict_service
from app.services.planning import PlanOptions, run_planning


def test_apply_and_undo_a_resolution(small_db, force_overlap):
    db, ws = small_db
    commits.commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
    # The planner drags one acquisition onto the one before it: an overlap (a forced manual move).
    first, second = force_overlap(db, db.list_acquisitions(ws))
    conflicts = conflict_service.detect_and_store(db, ws)
    overlap = next(c for c in conflicts if c.type == "temporal_overlap")
    assert overlap.severity == "error" and overlap.resolution_options
    index = next(i for i, o in enumerate(overlap.resolution_options) if o.action != "delete")
    record = conflict_service.apply_resolution(db, ws, overlap.id, index)
    assert record.after is not None and record.after.start != first.start
    remaining = db.list_conflicts(ws)
    assert not any(c.type == "temporal_overlap" for c in remaining)
    assert any(e.action in ("update", "move") for e in db.list_audit(ws, entity_id=second.id, limit=None))

    conflict_service.undo_resolution(db, ws, record)
    assert db.get_acquisition(second.id).start == first.start
    assert any(c.type == "temporal_overlap" for c in db.list_conflicts(ws))
