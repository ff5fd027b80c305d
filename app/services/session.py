"""The open workspace as the planner sees it, without Qt: schedule, orders, conflicts, candidate
plan and selection, kept in step with the database by the commands that change it.

One owner: views never keep their own copy of a row that can go stale; they subscribe to
``SessionEvent``s and render what the session holds. After a command only the rows it names
(``Changes``) are read again, so a delete or a commit on a 20,000-acquisition workspace costs
what it touched, not a reload.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain import Acquisition, Conflict, Order, OrderStatus, Workspace, utc_now
from app.persistence import ScheduleDB

from . import conflict_service, planning
from .commands import Changes, Command, CommandStack
from .workspaces import resolve_workspace

#: Orders the Inbox lists: waiting, or proposed by the candidate plan (never hidden by it).
INBOX_STATES = (OrderStatus.NEW, OrderStatus.PLANNED)


@dataclass(frozen=True)
class SessionEvent:
    """What changed in the session. ``full``: everything was read again (a workspace opened);
    otherwise ``changes`` names the rows (acquisitions and orders changed or gone, conflicts,
    candidate plan); ``selection``: the selection changed (also when selected rows went away)."""

    changes: Changes = Changes()
    full: bool = False
    selection: bool = False


@dataclass(frozen=True)
class Figures:
    """The counts every view shows, computed once (Compare, Commit and the tabs agree)."""

    inbox: int
    proposed: int
    acquisitions: int
    in_horizon: int
    conflicts: int
    candidate_items: int | None


Listener = Callable[[SessionEvent], None]


class WorkbenchSession:
    """The state of one open workspace. ``execute``/``undo``/``redo`` run commands on its
    ``CommandStack``; every step updates only the rows it changed and notifies subscribers."""

    def __init__(self, db: ScheduleDB, workspace: str, load: bool = True) -> None:
        self.db = db
        self.stack = CommandStack(db)
        self.stack.subscribe(self._apply)
        self._listeners: list[Listener] = []
        self.workspace: Workspace = resolve_workspace(db, workspace)
        self.acquisitions: dict[str, Acquisition] = {}
        self.orders: dict[str, Order] = {}
        self.conflicts: dict[str, Conflict] = {}
        self.candidate: planning.PlanResult | None = None
        self.selection: tuple[str, ...] = ()
        if load:  # else the first ``reload`` reads it (after whatever runs when it opens)
            self._read_all()

    # ------------------------------------------------------------------ events
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _emit(self, event: SessionEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    # ------------------------------------------------------------------ reading
    def open(self, workspace: str) -> None:
        """Show another workspace (its own undo history)."""
        self.workspace = resolve_workspace(self.db, workspace)
        self.stack.clear()
        self.candidate = None
        self.selection = ()
        self.reload()

    def switch_database(self, db: ScheduleDB, workspace: str) -> None:
        """Show ``workspace`` of another database (File ▸ Open Database…): a new history on it."""
        self.db = db
        self.stack = CommandStack(db)
        self.stack.subscribe(self._apply)
        self.open(workspace)

    def reload(self) -> None:
        """Read the whole workspace again (opening it; an import). Keeps the selection's live rows."""
        self._read_all()
        self._emit(SessionEvent(full=True, selection=True))

    def _read_all(self) -> None:
        ws = self.workspace = resolve_workspace(self.db, self.workspace.id)
        # A closed horizon's archived acquisitions are its reports', not the planner's schedule.
        self.acquisitions = {a.id: a for a in self.db.list_acquisitions(ws.id, archived=False)}
        self.orders = {o.id: o for o in self.db.list_orders(workspace_id=ws.id, limit=None)}
        self.conflicts = {c.id: c for c in self.db.list_conflicts(ws.id)}
        self._read_candidate()
        self.selection = tuple(i for i in self.selection if i in self.acquisitions)

    def _read_candidate(self) -> None:
        stored = planning.stored_candidate(self.db, self.workspace.id)
        if stored is None or self.candidate is None or stored.plan_id != self.candidate.plan_id:
            self.candidate = stored  # committed, rejected, undone, or kept from an earlier session

    # ------------------------------------------------------------------ commands
    def execute(self, command: Command) -> Changes:
        """Run ``command`` (kept for undo when it changed something). A refusal of the whole
        edit raises DomainError and changes nothing."""
        return self.stack.push(command)

    def undo(self) -> Changes:
        return self.stack.undo()

    def redo(self) -> Changes:
        return self.stack.redo()

    def _apply(self, changes: Changes) -> None:
        """Read again exactly the rows ``changes`` names (a row not found is gone)."""
        known_acqs = {r.id: r for r in changes.fresh if isinstance(r, Acquisition)}
        known_orders = {r.id: r for r in changes.fresh if isinstance(r, Order)}
        fresh = _read(changes.acquisitions, known_acqs, self.db.get_acquisitions)
        gone = [i for i in changes.acquisitions if i not in fresh] + list(changes.removed)
        self.acquisitions.update(fresh)
        for i in gone:
            self.acquisitions.pop(i, None)
        orders = _read(changes.orders, known_orders, self.db.get_orders)
        gone_orders = [i for i in changes.orders if i not in orders] + list(changes.removed_orders)
        self.orders.update(orders)
        for i in gone_orders:
            self.orders.pop(i, None)
        if changes.conflicts:
            self.conflicts = {c.id: c for c in self.db.list_conflicts(self.workspace.id)}
        if changes.plan:
            self._read_candidate()
        kept = tuple(i for i in self.selection if i in self.acquisitions)
        selection_changed = kept != self.selection
        self.selection = kept
        self._emit(SessionEvent(Changes(tuple(fresh), tuple(dict.fromkeys(gone)), tuple(orders),
                                        tuple(dict.fromkeys(gone_orders)), changes.conflicts, changes.plan),
                                selection=selection_changed))

    # ------------------------------------------------------------------ planning and conflicts
    def planning_done(self, result: planning.PlanResult) -> None:
        """A planning run stored ``result`` as the candidate; earlier candidates were rejected and
        orders moved between new and planned: the orders are read again."""
        self.candidate = result
        self.orders = {o.id: o for o in self.db.list_orders(workspace_id=self.workspace.id, limit=None)}
        self._emit(SessionEvent(Changes(orders=tuple(self.orders), plan=True)))

    def detect_conflicts(self) -> Changes:
        """Detect conflicts on the schedule as it is in the database and keep them (spec section
        11). Only the conflict list is read again, and the rows of acquisitions it names that
        this session does not hold as stored (another process added or changed them)."""
        conflict_service.detect_and_store(self.db, self.workspace.id)
        named = {i for c in self.db.list_conflicts(self.workspace.id) for i in c.acquisition_ids}
        return self.refresh_rows(named, conflicts=True, only_missing=True)

    def refresh_rows(self, acquisition_ids: Iterable[str] = (), order_ids: Iterable[str] = (),
                     conflicts: bool = False, plan: bool = False, only_missing: bool = False) -> Changes:
        """Rows another process may have changed (the team's change feed names them): read these
        again and emit only those that differ from what the session holds (a change this
        session made itself is already here and emits nothing). The orders of changed or gone
        acquisitions are checked too. ``only_missing``: read only acquisitions not held at all.
        Returns what differed."""
        ids = [i for i in dict.fromkeys(acquisition_ids) if not (only_missing and i in self.acquisitions)]
        order_ids = list(dict.fromkeys(order_ids))
        # Versions first: a row held at its stored version is held as it is (every change bumps it),
        # so this window's own edits (the feed names them too) cost no whole read.
        versions, order_versions = self.db.row_versions(ids, order_ids) if ids or order_ids else ({}, {})
        stale = {i for i in ids if i in versions and getattr(self.acquisitions.get(i), "version", None) != versions[i]}
        fresh = {a.id: a for a in self.db.get_acquisitions([i for i in ids if i in stale])} if stale else {}
        changed = {i: a for i, a in fresh.items() if self.acquisitions.get(i) != a}
        # Gone: no version, or read as stale and missing by the time it was read whole.
        gone = [i for i in ids if i in self.acquisitions and i not in fresh and (i not in versions or i in stale)]
        touched_orders = {a.order_id for a in changed.values() if a.order_id}
        touched_orders |= {self.acquisitions[i].order_id for i in gone if self.acquisitions[i].order_id}
        extra = [o for o in sorted(touched_orders) if o not in order_versions]
        if extra:
            order_versions.update(self.db.row_versions((), extra)[1])
        order_list = list(dict.fromkeys([*order_ids, *sorted(touched_orders)]))
        stale_orders = [i for i in order_list
                        if i in order_versions and getattr(self.orders.get(i), "version", None) != order_versions[i]]
        fresh_orders = {o.id: o for o in self.db.get_orders(stale_orders)} if stale_orders else {}
        stale_orders = set(stale_orders)
        changed_orders = {i: o for i, o in fresh_orders.items() if self.orders.get(i) != o}
        gone_orders = [i for i in order_list if i in self.orders and i not in fresh_orders
                       and (i not in order_versions or i in stale_orders)]
        if conflicts:
            stored = {c.id: c for c in self.db.list_conflicts(self.workspace.id)}
            conflicts = stored != self.conflicts
        if plan:
            before = self.candidate.plan_id if self.candidate else None
            self._read_candidate()
            plan = before != (self.candidate.plan_id if self.candidate else None)
        changes = Changes(tuple(changed), tuple(gone), tuple(changed_orders), tuple(gone_orders), conflicts, plan,
                          fresh=(*changed.values(), *changed_orders.values()))
        if changes:
            self._apply(changes)
        return changes

    def discard_candidate(self) -> None:
        """Quitting without keeping the proposed plan: it is rejected, its orders return to new
        (not undoable: the history closes with the window)."""
        if self.candidate is not None:
            planning.reject_plan(self.db, self.workspace.id, self.candidate.plan_id)
            self.candidate = None

    # ------------------------------------------------------------------ selection and derived
    def set_selection(self, ids: Iterable[str]) -> None:
        wanted = tuple(i for i in dict.fromkeys(ids) if i in self.acquisitions)
        if wanted != self.selection:
            self.selection = wanted
            self._emit(SessionEvent(selection=True))

    def selected(self) -> list[Acquisition]:
        return [self.acquisitions[i] for i in self.selection]

    def now(self) -> datetime:
        """The workspace's clock (scenario clock when set), UTC."""
        return self.workspace.settings.scenario_clock or utc_now()

    def freeze_cutoff(self) -> datetime:
        return self.now() + timedelta(hours=self.workspace.settings.freeze_window_hours)

    def conflict_acquisition_ids(self) -> set[str]:
        return {i for c in self.conflicts.values() for i in c.acquisition_ids}

    def inbox_orders(self) -> list[Order]:
        """New orders and those the candidate plan proposes to serve."""
        return [o for o in self.orders.values() if o.status in INBOX_STATES]

    def figures(self) -> Figures:
        s = self.workspace.settings
        in_horizon = sum(1 for a in self.acquisitions.values()
                         if (s.horizon_start is None or a.end > s.horizon_start)
                         and (s.horizon_end is None or a.start < s.horizon_end))
        inbox = self.inbox_orders()
        return Figures(len(inbox), sum(1 for o in inbox if o.status == OrderStatus.PLANNED), len(self.acquisitions),
                       in_horizon, len(self.conflicts), len(self.candidate.items) if self.candidate else None)


def _read(ids: Iterable[str], known: dict, read: Callable[[list[str]], list]) -> dict:
    """id → row of ``ids``: the ``known`` ones as given, the others read (a row not found is gone)."""
    out = {i: known[i] for i in ids if i in known}
    missing = [i for i in ids if i not in out]
    if missing:
        out.update((r.id, r) for r in read(missing))
    return out
