"""Committing a candidate plan, and undoing / redoing that commit (spec sections 8, 10, 12).

A from-scratch plan supersedes the unprotected acquisitions of its horizon and adds all its
items; an incremental plan only adds; a reshuffle updates kept and moved acquisitions in place,
deletes the removed ones and adds the new items. Each is one ScheduleDB transaction, audited.
The returned CommitRecord holds the rows before and after, so the Edit menu can undo and redo.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from collections.abc import Callable, Sequence

from app.domain import Acquisition, ConflictType, LockLevel, PlanningMode, Severity, ValidationError, parse_utc
from app.domain.enums import parse_enum
from app.persistence import Clash, Recheck, ScheduleDB, WrittenAcquisitions
from app.persistence.recheck import PlacementRow
from app.scheduling import DetectionInput, SatelliteSpec
from app.scheduling.conflicts import sequence_conflicts_of
from app.scheduling.placements import PlacementArrays
from app.scheduling.feasibility import REASONS, needs_resources, resource_breaks

from . import access_service
from .edits import PLACEMENT_FIELDS, mine, put_back

from .workspaces import resolve_workspace

#: What a commit may change on an acquisition it keeps (a satellite switch changes the mode too).
_COMMIT_FIELDS = PLACEMENT_FIELDS + ("mode",)

#: Conflicts that make a commit's item infeasible against what others committed meanwhile.
_BLOCKING = (ConflictType.TEMPORAL_OVERLAP, ConflictType.SLEW_INFEASIBLE)


class _FeasibilityRecheck:
    """The commit-time re-check (run by ScheduleDB inside the commit transaction): proposed
    acquisitions against the current ones under the one conflict detector and slew model —
    an error-severity overlap or slew deficit between a proposed and a current acquisition is a
    clash — and, on satellites with a battery or memory model, the planner's resource tracks
    (``scheduling.feasibility.resource_breaks``) over the schedule since ``since``. Conflicts
    among the proposed ones were the plan's own and were shown when it was made.

    ``resources()`` gives the sunlit and contact intervals (epoch seconds per satellite) the
    tracks need; it is called once, when the battery/memory part first runs."""

    def __init__(self, specs: dict[str, SatelliteSpec], workspace_id: str, since: datetime | None,
                 resources: Callable[[], tuple[dict, dict]] | None = None) -> None:
        self.specs, self.workspace_id = specs, workspace_id
        #: Current acquisitions are read from here (None: only around the proposed ones).
        self.since = since
        self._resources = resources
        self._computed: tuple[dict, dict] | None = None

    def resources(self) -> tuple[dict, dict]:
        """(sunlit, contacts), computed on the first call."""
        if self._computed is None:
            self._computed = self._resources() if self._resources is not None else ({}, {})
        return self._computed

    def __call__(self, current: Sequence[PlacementRow], proposed: Sequence[PlacementRow]) -> list[Clash]:
        specs = self.specs
        cur = PlacementArrays.from_rows([r for r in current if r.satellite_id in specs])
        new = PlacementArrays.from_rows([r for r in proposed if r.satellite_id in specs])
        mine = set(new.ids)
        clashes: list[Clash] = []
        for _sid, kind, severity, description, ids in sequence_conflicts_of(
                cur + new, DetectionInput(satellites=specs, workspace_id=self.workspace_id, with_resolutions=False)):
            if kind not in _BLOCKING or severity != Severity.ERROR:
                continue
            items = [i for i in ids if i in mine]
            others = [i for i in ids if i not in mine]
            if items and others:
                reason = "overlaps an acquisition" if kind == ConflictType.TEMPORAL_OVERLAP else description
                clashes.extend(Clash(i, others[0], reason) for i in items)
        if self.since is not None:
            clashing = {c.item_id for c in clashes}
            keep = [k for k, i in enumerate(new.ids) if i not in clashing]
            sunlit, contacts = self.resources()
            breaks = resource_breaks(specs, cur, new.take(keep), horizon_start=self.since, sunlit=sunlit,
                                     contacts=contacts)
            for item_id, (code, where) in sorted(breaks.items()):
                clashes.append(Clash(item_id, where, REASONS[code]))
        return clashes


def feasibility_recheck(db: ScheduleDB, workspace_id: str, horizon: tuple[datetime, datetime] | None = None,
                        satellite_ids: Sequence[str] = (), prepare: bool = True) -> Recheck:
    """The commit-time re-check of a plan over ``horizon`` (start, end; UTC) whose items use
    ``satellite_ids``: see ``_FeasibilityRecheck``. The battery and memory are checked when one of
    those satellites models them (sunlit and contact intervals from the access engine); without a
    horizon only overlaps and slews are. ``prepare``: compute those intervals now, before the
    commit transaction (the caller expects the re-check to run: the schedule changed since the
    plan was made); otherwise only if the re-check runs after all (someone committed in
    between), then inside the transaction."""
    satellites = db.list_satellites(workspace_id)
    specs = {s.id: SatelliteSpec.of(s) for s in satellites}
    if horizon is None or not needs_resources(specs, satellite_ids):
        return _FeasibilityRecheck(specs, workspace_id, None)
    start, end = horizon
    used = [s for s in satellites if s.id in set(satellite_ids)]
    stations = db.list_ground_stations(workspace_id) if any(specs[s.id].has_memory_model for s in used) else None

    def resources() -> tuple[dict, dict]:  # no database access: it may run inside the transaction
        sunlit = access_service.sunlight(used, start, end)
        contacts = access_service.contacts(used, stations, start, end) if stations is not None else {}
        return sunlit, contacts

    recheck = _FeasibilityRecheck(specs, workspace_id, start, resources)
    if prepare:
        recheck.resources()
    return recheck


@dataclass(frozen=True)
class CommitRecord:
    """What one commit did: ``summary`` as ScheduleDB reports it, and the acquisition rows
    created, deleted (superseded/removed) and updated (before → after). The created rows are
    those the commit wrote (``ScheduleDB.commit_plan(created_rows=…)``), or read when first asked
    for (``created``; undo reads them before removing them, redo puts those back): a 10,000-item
    commit does not read back what it has just written."""

    workspace_id: str
    plan_id: str
    summary: dict[str, Any]
    created_ids: tuple[str, ...] = ()
    deleted: tuple[Acquisition, ...] = ()
    updated_before: tuple[Acquisition, ...] = ()
    updated_after: tuple[Acquisition, ...] = ()
    _db: ScheduleDB | None = field(default=None, repr=False, compare=False)
    _rows: dict[str, tuple[Acquisition, ...]] = field(default_factory=dict, repr=False, compare=False)
    #: The created rows as the commit wrote them (turned into acquisitions when first asked for).
    _written: WrittenAcquisitions | None = field(default=None, repr=False, compare=False)

    @property
    def created(self) -> tuple[Acquisition, ...]:
        if "created" not in self._rows:
            if self._written is not None and len(self._written) == len(self.created_ids):
                self._rows["created"] = self._written.acquisitions()
            else:
                self._rows["created"] = tuple(self._db.get_acquisitions(list(self.created_ids))) \
                    if self.created_ids and self._db is not None else ()
        return self._rows["created"]


def commit_plan(db: ScheduleDB, workspace: str, plan_id: str, *, lock_level: str = "none",
                item_ids: tuple[str, ...] = (), hard_lock_orders: tuple[str, ...] = ()) -> CommitRecord:
    """Commit the candidate plan ``plan_id`` (all items, or ``item_ids``) in one transaction, as
    its items say (``ScheduleDB.commit_plan``, the one path of every mode and policy: added items
    create acquisitions, moved/switched/kept ones update theirs in place, removed ones delete).
    Hard-locked, frozen-zone and executing/completed acquisitions are never touched: a plan
    that would need to is refused whole, with the reasons. When the schedule changed since the
    plan was computed, its items are re-checked inside the transaction (``feasibility_recheck``,
    orders already served, locks): a clash refuses the commit (CommitRefused: re-plan).
    ``hard_lock_orders``: the new acquisitions of these orders are hard-locked in the same
    transaction."""
    ws = resolve_workspace(db, workspace)
    stored = db.get_plan(plan_id)
    if stored.workspace_id != ws.id:
        raise ValidationError("plan_id", f"plan {plan_id} belongs to another workspace")
    lock = parse_enum(LockLevel, lock_level, "lock_level")
    mode = parse_enum(PlanningMode, stored.config.get("mode", "from_scratch"), "mode")
    satellites, touched = db.plan_footprint(plan_id)
    before = {a.id: a for a in db.get_acquisitions(touched)} if touched else {}
    horizon = (parse_utc(stored.config["horizon_start"], "horizon_start"),
               parse_utc(stored.config["horizon_end"], "horizon_end")) if "horizon_start" in stored.config else None
    # The re-check runs when the schedule changed since the plan was computed: then its sunlight
    # and contacts are computed now, outside the commit transaction; otherwise only if someone
    # commits in between.
    changed = stored.schedule_version is None or db.schedule_version(ws.id) != stored.schedule_version
    recheck = feasibility_recheck(db, ws.id, horizon, satellites, prepare=changed)
    created = WrittenAcquisitions()
    summary = db.commit_plan(plan_id, item_ids, lock_level=str(lock), workspace_id=ws.id,
                             recheck=recheck, hard_lock_orders=hard_lock_orders,
                             source="reshuffle" if mode == PlanningMode.RESHUFFLE else "auto", created_rows=created)
    created_ids = tuple(c["id"] for c in summary["acquisitions_created"])
    deleted = tuple(before[a] for a in summary["superseded"] if a in before)
    updated = summary["acquisitions_updated"]
    after = tuple(db.get_acquisitions(updated)) if updated else ()
    # The created rows as the commit wrote them: ``created`` need not read them back.
    return CommitRecord(ws.id, plan_id, summary, created_ids, deleted, tuple(before[a] for a in updated), after, db,
                        _written=created)


def revert_commit(db: ScheduleDB, record: CommitRecord) -> None:
    """Undo a commit: remove what it created, put back what it deleted and what it moved.
    Every step is audited; the plan keeps its committed status in the history. A row whose last
    change was another planner's (a hard lock, a move) is refused with who and when, and nothing
    of this step is written (``edits.mine``: versions alone cannot tell, the planner's own later
    edits and their undos bump them too)."""
    if record.created_ids:
        record.created  # noqa: B018 - read the rows before they go: redo puts these back
        db.delete_acquisitions(list(record.created_ids), override=True,
                               expected_versions=mine(db, list(record.created_ids)))
    put_back(db, record.updated_before, _COMMIT_FIELDS)
    if record.deleted:
        db.restore_acquisitions(record.deleted)


def reapply_commit(db: ScheduleDB, record: CommitRecord) -> None:
    """Redo a reverted commit with the very same rows (ids included); a row another planner
    changed last is refused, as in ``revert_commit``."""
    if record.deleted:
        db.delete_acquisitions([a.id for a in record.deleted], override=True,
                               expected_versions=mine(db, [a.id for a in record.deleted]))
    put_back(db, record.updated_after, _COMMIT_FIELDS)
    if record.created:
        db.restore_acquisitions(record.created)

