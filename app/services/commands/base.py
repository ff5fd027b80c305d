"""Commands: every edit of the planner as an object that does, undoes and redoes itself against
the database (each step audited by ScheduleDB), and a headless stack that runs them.

No Qt here: the GUI's QUndoCommand is a thin adapter over a ``Command`` and the tests drive the
whole planner's day through ``CommandStack``. Each command keeps the rows it saw (with their
versions) and the rows it left, so undo and redo replay exactly those, and a row changed meanwhile
by someone else is refused (StaleEditError) instead of being overwritten.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from app.persistence import ScheduleDB


@dataclass(frozen=True)
class Changes:
    """What one step of a command changed, so a view updates only those rows.

    ``acquisitions``: ids added or changed (read them again); ``removed``: acquisition ids gone;
    ``orders``: order ids added or changed; ``removed_orders``: order ids gone; ``conflicts``: the
    conflict list changed; ``plan``: the candidate plan changed (made, committed, rejected)."""

    acquisitions: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    removed_orders: tuple[str, ...] = ()
    conflicts: bool = False
    plan: bool = False
    #: Acquisitions and orders among the changed ones exactly as the step left them in the
    #: database (read by the command itself): the session takes them instead of reading again.
    fresh: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(_union(self.acquisitions, other.acquisitions), _union(self.removed, other.removed),
                       _union(self.orders, other.orders), _union(self.removed_orders, other.removed_orders),
                       self.conflicts or other.conflicts, self.plan or other.plan, (*self.fresh, *other.fresh))

    def __bool__(self) -> bool:
        return bool(self.acquisitions or self.removed or self.orders or self.removed_orders or self.conflicts
                    or self.plan)


def _union(a: Iterable[str], b: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


class Command(ABC):
    """One undoable edit. ``do`` runs it the first time (a refusal of the whole edit raises a
    DomainError and nothing is written; a partial one is kept in ``refused``: id → reason);
    ``undo`` and ``redo`` replay the recorded rows. ``effective`` is False when ``do`` changed
    nothing (every row refused): such a command is not kept on the stack."""

    text: str = ""

    def __init__(self) -> None:
        self.refused: dict[str, str] = {}

    @abstractmethod
    def do(self, db: ScheduleDB) -> Changes: ...

    @abstractmethod
    def undo(self, db: ScheduleDB) -> Changes: ...

    @abstractmethod
    def redo(self, db: ScheduleDB) -> Changes: ...

    @property
    def effective(self) -> bool:
        return True


Listener = Callable[[Changes], None]


@dataclass
class CommandStack:
    """The undo history of one open workspace. ``push`` runs a command's ``do``; ``undo``/``redo``
    move along the history. A step that raises leaves the history where it was. Listeners get
    the ``Changes`` of every step (the session updates its rows from them)."""

    db: ScheduleDB
    _done: list[Command] = field(default_factory=list)
    _undone: list[Command] = field(default_factory=list)
    _listeners: list[Listener] = field(default_factory=list)

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, changes: Changes) -> Changes:
        for listener in list(self._listeners):
            listener(changes)
        return changes

    def push(self, command: Command) -> Changes:
        """Run ``command`` and keep it for undo when it changed something (the redo tail is dropped)."""
        changes = command.do(self.db)
        if command.effective:
            self._done.append(command)
            self._undone.clear()
        return self._emit(changes)

    def undo(self) -> Changes:
        if not self._done:
            return Changes()
        command = self._done[-1]
        changes = command.undo(self.db)
        self._undone.append(self._done.pop())
        return self._emit(changes)

    def redo(self) -> Changes:
        if not self._undone:
            return Changes()
        command = self._undone[-1]
        changes = command.redo(self.db)
        self._done.append(self._undone.pop())
        return self._emit(changes)

    def discard(self, command: Command) -> None:
        """Forget ``command`` (its undo or redo was refused and cannot be replayed)."""
        self._done = [c for c in self._done if c is not command]
        self._undone = [c for c in self._undone if c is not command]

    def clear(self) -> None:
        self._done.clear()
        self._undone.clear()

    @property
    def can_undo(self) -> bool:
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        return bool(self._undone)

    @property
    def undo_text(self) -> str:
        return self._done[-1].text if self._done else ""

    @property
    def redo_text(self) -> str:
        return self._undone[-1].text if self._undone else ""

    def __len__(self) -> int:
        return len(self._done)
