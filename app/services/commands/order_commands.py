"""Commands on orders: add (with a new target if it names one), edit, cancel, place by hand."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain import Acquisition, Order, PlanStatus, Target
from app.persistence import ScheduleDB

from .. import commits, manual_placement
from .. import orders as order_service
from ..workspaces import resolve_workspace
from .base import Changes, Command


#: Fields of an order an edit may change (as ``update_order`` names them).
_FIELDS = ("status", "priority", "constraints", "requested_window_start", "requested_window_end", "notes",
           "external_ref", "target_id", "source")


class AddOrder(Command):
    """New Order: ``fields`` as ``services.orders.add_order`` takes them."""

    def __init__(self, workspace: str, **fields: Any) -> None:
        super().__init__()
        self.workspace, self.fields = workspace, fields
        self.order: Order | None = None
        self.new_target: Target | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        target = self.order.target_id if self.order else self.fields.get("target", "")
        return f"New order for {target}"

    def _changes(self, gone: bool = False) -> Changes:
        assert self.order is not None
        return Changes(removed_orders=(self.order.id,)) if gone else Changes(orders=(self.order.id,))

    def do(self, db: ScheduleDB) -> Changes:
        ws = resolve_workspace(db, self.workspace)
        known = {t.id for t in db.list_targets(ws.id)}
        self.order = order_service.add_order(db, ws.id, **self.fields)
        if self.order.target_id not in known:
            self.new_target = next(t for t in db.list_targets(ws.id) if t.id == self.order.target_id)
        return self._changes()

    def undo(self, db: ScheduleDB) -> Changes:
        assert self.order is not None
        db.remove_orders([self.order.id], [self.new_target.id] if self.new_target else (),
                         self.order.workspace_id)
        return self._changes(gone=True)

    def redo(self, db: ScheduleDB) -> Changes:
        assert self.order is not None
        if self.new_target is not None:
            db.restore_targets(self.order.workspace_id, [self.new_target])
        db.restore_orders([self.order], action="redo")
        return self._changes()


class EditOrder(Command):
    """Change an order's fields (priority, window, constraints, notes …) or its status, guarded
    by the version the planner saw (``expected_version``). Undo and redo put back only the fields
    it changed, and refuse when someone changed one of them since."""

    verb = "Edit order"

    def __init__(self, order_id: str, expected_version: int | None = None, **changes: Any) -> None:
        super().__init__()
        self.order_id, self.expected_version, self.changes = order_id, expected_version, changes
        self.before: Order | None = None
        self.after: Order | None = None
        self._left: Order | None = None

    @property
    def text(self) -> str:  # type: ignore[override]
        target = self.before.target_id if self.before else self.order_id
        return f"{self.verb} for {target}"

    def _changes(self) -> Changes:
        return Changes(orders=(self.order_id,))

    def do(self, db: ScheduleDB) -> Changes:
        self.before = order_service.get_order(db, self.order_id)
        self.after = order_service.update_order(db, self.order_id, expected_version=self.expected_version,
                                                **self.changes)
        self._left = self.after
        return self._changes()

    @property
    def seen_version(self) -> int | None:
        return self.before.version if self.before else self.expected_version

    def _put(self, db: ScheduleDB, row: Order, action: str) -> Changes:
        assert self._left is not None
        fields = [f for f in self.changes if f in _FIELDS] or list(_FIELDS)
        self._left = db.restore_orders([row], fields, {self.order_id: self._left}, action=action)[0]
        return self._changes()

    def undo(self, db: ScheduleDB) -> Changes:
        assert self.before is not None
        return self._put(db, self.before, "undo")

    def redo(self, db: ScheduleDB) -> Changes:
        assert self.after is not None
        return self._put(db, self.after, "redo")


class CancelOrder(EditOrder):
    """Cancel an order (it leaves the Inbox; undo brings it back as it was)."""

    verb = "Cancel order"

    def __init__(self, order_id: str, expected_version: int | None = None) -> None:
        super().__init__(order_id, expected_version, status="cancelled")


class PlaceOrder(Command):
    """Place an Inbox order by hand on a satellite at the valid opportunity nearest to a time
    (``manual_placement.place_order``: an acquisition with source manual). Undo removes it (the
    order goes back to the Inbox) and marks its one-item plan rejected, so the same placement can
    be made again; redo puts the very same row back."""

    def __init__(self, workspace: str, order_id: str, satellite_id: str, around: datetime) -> None:
        super().__init__()
        self.workspace, self.order_id, self.satellite_id, self.around = workspace, order_id, satellite_id, around
        self.record: commits.CommitRecord | None = None

    @property
    def acquisition(self) -> Acquisition | None:
        return self.record.created[0] if self.record and self.record.created else None

    @property
    def text(self) -> str:  # type: ignore[override]
        a = self.acquisition
        return f"Place {a.target_id} on {a.satellite_id}" if a else f"Place order on {self.satellite_id}"

    def _changes(self, forward: bool) -> Changes:
        assert self.record is not None
        ids = tuple(a.id for a in self.record.created)
        return Changes(acquisitions=ids if forward else (), removed=() if forward else ids, orders=(self.order_id,))

    def do(self, db: ScheduleDB) -> Changes:
        self.record = manual_placement.place_order(db, self.workspace, self.order_id, self.satellite_id, self.around)
        return self._changes(True)

    def undo(self, db: ScheduleDB) -> Changes:
        assert self.record is not None
        commits.revert_commit(db, self.record)
        db.restore_plan_status(self.record.plan_id, PlanStatus.REJECTED, expected=PlanStatus.COMMITTED)
        return self._changes(False)

    def redo(self, db: ScheduleDB) -> Changes:
        assert self.record is not None
        db.restore_plan_status(self.record.plan_id, PlanStatus.COMMITTED, expected=PlanStatus.REJECTED)
        commits.reapply_commit(db, self.record)
        return self._changes(True)
