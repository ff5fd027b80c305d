"""File ▸ Import ▸ AEOSSP benchmark case: the case opens as a new workspace; a broken case is refused
with the file and field named and nothing imported."""
import json
import shutil
from pathlib import Path

import pytest
from PySide6 import QtCore, QtWidgets

from app.persistence import ScheduleDB
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario
from app.ui import file_actions
from app.ui.main_window import MainWindow
from modal_helpers import answer_modal

SMALL = Path(__file__).resolve().parents[2] / "tests" / "data" / "aeossp_small"


@pytest.fixture
def db_path(tmp_path, small_scenario) -> str:
    path = str(tmp_path / "day.db")
    db = ScheduleDB(path)
    import_scenario(db, parse_scenario(small_scenario(n_targets=5, n_orders=3)), "day")
    db.close()
    return path


def test_import_aeossp_case_from_the_file_menu(qtbot, db_path, tmp_path):
    settings = QtCore.QSettings(str(tmp_path / "ui.ini"), QtCore.QSettings.Format.IniFormat)
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    assert hasattr(w, "action_import_aeossp")
    message = file_actions.import_file(w, "aeossp", str(SMALL / "mission.yaml"))
    assert message == "Workspace case_0001 imported from the AEOSSP case"
    assert w.ws.name == "case_0001" and len(w.db.list_satellites(w.ws.id)) == 4

    bad = tmp_path / "bad"
    shutil.copytree(SMALL, bad)
    (bad / "tasks.yaml").write_text("tasks: [", encoding="utf-8")
    seen = []

    def answer():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            QtCore.QTimer.singleShot(20, answer)
            return
        seen.append(dialog.text())
        dialog.accept()
    QtCore.QTimer.singleShot(20, answer)
    assert file_actions.import_file(w, "aeossp", str(bad / "mission.yaml")) is None
    assert "tasks.yaml: not YAML" in seen[0] and "Nothing was imported" in seen[0]
    assert sorted(ws.name for ws in w.db.list_workspaces()) == ["case_0001", "day"]
    w.close()


def test_export_aeossp_solution_from_the_file_menu(qtbot, db_path, tmp_path):
    settings = QtCore.QSettings(str(tmp_path / "ui.ini"), QtCore.QSettings.Format.IniFormat)
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    out = tmp_path / "solution.json"

    def fill(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData("aeossp-solution"))
        assert dialog.format.currentText() == "AEOSSP benchmark solution (JSON)"
        assert dialog.path.text().endswith(".json")
        dialog.path.setText(str(out))
        dialog.accept()
    answer_modal(fill)
    w.action_export.trigger()
    assert json.loads(out.read_text(encoding="utf-8")) == {"actions": []}  # nothing committed yet
    w.close()
