"""Cloud forecasts (spec §14 ``forecast import``): CSV rows ``lat, lon, time, cloud_pct``.

Importing replaces the workspace's forecast as a whole; every row is checked first (latitude −90…90,
longitude −180…180, a time with its zone, cloud cover 0–100 %) and a bad row refuses the file, naming
the row and the field. Planning then weighs each optical opportunity's value by the probability of a
clear sky (``app.scheduling.clouds`` states the interpolation); SAR is unaffected.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Sequence

from app.domain import Opportunity, Target, ValidationError, parse_utc
from app.persistence import ScheduleDB
from app.scheduling.clouds import CloudForecast, clear_sky_factors

from .table_files import number, read_rows
from .workspaces import resolve_workspace

COLUMNS = ("lat", "lon", "time", "cloud_pct")


def parse_forecast_file(path: str | Path) -> list[tuple[float, float, datetime, float]]:
    """Validated forecast points; the first bad row raises ValidationError ``row N.field: reason``.

    Two layouts: rows ``lat, lon, time, cloud_pct``, or a grid ``lat, lon, <time>, <time>, …`` with one
    row per location and the cloud cover (%) under each forecast time (ISO 8601 with its zone)."""
    rows = read_rows(path, None, None)
    header = list(rows[0][1]) if rows else []
    if header[:2] != ["lat", "lon"] or (len(header) > 2 and header[2:] == list(COLUMNS[2:])):
        return _long_rows(path, rows, header)
    times = [(h, _grid_time(h)) for h in header[2:]]
    if not times:
        raise ValidationError("header", "a gridded forecast needs at least one time column after lat, lon")
    points = []
    for n, raw in rows:
        lat, lon = _position(raw, n)
        for column, when in times:
            if raw.get(column) in (None, ""):
                raise ValidationError(f"row {n}.{column}", "required")
            points.append((lat, lon, when, number(raw[column], f"row {n}.{column}", 0.0, 100.0)))
    return points


def _grid_time(column: str) -> datetime:
    try:
        return parse_utc(column, f"header.{column}")
    except ValidationError as exc:
        if "naive" in exc.reason or "year" in exc.reason:
            raise
        raise ValidationError(f"header.{column}", "unknown column: neither one of lat, lon, time, cloud_pct nor "
                                                  "a forecast time (ISO 8601 with a zone)") from None


def _position(raw: dict[str, Any], n: int) -> tuple[float, float]:
    for key in ("lat", "lon"):
        if raw.get(key) in (None, ""):
            raise ValidationError(f"row {n}.{key}", "required")
    return number(raw["lat"], f"row {n}.lat", -90.0, 90.0), number(raw["lon"], f"row {n}.lon", -180.0, 180.0)


def _long_rows(path, rows, header) -> list[tuple[float, float, datetime, float]]:
    unknown = sorted(set(header) - set(COLUMNS))
    if unknown:
        raise ValidationError(f"header.{unknown[0]}", f"unknown column; known: {', '.join(COLUMNS)} "
                                                      "(or lat, lon and one column per forecast time)")
    points = []
    for n, raw in rows:
        for key in COLUMNS:
            if raw.get(key) in (None, ""):
                raise ValidationError(f"row {n}.{key}", "required")
        lat, lon = _position(raw, n)
        points.append((lat, lon, parse_utc(raw["time"], f"row {n}.time"),
                       number(raw["cloud_pct"], f"row {n}.cloud_pct", 0.0, 100.0)))
    if not points:
        raise ValidationError(str(path), "the forecast has no rows")
    return points


def import_forecast(db: ScheduleDB, workspace: str, path: str | Path) -> dict[str, Any]:
    """Replace the workspace's cloud forecast by the file's points (nothing written on a bad row)."""
    ws = resolve_workspace(db, workspace)
    points = parse_forecast_file(path)
    db.replace_cloud_forecast(ws.id, points)
    return {"workspace_id": ws.id, "points": len(points), "locations": len({(p[0], p[1]) for p in points}),
            "from": min(p[2] for p in points), "to": max(p[2] for p in points)}


def import_forecast_json(result: dict[str, Any]) -> dict[str, Any]:
    from app.domain import to_iso
    return {**result, "from": to_iso(result["from"]), "to": to_iso(result["to"])}


def workspace_forecast(db: ScheduleDB, workspace_id: str) -> CloudForecast:
    """The workspace's forecast (empty when none was imported)."""
    return CloudForecast(db.cloud_forecast(workspace_id))


def clear_sky(db: ScheduleDB, workspace_id: str, opportunities: Sequence[Opportunity],
              targets: Sequence[Target]) -> dict[str, float]:
    """Opportunity id → P(clear) for the optical opportunities the workspace's forecast covers."""
    return clear_sky_factors(workspace_forecast(db, workspace_id), opportunities, targets)


def swap_choices(db: ScheduleDB, workspace: str, acquisition_id: str) -> tuple[list[Opportunity], dict[str, float]]:
    """The Inspector's swap choices (``edits.alternatives``) and P(clear) of each of them and of the
    acquisition itself (keyed by opportunity id, and by the acquisition id) where the workspace's
    forecast covers them; empty without a forecast or for SAR."""
    from .edits import alternatives

    ws = resolve_workspace(db, workspace)
    opps = alternatives(db, ws.id, acquisition_id)
    forecast = workspace_forecast(db, ws.id)
    if not len(forecast):
        return opps, {}
    targets = {t.id: t for t in db.list_targets(ws.id)}
    sky = clear_sky_factors(forecast, opps, targets)
    acq = db.get_acquisition(acquisition_id)
    target = targets.get(acq.target_id) if acq else None
    if acq is not None and target is not None and acq.mode == "OPTICAL":
        p = forecast.p_clear(target.lat, target.lon, acq.start)
        if p is not None:
            sky[acq.id] = p
    return opps, sky
