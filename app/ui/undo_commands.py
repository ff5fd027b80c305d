"""The Edit menu's QUndoCommand: a thin adapter over a service command (``app.services.commands``),
which does, undoes and redoes itself against the database without Qt."""
from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtGui

from app.domain import DomainError
from app.persistence import ScheduleDB
from app.services.commands import Changes, Command


class CommandAdapter(QtGui.QUndoCommand):
    """Wraps a command already done once (QUndoStack.push calls ``redo`` at once: skipped the
    first time). A step the database refuses (someone changed the row since) is reported through
    ``on_error`` and the command leaves the history (obsolete) rather than being counted as done."""

    def __init__(self, command: Command, db: ScheduleDB, on_changes: Callable[[Changes], None],
                 on_error: Callable[[str], None]) -> None:
        super().__init__(command.text)
        self.command, self._db = command, db
        self._on_changes, self._on_error = on_changes, on_error
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._step(self.command.redo, "Redo")

    def undo(self) -> None:
        self._step(self.command.undo, "Undo")

    def _step(self, step: Callable[[ScheduleDB], Changes], verb: str) -> None:
        try:
            changes = step(self._db)
        except DomainError as exc:
            self.setObsolete(True)
            self._on_error(f"{verb} of “{self.command.text}” refused: {exc}")
            return
        self._on_changes(changes)
