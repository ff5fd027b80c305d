"""The widgets composed side by side on a few hundred synthetic acquisitions over 8 satellites;
screenshots go to /tmp/ui_shots for a person to look at."""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtTest import QTest

from app.ui.dialogs.compare_dialog import CompareDialog
from app.ui.dialogs.new_order_dialog import NewOrderDialog
from app.ui.dialogs.plan_dialog import PlanDialog
from app.ui.gallery import GalleryWindow

UTC = timezone.utc


def test_gallery_screenshots(qtbot, schedule, shots_dir, drag):
    w = GalleryWindow(schedule)
    qtbot.addWidget(w)
    w.resize(1760, 900)
    w.show()
    QTest.qWaitForWindowExposed(w)
    # Select through the timeline with a rubber band: lists and inspector follow.
    tl = w.timeline
    x0, x1 = tl.x_range()
    drag(tl.plot.viewport(), tl.map_to_widget(x0 + 0.30 * (x1 - x0), 0.05),
         tl.map_to_widget(x0 + 0.75 * (x1 - x0), 3.9))
    selected = tl.selected_ids()
    assert len(selected) >= 3
    assert sorted(w.scheduled.selected_ids()) == sorted(selected)
    assert w.inspector.current_kind() == "selection"
    w.tabs.setCurrentIndex(1)
    qtbot.wait(60)
    path = shots_dir / "gallery_selection.png"
    qtbot.wait(60)  # let layouts settle, as the event loop would before a repaint
    assert w.grab().save(str(path)) and path.stat().st_size > 20_000

    # A conflict: highlight on the timeline, options in the inspector, a preview.
    conflict = schedule.conflicts[0]
    w._on_conflict(conflict.id)
    w.inspector.conflict_page.preview_button.click()
    a = schedule.by_id[conflict.acquisition_ids[0]]
    tl.zoom_to(a.start_time.timestamp() - 900, a.start_time.timestamp() + 900)
    assert tl.bars.preview is not None
    qtbot.wait(60)  # let layouts settle, as the event loop would before a repaint
    assert w.grab().save(str(shots_dir / "gallery_conflict.png"))

    # One acquisition, hard-locked, with the refusal of a delete shown.
    hard = next(x for x in schedule.acquisitions if x.lock_level.value == "hard" and x.start_time > schedule.freeze_cutoff)
    w.select([hard.id])
    tl.zoom_to(hard.start_time.timestamp() - 1800, hard.start_time.timestamp() + 1800)
    w.inspector.show_message(f"lock_level: {hard.id} is hard-locked and cannot be deleted: unlock it first",
                             error=True)
    assert "hard-locked" in w.inspector.message_text()
    qtbot.wait(60)  # let layouts settle, as the event loop would before a repaint
    assert w.grab().save(str(shots_dir / "gallery_single.png"))

    tl.zoom_preset("week")
    qtbot.wait(60)  # let layouts settle, as the event loop would before a repaint
    assert w.grab().save(str(shots_dir / "gallery_week.png"))


def test_dialog_screenshots(qtbot, shots_dir):
    from test_dialogs import COMPARISON, TARGETS  # same data as the dialog tests

    d = NewOrderDialog(TARGETS, ["SENT-01", "ICEYE-02"])
    qtbot.addWidget(d)
    d.show()
    d.target.setCurrentText("Athens")
    d.window_start.setText("2026-08-10T00:00:00Z")
    d.window_end.setText("2026-08-09T00:00:00Z")
    assert d.grab().save(str(shots_dir / "dialog_new_order.png"))
    p = PlanDialog(datetime(2026, 8, 7, tzinfo=UTC), datetime(2026, 8, 14, tzinfo=UTC), mode="reshuffle")
    qtbot.addWidget(p)
    p.show()
    assert p.grab().save(str(shots_dir / "dialog_plan.png"))
    c = CompareDialog(COMPARISON)
    qtbot.addWidget(c)
    c.show()
    assert c.grab().save(str(shots_dir / "dialog_compare.png"))
