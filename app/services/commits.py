"""Committing a candidate plan, and undoing / redoing that commit (spec sections 8, 10, 12).

A from-scratch plan supersedes the unprotected acquisitions of its horizon and adds all its
items; an incremental plan only adds; a reshuffle updates kept and moved acquisitions in place,
deletes the removed ones and adds the new items. Each is one ScheduleDB transaction, audited.
The returned CommitRecord holds the rows before and after, so the Edit menu can undo and redo.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain import Acquisition, LockLevel, PlanningMode, ValidationError
from app.domain.enums import parse_enum
from app.persistence import ScheduleDB

from .edits import PLACEMENT_FIELDS, put_back
from .workspaces import resolve_workspace


@dataclass(frozen=True)
class CommitRecord:
    """What one commit did: ``summary`` as ScheduleDB reports it, and the acquisition rows
    created, deleted (superseded/removed) and updated (before → after)."""

    workspace_id: str
    plan_id: str
    summary: dict[str, Any]
    created: tuple[Acquisition, ...] = ()
    deleted: tuple[Acquisition, ...] = ()
    updated_before: tuple[Acquisition, ...] = ()
    updated_after: tuple[Acquisition, ...] = ()


def commit_plan(db: ScheduleDB, workspace: str, plan_id: str, *, lock_level: str = "none",
                item_ids: tuple[str, ...] = ()) -> CommitRecord:
    """Commit the candidate plan ``plan_id`` (all items, or ``item_ids``) in one transaction.
    Hard-locked, frozen-zone and executing/completed acquisitions are never touched: a plan
    that would need to is refused whole, with the reasons."""
    ws = resolve_workspace(db, workspace)
    stored = db.get_plan(plan_id)
    if stored.workspace_id != ws.id:
        raise ValidationError("plan_id", f"plan {plan_id} belongs to another workspace")
    lock = parse_enum(LockLevel, lock_level, "lock_level")
    mode = parse_enum(PlanningMode, stored.config.get("mode", "from_scratch"), "mode")
    supersede = list(stored.config.get("supersede", ()))
    replaces: dict[str, str] = dict(stored.config.get("replaces", {}))
    items = db.get_plan_items(plan_id)
    if item_ids:
        wanted = set(item_ids)
        items = [it for it in items if it.id in wanted]
    deleted = tuple(db.get_acquisitions(supersede)) if supersede else ()
    if mode == PlanningMode.RESHUFFLE:
        in_place = [it for it in items if it.opportunity_id in replaces]
        before = tuple(db.get_acquisitions([replaces[it.opportunity_id] for it in in_place]))
        before_by_id = {a.id: a for a in before}
        updates = []
        for it in in_place:
            a = before_by_id[replaces[it.opportunity_id]]
            changes = {f: getattr(it, f) for f in PLACEMENT_FIELDS
                       if getattr(it, f) is not None and getattr(it, f) != getattr(a, f)}
            if changes:
                updates.append({"acquisition_id": a.id, "expected_version": a.version, "changes": changes})
        before = tuple(a for a in before if a.id in {u["acquisition_id"] for u in updates})
        new_items = [it.id for it in items if it.opportunity_id not in replaces]
        summary = db.apply_changes(ws.id, plan_id, updates=updates, deletes=supersede, create_item_ids=new_items,
                                   lock_level=str(lock), source="reshuffle")
        created_ids = list(summary["created"])
        after = tuple(db.get_acquisitions([a.id for a in before]))
        summary = {**summary, "committed": len(created_ids) + len(updates), "superseded": summary["deleted"]}
    else:
        summary = db.commit_plan(plan_id, [it.id for it in items] if item_ids else (), lock_level=str(lock),
                                 workspace_id=ws.id, supersede_acquisition_ids=supersede)
        created_ids = [c["id"] for c in summary["acquisitions_created"]]
        before = after = ()
    created = tuple(db.get_acquisitions(created_ids)) if created_ids else ()
    return CommitRecord(ws.id, plan_id, summary, created, deleted, before, after)


def revert_commit(db: ScheduleDB, record: CommitRecord) -> None:
    """Undo a commit: remove what it created, put back what it deleted and what it moved.
    Every step is audited; the plan keeps its committed status in the history."""
    if record.created:
        db.delete_acquisitions([a.id for a in record.created], override=True)
    put_back(db, record.updated_before, PLACEMENT_FIELDS)
    if record.deleted:
        db.restore_acquisitions(record.deleted)


def reapply_commit(db: ScheduleDB, record: CommitRecord) -> None:
    """Redo a reverted commit with the very same rows (ids included)."""
    if record.deleted:
        db.delete_acquisitions([a.id for a in record.deleted], override=True)
    put_back(db, record.updated_after, PLACEMENT_FIELDS)
    if record.created:
        db.restore_acquisitions(record.created)

