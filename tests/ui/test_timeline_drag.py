"""Direct manipulation on the timeline widget through real mouse events: a bar dragged along its
row snaps to the valid starts of its pass (shaded while dragging), a drop elsewhere is refused with
the reason and nothing moves; a drag that starts off the bars is still a rubber band."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6 import QtCore
from PySide6.QtTest import QTest

from app.domain import Acquisition
from app.ui.timeline_drag import DragChoices
from app.ui.timeline_view import TimelineView

UTC = timezone.utc
T0 = datetime(2026, 8, 7, 6, 0, tzinfo=UTC)
SATS = ["SAT-A", "SAT-B"]
Btn = QtCore.Qt.MouseButton
NoMod = QtCore.Qt.KeyboardModifier.NoModifier


def acq(i, sat, minutes, dur=60):
    start = T0 + timedelta(minutes=minutes)
    return Acquisition(id=f"acq_{i:012d}", workspace_id="ws", satellite_id=sat, target_id=f"T{i}",
                       start=start, end=start + timedelta(seconds=dur), roll_deg=5.0,
                       order_id=f"ord_{i:012d}")


def ts(minutes, seconds=0):
    return (T0 + timedelta(minutes=minutes, seconds=seconds)).timestamp()


@pytest.fixture
def view(qtbot):
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1000, 360)
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.set_rows(SATS)
    v.set_acquisitions([acq(1, "SAT-A", 60), acq(2, "SAT-B", 90)])
    v.zoom_to(T0 + timedelta(minutes=50), T0 + timedelta(minutes=75))  # 25 min over ~900 px
    qtbot.wait(10)
    return v


#: The pass of acquisition 1: valid starts 60:00, 61:00, 62:30; 61:30 refused (a neighbour's slew).
CHOICES = DragChoices(valid=[(ts(60), ts(61)), (ts(61), ts(62)), (ts(62, 30), ts(63, 30))],
                      refused=[(ts(61, 30), ts(62, 30), "too close to T9 after it on SAT-A: the slew needs 40 s")])


def _drag_bar(qtbot, view, from_minutes, to_minutes, choices=CHOICES, row_y=0.5, check_during=None):
    """Press on the bar, move in steps (the choices arrive after the first move), release."""
    vp = view.plot.viewport()
    a = view.map_to_widget(T0 + timedelta(minutes=from_minutes), row_y)
    b = view.map_to_widget(T0 + timedelta(minutes=to_minutes), row_y)
    started = []
    view.barDragStarted.connect(started.append)
    QTest.mousePress(vp, Btn.LeftButton, NoMod, a)
    for k in range(1, 6):
        QTest.qWait(20)
        QTest.mouseMove(vp, a + (b - a) * (k / 5))
        if k == 1:
            assert started, "the drag of a bar started"
            view.set_drag_choices(started[0], choices)
    if check_during is not None:
        check_during()
    QTest.mouseRelease(vp, Btn.LeftButton, NoMod, b)
    return started


def test_a_bar_dropped_near_a_valid_start_snaps_to_it_and_asks_for_that_move(qtbot, view):
    moves, refusals = [], []
    view.moveDropped.connect(lambda aid, shift: moves.append((aid, shift)))
    view.dropRefused.connect(lambda aid, why: refusals.append(why))

    def during():
        # The valid range of its pass is shaded in its row and the preview sits on a valid start.
        assert view.drag.shaded_range() == pytest.approx((ts(60), ts(63, 30)))
        s, _e, row = view.bars.preview
        assert row == 0 and s == pytest.approx(ts(62, 30))
        assert "+2 min 30 s" in view.drag.label_text()
    # 60:20 → dropped near 62:40 (bar start): snaps to the valid start 62:30.
    started = _drag_bar(qtbot, view, 60 + 1 / 3, 62 + 2 / 3 + 1 / 3, check_during=during)
    assert started == ["acq_000000000001"]
    assert refusals == []
    assert len(moves) == 1 and moves[0][0] == "acq_000000000001"
    assert moves[0][1] == pytest.approx(150.0)
    assert view.bars.preview is None and view.drag.shaded_range() is None
    # The bar itself is where it was until the move is made (by the command, through set_acquisitions).
    i = view.bars.index_of("acq_000000000001")
    assert view.bars.start[i] == pytest.approx(ts(60))


def test_a_bar_dropped_on_a_refused_start_or_outside_its_pass_is_refused_with_the_reason(qtbot, view):
    moves, refusals = [], []
    view.moveDropped.connect(lambda aid, shift: moves.append(shift))
    view.dropRefused.connect(lambda aid, why: refusals.append(why))
    # Onto 61:30 (refused: a neighbour's slew).
    _drag_bar(qtbot, view, 60.25, 61.75)
    assert moves == [] and len(refusals) == 1 and "too close to T9" in refusals[0]
    # Far outside its pass (10 minutes later).
    _drag_bar(qtbot, view, 60.25, 70.25)
    assert moves == [] and len(refusals) == 2
    assert refusals[1].startswith("outside its pass: on SAT-A it can start from")
    assert view.bars.preview is None
    i = view.bars.index_of("acq_000000000001")
    assert view.bars.start[i] == pytest.approx(ts(60))


def test_a_bar_that_cannot_move_says_why_and_a_drop_before_the_choices_waits_for_them(qtbot, view):
    refusals, moves = [], []
    view.dropRefused.connect(lambda aid, why: refusals.append(why))
    view.moveDropped.connect(lambda aid, shift: moves.append(shift))
    _drag_bar(qtbot, view, 60.25, 62.25, choices=DragChoices(blocked="Hard-locked: unlock it first to move it"))
    assert refusals == ["Hard-locked: unlock it first to move it"] and moves == []

    # Released before the valid starts are known: the drop is resolved when they arrive.
    vp = view.plot.viewport()
    started = []
    view.barDragStarted.connect(started.append)
    a = view.map_to_widget(T0 + timedelta(minutes=60.25), 0.5)
    b = view.map_to_widget(T0 + timedelta(minutes=61.25), 0.5)
    QTest.mousePress(vp, Btn.LeftButton, NoMod, a)
    for k in range(1, 4):
        QTest.qWait(20)
        QTest.mouseMove(vp, a + (b - a) * (k / 3))
    QTest.mouseRelease(vp, Btn.LeftButton, NoMod, b)
    assert started and moves == []
    assert "checking" in view.drag.label_text()
    view.set_drag_choices(started[-1], CHOICES)
    assert moves == [pytest.approx(60.0)]


def test_a_drag_off_the_bars_is_still_a_rubber_band(qtbot, view, drag):
    selected = []
    view.selectionChanged.connect(selected.append)
    started = []
    view.barDragStarted.connect(started.append)
    vp = view.plot.viewport()
    drag(vp, view.map_to_widget(T0 + timedelta(minutes=55), 0.05), view.map_to_widget(T0 + timedelta(minutes=70), 1.95))
    assert started == []
    assert selected and set(selected[-1]) == {"acq_000000000001"}
