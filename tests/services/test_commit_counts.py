"""Compare, Commit and the commit's report count the same things (defect 6: the Commit dialog asked
to commit 50 acquisitions of a reshuffle and reported 4 committed)."""
from __future__ import annotations

import pytest

from app.services import commands as cmd
from app.services.commits import commit_plan
from app.domain import to_iso
from app.services.planning import PlanOptions, commit_preview, compare_plan, run_planning


def _replanned(db, ws, mode):
    """A committed schedule, three new urgent orders, and a candidate plan of ``mode``."""
    commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
    for o in sorted(db.list_targets(ws), key=lambda t: t.id)[16:19]:
        db.create_order(o.id, 1, ws)
    return run_planning(db, ws, PlanOptions(mode=mode))


@pytest.mark.parametrize("mode", ["reshuffle", "from_scratch"])
def test_the_commit_preview_counts_what_the_commit_does(small_db, mode):
    db, ws = small_db
    result = _replanned(db, ws, mode)
    preview = commit_preview(result)
    command = cmd.CommitPlan(ws, result.plan_id)
    cmd.CommandStack(db).push(command)
    assert preview["acquisitions"] == command.committed
    assert preview["removed"] == len(command.record.deleted)  # every mode commits the same change list


@pytest.mark.parametrize("mode", ["reshuffle", "from_scratch", "incremental"])
def test_the_commit_applies_the_change_list_compare_shows(small_db, mode):
    db, ws = small_db
    result = _replanned(db, ws, mode)
    shown = compare_plan(db, ws, result.plan_id)["changes"]
    assert shown == result.changes
    kinds = {k: [c for c in shown if c["type"] == k] for k in ("added", "moved", "satellite_switched", "removed")}
    record = commit_plan(db, ws, result.plan_id)
    assert len(record.created) == len(kinds["added"])
    assert sorted(a.id for a in record.deleted) == sorted(c["acquisition_id"] for c in kinds["removed"])
    moved = {c["acquisition_id"]: c for c in kinds["moved"] + kinds["satellite_switched"]}
    now = {a.id: a for a in db.get_acquisitions(list(moved))}
    assert set(now) == set(moved)  # moved in place: the same acquisitions
    for aid, c in moved.items():
        assert (to_iso(now[aid].start), now[aid].satellite_id) == (c["new_start"], c["new_satellite_id"])
