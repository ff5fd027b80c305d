"""The timeline through real mouse events: rubber band, Shift/Ctrl, click, double-click,
hover tooltip, zoom presets and the fixed y axis."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from PySide6 import QtCore, QtGui
from PySide6.QtTest import QTest

from app.domain import Acquisition, PlanItem
from app.domain.enums import AcquisitionState, LockLevel
from app.ui.palette import BAR_COLOURS, BarCategory
from app.ui.timeline_view import MOUSE_HINT, TimelineView

UTC = timezone.utc
T0 = datetime(2026, 8, 7, 6, 0, tzinfo=UTC)
SATS = ["SAT-A", "SAT-B", "SAT-C"]
Mods = QtCore.Qt.KeyboardModifier


def acq(i, sat, minutes, dur=60, state=AcquisitionState.COMMITTED, lock=LockLevel.NONE, target=None):
    start = T0 + timedelta(minutes=minutes)
    return Acquisition(id=f"acq_{i:012d}", workspace_id="ws", satellite_id=sat,
                       target_id=target or f"T{i}", start=start, end=start + timedelta(seconds=dur),
                       roll_deg=12.5, pitch_deg=-3.0, incidence_deg=14.2,
                       state=state, lock_level=lock, quality_score=0.87, order_id=f"ord_{i:012d}")


@pytest.fixture
def view(qtbot):
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1000, 420)
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.set_rows(SATS)
    acqs = [
        acq(1, "SAT-A", 30), acq(2, "SAT-A", 90), acq(3, "SAT-B", 60),
        acq(4, "SAT-B", 150, state=AcquisitionState.TENTATIVE), acq(5, "SAT-C", 45, lock=LockLevel.HARD),
        acq(6, "SAT-C", 200, lock=LockLevel.SOFT), acq(7, "SAT-A", 10),  # 7 is in the frozen zone
    ]
    v.set_acquisitions(acqs, conflict_ids={"acq_000000000003"})
    v.set_zones(now=T0, freeze_cutoff=T0 + timedelta(minutes=20), planning_end=T0 + timedelta(hours=48),
                horizon_start=T0 - timedelta(hours=6), horizon_end=T0 + timedelta(days=7))
    v.zoom_to(T0, T0 + timedelta(hours=4))
    qtbot.wait(10)
    return v


def point(view, minutes, row_y):
    return view.map_to_widget(T0 + timedelta(minutes=minutes), row_y)


def test_rows_are_labelled_top_down_and_y_is_fixed(view):
    ticks = view.row_axis._tickLevels[0]
    assert [label for _, label in ticks] == SATS
    assert [pos for pos, _ in ticks] == [0.5, 1.5, 2.5]
    assert view.y_range() == (0.0, 3.0)
    # Row 0 is drawn above row 2 (rows top-down).
    assert point(view, 30, 0.5).y() < point(view, 30, 2.5).y()


def test_bar_colours_follow_state_lock_conflict_and_freeze(view):
    cat = dict(zip(view.bars.ids, view.bars.category))
    assert cat["acq_000000000001"] == BarCategory.COMMITTED
    assert cat["acq_000000000004"] == BarCategory.TENTATIVE
    assert cat["acq_000000000003"] == BarCategory.CONFLICT
    assert cat["acq_000000000005"] == BarCategory.FROZEN       # hard lock
    assert cat["acq_000000000006"] == BarCategory.SOFT_LOCKED
    assert cat["acq_000000000007"] == BarCategory.FROZEN       # before the freeze cutoff
    locked = dict(zip(view.bars.ids, view.bars.locked))
    assert locked["acq_000000000005"] and locked["acq_000000000006"] and not locked["acq_000000000001"]


def test_rendered_pixels_have_the_state_colours(view):
    img = view.plot.grab().toImage()
    for aid, minutes, row, category in (("1", 30.5, 0, BarCategory.COMMITTED),
                                        ("3", 60.5, 1, BarCategory.CONFLICT),
                                        ("4", 150.5, 1, BarCategory.TENTATIVE)):
        p = point(view, minutes, row + 0.5)
        ratio = view.plot.devicePixelRatioF()
        got = QtGui.QColor(img.pixel(int(p.x() * ratio), int(p.y() * ratio)))
        want = QtGui.QColor(BAR_COLOURS[category][0])
        assert abs(got.red() - want.red()) < 40 and abs(got.green() - want.green()) < 40, (aid, got.name())


def test_rubber_band_selects_the_bars_it_touches(view, qtbot, drag):
    vp = view.plot.viewport()
    with qtbot.waitSignal(view.selectionChanged) as sig:
        drag(vp, point(view, 20, 0.05), point(view, 100, 1.95))
    assert sorted(sig.args[0]) == ["acq_000000000001", "acq_000000000002", "acq_000000000003"]
    assert sorted(view.selected_ids()) == sorted(sig.args[0])
    assert not view.viewbox.band_visible


def test_shift_drag_adds_and_ctrl_drag_toggles(view, qtbot, drag):
    vp = view.plot.viewport()
    drag(vp, point(view, 20, 0.05), point(view, 100, 0.95))          # 1, 2 on SAT-A
    assert sorted(view.selected_ids()) == ["acq_000000000001", "acq_000000000002"]
    drag(vp, point(view, 40, 2.05), point(view, 50, 2.95), Mods.ShiftModifier)  # + 5 on SAT-C
    assert sorted(view.selected_ids()) == ["acq_000000000001", "acq_000000000002", "acq_000000000005"]
    drag(vp, point(view, 55, 0.05), point(view, 100, 1.95), Mods.ControlModifier)  # toggle 2 off, 3 on
    assert sorted(view.selected_ids()) == ["acq_000000000001", "acq_000000000003", "acq_000000000005"]
    drag(vp, point(view, 20, 0.05), point(view, 100, 0.95))          # plain drag replaces
    assert sorted(view.selected_ids()) == ["acq_000000000001", "acq_000000000002"]


def test_click_selects_one_and_double_click_activates(view, qtbot):
    vp = view.plot.viewport()
    with qtbot.waitSignal(view.selectionChanged) as sig:
        QTest.mouseClick(vp, QtCore.Qt.MouseButton.LeftButton, Mods.NoModifier, point(view, 60.5, 1.5))
    assert sig.args[0] == ["acq_000000000003"]
    QTest.mouseClick(vp, QtCore.Qt.MouseButton.LeftButton, Mods.ShiftModifier, point(view, 30.5, 0.5))
    assert sorted(view.selected_ids()) == ["acq_000000000001", "acq_000000000003"]
    QTest.mouseClick(vp, QtCore.Qt.MouseButton.LeftButton, Mods.NoModifier, point(view, 120, 2.5))
    assert view.selected_ids() == []  # a plain click on empty space clears
    qtbot.wait(50)
    with qtbot.waitSignal(view.activated) as act:
        # What a real double-click delivers: press, release, double-click press, release.
        p, left = point(view, 150.5, 1.5), QtCore.Qt.MouseButton.LeftButton
        QTest.mouseClick(vp, left, Mods.NoModifier, p)
        QTest.mouseDClick(vp, left, Mods.NoModifier, p)
        QTest.mouseRelease(vp, left, Mods.NoModifier, p)
    assert act.args == ["acq_000000000004"]


def test_set_selection_emits_nothing(view, qtbot):
    with qtbot.assertNotEmitted(view.selectionChanged):
        view.set_selection(["acq_000000000002", "acq_000000000006"])
    assert sorted(view.selected_ids()) == ["acq_000000000002", "acq_000000000006"]
    # A rebuild keeps the selection of acquisitions still present.
    view.set_acquisitions(view.acquisitions())
    assert sorted(view.selected_ids()) == ["acq_000000000002", "acq_000000000006"]


def test_hover_sets_a_tooltip_with_every_field(view, qtbot):
    qtbot.wait(50)
    QTest.mouseMove(view.plot.viewport(), point(view, 30.5, 0.5))
    qtbot.waitUntil(lambda: view.hover_text() != "", timeout=2000)
    text = view.bars.toolTip()
    for part in ("T1", "SAT-A", "2026-08-07 06:30:00Z", "2026-08-07 06:31:00Z", "+12.50° (right)",
                 "-3.00° (backward)", "0.87", "committed", "none", "roll + = right of ground track"):
        assert part in text, part
    qtbot.wait(50)  # pyqtgraph drops moves faster than the screen refresh
    QTest.mouseMove(view.plot.viewport(), point(view, 120, 2.5))
    qtbot.waitUntil(lambda: view.hover_text() == "", timeout=2000)
    assert "hard" in view.tooltip_for("acq_000000000005")


def test_zoom_presets_set_the_span_and_keep_y(view, qtbot):
    for name, span in (("hour", 3600.0), ("day", 86400.0), ("week", 7 * 86400.0)):
        view.zoom_preset(name)
        x0, x1 = view.x_range()
        assert x1 - x0 == pytest.approx(span, rel=1e-3)
        assert view.y_range() == (0.0, 3.0)
        assert view.preset_buttons[name].isChecked()
    view.zoom_preset("hour")
    view.preset_buttons["day"].click()
    x0, x1 = view.x_range()
    assert x1 - x0 == pytest.approx(86400.0, rel=1e-3)
    with pytest.raises(ValueError, match="fortnight"):
        view.zoom_preset("fortnight")


def test_wheel_zooms_time_only(view, qtbot):
    vp = view.plot.viewport()
    pos = point(view, 120, 1.5)
    before = view.x_range()
    event = QtGui.QWheelEvent(QtCore.QPointF(pos), QtCore.QPointF(vp.mapToGlobal(pos)), QtCore.QPoint(0, 0),
                              QtCore.QPoint(0, 240), QtCore.Qt.MouseButton.NoButton, Mods.NoModifier,
                              QtCore.Qt.ScrollPhase.NoScrollPhase, False)
    QtCore.QCoreApplication.sendEvent(vp, event)
    after = view.x_range()
    assert (after[1] - after[0]) < (before[1] - before[0])
    assert view.y_range() == (0.0, 3.0)


def test_middle_drag_pans_time_without_selecting(view, qtbot, drag):
    before = view.x_range()
    with qtbot.assertNotEmitted(view.selectionChanged):
        drag(view.plot.viewport(), point(view, 120, 1.5), point(view, 60, 1.5),
             button=QtCore.Qt.MouseButton.MiddleButton)
    after = view.x_range()
    assert after[0] > before[0] + 1800  # dragged left by an hour → later times in view
    assert after[1] - after[0] == pytest.approx(before[1] - before[0], rel=1e-6)
    assert view.y_range() == (0.0, 3.0)


def test_ghosts_preview_highlight_and_select_all(view, qtbot):
    ghost = PlanItem(id="planitem_1", plan_id="plan_1", opportunity_id="o", satellite_id="SAT-D",
                     target_id="Ghost", start=T0 + timedelta(minutes=70),
                     end=T0 + timedelta(minutes=71), roll_deg=-4.0, value=0.7)
    view.set_ghost_items([ghost])
    assert view.rows()[-1] == "SAT-D"  # a ghost's unknown satellite gets a row
    assert view.item_at((T0 + timedelta(minutes=70.5)).timestamp(), 3.5) == "planitem_1"
    assert "candidate" in view.tooltip_for("planitem_1")
    view.preview("acq_000000000001", T0 + timedelta(minutes=35), T0 + timedelta(minutes=36), "SAT-B")
    assert view.bars.preview == ((T0 + timedelta(minutes=35)).timestamp(),
                                 (T0 + timedelta(minutes=36)).timestamp(), 1)
    view.clear_preview()
    assert view.bars.preview is None
    view.highlight(["acq_000000000003"])
    assert list(np.array(view.bars.ids)[view.bars.highlighted]) == ["acq_000000000003"]
    view.zoom_to(T0, T0 + timedelta(minutes=100))
    with qtbot.waitSignal(view.selectionChanged):
        ids = view.select_all_in_view()
    assert sorted(ids) == [f"acq_{i:012d}" for i in (1, 2, 3, 5, 7)]


def test_zones_now_line_and_hint(view):
    assert view.now_line.value() == pytest.approx(T0.timestamp())
    frozen = view._zone_items["frozen"].getRegion()
    assert frozen == pytest.approx((T0.timestamp(), (T0 + timedelta(minutes=20)).timestamp()))
    assert "Shift+drag: add" in MOUSE_HINT and view.hint.text() == MOUSE_HINT


def test_large_rubber_band_is_fast(qtbot):
    from time import perf_counter

    from app.ui.sample_schedule import sample_schedule
    s = sample_schedule(n_satellites=50, n_acquisitions=20_000, n_conflicts=0, n_ghosts=0, n_orders_new=0)
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1200, 700)
    v.set_rows(s.satellite_ids)
    v.set_acquisitions(s.acquisitions)
    v.set_zones(s.now, s.freeze_cutoff, s.planning_end, s.horizon_start, s.horizon_end)
    v.zoom_to_horizon()
    x0, x1 = v.x_range()
    t = perf_counter()
    ids = v.select_in_rect(x0, x0 + (x1 - x0) * 0.05, 0, 50)
    elapsed = perf_counter() - t
    assert 500 <= len(ids) <= 2000
    assert elapsed < 0.2


def test_update_acquisitions_recolours_in_place_and_redraws_a_moved_bar(view):
    from dataclasses import replace
    a = view.acquisitions()[0]
    i = view.bars.index_of(a.id)
    assert view.bars.category[i] == BarCategory.COMMITTED and not view.bars.locked[i]
    view.update_acquisitions([replace(a, lock_level=LockLevel.HARD)])
    i = view.bars.index_of(a.id)
    assert view.bars.category[i] == BarCategory.FROZEN and view.bars.locked[i]
    later = replace(a, start=a.start + timedelta(hours=3), end=a.end + timedelta(hours=3))
    view.update_acquisitions([later])
    i = view.bars.index_of(a.id)
    assert view.bars.start[i] == later.start.timestamp()
    assert list(view.bars.start) == sorted(view.bars.start)  # still sorted for the binary searches
