"""The clock in the main window (status bar, "now" line), File ▸ Clock, File ▸ Import ▸ Execution report
and File ▸ Advance Horizon, and the Inbox's attempt column, on a real database."""
from __future__ import annotations

import csv
from datetime import timedelta

import pytest

from app.domain.enums import AcquisitionState
from app.persistence import ScheduleDB
from app.services.demo import ensure_demo
from app.ui import file_actions, operations_actions
from app.ui.main_window import MainWindow
from modal_helpers import answer_modal


@pytest.fixture
def demo_path(tmp_path) -> str:
    path = str(tmp_path / "demo.db")
    db = ScheduleDB(path)
    ensure_demo(db)
    db.close()
    return path


def test_clock_report_inbox_and_advance(qtbot, demo_path, settings, tmp_path):
    w = MainWindow(demo_path, "demo", settings)
    qtbot.addWidget(w)
    start = w.now()
    assert w.clock_label.text() == "Clock Mon 10 Aug 00:00Z (scenario)"

    result = operations_actions.step_clock(w, "12h")
    assert result is not None and result.executing
    assert w.now() == start + timedelta(hours=12)
    assert w.clock_label.text() == "Clock Mon 10 Aug 12:00Z (scenario)"
    assert w.timeline.now_line.value() == pytest.approx(w.now().timestamp())  # the "now" line moved
    assert "started executing" in w.statusBar().currentMessage()
    executing = [a for a in w.acquisitions.values() if a.state == AcquisitionState.EXECUTING]
    assert {a.id for a in executing} >= set(result.executing)

    # A refused step (back past executed acquisitions) says why and changes nothing.
    def dismiss(box):
        assert "has already executed" in box.text()
        box.accept()
    answer_modal(dismiss)
    assert operations_actions.step_clock(w, "-12h") is None
    assert w.now() == start + timedelta(hours=12)

    # So is a clock typed a century off (the horizon is Mon 10 – Mon 17 Aug 2026).
    def far(box):
        assert box.text().startswith("set: Sun 10 Aug 2200 00:00Z is 63,545 days after the workspace's horizon ends")
        box.accept()
    answer_modal(far)
    assert operations_actions.set_clock(w, "2200-08-10T00:00:00Z") is None
    assert w.now() == start + timedelta(hours=12)

    # File ▸ Import ▸ Execution report: one failed (clouds), the rest completed.
    path = tmp_path / "night.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        rows = csv.writer(f)
        rows.writerow(["acquisition_id", "outcome", "reason", "cloud_pct"])
        rows.writerow([executing[0].id, "failed", "clouds", "95"])
        for a in executing[1:]:
            rows.writerow([a.id, "completed", "", ""])
    assert w.action_import_execution.text() == "Execution report…"
    assert w.action_import_forecast.text() == "Cloud forecast…"
    message = file_actions.import_file(w, "execution", str(path))
    assert message == f"Execution report: {len(executing) - 1} completed, 1 failed, 1 order back in the Inbox"
    order_id = executing[0].order_id
    inbox = w.inbox.model
    row = next(r for r in range(inbox.rowCount()) if inbox.item(r).id == order_id)
    col = inbox.HEADERS.index("Tries")
    assert inbox.index(row, col).data() == "1 failed: clouds"
    w.inspector.show_order(w.orders[order_id])
    assert w.inspector.order_page.form.value("attempts") == "1 failed: clouds"

    # The Inspector says what the report said about the failed acquisition.
    w.edits.select([executing[0].id])
    form = w.inspector.acquisition_page.form
    qtbot.waitUntil(lambda: form.value("outcome") != "—", timeout=60000)
    assert form.value("outcome").startswith("failed: clouds · 95 % cloud · reported ")

    # File ▸ Import ▸ Cloud forecast: the Inspector shows P(clear) for an optical acquisition ahead.
    optical = next(a for a in sorted(w.acquisitions.values(), key=lambda a: a.start)
                   if a.mode == "OPTICAL" and a.start > w.now())
    target = next(t for t in w.db.list_targets(w.ws.id) if t.id == optical.target_id)
    forecast = tmp_path / "clouds.csv"
    forecast.write_text(f"lat,lon,2026-08-09T00:00:00Z,2026-08-12T00:00:00Z\n{target.lat},{target.lon},30,30\n",
                        encoding="utf-8")
    assert file_actions.import_file(w, "forecast", str(forecast)).startswith("Cloud forecast: 2 points at 1 place,")
    w.edits.select([optical.id])
    qtbot.waitUntil(lambda: form.value("sky") == "70%", timeout=60000)

    # File ▸ Advance Horizon (no dialogs): the next horizon starts at the clock.
    report = operations_actions.advance_horizon(w, confirm=False)
    assert report is not None and report.failed_by_reason == {"clouds": 1}
    assert w.ws.settings.horizon_start == start + timedelta(hours=12)
    assert "Orders served" in operations_actions.report_text(report)
    w.close()
