"""Orders: the Inbox of imaging requests and their lifecycle (spec §3, seed 000 orders API)."""
from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, delete, select, update

from app.domain import (NotFoundError, Order, OrderConstraints, StaleEditError, Target,
                        ValidationError, new_id, parse_optional_utc, utc_now)
from app.domain.enums import OrderSource, OrderStatus, parse_enum
from app.domain.orders import check_transition

from . import rows
from .models import ORDERS, OrderRow, TargetRow
from .store import StoreBase, chunks, raise_stale

_ORDER_INPUT_KEYS = ("target_id", "priority", "requested_window_start", "requested_window_end",
                     "constraints", "source", "notes", "external_ref", "workspace_id", "status", "extra")
_EDITABLE = ("status", "priority", "constraints", "requested_window_start", "requested_window_end",
             "notes", "external_ref", "target_id", "source")


def build_order(data: dict[str, Any], workspace_id: str, prefix: str = "") -> Order:
    """Validate an order's input fields into an ``Order`` (new id, status ``new``).

    Field names in errors carry ``prefix`` (``orders[3].priority``) so a bulk caller names the row.
    """
    unknown = sorted(set(data) - set(_ORDER_INPUT_KEYS))
    if unknown:
        raise ValidationError(f"{prefix}{unknown[0]}", f"unknown field; known: {', '.join(_ORDER_INPUT_KEYS)}")
    if data.get("workspace_id") not in (None, workspace_id):
        raise ValidationError(f"{prefix}workspace_id",
                              f"{data['workspace_id']!r} differs from the target workspace {workspace_id!r}")
    start = parse_optional_utc(data.get("requested_window_start"), f"{prefix}requested_window_start")
    end = parse_optional_utc(data.get("requested_window_end"), f"{prefix}requested_window_end")
    constraints = data.get("constraints")
    try:
        if not isinstance(constraints, OrderConstraints):
            if constraints is not None and not isinstance(constraints, dict):
                raise ValidationError("constraints", f"must be an object, got {type(constraints).__name__}")
            constraints = OrderConstraints.from_dict(constraints)
        status = data.get("status") or OrderStatus.NEW
        notes, ref = data.get("notes"), data.get("external_ref")
        for key, value in (("notes", notes), ("external_ref", ref)):
            if value is not None and not isinstance(value, str):
                raise ValidationError(key, f"must be text, got {type(value).__name__}")
        extra = data.get("extra")
        if extra is not None and (not isinstance(extra, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in extra.items())):
            raise ValidationError("extra", "must map column names to text")
        if "target_id" not in data or data["target_id"] is None:
            raise ValidationError("target_id", "required")
        now = utc_now()
        return Order(id=new_id("ord"), workspace_id=workspace_id, target_id=data["target_id"],
                     priority=data.get("priority", 3) if data.get("priority") is not None else 3,
                     status=status, constraints=constraints, requested_window_start=start,
                     requested_window_end=end, source=data.get("source") or OrderSource.MANUAL,
                     notes=notes, external_ref=ref, created_at=now, updated_at=now, version=1,
                     extra=dict(extra) if extra else None)
    except ValidationError as exc:
        if prefix and not exc.field.startswith(prefix):
            raise ValidationError(f"{prefix}{exc.field}", exc.reason) from None
        raise


def order_values(o: Order) -> dict[str, Any]:
    return {"id": o.id, "created_at": o.created_at, "updated_at": o.updated_at, "status": o.status,
            "target_id": o.target_id, "priority": o.priority, "constraints_json": o.constraints.to_dict(),
            "requested_window_start": o.requested_window_start,
            "requested_window_end": o.requested_window_end, "source": o.source, "notes": o.notes,
            "external_ref": o.external_ref, "workspace_id": o.workspace_id, "version": o.version,
            "extra_json": o.extra}


class OrderStore(StoreBase):

    def create_order(self, target_id: str, priority: int = 3, workspace_id: str | None = None,
                     requested_window_start: Any = None, requested_window_end: Any = None,
                     constraints: dict[str, Any] | OrderConstraints | None = None, source: str = "manual",
                     notes: str | None = None, external_ref: str | None = None) -> Order:
        """Create an order in status ``new`` (it lands in the Inbox).

        Priority 1..5 (1 = highest); window times are ISO 8601 strings with Z/offset or aware
        datetimes (a null start = ASAP, a null end = no deadline). Bad input raises a
        ValidationError naming the field; nothing is written.
        """
        data = {"target_id": target_id, "priority": priority, "requested_window_start": requested_window_start,
                "requested_window_end": requested_window_end, "constraints": constraints, "source": source,
                "notes": notes, "external_ref": external_ref}
        with self._write() as s:
            ws = self._require_workspace(s, workspace_id)
            order = build_order(data, ws)
            s.execute(ORDERS.insert(), [order_values(order)])
            self._audit(s, "create", "order", order.id, None, order, ws, order.created_at)
        return order

    def create_orders(self, workspace_id: str, orders: Sequence[dict[str, Any]],
                      new_targets: Iterable[Target] = ()) -> list[Order]:
        """Create many orders (and optionally the targets they name) in one transaction.

        Every row is validated first; a bad row raises a ValidationError naming ``orders[i].field``
        and nothing is written.
        """
        if isinstance(orders, dict) or not hasattr(orders, "__iter__"):
            raise ValidationError("orders", "expected a list of orders")
        with self._write() as s:
            ws = self._require_workspace(s, workspace_id)
            built = self._insert_orders(s, ws, list(orders))
            targets = list(new_targets)
            if targets:
                self._upsert_targets(s, ws, targets)
        return built

    def _insert_orders(self, s: Connection, ws: str, orders: list[Any]) -> list[Order]:
        built = []
        for i, data in enumerate(orders):
            if not isinstance(data, dict):
                raise ValidationError(f"orders[{i}]", f"must be an object, got {type(data).__name__}")
            order = build_order(data, ws, prefix=f"orders[{i}].")
            if built:
                # One microsecond apart: listing by creation time keeps the order of the file.
                stamp = built[0].created_at + timedelta(microseconds=i)
                order = dataclasses.replace(order, created_at=stamp, updated_at=stamp)
            built.append(order)
        if built:
            s.execute(ORDERS.insert(), [order_values(o) for o in built])
            self._audit(s, "create_many", "orders", ws, None, {"ids": [o.id for o in built]}, ws,
                        built[0].created_at)
        return built

    def list_orders(self, status: Any = None, workspace_id: str | None = None, limit: int | None = 100,
                    offset: int = 0, target_id: str | None = None) -> list[Order]:
        """Orders, oldest first. ``status`` is one status or a list of them; ``limit=None`` = all."""
        stmt = select(*rows.ORDER_COLUMNS)
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            stmt = stmt.where(OrderRow.status.in_(
                [parse_enum(OrderStatus, st, "status").value for st in statuses]))
        if workspace_id is not None:
            stmt = stmt.where(OrderRow.workspace_id == workspace_id)
        if target_id is not None:
            stmt = stmt.where(OrderRow.target_id == target_id)
        if limit is not None:
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
                raise ValidationError("limit", f"must be an integer ≥ 0, got {limit!r}")
            stmt = stmt.limit(limit)
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise ValidationError("offset", f"must be an integer ≥ 0, got {offset!r}")
        stmt = stmt.order_by(OrderRow.created_at, OrderRow.id).offset(offset)
        with self._read() as s:
            return [rows.order(r) for r in s.execute(stmt)]

    def get_order(self, order_id: str) -> Order | None:
        """The order with this id, or None."""
        with self._read() as s:
            return self._orders_by_id(s, [order_id]).get(order_id)

    def update_order(self, order_id: str, expected_version: int | None = None, **changes: Any) -> Order:
        """Change an order's fields or status; the lifecycle of spec §3 is enforced.

        With ``expected_version`` (the version the caller read), an order changed meanwhile by
        someone else is refused with StaleEditError; the write itself is always
        ``UPDATE … WHERE id = ? AND version = ?``.
        """
        if not changes:
            raise ValidationError("changes", "nothing to update")
        unknown = sorted(set(changes) - set(_EDITABLE))
        if unknown:
            raise ValidationError(unknown[0], f"not an editable order field; editable: {', '.join(_EDITABLE)}")
        with self._write() as s:
            # Row lock first (PostgreSQL; SQLite's BEGIN IMMEDIATE already holds the database): a
            # blind edit then reads the row as it is and is never refused as stale.
            s.execute(select(OrderRow.id).where(OrderRow.id == order_id).with_for_update())
            current = self._orders_by_id(s, [order_id]).get(order_id)
            if current is None:
                raise NotFoundError("order", order_id)
            if expected_version is not None and expected_version != current.version:
                raise self._stale(s, "order", order_id, expected_version, current.version)
            values: dict[str, Any] = {}
            for key, value in changes.items():
                if key in ("requested_window_start", "requested_window_end"):
                    value = parse_optional_utc(value, key)
                elif key == "constraints" and not isinstance(value, OrderConstraints):
                    if value is not None and not isinstance(value, dict):
                        raise ValidationError("constraints", f"must be an object, got {type(value).__name__}")
                    value = OrderConstraints.from_dict(value)
                elif key == "status":
                    value = parse_enum(OrderStatus, value, "status")
                    check_transition(current.status, value)
                values[key] = value
            now = utc_now()
            updated = dataclasses.replace(current, **values, updated_at=now, version=current.version + 1)
            new_row = order_values(updated)
            result = s.execute(update(OrderRow).where(OrderRow.id == order_id,
                                                      OrderRow.version == current.version)
                               .values({k: v for k, v in new_row.items() if k not in ("id", "created_at")}))
            if result.rowcount != 1:
                raise_stale(s, OrderRow, "order", [(order_id, current.version)])
            before = {k: rows.to_jsonable(getattr(current, k)) for k in values}
            after = {k: rows.to_jsonable(getattr(updated, k)) for k in values}
            self._audit(s, "update", "order", order_id, before, after, current.workspace_id, now)
        return updated

    # Targets are needed by order creation (bulk import may define them); the rest lives in
    # the workspace store.
    def _upsert_targets(self, s: Connection, ws: str, targets: list[Target]) -> None:
        seen: set[str] = set()
        for i, t in enumerate(targets):
            if not isinstance(t, Target):
                raise ValidationError(f"targets[{i}]", f"expected a Target, got {type(t).__name__}")
            if t.id in seen:
                raise ValidationError(f"targets[{i}].id", f"duplicate id {t.id!r}")
            seen.add(t.id)
        for part in chunks(list(seen)):
            s.execute(delete(TargetRow).where(TargetRow.workspace_id == ws, TargetRow.id.in_(part)))
        s.execute(TargetRow.__table__.insert(), [rows.target_values(t, ws) for t in targets])

