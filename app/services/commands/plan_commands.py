"""Commands on the candidate plan: commit (or accept from Compare) and reject.

Besides the acquisitions a commit creates, deletes and moves (``commits.CommitRecord``), a plan
step changes the plan's status and its orders' statuses; the command keeps both sides of those
too, so undo leaves the plan a candidate with its orders ``planned`` again, as before the commit.
"""
from __future__ import annotations

from app.domain import ChangeType, Order, PlanStatus
from app.persistence import ScheduleDB

from .. import commits, planning
from .base import Changes, Command


def _plan_orders(db: ScheduleDB, plan_id: str, acquisition_ids: tuple[str, ...] = (),
                 refs: list[tuple] | None = None) -> list[Order]:
    """The orders a plan step may change: those of its (placed) items and of the acquisitions it
    touches. ``refs``: the plan's ``plan_item_refs`` if already read."""
    if refs is None:
        refs = db.plan_item_refs(plan_id)
    ids = [order_id for order_id, change, _ in refs if order_id and change != ChangeType.REMOVED]
    if acquisition_ids:
        ids += [a.order_id for a in db.get_acquisitions(list(acquisition_ids)) if a.order_id]
    return db.get_orders(list(dict.fromkeys(ids)))


class CommitPlan(Command):
    """Commit the candidate plan (all items, or ``item_ids``) with ``lock_level``."""

    verb = "Commit plan"

    def __init__(self, workspace: str, plan_id: str, lock_level: str = "none", item_ids: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.workspace, self.plan_id, self.lock_level, self.item_ids = workspace, plan_id, lock_level, item_ids
        self.record: commits.CommitRecord | None = None
        self.orders_before: list[Order] = []
        self.orders_after: list[Order] = []

    @property
    def committed(self) -> int:
        """Acquisitions the commit added or moved (what the planner is told was committed)."""
        r = self.record
        return 0 if r is None else int(r.summary["committed"])

    @property
    def text(self) -> str:  # type: ignore[override]
        return f"{self.verb} ({self.committed} acquisition{'s' * (self.committed != 1)})"

    def _changes(self, forward: bool, fresh: tuple = ()) -> Changes:
        r = self.record
        assert r is not None
        added = r.created_ids
        gone = tuple(a.id for a in r.deleted)
        moved = tuple(a.id for a in r.updated_after)
        orders = tuple(o.id for o in self.orders_before)
        if forward:
            return Changes(acquisitions=added + moved, removed=gone, orders=orders, plan=True, fresh=fresh)
        return Changes(acquisitions=gone + moved, removed=added, orders=orders, plan=True)

    def do(self, db: ScheduleDB) -> Changes:
        refs = db.plan_item_refs(self.plan_id)
        removed = tuple(replaces for _, change, replaces in refs if change == ChangeType.REMOVED and replaces)
        self.orders_before = _plan_orders(db, self.plan_id, removed, refs)
        self.record = commits.commit_plan(db, self.workspace, self.plan_id, lock_level=self.lock_level,
                                          item_ids=self.item_ids)
        # The commit changed only their status: read that, not 1,000 whole orders again.
        self.orders_after = db.orders_after_status_change(self.orders_before, self.record.summary["orders_updated"])
        # The rows as the commit left them were just read: the session need not read them again.
        return self._changes(True, (*self.record.created, *self.record.updated_after, *self.orders_after))

    def undo(self, db: ScheduleDB) -> Changes:
        assert self.record is not None
        db.restore_plan_status(self.plan_id, PlanStatus.CANDIDATE, expected=PlanStatus.COMMITTED)
        commits.revert_commit(db, self.record)
        db.restore_orders(self.orders_before, ("status",))
        return self._changes(False)

    def redo(self, db: ScheduleDB) -> Changes:
        assert self.record is not None
        db.restore_plan_status(self.plan_id, PlanStatus.COMMITTED, expected=PlanStatus.CANDIDATE)
        commits.reapply_commit(db, self.record)
        db.restore_orders(self.orders_after, ("status",), action="redo")
        return self._changes(True)


class AcceptPlan(CommitPlan):
    """Compare Plans ▸ Accept Proposed: the same commit, named as the planner chose it."""

    verb = "Accept proposed plan"


class RejectPlan(Command):
    """Reject the candidate plan: its orders go back to the Inbox; undo makes it the candidate again."""

    text = "Reject plan"

    def __init__(self, workspace: str, plan_id: str) -> None:
        super().__init__()
        self.workspace, self.plan_id = workspace, plan_id
        self.orders_before: list[Order] = []
        self.orders_after: list[Order] = []

    def _changes(self) -> Changes:
        return Changes(orders=tuple(o.id for o in self.orders_before), plan=True)

    def do(self, db: ScheduleDB) -> Changes:
        self.orders_before = _plan_orders(db, self.plan_id)
        planning.reject_plan(db, self.workspace, self.plan_id)
        self.orders_after = db.get_orders([o.id for o in self.orders_before])
        return self._changes()

    def undo(self, db: ScheduleDB) -> Changes:
        db.restore_plan_status(self.plan_id, PlanStatus.CANDIDATE, expected=PlanStatus.REJECTED)
        db.restore_orders(self.orders_before, ("status",))
        return self._changes()

    def redo(self, db: ScheduleDB) -> Changes:
        db.restore_plan_status(self.plan_id, PlanStatus.REJECTED, expected=PlanStatus.CANDIDATE)
        db.restore_orders(self.orders_after, ("status",), action="redo")
        return self._changes()
