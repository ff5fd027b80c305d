"""The status bar of a 1366 px window (the smallest laptop a planner uses) shows the message after
planning and the permanent figures beside it whole, not cut off."""
from __future__ import annotations

import pytest
from PySide6 import QtWidgets

from app.services.planning import PlanOptions
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("no_stuck_modal")


def test_planning_message_and_figures_fit_a_1366_px_window(qtbot, db_path, settings):
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w, before_close_func=lambda window: setattr(window, "candidate_on_close", "keep"))
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=120000, check_params_cb=lambda busy: not busy):
        w.start_planning(PlanOptions(mode="from_scratch"))
    assert w.candidate is not None
    qtbot.wait(50)
    bar = w.statusBar()
    message = bar.currentMessage()
    assert message.startswith("Candidate plan:") and message.endswith("— Plan ▸ Compare or Commit")
    assert "best_fit" not in message  # no raw algorithm key
    assert w.figures.text().endswith(f"candidate {len(w.candidate.items)} items")
    assert "orders proposed" in w.figures.toolTip()
    permanent = [c for c in bar.findChildren(QtWidgets.QLabel) if c.isVisible() and c.text() and c is not bar.message]
    for label in permanent:  # each permanent label shows its whole text
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), label.text()
    free = bar.width() - sum(label.width() for label in permanent) - 40  # margins and the size grip
    assert bar.fontMetrics().horizontalAdvance(message) <= free, (message, free)
    assert bar.message.height() < 2 * bar.fontMetrics().height()  # on one line
    # The clock is the leftmost figure, right of the message.
    assert bar.message.geometry().right() < w.clock_label.geometry().left() < w.figures.geometry().left()


def test_a_long_message_wraps_whole_instead_of_being_cut(qtbot, db_path, settings):
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    bar = w.statusBar()
    reasons = "; ".join(f"Luanda · WORLDVIEW-3 · Thu 13 Aug 09:{m:02d}Z is hard-locked" for m in range(6))
    bar.showMessage(f"Delete: 0 done, 6 refused — {reasons}", 5000)
    qtbot.wait(50)
    label = bar.message
    assert bar.currentMessage().endswith("09:05Z is hard-locked") and label.toolTip() == bar.currentMessage()
    lines = label.heightForWidth(label.width()) // label.fontMetrics().lineSpacing()
    assert lines >= 2 and label.height() >= label.heightForWidth(label.width())  # every line shown
    assert label.geometry().right() <= min(c.geometry().left() for c in bar.findChildren(QtWidgets.QLabel)
                                           if c.isVisible() and c is not label)
    qtbot.waitUntil(lambda: bar.currentMessage() == "", timeout=10000)  # its timeout clears it
