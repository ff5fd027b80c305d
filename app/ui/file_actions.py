"""File ▸ New workspace, Open workspace and Import (scenario, AEOSSP case, TLE, targets, ground stations, orders):
each a file dialog, one service call, and the reason shown when the file is refused."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6 import QtWidgets

from app.domain import DomainError, utc_now
from app.services import export_service, imports
from app.services import orders as order_service
from app.services import workspaces

from . import operations_actions
from .dialogs.export_dialog import ExportDialog
from .dialogs.new_workspace_dialog import NewWorkspaceDialog

#: What each Import entry reads: (menu text, file filter, function(window, path) -> message).
IMPORTS = {
    "scenario": ("Scenario as new workspace…", "Scenario (*.json)",
                 lambda w, p: _open_scenario(w, p)),
    "aeossp": ("AEOSSP benchmark case as new workspace…", "AEOSSP case (mission.yaml)",
               lambda w, p: _open_aeossp_case(w, p)),
    "tle": ("TLE (refresh orbits)…", "TLE (*.tle *.txt)",
            lambda w, p: _tle_message(imports.import_tles(w.db, w.ws.id, p))),
    "targets": ("Targets (CSV, GeoJSON)…", "Targets (*.csv *.geojson *.json)",
                lambda w, p: f"{len(imports.import_sites(w.db, w.ws.id, p, 'target')['imported'])} targets imported"),
    "stations": ("Ground stations (CSV)…", "Stations (*.csv)",
                 lambda w, p: f"{len(imports.import_sites(w.db, w.ws.id, p, 'station')['imported'])} stations imported"),
    "orders": ("Orders (CSV, JSON)…", "Orders (*.csv *.json)",
               lambda w, p: f"{len(order_service.import_orders(w.db, w.ws.id, p))} orders added to the Inbox"),
    "execution": ("Execution report…", "Execution report (*.csv *.json)",
                  lambda w, p: operations_actions.report_message(p, w)),
    "forecast": ("Cloud forecast…", "Cloud forecast (*.csv)", lambda w, p: operations_actions.forecast_message(p, w)),
}


def _tle_message(result: dict) -> str:
    text = f"{len(result['updated'])} satellites updated"
    if result["unmatched"]:
        text += f", {len(result['unmatched'])} TLEs matched no satellite"
    if result["stale"]:
        text += f"; stale TLEs: {', '.join(result['stale'])}"
    return text


def _open_scenario(window, path: str) -> str:
    ws = workspaces.import_scenario_file(window.db, path)
    window.open_workspace(ws.id)
    return f"Workspace {ws.name} imported"


def _open_aeossp_case(window, path: str) -> str:
    # The case is a directory; the dialog picks its mission.yaml, beside satellites.yaml and tasks.yaml.
    ws = workspaces.import_aeossp_case(window.db, Path(path).parent)
    window.open_workspace(ws.id)
    return f"Workspace {ws.name} imported from the AEOSSP case"


def import_file(window, kind: str, path: str | None = None) -> str | None:
    """Run one importer on ``path`` (asked for when None); returns the message shown, or None."""
    text, file_filter, run = IMPORTS[kind]
    if path is None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(window, f"Import {text.rstrip('…')}", "", file_filter)
        if not path:
            return None
    try:
        message = run(window, path)
    except (DomainError, OSError, UnicodeDecodeError) as exc:
        QtWidgets.QMessageBox.warning(window, "Import refused", f"{path}\n\n{exc}\n\nNothing was imported.")
        return None
    window.reload()
    window.statusBar().showMessage(message, 10000)
    return message


def new_workspace(window) -> None:
    """File ▸ New workspace…: by default next horizon's workspace, with this one's scenario."""
    s = window.ws.settings
    start = s.horizon_end or utc_now().replace(minute=0, second=0, microsecond=0)
    dialog = NewWorkspaceDialog([w.name for w in window.db.list_workspaces()], window.ws.name, start, window)
    if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
        return
    try:
        ws = workspaces.create_workspace(window.db, **dialog.result_dict())
    except DomainError as exc:
        QtWidgets.QMessageBox.warning(window, "New Workspace", str(exc))
        return
    window.open_workspace(ws.id)
    window.statusBar().showMessage(f"Workspace {ws.name} created", 8000)


def choose_workspace(window) -> None:
    """File ▸ Open workspace…: pick one of the database's workspaces."""
    names = [ws.name for ws in window.db.list_workspaces()]
    name, ok = QtWidgets.QInputDialog.getItem(window, "Open workspace", "Workspace", names,
                                              max(0, names.index(window.ws.name)) if window.ws.name in names else 0,
                                              False)
    if ok and name:
        window.open_workspace(name)


def export_schedule(window, fmt: str | None = None, path: str | None = None, start=None, end=None,
                    excel: bool = False) -> dict | None:
    """File ▸ Export Schedule…: the Export dialog (format, time range defaulting to what the timeline
    shows, last folder used, first time Documents), then one service call; ``path`` given: no dialog.
    A refusal is one line in a message box, and nothing is written."""
    if path is None:
        lo, hi = window.timeline.x_range()
        dialog = ExportDialog(window.ws.name, datetime.fromtimestamp(lo, UTC), datetime.fromtimestamp(hi, UTC),
                              window.settings, fmt or "csv", window)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return None
        r = dialog.result()
        fmt, path, start, end, excel = r["fmt"], r["out"], r["start"], r["end"], r["excel"]
    try:
        result = export_service.export_schedule(window.db, window.ws.id, fmt or "csv", path, start=start, end=end,
                                                excel=excel)
    except (DomainError, OSError) as exc:
        QtWidgets.QMessageBox.warning(window, "Export refused", f"{' '.join(str(exc).split())} — nothing was written.")
        return None
    n = result.get("acquisitions", 0) if isinstance(result, dict) else 0
    window.statusBar().showMessage(f"Exported {n} acquisition{'s' * (n != 1)} to {path}", 8000)
    return result
