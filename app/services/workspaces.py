"""Workspaces: resolving by name or id, scenario import and export."""
from __future__ import annotations

import json
from pathlib import Path

from app.domain import Workspace
from app.persistence import ScheduleDB

from .scenario_file import Scenario, load_scenario_file, scenario_to_dict

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def resolve_workspace(db: ScheduleDB, name_or_id: str) -> Workspace:
    """The workspace with this id or name; NotFoundError names what was asked for."""
    return db.find_workspace(name_or_id)


def import_scenario(db: ScheduleDB, scenario: Scenario, name: str | None = None) -> Workspace:
    """Create a workspace from a validated scenario, in one transaction. A name already taken is refused."""
    return db.create_workspace_from_scenario(
        name or scenario.name, settings=scenario.settings, satellites=scenario.satellites,
        targets=scenario.targets, ground_stations=scenario.ground_stations, orders=scenario.orders)


def import_scenario_file(db: ScheduleDB, path: str | Path, name: str | None = None) -> Workspace:
    """Validate the whole file first (every error with its JSON path); nothing is written on any error."""
    scenario = load_scenario_file(path)
    return import_scenario(db, scenario, name)


def export_scenario(db: ScheduleDB, name_or_id: str) -> dict:
    """The workspace as a scenario document (satellites, targets, stations, settings, open orders)."""
    ws = resolve_workspace(db, name_or_id)
    orders = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.status != "cancelled"]
    return scenario_to_dict(ws.name, ws.settings, db.list_satellites(ws.id), db.list_targets(ws.id),
                            db.list_ground_stations(ws.id), orders)


def export_scenario_file(db: ScheduleDB, name_or_id: str, path: str | Path) -> Path:
    out = Path(path)
    out.write_text(json.dumps(export_scenario(db, name_or_id), indent=2, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    return out

