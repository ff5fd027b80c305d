"""Compare, Commit and the commit's report count the same things (defect 6: the Commit dialog asked
to commit 50 acquisitions of a reshuffle and reported 4 committed)."""
from __future__ import annotations

import pytest

from app.services import commands as cmd
from app.services.commits import commit_plan
from app.services.planning import PlanOptions, commit_preview, run_planning


@pytest.mark.parametrize("mode", ["reshuffle", "from_scratch"])
def test_the_commit_preview_counts_what_the_commit_does(small_db, mode):
    db, ws = small_db
    commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
    for o in sorted(db.list_targets(ws), key=lambda t: t.id)[16:19]:
        db.create_order(o.id, 1, ws)
    result = run_planning(db, ws, PlanOptions(mode=mode))
    preview = commit_preview(result)
    command = cmd.CommitPlan(ws, result.plan_id)
    cmd.CommandStack(db).push(command)
    assert preview["acquisitions"] == command.committed
    assert preview["removed"] == len(command.record.deleted) or mode == "from_scratch"
