"""GUI test fixtures: the workbench style applied once, small synthetic schedules, drag helpers."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from app.ui.resources import apply_style
from app.ui.sample_schedule import sample_schedule

SHOTS = Path("/tmp/ui_shots")


@pytest.fixture(scope="session", autouse=True)
def _styled(qapp):
    apply_style(qapp)
    yield


@pytest.fixture
def schedule():
    """8 satellites, 300 acquisitions, 4 conflicts, 40 ghost items, 25 new orders."""
    return sample_schedule(n_satellites=8, n_acquisitions=300)


@pytest.fixture
def small():
    return sample_schedule(n_satellites=4, n_acquisitions=60, n_orders_new=6, n_conflicts=2, n_ghosts=5)


def _drag(widget: QtWidgets.QWidget, a: QtCore.QPoint, b: QtCore.QPoint,
         modifiers=QtCore.Qt.KeyboardModifier.NoModifier,
          button=QtCore.Qt.MouseButton.LeftButton, steps: int = 4) -> None:
    """A real mouse drag: press at ``a``, move in steps, release at ``b``.

    Moves are spaced by 20 ms: pyqtgraph drops mouse moves faster than the screen refresh.
    """
    QTest.mousePress(widget, button, modifiers, a)
    for k in range(1, steps + 1):
        QTest.qWait(20)
        QTest.mouseMove(widget, a + (b - a) * (k / steps))
    QTest.mouseRelease(widget, button, modifiers, b)


@pytest.fixture
def shots_dir() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


@pytest.fixture
def drag():
    """The drag helper (a fixture: test modules here are not a package)."""
    return _drag


@pytest.fixture
def no_stuck_modal(qapp):
    """Fails the test (instead of hanging the run) when a modal dialog stays unanswered for 10 s.
    It needs only ``qapp``: requested before ``qtbot`` it is torn down after it, so it also covers
    windows that ask something when qtbot closes them after a failure."""
    from modal_helpers import ModalGuard
    guard = ModalGuard(limit=10.0)
    yield guard
    guard.stop()
    if guard.closed:
        pytest.fail(f"modal dialog(s) left unanswered and closed: {', '.join(guard.closed)}")


@pytest.fixture
def settings(tmp_path) -> QtCore.QSettings:
    """The window's QSettings in a file of the test's own (never the user's layout)."""
    return QtCore.QSettings(str(tmp_path / "ui.ini"), QtCore.QSettings.Format.IniFormat)


@pytest.fixture
def db_path(tmp_path, small_scenario) -> str:
    """A database holding the small 'day' workspace: 20 targets, 12 orders in the Inbox."""
    from app.persistence import ScheduleDB
    from app.services.scenario_file import parse_scenario
    from app.services.workspaces import import_scenario
    path = str(tmp_path / "day.db")
    db = ScheduleDB(path)
    import_scenario(db, parse_scenario(small_scenario(n_targets=20, n_orders=12)), "day")
    db.close()
    return path

