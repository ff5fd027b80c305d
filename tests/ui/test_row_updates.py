"""Only changed rows are redrawn: bars and Scheduled rows inserted, moved and dropped in place give
exactly what a rebuild from the same rows gives (a commit, an undo of a delete, another planner's move)."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import numpy as np

from app.ui.scheduled_view import ScheduledView
from app.ui.timeline_view import TimelineView


def _bars(view: TimelineView):
    b = view.bars
    return (list(b.ids), b.start.tolist(), b.end.tolist(), b.row.tolist(), b.category.tolist(), b.locked.tolist(),
            list(b.labels))


def test_bars_inserted_moved_and_dropped_in_place_equal_a_rebuild(qtbot, schedule):
    acqs = schedule.acquisitions
    kept, later = acqs[: len(acqs) // 2], acqs[len(acqs) // 2:]
    conflicts = schedule.conflict_acquisition_ids
    incremental, rebuilt = TimelineView(), TimelineView()
    for v in (incremental, rebuilt):
        qtbot.addWidget(v)
        v.set_rows(schedule.satellite_ids)
        v.set_zones(schedule.now, schedule.freeze_cutoff, schedule.planning_end, schedule.horizon_start,
                    schedule.horizon_end)
    incremental.set_acquisitions(kept, conflicts)
    incremental.set_selection([kept[0].id])
    incremental.add_acquisitions(later)
    # One moved to another satellite and two hours later, one locked, one dropped.
    moved = dataclasses.replace(kept[0], satellite_id=schedule.satellite_ids[-1],
                                start=kept[0].start + timedelta(hours=2),
                                end=kept[0].end + timedelta(hours=2))
    locked = dataclasses.replace(later[0], lock_level="hard")
    incremental.update_acquisitions([moved, locked])
    incremental.remove_acquisitions([later[1].id])
    final = {a.id: a for a in acqs}
    final.update({moved.id: moved, locked.id: locked})
    del final[later[1].id]
    rebuilt.set_acquisitions(final.values(), conflicts)
    assert sorted(zip(*_bars(incremental))) == sorted(zip(*_bars(rebuilt)))
    assert np.all(np.diff(incremental.bars.start) >= 0)  # still sorted for the binary searches
    assert incremental.selected_ids() == [moved.id]  # the selection follows the moved bar
    assert incremental.bars.index_of(moved.id) is not None


def test_scheduled_rows_inserted_and_moved_in_place_equal_a_rebuild(qtbot, schedule):
    acqs = schedule.acquisitions
    kept, later = acqs[:200], acqs[200:]
    incremental, rebuilt = ScheduledView(), ScheduledView()
    for v in (incremental, rebuilt):
        qtbot.addWidget(v)
    incremental.set_acquisitions(kept)
    incremental.set_selection([kept[3].id])
    incremental.add_acquisitions(later)
    moved = dataclasses.replace(kept[3], start=kept[3].start + timedelta(hours=30),
                                end=kept[3].end + timedelta(hours=30))
    incremental.update_acquisitions([moved])
    rebuilt.set_acquisitions([moved if a.id == moved.id else a for a in acqs])
    assert incremental.visible_ids() == rebuilt.visible_ids()
    assert incremental.count() == len(acqs) and incremental.badge.text() == str(len(acqs))
    assert incremental.selected_ids() == [moved.id]
    incremental.set_grouping("satellite")
    rebuilt.set_grouping("satellite")
    assert incremental.visible_ids() == rebuilt.visible_ids()
