"""File ▸ Import: TLEs, targets and ground stations into a workspace, validated whole first.

Orders (``services.orders.import_orders``) and scenarios (``services.workspaces``) have their own
importers; these complete the menu. Every file is checked entirely before anything is written.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.access import is_stale, load_sites_csv, load_targets_geojson, load_tle_file
from app.domain import ValidationError
from app.persistence import ScheduleDB

from .workspaces import resolve_workspace


def import_tles(db: ScheduleDB, workspace: str, path: str | Path) -> dict[str, Any]:
    """Refresh the orbits of the workspace's satellites from a TLE file, matched by NORAD number.

    Returns ``{"updated": [satellite ids], "unmatched": [TLE names], "stale": [satellite ids]}``
    (stale: epoch older than the workspace's ``tle_stale_days`` before the horizon start). A file
    that matches no satellite is refused."""
    ws = resolve_workspace(db, workspace)
    records = load_tle_file(path)
    satellites = db.list_satellites(ws.id)
    by_norad = {s.norad_id: s for s in satellites if s.norad_id}
    updated, unmatched = [], []
    for rec in records:
        sat = by_norad.get(rec.norad_id)
        if sat is None:
            unmatched.append(rec.name or str(rec.norad_id))
            continue
        updated.append(replace(sat, tle_line1=rec.line1, tle_line2=rec.line2))
    if not updated:
        raise ValidationError(str(path), "no TLE matches a satellite of the workspace by NORAD number "
                                         f"({', '.join(str(n) for n in sorted(by_norad)) or 'none defined'})")
    db.upsert_satellites(ws.id, updated)
    start = ws.settings.horizon_start
    epochs = {rec.norad_id: rec for rec in records}
    stale = [s.id for s in updated
             if start is not None and is_stale(epochs[s.norad_id], start, ws.settings.tle_stale_days)]
    return {"updated": [s.id for s in updated], "unmatched": unmatched, "stale": stale}


def import_sites(db: ScheduleDB, workspace: str, path: str | Path, kind: str = "target") -> dict[str, Any]:
    """Add or replace targets (CSV or GeoJSON points) or ground stations (CSV) by name.
    Returns ``{"kind", "imported": [ids]}``."""
    ws = resolve_workspace(db, workspace)
    p = Path(path)
    if kind == "target":
        sites = load_targets_geojson(p) if p.suffix.lower() in (".geojson", ".json") else load_sites_csv(p, "target")
        db.upsert_targets(ws.id, sites)
    elif kind == "station":
        sites = load_sites_csv(p, "station")
        db.upsert_ground_stations(ws.id, sites)
    else:
        raise ValidationError("kind", f"must be target or station, got {kind!r}")
    return {"kind": kind, "imported": [s.id for s in sites]}
