"""Planner edits of the schedule (spec section 10), each returning what the Edit menu needs to
undo it. The lock rules live in ScheduleDB; a refused edit changes nothing and says why."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain import Acquisition, LockLevel
from app.domain.enums import parse_enum
from app.persistence import ScheduleDB


@dataclass(frozen=True)
class EditResult:
    """``done``: the acquisitions as they were before the edit (for undo); ``refused``: id → reason."""

    done: tuple[Acquisition, ...]
    refused: Mapping[str, str]


def set_lock(db: ScheduleDB, ids: Sequence[str], level: str) -> EditResult:
    """Lock (soft/hard) or unlock (none) the acquisitions that allow it; report the others."""
    parse_enum(LockLevel, level, "lock_level")
    before = {a.id: a for a in db.get_acquisitions(list(ids))}
    result = db.set_lock_level(list(ids), level, partial=True)
    return EditResult(tuple(before[i] for i in result["updated"]), result["refused"])


def restore_locks(db: ScheduleDB, acquisitions: Sequence[Acquisition]) -> None:
    """Undo of ``set_lock``: each acquisition back to its own earlier level (audited override)."""
    by_level: dict[str, list[str]] = {}
    for a in acquisitions:
        by_level.setdefault(str(a.lock_level), []).append(a.id)
    for level, ids in by_level.items():
        db.set_lock_level(ids, level, override=True)


def delete(db: ScheduleDB, ids: Sequence[str]) -> EditResult:
    """Delete the acquisitions the rules allow (locked or frozen ones are refused with the reason)."""
    before = {a.id: a for a in db.get_acquisitions(list(ids))}
    result = db.delete_acquisitions(list(ids), partial=True)
    return EditResult(tuple(before[i] for i in result["deleted"]), result["refused"])


def restore(db: ScheduleDB, acquisitions: Sequence[Acquisition]) -> None:
    """Undo of ``delete``: the very same rows back (audited)."""
    db.restore_acquisitions(list(acquisitions))


def redelete(db: ScheduleDB, acquisitions: Sequence[Acquisition]) -> None:
    """Redo of ``delete`` after an undo."""
    db.delete_acquisitions([a.id for a in acquisitions], override=True)
