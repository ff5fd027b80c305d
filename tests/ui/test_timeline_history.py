"""What happened on the timeline (issue 12 polish): executing, completed and failed acquisitions
are drawn distinctly (colour and pattern, named in the legend); once a horizon is closed its
archived acquisitions leave the timeline (executing ones are carried over and stay)."""
from __future__ import annotations

from PySide6 import QtWidgets

from app.domain import AcquisitionState
from app.persistence import ScheduleDB
from app.services import clock, commits, execution, horizons
from app.services.planning import PlanOptions, run_planning
from app.ui.main_window import MainWindow
from app.ui.palette import BAR_COLOURS, CATEGORY_LABELS, BarCategory


def _day_with_outcomes(db_path, tmp_path):
    """The day planned and committed; the clock at noon; the morning's report: one failed, the
    others completed; what is running at noon is executing."""
    db = ScheduleDB(db_path)
    commits.commit_plan(db, "day", run_planning(db, "day", PlanOptions()).plan_id)
    clock.set_clock(db, "day", "2026-08-10T12:00:00Z")
    started = [a for a in db.list_acquisitions(db.list_workspaces()[0].id) if a.state == AcquisitionState.EXECUTING]
    report = tmp_path / "morning.csv"
    done = started[:-1] if len(started) > 2 else started
    rows = [f"{a.id},{'failed' if k == 0 else 'completed'},{'clouds' if k == 0 else ''}," for k, a in enumerate(done)]
    report.write_text("acquisition_id,outcome,reason,cloud_pct\n" + "\n".join(rows) + "\n", encoding="utf-8")
    execution.import_execution_report(db, "day", report)
    db.close()


def test_executing_completed_and_failed_are_drawn_distinctly_and_archived_ones_leave(qtbot, db_path, settings,
                                                                                    tmp_path, shots_dir):
    _day_with_outcomes(db_path, tmp_path)
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    t = w.timeline
    category = {i: int(t.bars.category[k]) for k, i in enumerate(t.bars.ids)}
    by_state = {}
    for a in w.acquisitions.values():
        by_state.setdefault(a.state, set()).add(category[a.id])
    assert by_state[AcquisitionState.COMPLETED] <= {BarCategory.COMPLETED, BarCategory.CONFLICT}
    assert by_state[AcquisitionState.FAILED] <= {BarCategory.FAILED, BarCategory.CONFLICT}
    assert BarCategory.COMPLETED in by_state[AcquisitionState.COMPLETED]
    assert BarCategory.FAILED in by_state[AcquisitionState.FAILED]
    fills = {BAR_COLOURS[c][0] for c in (BarCategory.EXECUTING, BarCategory.COMPLETED, BarCategory.FAILED,
                                         BarCategory.FROZEN, BarCategory.COMMITTED, BarCategory.CONFLICT)}
    assert len(fills) == 6
    # A pattern as well as a colour for the two that are not plain (greyscale, colour blindness).
    assert t.bars.hatch_of(BarCategory.EXECUTING) is not None and t.bars.hatch_of(BarCategory.FAILED) is not None
    legend = {lbl.text() for lbl in t.legend.findChildren(QtWidgets.QLabel)}
    assert {CATEGORY_LABELS[c] for c in (BarCategory.EXECUTING, BarCategory.COMPLETED, BarCategory.FAILED)} <= legend
    # The legend still fits a 1366 px screen's timeline.
    assert w.minimumSizeHint().width() <= 1366 - 16
    w.resize(1366, 740)
    t.zoom_to(w.now().timestamp() - 8 * 3600, w.now().timestamp() + 2 * 3600)
    qtbot.wait(50)
    w.grab().save(str(shots_dir / "timeline_history.png"))

    # Close the horizon: completed and failed ones are archived and leave the timeline.
    history = {a.id for a in w.acquisitions.values()
               if a.state in (AcquisitionState.COMPLETED, AcquisitionState.FAILED)}
    running = {a.id for a in w.acquisitions.values() if a.state == AcquisitionState.EXECUTING}
    horizons.advance_horizon(w.db, "day")
    w.reload()
    shown = set(t.bars.ids)
    assert history and not (history & shown) and not (history & set(w.acquisitions))
    assert running <= shown
