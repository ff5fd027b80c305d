"""Conflicts of a workspace's schedule (spec section 11, seed 001 §6.5): detection with the
workspace's geometry (alternatives for resolution options, sunlight for power, ground contacts
for downlink), stored and reported; a resolution option applied as an ordinary audited edit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain import (Acquisition, Conflict, NotFoundError, Opportunity, ResolutionAction, ValidationError,
                        parse_optional_utc, to_iso, utc_now)
from app.persistence import ScheduleDB
from app.scheduling import DetectionInput, SatelliteSpec, detect_conflicts, summary

from . import access_service, edits
from .workspaces import resolve_workspace


@dataclass(frozen=True)
class _Context:
    workspace_id: str
    acquisitions: list[Acquisition]
    inputs: DetectionInput


def _span(acqs: list[Acquisition], ws) -> tuple[datetime, datetime] | None:
    if not acqs:
        return None
    start = min(a.start for a in acqs)
    end = max(a.end for a in acqs)
    if ws.settings.horizon_start and ws.settings.horizon_end:
        start, end = min(start, ws.settings.horizon_start), max(end, ws.settings.horizon_end)
    return start, end


def _context(db: ScheduleDB, workspace: str, with_resolutions: bool = True,
             acquisitions: list[Acquisition] | None = None) -> _Context:
    ws = resolve_workspace(db, workspace)
    satellites = db.list_satellites(ws.id)
    specs = {s.id: SatelliteSpec.of(s) for s in satellites}
    if acquisitions is None:
        acquisitions = db.list_acquisitions(ws.id)
    for acq in acquisitions:
        if acq.satellite_id not in specs:
            raise NotFoundError("satellite", f"{acq.satellite_id} (used by {acq.id})")
    orders = {o.id: o for o in db.list_orders(workspace_id=ws.id, limit=None)}
    span = _span(acquisitions, ws)
    alternatives: dict[str, list[Opportunity]] = {}
    sunlit: dict = {}
    contacts: dict = {}
    if span is not None:
        start, end = span
        sunlit = access_service.sunlight(satellites, start, end)
        if any(s.memory_gbit for s in satellites):
            contacts = access_service.contacts(satellites, db.list_ground_stations(ws.id), start, end)
        if with_resolutions:
            served = [orders[a.order_id] for a in acquisitions if a.order_id in orders]
            unique = list({o.id: o for o in served}.values())
            found = access_service.order_opportunities(satellites, db.list_targets(ws.id), unique, start, end,
                                                       ws.settings)
            alternatives = found.by_order
    now = ws.settings.scenario_clock or utc_now()
    inputs = DetectionInput(satellites=specs, orders=orders, workspace_id=ws.id, alternatives=alternatives,
                            sunlit=sunlit, contacts=contacts, with_resolutions=with_resolutions,
                            freeze_cutoff=now + timedelta(hours=ws.settings.freeze_window_hours))
    return _Context(ws.id, acquisitions, inputs)


def detect(db: ScheduleDB, workspace: str, acquisitions: list[Acquisition] | None = None,
           with_resolutions: bool = False) -> list[Conflict]:
    """The conflicts of ``acquisitions`` (default: the workspace's whole schedule) found exactly as
    ``detect_and_store`` finds them (same agility, sunlight for power, contacts for downlink), not
    stored. Compare Plans counts the current schedule's conflicts with it, so its figure is the
    Conflicts tab's."""
    ctx = _context(db, workspace, with_resolutions, acquisitions)
    return detect_conflicts(ctx.acquisitions, ctx.inputs)


def detect_and_store(db: ScheduleDB, workspace: str) -> list[Conflict]:
    """Re-run detection over the whole schedule of ``workspace`` and replace its unresolved
    conflicts. Resolution options come from each order's other opportunities (same access engine
    as planning); power uses the satellites' sunlit intervals, downlink the ground contacts of
    satellites with an on-board memory model. Acquisitions on satellites the workspace does not
    define raise NotFoundError (their agility is unknown)."""
    ctx = _context(db, workspace)
    return db.replace_conflicts(ctx.workspace_id, detect_conflicts(ctx.acquisitions, ctx.inputs))


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
    if t0 and t1 and t1 <= t0:
        raise ValidationError("horizon_end", "must be after horizon_start")
    if satellite_id is not None:
        ws = resolve_workspace(db, workspace)
        known = {s.id for s in db.list_satellites(ws.id)}
        if satellite_id not in known:  # checked before anything is stored
            raise ValidationError("satellite", f"unknown satellite {satellite_id!r}; the workspace has "
                                               f"{', '.join(sorted(known)) or 'none'}")
    conflicts = detect_and_store(db, workspace)
    if satellite_id or t0 or t1:
        ws = resolve_workspace(db, workspace)
        by_id = {a.id: a for a in db.list_acquisitions(ws.id)}

        def keep(c: Conflict) -> bool:
            acqs = [by_id[i] for i in c.acquisition_ids if i in by_id]
            return any((not satellite_id or a.satellite_id == satellite_id)
                       and (not t0 or a.end > t0) and (not t1 or a.start < t1) for a in acqs)
        conflicts = [c for c in conflicts if keep(c)]
    return {"success": True, "conflicts": [conflict_json(c) for c in conflicts], "summary": summary(conflicts)}


@dataclass(frozen=True)
class ResolutionRecord:
    """An applied resolution: the acquisition before, and after (None when deleted)."""

    conflict_id: str
    action: str
    before: Acquisition
    after: Acquisition | None


def apply_resolution(db: ScheduleDB, workspace: str, conflict_id: str, option_index: int) -> ResolutionRecord:
    """Apply resolution option ``option_index`` of an unresolved conflict through ScheduleDB's
    lock rules (audited), mark the conflict resolved and re-detect. A refused edit raises
    RuleViolation with the reason and changes nothing."""
    ctx = _context(db, workspace)
    conflict = next((c for c in db.list_conflicts(ctx.workspace_id) if c.id == conflict_id), None)
    if conflict is None:
        raise NotFoundError("conflict", conflict_id)
    # Options are recomputed on the current schedule; the stored ones only say which to take.
    fresh = {c.id: c for c in detect_conflicts(ctx.acquisitions, ctx.inputs)}.get(conflict_id)
    if fresh is None:  # an edit since detection removed it (a delete, a move): nothing to resolve
        raise NotFoundError("conflict", f"{conflict_id} (the schedule changed since it was detected: it is gone)")
    options = fresh.resolution_options
    if not 0 <= option_index < len(options):
        raise ValidationError("option_index", f"conflict {conflict_id} has {len(options)} resolution options")
    option = options[option_index]
    before = db.get_acquisition(option.acquisition_id)
    if option.action == ResolutionAction.DELETE:
        db.delete_acquisitions([before.id])
        after = None
    else:
        opp_id = option.params["opportunity_id"]
        alts = ctx.inputs.alternatives.get(before.order_id or "", ())
        opp = next((o for o in alts if o.id == opp_id), None)
        if opp is None:
            raise NotFoundError("opportunity", opp_id)
        after = db.update_acquisition(before.id, edits.opportunity_changes(opp), expected_version=before.version)
    db.resolve_conflict(conflict_id, str(option.action), notes=option.description)
    detect_and_store(db, workspace)
    return ResolutionRecord(conflict_id, str(option.action), before, after)


def undo_resolution(db: ScheduleDB, workspace: str, record: ResolutionRecord) -> None:
    """Put the acquisition back as it was before the resolution (audited) and re-detect."""
    if record.after is None:
        db.restore_acquisitions([record.before])
    else:
        edits.put_back(db, [record.before])
    detect_and_store(db, workspace)

