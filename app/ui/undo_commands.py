"""QUndoCommands for the planner's edits: each calls a service to do and to undo (both audited)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtGui

from app.services import commits, edits


class ServiceCommand(QtGui.QUndoCommand):
    """An edit already done once (``redo`` is skipped the first time QUndoStack.push calls it)."""

    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None],
                 after: Callable[[], None]) -> None:
        super().__init__(text)
        self._undo, self._redo, self._after = undo, redo, after
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._redo()
        self._after()

    def undo(self) -> None:
        self._undo()
        self._after()


def lock_command(db, result: edits.EditResult, level: str, after: Callable[[], None]) -> ServiceCommand:
    ids = [a.id for a in result.done]
    text = f"{'Unlock' if level == 'none' else 'Lock ' + level} {len(ids)} acquisition{'s' * (len(ids) != 1)}"
    return ServiceCommand(text, lambda: edits.restore_locks(db, result.done),
                          lambda: edits.set_lock(db, ids, level), after)


def delete_command(db, result: edits.EditResult, after: Callable[[], None]) -> ServiceCommand:
    n = len(result.done)
    return ServiceCommand(f"Delete {n} acquisition{'s' * (n != 1)}", lambda: edits.restore(db, result.done),
                          lambda: edits.redelete(db, result.done), after)


def commit_command(db, record: commits.CommitRecord, after: Callable[[], None]) -> ServiceCommand:
    return ServiceCommand(f"Commit plan ({record.summary.get('committed', 0)} items)",
                          lambda: commits.revert_commit(db, record), lambda: commits.reapply_commit(db, record),
                          after)
