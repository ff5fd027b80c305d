"""File ▸ Open Database… with a recent list (issue 13 item 5), and a read-only database shown as
such (issue 14 item 4): a banner saying why, edits disabled and refused with that reason."""
from __future__ import annotations

import shutil
from pathlib import Path

from PySide6 import QtWidgets

from app.persistence import ScheduleDB
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario
from app.ui import database_actions
from app.ui.main_window import MainWindow
from modal_helpers import answer_modal
from tests.conftest import damage_sqlite_file


def _second_database(tmp_path, small_scenario) -> str:
    path = str(tmp_path / "night.db")
    db = ScheduleDB(path, create=True)
    import_scenario(db, parse_scenario(small_scenario(n_targets=8, n_orders=5)), "night shift")
    db.close()
    return path


def test_open_database_switches_and_keeps_a_masked_recent_list(qtbot, db_path, settings, tmp_path, small_scenario):
    other = _second_database(tmp_path, small_scenario)
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    assert database_actions.recent(settings)[0] == str(Path(db_path))  # the one opened at start
    assert w.read_only_banner.isHidden() and w.action_delete.isEnabled()  # a healthy file: no banner

    def choose(dialog):
        assert dialog.place.itemText(0) == str(Path(db_path))
        dialog.place.setCurrentText(other)
        dialog.accept()
    answer_modal(choose)
    w.action_open_database.trigger()
    assert w.ws.name == "night shift" and w.windowTitle().endswith("night.db — night shift")
    assert len(w.orders) == 5 and w.inbox.count() == 5 and not w.acquisitions
    assert database_actions.recent(settings)[:2] == [other, str(Path(db_path))]

    # A server that cannot be reached: one line in a message box, the password never shown, the
    # window as it was; the recent list keeps nothing it could not open.
    seen = []
    answer_modal(lambda box: (seen.append(box.text()), box.accept()))
    url = "postgresql+psycopg://planner:s3cret-pw@127.0.0.1:1/mission"
    assert database_actions.open_database_dialog(w, url) is False
    assert len(seen) == 1 and "\n" not in seen[0] and "s3cret" not in seen[0] and "planner:***@" in seen[0]
    assert w.ws.name == "night shift"
    assert all("s3cret" not in r for r in database_actions.recent(settings))

    # The recent list shows a server with its password masked; choosing it asks for the password.
    database_actions.remember(settings, url)
    assert database_actions.recent(settings)[0] == "postgresql+psycopg://planner:***@127.0.0.1:1/mission"
    assert "s3cret" not in str(settings.value(database_actions.RECENT_KEY))

    def masked_entry(dialog):
        dialog.place.setCurrentIndex(0)
        assert dialog.password.isEnabled() and dialog.password.echoMode() == QtWidgets.QLineEdit.EchoMode.Password
        dialog.password.setText("typed-again")
        seen.append(dialog.location())
        dialog.reject()
    answer_modal(masked_entry)
    w.action_open_database.trigger()
    assert seen[-1] == "postgresql+psycopg://planner:typed-again@127.0.0.1:1/mission"

    # Back to the first database: its workspace, as left.
    answer_modal(lambda d: (d.place.setCurrentText(db_path), d.accept()))
    w.action_open_database.trigger()
    assert w.ws.name == "day" and len(w.orders) == 12
    w.close()


def test_a_read_only_database_says_why_and_refuses_edits(qtbot, db_path, settings):
    from app.services.planning import PlanOptions, run_planning
    from app.services import commits
    db = ScheduleDB(db_path)
    ws = db.list_workspaces()[0].id
    commits.commit_plan(db, ws, run_planning(db, ws, PlanOptions(mode="from_scratch")).plan_id)
    db.close()
    damage_sqlite_file(db_path)
    # A file this process never opened (a file is checked once per process and inode).
    damaged = str(Path(db_path).with_name("damaged.db"))
    shutil.copy(db_path, damaged)
    before = Path(damaged).read_bytes()
    w = MainWindow(damaged, "day", settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    banner = w.read_only_banner
    assert banner.isVisible() and "Read-only" in banner.text() and "integrity check" in banner.text()
    assert not w.action_delete.isEnabled() and not w.action_plan.isEnabled() and not w.action_commit.isEnabled()
    assert "integrity check" in w.action_lock_hard.toolTip()
    assert "SELECT" not in w.statusBar().currentMessage()  # no SQL in what the planner reads
    assert w.action_export.isEnabled() and w.acquisitions  # reading and exporting work
    ids = sorted(w.acquisitions)[:2]
    w.lock(ids, "hard")
    message = w.statusBar().currentMessage()
    assert message.startswith("Lock hard refused: ") and "integrity check" in message
    assert {str(w.acquisitions[i].lock_level) for i in ids} != {"hard"} and w.undo_stack.count() == 0
    w.close()
    assert Path(damaged).read_bytes() == before
