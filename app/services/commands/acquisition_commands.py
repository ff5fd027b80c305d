"""Commands on acquisitions: lock/unlock, delete, swap, move, apply a conflict's resolution.

Each keeps the rows as they were before (versions included) and as it left them; undo and redo
write those rows back as the planner's own audited override, guarded by the version the command
left, so an edit made meanwhile by someone else is refused rather than lost.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from app.domain import Acquisition, NotFoundError, RuleViolation
from app.persistence import ScheduleDB

from .. import conflict_service, edits
from ..edits import PLACEMENT_FIELDS
from .base import Changes, Command


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


#: What undo/redo of a change of placement writes back: the placement, its figures, the
#: sensor mode (a swap onto a SAR satellite makes the acquisition SAR) and its source (by hand).
PUT_FIELDS = PLACEMENT_FIELDS + ("mode", "source")


def put_rows(db: ScheduleDB, rows: Sequence[Acquisition], left: Mapping[str, Acquisition],
             fields: Sequence[str] = PUT_FIELDS) -> dict[str, Acquisition]:
    """Write ``fields`` of each row back (audited override). ``left`` holds each row as the
    command left it: if someone changed one of ``fields`` since, the step is refused with the
    field named instead of overwriting that change (versions alone cannot tell: the commands
    between on the stack bump them too). Returns id → the row as it is now."""
    out = dict(left)
    current = {a.id: a for a in db.get_acquisitions([a.id for a in rows])}
    for a in rows:
        now = current.get(a.id)
        if now is None:
            raise NotFoundError("acquisition", a.id)
        was = left.get(a.id)
        moved = [f for f in fields if was is not None and getattr(now, f) != getattr(was, f)]
        if moved:
            raise RuleViolation("undo", f"{a.id}: {moved[0]} was changed since; undo/redo refused")
        changes = {f: getattr(a, f) for f in fields if getattr(a, f) != getattr(now, f)}
        out[a.id] = db.update_acquisition(a.id, changes, expected_version=now.version, override=True) \
            if changes else now
    return out


class SetLock(Command):
    """Lock (soft/hard) or unlock (``none``) acquisitions; the ones the rules refuse stay as they
    are and are reported in ``refused``."""

    def __init__(self, acquisition_ids: Sequence[str], level: str) -> None:
        super().__init__()
        self.ids, self.level = list(acquisition_ids), str(level)
        self.before: tuple[Acquisition, ...] = ()
        self.after: tuple[Acquisition, ...] = ()

    @property
    def text(self) -> str:  # type: ignore[override]
        verb = "Unlock" if self.level == "none" else f"Lock {self.level}"
        return f"{verb} {_plural(len(self.before) or len(self.ids), 'acquisition')}"

    @property
    def effective(self) -> bool:
        return bool(self.before)

    @property
    def seen_versions(self) -> dict[str, int]:
        return {a.id: a.version for a in self.before}

    def _changes(self) -> Changes:
        return Changes(acquisitions=tuple(a.id for a in self.before))

    def do(self, db: ScheduleDB) -> Changes:
        result = edits.set_lock(db, self.ids, self.level)
        self.before, self.after, self.refused = result.done, result.after, dict(result.refused)
        return self._changes()

    def undo(self, db: ScheduleDB) -> Changes:
        edits.restore_locks(db, self.before)
        return self._changes()

    def redo(self, db: ScheduleDB) -> Changes:
        ids = [a.id for a in self.before]  # never over another planner's later lock (edits.mine)
        db.set_lock_level(ids, self.level, override=True, expected_versions=edits.mine(db, ids))
        return self._changes()


class Delete(Command):
    """Delete acquisitions the rules allow; undo puts the very same rows back (ids included)."""

    def __init__(self, acquisition_ids: Sequence[str]) -> None:
        super().__init__()
        self.ids = list(acquisition_ids)
        self.deleted: tuple[Acquisition, ...] = ()

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"Delete {_plural(len(self.deleted) or len(self.ids), 'acquisition')}"

    @property
    def effective(self) -> bool:
        return bool(self.deleted)

    @property
    def seen_versions(self) -> dict[str, int]:
        return {a.id: a.version for a in self.deleted}

    def _orders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.order_id for a in self.deleted if a.order_id))

    def do(self, db: ScheduleDB) -> Changes:
        result = edits.delete(db, self.ids)
        self.deleted, self.refused = result.done, dict(result.refused)
        return Changes(removed=tuple(a.id for a in self.deleted), orders=self._orders())

    def undo(self, db: ScheduleDB) -> Changes:
        db.restore_acquisitions(list(self.deleted))
        return Changes(acquisitions=tuple(a.id for a in self.deleted), orders=self._orders())

    def redo(self, db: ScheduleDB) -> Changes:
        edits.redelete(db, self.deleted)
        return Changes(removed=tuple(a.id for a in self.deleted), orders=self._orders())


class _Reposition(Command):
    """A change of one acquisition's placement: undo and redo write back the whole placement
    (satellite, times, attitude, geometry and the figures that go with them)."""

    verb = "Reposition"

    def __init__(self, workspace: str, acquisition_id: str) -> None:
        super().__init__()
        self.workspace, self.acquisition_id = workspace, acquisition_id
        self.before: Acquisition | None = None
        self.after: Acquisition | None = None
        #: The acquisitions after its old and new place, whose figures the step recomputed.
        self.neighbours_before: tuple[Acquisition, ...] = ()
        self.neighbours_after: tuple[Acquisition, ...] = ()
        self._left: dict[str, Acquisition] = {}

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"{self.verb} {self.acquisition_id}"

    def _changes(self) -> Changes:
        return Changes(acquisitions=(self.acquisition_id, *(a.id for a in self.neighbours_after)))

    def _run(self, db: ScheduleDB) -> edits.Repositioned:
        raise NotImplementedError

    def do(self, db: ScheduleDB) -> Changes:
        done = self._run(db)
        self.before, self.after = done.before, done.after
        self.neighbours_before, self.neighbours_after = done.neighbours_before, done.neighbours_after
        self._left = {a.id: a for a in (self.after, *self.neighbours_after)}
        return self._changes()

    @property
    def seen_versions(self) -> dict[str, int]:
        return {a.id: a.version for a in (self.before, *self.neighbours_before) if a is not None}

    def _put(self, db: ScheduleDB, rows: Sequence[Acquisition]) -> Changes:
        assert self._left
        self._left = put_rows(db, rows, self._left)
        return self._changes()

    def undo(self, db: ScheduleDB) -> Changes:
        assert self.before is not None
        return self._put(db, (self.before, *self.neighbours_before))

    def redo(self, db: ScheduleDB) -> Changes:
        assert self.after is not None
        return self._put(db, (self.after, *self.neighbours_after))


class Swap(_Reposition):
    """Put an acquisition on another opportunity of its order (``edits.swap``)."""

    verb = "Swap"

    def __init__(self, workspace: str, acquisition_id: str, opportunity_id: str) -> None:
        super().__init__(workspace, acquisition_id)
        self.opportunity_id = opportunity_id

    def _run(self, db: ScheduleDB) -> edits.Repositioned:
        return edits.swap(db, self.workspace, self.acquisition_id, self.opportunity_id)


class Move(_Reposition):
    """Shift an acquisition along its pass by ``shift_s`` seconds (``edits.move``)."""

    verb = "Move"

    def __init__(self, workspace: str, acquisition_id: str, shift_s: float) -> None:
        super().__init__(workspace, acquisition_id)
        self.shift_s = float(shift_s)

    def _run(self, db: ScheduleDB) -> edits.Repositioned:
        return edits.move(db, self.workspace, self.acquisition_id, self.shift_s)


class ApplyResolution(Command):
    """Apply resolution option ``index`` of a conflict. Redo replays the recorded edit (the
    conflict's id does not survive an undo: detection gives the re-found conflict a new one) and
    detection runs again after every step."""

    def __init__(self, workspace: str, conflict_id: str, index: int) -> None:
        super().__init__()
        self.workspace, self.conflict_id, self.index = workspace, conflict_id, int(index)
        self.record: conflict_service.ResolutionRecord | None = None
        self._left: Acquisition | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        if self.record is None:
            return "Apply resolution"
        return f"Apply {self.record.action.replace('_', ' ')} to {self.record.before.id}"

    def _changes(self, gone: bool) -> Changes:
        assert self.record is not None
        aid = self.record.before.id
        return Changes(removed=(aid,) if gone else (), acquisitions=() if gone else (aid,), conflicts=True)

    def do(self, db: ScheduleDB) -> Changes:
        self.record = conflict_service.apply_resolution(db, self.workspace, self.conflict_id, self.index)
        self._left = self.record.after
        return self._changes(self.record.after is None)

    def undo(self, db: ScheduleDB) -> Changes:
        assert self.record is not None
        before = self.record.before
        if self.record.after is None:
            db.restore_acquisitions([before])
        else:
            assert self._left is not None
            self._left = put_rows(db, [before], {before.id: self._left})[before.id]
        conflict_service.detect_and_store(db, self.workspace)
        return self._changes(False)

    def redo(self, db: ScheduleDB) -> Changes:
        assert self.record is not None
        after = self.record.after
        if after is None:
            db.delete_acquisitions([self.record.before.id], override=True)
        else:
            assert self._left is not None
            self._left = put_rows(db, [after], {after.id: self._left})[after.id]
        conflict_service.detect_and_store(db, self.workspace)
        return self._changes(after is None)
