"""Compare Plans names every figure in words with its unit, once (defect 6: "Orders served" twice,
a raw key "Total maneuver time s")."""
from __future__ import annotations

from app.persistence import ScheduleDB
from app.services.commits import commit_plan
from app.services.planning import PlanOptions, compare_plan, run_planning
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario
from app.ui.dialogs.compare_dialog import METRICS, CompareDialog


def test_compare_rows_are_named_once_in_words(qtbot, tmp_path, small_scenario):
    db = ScheduleDB(tmp_path / "c.db")
    try:
        ws = import_scenario(db, parse_scenario(small_scenario()), "c").id
        commit_plan(db, ws, run_planning(db, ws, PlanOptions()).plan_id)
        result = run_planning(db, ws, PlanOptions(mode="reshuffle"))
        dialog = CompareDialog(compare_plan(db, ws, result.plan_id))
        qtbot.addWidget(dialog)
    finally:
        db.close()
    labels = [cells[0] for cells in dialog.rows.values()]
    assert set(dialog.rows) <= set(METRICS), sorted(set(dialog.rows) - set(METRICS))
    assert len(labels) == len(set(labels)) and not any("_" in label for label in labels)
    assert dialog.rows["total_maneuver_time_s"][1].endswith((" s", "min", "h"))
    assert "Orders served" in labels and "Acquisitions" in labels
