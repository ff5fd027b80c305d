"""The Edit menu's QUndoCommand: a thin adapter over a service command (``app.services.commands``)
run by the session's CommandStack, which does, undoes and redoes it against the database without Qt."""
from __future__ import annotations

from collections.abc import Callable

from PySide6 import QtGui

from app.domain import DomainError
from app.services.commands import Command
from app.services.session import WorkbenchSession


class CommandAdapter(QtGui.QUndoCommand):
    """Wraps a command the session already did once (QUndoStack.push calls ``redo`` at once:
    skipped the first time). Undo and redo go through the session's stack, so both histories
    move together and the views follow the session's events. A step the database refuses (someone
    changed the row since) is reported through ``on_error`` and the command leaves both histories
    (obsolete) rather than being counted as done."""

    def __init__(self, command: Command, session: WorkbenchSession, on_error: Callable[[str], None]) -> None:
        super().__init__(command.text)
        self.command, self._session, self._on_error = command, session, on_error
        self._first = True

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._step(self._session.redo, "Redo")

    def undo(self) -> None:
        self._step(self._session.undo, "Undo")

    def _step(self, step: Callable[[], object], verb: str) -> None:
        try:
            step()
        except DomainError as exc:
            self._session.stack.discard(self.command)
            self.setObsolete(True)
            self._on_error(f"{verb} of “{self.command.text}” refused: {exc}")
