"""Schedule export (spec §13): CSV, JSON, iCalendar, KML of a workspace's acquisitions in a window."""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from app.access import Scene, scene_footprints
from app.domain import ValidationError, parse_optional_utc
from app.export import FORMATS, write_schedule
from app.export.safe_file import STDOUT, check_target
from app.persistence.db_files import database_files
from app.persistence import ScheduleDB

from .map_service import NOMINAL_SWATH_KM
from .workspaces import resolve_workspace


def footprints(acquisitions, targets, satellites) -> dict[str, list[tuple[float, float]]]:
    """Each acquisition's imaged strip (access.tracks.scene_footprints: along the ground track,
    swath wide, as long as the imaging), as closed rings of (lat, lon) degrees by acquisition id."""
    by_target = {t.id: t for t in targets}
    known = {s.id for s in satellites}
    drawn = [a for a in acquisitions if a.target_id in by_target and a.satellite_id in known]
    scenes = [Scene(a.satellite_id, by_target[a.target_id].lat, by_target[a.target_id].lon, a.start,
                    a.end, a.swath_width_km or NOMINAL_SWATH_KM.get(a.mode, 20.0)) for a in drawn]
    rings = scene_footprints(satellites, scenes)
    return {a.id: [(float(lat), float(lon)) for lat, lon in ring] for a, ring in zip(drawn, rings)}


def export_schedule(db: ScheduleDB, workspace: str, fmt: str, out: str | Path, *, start=None, end=None,
                    excel: bool = False, follow_symlinks: bool = False) -> dict:
    """Write the schedule of ``workspace`` between ``start`` and ``end`` (default: everything) to ``out``
    (``"-"``: standard output).

    Returns {"format", "out", "acquisitions"}. Everything is checked before anything is written; the
    file is written to a temporary file and renamed (the old one intact on failure); the open
    database, any SQLite file and (unless ``follow_symlinks``) symbolic links are refused.
    """
    fmt = (fmt or "").lower()
    if fmt not in FORMATS:
        raise ValidationError("format", f"must be one of {'|'.join(FORMATS)}, got {fmt!r}")
    if excel and fmt != "csv":
        raise ValidationError("excel", f"only for csv, not {fmt}")
    protected = database_files(db)
    if str(out) != STDOUT:
        check_target(out, protected=protected, follow_symlinks=follow_symlinks)
    ws = resolve_workspace(db, workspace)
    t0 = parse_optional_utc(start, "from")
    t1 = parse_optional_utc(end, "to")
    if t0 and t1 and t1 <= t0:
        raise ValidationError("to", "must be after from")
    acquisitions = db.list_acquisitions(ws.id)
    if t0 or t1:
        lo = t0 or min((a.start for a in acquisitions), default=t1 - timedelta(seconds=1))
        hi = t1 or max((a.end for a in acquisitions), default=lo + timedelta(seconds=1))
        acquisitions = [a for a in acquisitions if a.end > lo and a.start < hi]
    window = {"from": t0, "to": t1}
    targets, satellites = db.list_targets(ws.id), db.list_satellites(ws.id)
    extra = {"footprints": footprints(acquisitions, targets, satellites)} if fmt == "kml" else {}
    written = write_schedule(fmt, out, acquisitions, targets=targets, satellites=satellites,
                             workspace_name=ws.name, window=window, protected=protected,
                             follow_symlinks=follow_symlinks, excel=excel, **extra)
    return {"format": fmt, "out": str(written), "acquisitions": len(acquisitions)}
