"""Stored conflicts (spec §11) and the audit trail listing."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import delete, select, update

from app.domain import AuditEntry, Conflict, NotFoundError, RuleViolation, ValidationError, new_id, utc_now
from app.domain.enums import ResolutionAction

from . import rows
from .models import AuditRow, ConflictRow
from .engine import advisory_lock, workspace_lock_key
from .store import StoreBase

#: Besides the resolution options of spec §11, a planner may dismiss (accept) a conflict.
RESOLUTION_ACTIONS = tuple(a.value for a in ResolutionAction) + ("dismiss",)


class ConflictStore(StoreBase):

    def replace_conflicts(self, workspace_id: str, conflicts: Sequence[Conflict]) -> list[Conflict]:
        """Replace the workspace's unresolved conflicts with ``conflicts`` (the detector's latest
        run); resolved ones stay as history. A conflict without id gets one."""
        items = list(conflicts)
        for i, c in enumerate(items):
            if not isinstance(c, Conflict):
                raise ValidationError(f"conflicts[{i}]", f"expected a Conflict, got {type(c).__name__}")
        at = utc_now()
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            # Two detections at once (PostgreSQL): the second waits, then replaces the first's set.
            advisory_lock(s, workspace_lock_key(workspace_id))
            s.execute(delete(ConflictRow).where(ConflictRow.workspace_id == workspace_id,
                                                ConflictRow.resolved_at.is_(None)))
            taken = {r[0] for r in s.execute(select(ConflictRow.id).where(ConflictRow.workspace_id == workspace_id))}
            values = []
            for c in items:
                cid = c.id if c.id and c.id not in taken else new_id("conflict")
                taken.add(cid)
                values.append(rows.conflict_values(c, workspace_id, at) | {"id": cid})
            if values:
                s.execute(ConflictRow.__table__.insert(), values)
            self._audit(s, "replace_conflicts", "conflicts", workspace_id, None,
                        {"ids": [v["id"] for v in values]}, workspace_id, at)
            stored = [rows.conflict(r) for r in s.execute(
                select(*rows.CONFLICT_COLUMNS).where(ConflictRow.workspace_id == workspace_id,
                                                     ConflictRow.resolved_at.is_(None)))]
        order = {v["id"]: i for i, v in enumerate(values)}
        return sorted(stored, key=lambda c: order.get(c.id, 0))

    def list_conflicts(self, workspace_id: str, include_resolved: bool = False) -> list[Conflict]:
        """The workspace's unresolved conflicts (and resolved ones if asked), oldest first."""
        stmt = select(*rows.CONFLICT_COLUMNS).where(ConflictRow.workspace_id == workspace_id)
        if not include_resolved:
            stmt = stmt.where(ConflictRow.resolved_at.is_(None))
        with self._read() as s:
            return [rows.conflict(r) for r in s.execute(stmt.order_by(ConflictRow.detected_at, ConflictRow.id))]

    def resolve_conflict(self, conflict_id: str, action: str, notes: str | None = None) -> Conflict:
        """Mark a conflict resolved with ``action`` (a resolution option or ``dismiss``); audited."""
        action_value = action.value if isinstance(action, ResolutionAction) else action
        if action_value not in RESOLUTION_ACTIONS:
            raise ValidationError("action", f"must be one of {'|'.join(RESOLUTION_ACTIONS)}, got {action!r}")
        if notes is not None and not isinstance(notes, str):
            raise ValidationError("notes", "must be text")
        with self._write() as s:
            row = s.execute(select(*rows.CONFLICT_COLUMNS).where(ConflictRow.id == conflict_id)).first()
            if row is None:
                raise NotFoundError("conflict", conflict_id)
            c = rows.conflict(row)
            if c.resolved_at is not None:
                raise self._already_resolved(conflict_id)
            at = utc_now()
            # Conditional: of two planners resolving it at once, exactly one succeeds.
            done = s.execute(update(ConflictRow).where(ConflictRow.id == conflict_id, ConflictRow.resolved_at.is_(None))
                             .values(resolved_at=at, resolution_action=action_value, resolution_notes=notes))
            if done.rowcount != 1:
                raise self._already_resolved(conflict_id)
            self._audit(s, "resolve", "conflict", conflict_id, {"description": c.description},
                        {"resolution_action": action_value, "resolution_notes": notes}, c.workspace_id, at)
            row = s.execute(select(*rows.CONFLICT_COLUMNS).where(ConflictRow.id == conflict_id)).one()
        return rows.conflict(row)

    def _already_resolved(self, conflict_id: str) -> RuleViolation:
        """"Already resolved", saying how, by whom and when (read afresh)."""
        with self._read() as s:
            row = s.execute(select(ConflictRow.resolution_action).where(ConflictRow.id == conflict_id)).first()
            who, at = self._last_change(s, conflict_id)
        by = f" by {who}" if who else ""
        when = f" at {at}" if at else ""
        return RuleViolation("conflict", f"{conflict_id} was already resolved ({row[0] if row else 'gone'}){by}{when}")

    def list_audit(self, workspace_id: str | None = None, entity_id: str | None = None,
                   limit: int | None = 100) -> list[AuditEntry]:
        """The audit trail, newest first."""
        stmt = select(*rows.AUDIT_COLUMNS)
        if workspace_id is not None:
            stmt = stmt.where(AuditRow.workspace_id == workspace_id)
        if entity_id is not None:
            stmt = stmt.where(AuditRow.entity_id == entity_id)
        stmt = stmt.order_by(AuditRow.id.desc())
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._read() as s:
            return [rows.audit_entry(r) for r in s.execute(stmt)]
