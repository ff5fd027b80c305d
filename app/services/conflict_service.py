"""Conflict detection over a workspace's schedule, stored and reported (seed 001 §6.5 response shape)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from app.domain import Conflict, NotFoundError, parse_optional_utc, to_iso
from app.persistence import ScheduleDB
from app.scheduling import DetectionInput, SatelliteSpec, detect_conflicts, summary

from .workspaces import resolve_workspace


def detect_and_store(db: ScheduleDB, workspace: str) -> list[Conflict]:
    """Re-run detection over the whole schedule of ``workspace`` and replace its unresolved conflicts.

    Acquisitions on satellites the workspace does not define are reported as NotFoundError (the detector
    cannot know their agility). Ground-station contacts are not given yet, so ``downlink_window`` is not checked.
    """
    ws = resolve_workspace(db, workspace)
    satellites = {s.id: SatelliteSpec.of(s) for s in db.list_satellites(ws.id)}
    acquisitions = db.list_acquisitions(ws.id)
    for acq in acquisitions:
        if acq.satellite_id not in satellites:
            raise NotFoundError("satellite", f"{acq.satellite_id} (used by {acq.id})")
    orders = {o.id: o for o in db.list_orders(workspace_id=ws.id, limit=None)}
    conflicts = detect_conflicts(acquisitions, DetectionInput(satellites=satellites, orders=orders,
                                                              workspace_id=ws.id))
    return db.replace_conflicts(ws.id, conflicts)


def conflict_json(c: Conflict) -> dict[str, Any]:
    return {"id": c.id, "type": str(c.type), "severity": str(c.severity), "description": c.description,
            "acquisitions": list(c.acquisition_ids), "satellite_id": c.satellite_id,
            "detected_at": to_iso(c.detected_at) if c.detected_at else None,
            "resolution_options": [{"action": str(o.action), "acquisition_id": o.acquisition_id,
                                    "description": o.description, **o.params} for o in c.resolution_options]}


def conflicts_report(db: ScheduleDB, workspace: str, *, satellite_id: str | None = None,
                     horizon_start: Any = None, horizon_end: Any = None) -> dict[str, Any]:
    """Detect, store, and return {"success", "conflicts", "summary"} filtered by satellite and time window."""
    t0 = parse_optional_utc(horizon_start, "horizon_start")
    t1 = parse_optional_utc(horizon_end, "horizon_end")
    conflicts = detect_and_store(db, workspace)
    if satellite_id or t0 or t1:
        ws = resolve_workspace(db, workspace)
        by_id = {a.id: a for a in db.list_acquisitions(ws.id)}

        def keep(c: Conflict) -> bool:
            acqs = [by_id[i] for i in c.acquisition_ids if i in by_id]
            return any((not satellite_id or a.satellite_id == satellite_id)
                       and (not t0 or a.end_time > t0) and (not t1 or a.start_time < t1) for a in acqs)
        conflicts = [c for c in conflicts if keep(c)]
    return {"success": True, "conflicts": [conflict_json(c) for c in conflicts], "summary": summary(conflicts)}
