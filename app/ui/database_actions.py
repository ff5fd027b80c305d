"""File ▸ Open Database… and its recent list, and what a read-only database means in the window:
a banner saying why, and every edit disabled (and refused, ``MainWindow.edit_refusal``).

The recent list lives in QSettings with passwords masked (``user:***@``); no message, title or
list ever shows a password."""
from __future__ import annotations

from pathlib import Path

from PySide6 import QtCore, QtWidgets

from app.domain import DomainError
from app.services.database import masked, needs_password, open_database

from .dialogs.open_database_dialog import OpenDatabaseDialog

RECENT_KEY = "databases/recent"
MAX_RECENT = 8
#: Actions that change the database: disabled while it is read-only (their tooltips say why).
EDIT_ACTIONS = ("new_workspace", "lock_soft", "lock_hard", "unlock", "delete", "new_order", "plan", "reshuffle",
                "commit", "reject", "detect", "clock_step", "clock_set", "clock_live", "advance_horizon")


def recent(settings: QtCore.QSettings) -> list[str]:
    """The databases opened last, newest first (passwords masked)."""
    value = settings.value(RECENT_KEY) or []
    items = [value] if isinstance(value, str) else list(value)
    return [str(v) for v in items if v][:MAX_RECENT]


def remember(settings: QtCore.QSettings, location: str) -> None:
    shown = masked(location)
    settings.setValue(RECENT_KEY, [shown] + [r for r in recent(settings) if r != shown][: MAX_RECENT - 1])


def short_name(db) -> str:
    """How the title names a database: a SQLite file by its name, a server by its masked URL."""
    location = str(db.location)
    return location if "://" in location else Path(location).name


def one_line(text: str) -> str:
    return " ".join(masked(str(text)).split())


def open_database_dialog(window, location: str | None = None) -> bool:
    """File ▸ Open Database…: ask where (``location`` answers in advance), open it and show its
    last-used workspace. A refusal is one line in a message box; the window stays as it was."""
    if location is None:
        dialog = OpenDatabaseDialog(recent(window.settings), window.db_url, window)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return False
        location = dialog.location()
    if needs_password(location):
        return _refuse(window, f"{masked(location)}: type the password for this server")
    try:
        db = open_database(location)
    except DomainError as exc:
        return _refuse(window, str(exc))
    try:
        names = sorted(ws.name for ws in db.list_workspaces())
    except DomainError as exc:
        db.close()
        return _refuse(window, str(exc))
    if not names:
        db.close()
        return _refuse(window, f"{db.location} has no workspace yet: create one with "
                               "python -m app workspace create, or import a scenario")
    last = window.settings.value(f"databases/workspace/{masked(location)}")
    name = last if last in names else (window.ws.name if window.ws.name in names else names[0])
    if not window.planning_flow.settle_candidate_on_close():
        db.close()
        return False
    window.switch_database(db, location, name)
    remember(window.settings, location)
    window.statusBar().showMessage(f"Opened {db.location}, workspace {name}", 8000)
    return True


def _refuse(window, message: str) -> bool:
    QtWidgets.QMessageBox.warning(window, "Open Database", one_line(message))
    return False


def remember_workspace(window) -> None:
    window.settings.setValue(f"databases/workspace/{masked(window.db_url)}", window.ws.name)


def show_read_only(window) -> None:
    """The banner and the edit actions follow the open database: read-only → banner with the
    reason, every edit action disabled with the reason as its tooltip."""
    reason = window.edit_refusal()
    window.read_only_banner.setText(f"Read-only: {reason}. Nothing can be changed; reading and exporting work."
                                    if reason else "")
    window.read_only_banner.setVisible(bool(reason))
    names = list(EDIT_ACTIONS) + [k[len("action_"):] for k in vars(window) if k.startswith("action_import_")]
    for name in names:
        action = getattr(window, f"action_{name}", None)
        if action is not None:
            action.setEnabled(not reason)
            action.setToolTip(f"Read-only database: {reason}" if reason else "")
