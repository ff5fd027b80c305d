"""Workspaces: resolving by name or id, scenario import and export."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from pathlib import Path

from app.domain import ValidationError, Workspace, WorkspaceSettings, checks, limits, parse_utc
from app.export.safe_file import check_target, write_file
from app.persistence import ScheduleDB
from app.persistence.db_files import database_files
from app.shipped import shipped_dir

from .scenario_file import Scenario, load_scenario_file, scenario_to_dict

DATA_DIR = shipped_dir("data")


def resolve_workspace(db: ScheduleDB, name_or_id: str) -> Workspace:
    """The workspace with this id or name; NotFoundError names what was asked for."""
    return db.find_workspace(name_or_id)


def create_workspace(db: ScheduleDB, name: str, horizon_start: datetime | str, horizon_days: float,
                     copy_from: str | None = None) -> Workspace:
    """A new workspace planning ``horizon_days`` from ``horizon_start`` (also its scenario clock).
    With ``copy_from``, it takes that workspace's satellites, targets, ground stations and
    settings (no orders, no schedule): the usual way to start next week's planning."""
    name = checks.name(name, "name")
    start = parse_utc(horizon_start, "horizon_start")
    days = checks.number(horizon_days, "horizon_days")
    if not 0 < days <= limits.MAX_HORIZON_DAYS:
        raise ValidationError("horizon_days", f"must be between 0 and {limits.MAX_HORIZON_DAYS} days, "
                                              f"got {horizon_days!r}")
    horizon = {"horizon_start": start, "horizon_end": start + timedelta(days=float(horizon_days)),
               "scenario_clock": start}
    if copy_from is None:
        return db.create_workspace(name, WorkspaceSettings(**horizon))
    source = resolve_workspace(db, copy_from)
    return db.create_workspace_from_scenario(
        name, settings=dataclasses.replace(source.settings, **horizon), satellites=db.list_satellites(source.id),
        targets=db.list_targets(source.id), ground_stations=db.list_ground_stations(source.id))


def import_scenario(db: ScheduleDB, scenario: Scenario, name: str | None = None) -> Workspace:
    """Create a workspace from a validated scenario, in one transaction. A name already taken is refused."""
    return db.create_workspace_from_scenario(
        name or scenario.name, settings=scenario.settings, satellites=scenario.satellites,
        targets=scenario.targets, ground_stations=scenario.ground_stations, orders=scenario.orders)


def import_scenario_file(db: ScheduleDB, path: str | Path, name: str | None = None) -> Workspace:
    """Validate the whole file first (every error with its JSON path); nothing is written on any error."""
    scenario = load_scenario_file(path)
    return import_scenario(db, scenario, name)


def import_aeossp_case(db: ScheduleDB, case_dir: str | Path, name: str | None = None) -> Workspace:
    """Import an AEOSSP benchmark case directory (aeossp_case.py has the mapping) as a new workspace
    named ``name`` (default: the case id). Validated whole first; nothing is written on any error."""
    from .aeossp_case import load_case

    return import_scenario(db, load_case(case_dir).scenario, name)


def export_scenario(db: ScheduleDB, name_or_id: str) -> dict:
    """The workspace as a scenario document (satellites, targets, stations, settings, open orders)."""
    ws = resolve_workspace(db, name_or_id)
    orders = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.status != "cancelled"]
    return scenario_to_dict(ws.name, ws.settings, db.list_satellites(ws.id), db.list_targets(ws.id),
                            db.list_ground_stations(ws.id), orders)


def export_scenario_file(db: ScheduleDB, name_or_id: str, path: str | Path, *,
                         follow_symlinks: bool = False) -> str:
    """Write the workspace's scenario file safely (``export.safe_file``: temporary file renamed into
    place, never onto the database, a SQLite file or through a link); ``"-"`` is stdout."""
    protected = database_files(db)
    if str(path) != "-":
        check_target(path, protected=protected, follow_symlinks=follow_symlinks)
    text = json.dumps(export_scenario(db, name_or_id), indent=2, ensure_ascii=False) + "\n"
    return write_file(path, lambda stream: stream.write(text), protected=protected,
                      follow_symlinks=follow_symlinks)

