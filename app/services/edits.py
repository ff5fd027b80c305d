"""Planner edits of the schedule (spec section 10), each returning what the Edit menu needs to
undo it. The lock rules live in ScheduleDB; a refused edit changes nothing and says why."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.domain import (Acquisition, AcquisitionSource, LockLevel, NotFoundError, Opportunity, Order, RuleViolation,
                        StaleEditError)
from app.domain.enums import parse_enum
from app.persistence import ScheduleDB

from . import access_service
from .workspaces import resolve_workspace


@dataclass(frozen=True)
class EditResult:
    """``done``: the acquisitions as they were before the edit (for undo); ``refused``: id → reason;
    ``after``: the changed acquisitions as they are now (when the edit keeps them)."""

    done: tuple[Acquisition, ...]
    refused: Mapping[str, str]
    after: tuple[Acquisition, ...] = ()


def set_lock(db: ScheduleDB, ids: Sequence[str], level: str) -> EditResult:
    """Lock (soft/hard) or unlock (none) the acquisitions that allow it; report the others."""
    parse_enum(LockLevel, level, "lock_level")
    result = db.set_lock_level(list(ids), level, partial=True)
    return EditResult(tuple(result["before"]), result["refused"], tuple(result["after"]))


def restore_locks(db: ScheduleDB, acquisitions: Sequence[Acquisition],
                  expected_versions: Mapping[str, int] | None = None) -> None:
    """Undo of ``set_lock``: each acquisition back to its own earlier level (audited override).
    ``expected_versions``: the versions the planner saw (e.g. ``EditResult.after``); without them,
    a row whose last change was another planner's is refused (never undo someone else's lock)."""
    expected = dict(expected_versions) if expected_versions is not None else mine(db, [a.id for a in acquisitions])
    by_level: dict[str, list[str]] = {}
    for a in acquisitions:
        by_level.setdefault(str(a.lock_level), []).append(a.id)
    for level, ids in by_level.items():
        db.set_lock_level(ids, level, override=True, expected_versions={i: expected[i] for i in ids if i in expected})


def mine(db: ScheduleDB, ids: Sequence[str]) -> dict[str, int]:
    """id → current version of acquisitions whose last change was this planner's own; a row
    another planner changed since is refused (StaleEditError naming who and when). Undo and
    redo use it when the caller kept no versions: they never override someone else's edit."""
    out: dict[str, int] = {}
    for aid, (who, at, version) in db.last_changes(ids).items():
        if who is not None and who != db.user:
            raise StaleEditError("acquisition", aid, version, version, who, at)
        out[aid] = version
    return out


def delete(db: ScheduleDB, ids: Sequence[str]) -> EditResult:
    """Delete the acquisitions the rules allow (locked or frozen ones are refused with the reason)."""
    result = db.delete_acquisitions(list(ids), partial=True)
    return EditResult(tuple(result["rows"]), result["refused"])


def restore(db: ScheduleDB, acquisitions: Sequence[Acquisition]) -> None:
    """Undo of ``delete``: the very same rows back (audited); refused if the order is served
    again meanwhile (by whom, when)."""
    db.restore_acquisitions(list(acquisitions))


def redelete(db: ScheduleDB, acquisitions: Sequence[Acquisition]) -> None:
    """Redo of ``delete`` after an undo: a row another planner changed since the undo put it
    back (e.g. hard-locked) is refused with who/when (``mine``)."""
    db.delete_acquisitions([a.id for a in acquisitions], override=True,
                           expected_versions=mine(db, [a.id for a in acquisitions]))


#: The acquisition fields an opportunity defines (what a swap, a move or a resolution changes).
OPPORTUNITY_FIELDS = ("satellite_id", "start", "end", "roll_deg", "pitch_deg",
                      "roll_end_deg", "pitch_end_deg", "incidence_deg", "look_side", "pass_direction",
                      "opportunity_id")
#: ... and the figures a plan computes for that placement: what a reshuffle changes in place.
PLACEMENT_FIELDS = OPPORTUNITY_FIELDS + ("quality_score", "maneuver_time_s", "slack_time_s")


#: What a planner's placement by hand (Swap, Move, a drag on the timeline) also changes: the
#: acquisition is then the planner's own (``source`` manual, in the audit entry of the move).
BY_HAND = {"source": AcquisitionSource.MANUAL.value}


def opportunity_changes(opp: Opportunity) -> dict[str, Any]:
    """The acquisition changes that put it on ``opp`` (times, attitude, geometry, satellite)."""
    return {**opp.placement.stored_fields(), "opportunity_id": opp.id}


def alternatives(db: ScheduleDB, workspace: str, acquisition_id: str) -> list[Opportunity]:
    """The other valid opportunities of the acquisition's order in the workspace horizon (same
    access engine and order constraints as planning), by start time."""
    ws = resolve_workspace(db, workspace)
    acq = db.get_acquisition(acquisition_id)
    order = db.get_order(acq.order_id) if acq.order_id else None
    if order is None:
        return []
    return [o for o in order_opportunities(db, ws.id, order) if o.id != acq.opportunity_id]


def order_opportunities(db: ScheduleDB, workspace_id: str, order: Order) -> list[Opportunity]:
    """The opportunities of ``order`` in the workspace horizon (same access engine and order
    constraints as planning), by start time; none without a horizon."""
    ws = resolve_workspace(db, workspace_id)
    start, end = ws.settings.horizon_start, ws.settings.horizon_end
    if start is None or end is None:
        return []
    found = access_service.order_opportunities(db.list_satellites(ws.id), db.list_targets(ws.id), [order],
                                               start, end, ws.settings)
    return list(found.by_order.get(order.id, []))


@dataclass(frozen=True)
class Repositioned:
    """What a swap or a move changed: the acquisition (``before`` → ``after``) and the ones that
    follow its old and its new place, whose manoeuvre and slack were recomputed (``neighbours_*``).
    Unpacks as ``before, after``."""

    before: Acquisition
    after: Acquisition
    neighbours_before: tuple[Acquisition, ...] = ()
    neighbours_after: tuple[Acquisition, ...] = ()

    def __iter__(self):
        return iter((self.before, self.after))


def _reposition(db: ScheduleDB, workspace: str, before: Acquisition, choice) -> Repositioned:
    """Put ``before`` on ``choice`` and recompute its followers' figures, in ONE transaction
    (each row guarded by the version read with the choice)."""
    from .placement_choices import placement_changes  # it imports this module
    ws = resolve_workspace(db, workspace)
    followers = {a.id: a for a in db.get_acquisitions([aid for aid, _ in choice.follow_ups])}
    updates = [{"acquisition_id": before.id, "expected_version": before.version,
                "changes": {**placement_changes(choice), **BY_HAND}}]
    for aid, figures in choice.follow_ups:
        n = followers.get(aid)
        changes = {k: v for k, v in figures.items() if n is not None and getattr(n, k) != v}
        if changes:
            updates.append({"acquisition_id": aid, "expected_version": n.version, "changes": changes})
    db.apply_changes(ws.id, updates=updates)
    rows = {a.id: a for a in db.get_acquisitions([u["acquisition_id"] for u in updates])}
    moved = tuple(u["acquisition_id"] for u in updates[1:])
    return Repositioned(before, rows[before.id], tuple(followers[i] for i in moved), tuple(rows[i] for i in moved))


def swap(db: ScheduleDB, workspace: str, acquisition_id: str, opportunity_id: str) -> Repositioned:
    """Put the acquisition on another opportunity of its order when that is a valid choice
    (``placement_choices``: the edit rules, overlaps, both neighbours' slews, battery and memory),
    with every figure of the new placement (mode, quality, manoeuvre, slack) and of the
    acquisitions that follow its old and new place (manoeuvre, slack)."""
    from .placement_choices import placement_choices, require_valid  # it imports this module
    before = db.get_acquisition(acquisition_id)
    if before is None:
        raise NotFoundError("acquisition", acquisition_id)
    choice = require_valid(placement_choices(db, workspace, acquisition_id), opportunity_id, acquisition_id)
    return _reposition(db, workspace, before, choice)


def move(db: ScheduleDB, workspace: str, acquisition_id: str, shift_s: float,
         tolerance_s: float = 60.0) -> Repositioned:
    """Shift the acquisition by ``shift_s`` seconds: it goes to the valid opportunity of its order
    on the same satellite nearest to the shifted start (the attitude is that opportunity's, not the
    old one's), if one lies within ``tolerance_s``; otherwise the move is refused with the reason."""
    from .placement_choices import placement_choices  # it imports this module
    before = db.get_acquisition(acquisition_id)
    if before is None:
        raise NotFoundError("acquisition", acquisition_id)
    wanted = before.start + timedelta(seconds=float(shift_s))
    near = [c for c in placement_choices(db, workspace, acquisition_id)
            if c.opportunity.satellite_id == before.satellite_id
            and abs((c.opportunity.start - wanted).total_seconds()) <= tolerance_s]
    valid = [c for c in near if c.valid]
    best = min(valid, key=lambda c: abs((c.opportunity.start - wanted).total_seconds()), default=None)
    if best is None:
        why = f" ({near[0].refusal})" if near else " (target out of reach)"
        raise RuleViolation("move", f"{acquisition_id}: no valid opportunity on {before.satellite_id} within "
                                    f"{tolerance_s:g} s of {wanted:%Y-%m-%d %H:%M:%S}Z{why}")
    return _reposition(db, workspace, before, best)


def put_back(db: ScheduleDB, rows: Sequence[Acquisition], fields: Sequence[str] = OPPORTUNITY_FIELDS,
             expected_versions: Mapping[str, int] | None = None) -> None:
    """Undo (or redo) of a swap, a move, a resolution or a reshuffle's moves: each acquisition's
    ``fields`` back to the given row's (audited override: undo is the planner's own edit).
    ``expected_versions``: the versions the planner saw; without them, a row another planner
    changed last is refused (StaleEditError with who/when) — an undo never overrides their edit."""
    ids = [a.id for a in rows]
    expected = dict(expected_versions) if expected_versions is not None else mine(db, ids)
    current = {a.id: a for a in db.get_acquisitions(ids)}
    for a in rows:
        now = current[a.id]
        changes = {f: getattr(a, f) for f in fields if getattr(a, f) != getattr(now, f)}
        if changes:
            db.update_acquisition(a.id, changes, expected_version=expected.get(a.id, now.version), override=True)
