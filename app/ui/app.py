"""``python -m app [gui] [--db D]``: the workbench on the last workspace, or the demo."""
from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from PySide6 import QtCore, QtWidgets

from app.domain import DomainError, NotFoundError
from app.services.database import database_url, open_database
from app.services.demo import ensure_demo
from app.services.workspaces import resolve_workspace

from .main_window import MainWindow
from .resources import apply_style


def open_main_window(db_url: str, settings: QtCore.QSettings | None = None) -> MainWindow:
    """The main window on the workspace used last (kept in QSettings), else the demo (created,
    planned and committed on first start)."""
    settings = settings or QtCore.QSettings()
    db = open_database(db_url)
    try:
        name = settings.value("main_window/workspace")
        try:
            ws = resolve_workspace(db, str(name)) if name else ensure_demo(db)
        except NotFoundError:
            ws = ensure_demo(db)
    finally:
        db.close()
    return MainWindow(db_url, ws.id, settings)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app gui", description="open the workbench window")
    parser.add_argument("--db", help="database path or SQLAlchemy URL (default: user data directory, or $MPW_DB)")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setOrganizationName("MissionPlanningWorkbench")
    app.setApplicationName("Workbench")
    apply_style(app)
    db_url = database_url(args.db)
    try:
        window = open_main_window(db_url)
    except DomainError as exc:  # a refused --db (missing folder, foreign file): one line, as the CLI
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    window.show()
    freeze_startup_objects()
    return app.exec()


def freeze_startup_objects() -> None:
    """Move everything built so far (Qt wrappers, modules, the window) out of the garbage
    collector's reach: a full collection then no longer walks them, which otherwise stalls the
    GUI thread for ~100 ms while a worker allocates the objects of a planning run."""
    gc.freeze()
