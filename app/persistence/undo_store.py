"""Undo and redo of the planner's commands where the forward APIs cannot go back on their own:
an order returned to an earlier row (its lifecycle forbids e.g. cancelled → new), an order just
added removed again, a committed or rejected plan made a candidate again.

Each write is one transaction, audited with the action ``undo`` (or ``redo``), and guarded by the
version the command saw after its own edit: a row changed meanwhile by someone else is refused
with StaleEditError instead of being overwritten.
"""
from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping, Sequence

from sqlalchemy import delete, select, update

from app.domain import NotFoundError, Order, Plan, RuleViolation, StaleEditError, Target, ValidationError, utc_now
from app.domain.enums import PlanStatus, parse_enum

from . import rows
from .models import ORDERS, AcquisitionRow, OrderRow, PlanItemRow, PlanRow, TargetRow
from .order_store import order_values
from .store import StoreBase, id_filters, raise_stale

#: Order fields an undo may put back (id, workspace, creation time and version are the row's own).
_RESTORABLE = ("status", "priority", "constraints", "requested_window_start", "requested_window_end", "notes",
               "external_ref", "target_id", "source")


class UndoStore(StoreBase):

    def restore_orders(self, orders: Sequence[Order], fields: Sequence[str] | None = None,
                       left: Mapping[str, Order] | None = None, action: str = "undo") -> list[Order]:
        """Put ``fields`` of each order back as given (None: every editable field, status included;
        the lifecycle is not checked: an undo returns to a state the order was in). A missing order
        is inserted whole with its own version; an existing one gets a version past its current one.
        ``left`` (order id → the order as the command left it) refuses, with the field named, an
        order whose ``fields`` someone changed since, instead of overwriting that change."""
        names = list(fields) if fields is not None else list(_RESTORABLE)
        out: list[Order] = []
        at = utc_now()
        with self._write() as s:
            current = self._orders_by_id(s, [o.id for o in orders])
            for o in orders:
                if not isinstance(o, Order):
                    raise ValidationError("orders", f"expected an Order, got {type(o).__name__}")
                now = current.get(o.id)
                if now is None:
                    s.execute(ORDERS.insert(), [order_values(o)])
                    self._audit(s, action, "order", o.id, None, o, o.workspace_id, at)
                    out.append(o)
                    continue
                was = (left or {}).get(o.id)
                changed = [f for f in names if was is not None and getattr(now, f) != getattr(was, f)]
                if changed:
                    raise RuleViolation("undo", f"order {o.id}: {changed[0]} was changed since (now "
                                                f"{rows.to_jsonable(getattr(now, changed[0]))}); {action} refused")
                restored = dataclasses.replace(now, **{f: getattr(o, f) for f in names}, version=now.version + 1,
                                               updated_at=at)
                values = {k: v for k, v in order_values(restored).items() if k not in ("id", "created_at")}
                result = s.execute(update(OrderRow).where(OrderRow.id == o.id, OrderRow.version == now.version)
                                   .values(values))
                if result.rowcount != 1:
                    raise_stale(s, OrderRow, "order", [(o.id, now.version)])
                self._audit(s, action, "order", o.id,
                            {f: rows.to_jsonable(getattr(now, f)) for f in names} | {"version": now.version},
                            {f: rows.to_jsonable(getattr(restored, f)) for f in names}
                            | {"version": restored.version}, o.workspace_id, at)
                out.append(restored)
        return out

    def remove_orders(self, order_ids: Sequence[str], target_ids: Sequence[str] = (),
                      workspace_id: str | None = None, expected_versions: Mapping[str, int] | None = None) -> None:
        """Undo of adding orders (and the targets created with them): refused when an
        acquisition or a plan item refers to one of them (undo those first)."""
        expected = dict(expected_versions or {})
        ids = list(order_ids)
        with self._write() as s:
            current = self._orders_by_id(s, ids)
            for oid in ids:
                o = current.get(oid)
                if o is None:
                    raise NotFoundError("order", oid)
                if oid in expected and expected[oid] != o.version:
                    raise StaleEditError("order", oid, expected[oid], o.version)
            used = s.execute(select(AcquisitionRow.order_id).where(AcquisitionRow.order_id.in_(ids))).first() or \
                s.execute(select(PlanItemRow.order_id).where(PlanItemRow.order_id.in_(ids))).first()
            if used is not None:
                raise RuleViolation("order", f"order {used[0]} is used by the schedule or a plan; it cannot be "
                                             "removed")
            s.execute(delete(OrderRow).where(OrderRow.id.in_(ids)))
            at = utc_now()
            for oid in ids:
                self._audit(s, "undo_create", "order", oid, order_values(current[oid]), None,
                            current[oid].workspace_id, at)
            if target_ids and workspace_id:
                still = {r[0] for r in s.execute(select(OrderRow.target_id).where(
                    OrderRow.workspace_id == workspace_id, OrderRow.target_id.in_(list(target_ids))))}
                gone = [t for t in target_ids if t not in still]
                if gone:
                    s.execute(delete(TargetRow).where(TargetRow.workspace_id == workspace_id,
                                                      TargetRow.id.in_(gone)))
                    self._audit(s, "undo_create", "targets", workspace_id, {"ids": gone}, None, workspace_id, at)

    def restore_targets(self, workspace_id: str, targets: Sequence[Target]) -> None:
        """Redo of adding an order with a new target: the target back (audited)."""
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            have = {r[0] for r in s.execute(select(TargetRow.id).where(
                TargetRow.workspace_id == workspace_id, TargetRow.id.in_([t.id for t in targets])))}
            fresh = [rows.target_values(t, workspace_id) for t in targets if t.id not in have]
            if fresh:
                s.execute(TargetRow.__table__.insert(), fresh)
                self._audit(s, "redo_create", "targets", workspace_id, None, {"ids": [v["id"] for v in fresh]},
                            workspace_id)

    def restore_plan_status(self, plan_id: str, status: str | PlanStatus, expected: str | PlanStatus) -> Plan:
        """Undo/redo of committing or rejecting a plan: its status back to ``status`` when it is
        still ``expected`` (what the command left). Orders are put back by ``restore_orders``."""
        status = parse_enum(PlanStatus, status, "status")
        expected = parse_enum(PlanStatus, expected, "expected")
        with self._write() as s:
            row = s.execute(select(*rows.PLAN_COLUMNS).where(PlanRow.id == plan_id)).first()
            if row is None:
                raise NotFoundError("plan", plan_id)
            plan = rows.plan(row)
            if plan.status != expected:
                raise RuleViolation("plan", f"plan {plan_id} is {plan.status.value} (expected {expected.value}); "
                                            "it was changed meanwhile")
            if status == PlanStatus.CANDIDATE:
                other = s.execute(select(PlanRow.id).where(PlanRow.workspace_id == plan.workspace_id,
                                                           PlanRow.status == PlanStatus.CANDIDATE.value,
                                                           PlanRow.id != plan_id)).first()
                if other is not None:
                    raise RuleViolation("plan", f"plan {other[0]} is the candidate now; reject it first")
            s.execute(update(PlanRow).where(PlanRow.id == plan_id).values(status=status))
            self._audit(s, "undo_status", "plan", plan_id, {"status": plan.status}, {"status": status},
                        plan.workspace_id)
        return dataclasses.replace(plan, status=status)

    def get_orders(self, order_ids: Sequence[str]) -> list[Order]:
        """The orders with these ids (missing ones left out), in one read: what a command keeps
        to put them back on undo."""
        with self._read() as s:
            found = self._orders_by_id(s, order_ids)
        return [found[i] for i in dict.fromkeys(order_ids) if i in found]

    def orders_after_status_change(self, orders: Sequence[Order], changed: Iterable[str]) -> list[Order]:
        """``orders`` (as read before a write of this process that changed the status of those in
        ``changed``, bumping their version once, and nothing else of them) as they are now, reading
        only status, version and update time: an order whose version is not the one that write
        leaves (someone else changed it too) is read whole; a missing one is left out."""
        t = ORDERS.c
        light: dict[str, tuple] = {}
        with self._read() as s:
            for where in id_filters(s, t.id, [o.id for o in orders]):
                light.update((r[0], r[1:]) for r in s.execute(select(t.id, t.status, t.version, t.updated_at)
                                                              .where(where)))
            changed = set(changed)
            whole = [o.id for o in orders if o.id in light and light[o.id][1] != o.version + (o.id in changed)]
            found = self._orders_by_id(s, whole) if whole else {}
        out = []
        for o in orders:
            if o.id in found:
                out.append(found[o.id])
            elif o.id in light:
                status, version, updated_at = light[o.id]
                out.append(o if version == o.version else
                           dataclasses.replace(o, status=status, version=version, updated_at=updated_at))
        return out
