"""Screenshots of the dialogs, to /tmp/ui_shots for a person to look at (the main window's are
saved by test_main_window.py)."""
from __future__ import annotations

from datetime import datetime, timezone

from app.ui.dialogs.compare_dialog import CompareDialog
from app.ui.dialogs.new_order_dialog import NewOrderDialog
from app.ui.dialogs.plan_dialog import PlanDialog

UTC = timezone.utc


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
