"""Hours of repainting must not wear out the interpreter. PySide6-Essentials 6.12.0 drops a
reference to ``True`` on every repaint of a pyqtgraph view (6.11 does not): on Python 3.11, where
``True`` is not immortal, a session of a few thousand repaints then aborts with "Fatal Python error:
bool_dealloc". pyproject pins the binding below 6.12; this test catches a binding that regresses."""
from __future__ import annotations

import sys

from PySide6.QtTest import QTest

from app.ui.map_view import MapView
from app.ui.sample_schedule import sample_schedule
from app.ui.timeline_view import TimelineView


def _true_refs_lost(widget, repaints: int) -> int:
    widget.grab()
    before = sys.getrefcount(True)
    for _ in range(repaints):
        widget.grab()
    return before - sys.getrefcount(True)


def test_repainting_the_timeline_and_the_map_keeps_every_reference(qtbot):
    timeline = TimelineView()
    qtbot.addWidget(timeline)
    timeline.resize(1200, 600)
    timeline.show()
    QTest.qWaitForWindowExposed(timeline)
    schedule = sample_schedule(n_satellites=10, n_acquisitions=500)
    timeline.set_rows(schedule.satellite_ids)
    timeline.set_acquisitions(schedule.acquisitions)
    world = MapView()
    qtbot.addWidget(world)
    world.show()
    QTest.qWaitForWindowExposed(world)
    # A leak of one reference per repaint would show as 200 here; a few may move with caches.
    assert _true_refs_lost(timeline.plot, 200) < 20
    assert _true_refs_lost(world.plot, 200) < 20
