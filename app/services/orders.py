"""Order management: add (validated), list, update (lifecycle), import from CSV/JSON."""
from __future__ import annotations

from typing import Any

from app.domain import NotFoundError, Order, OrderConstraints, Target, ValidationError, parse_optional_utc
from app.domain import checks
from app.persistence import ScheduleDB

from .order_files import parse_order_file
from .workspaces import resolve_workspace


def add_order(db: ScheduleDB, workspace: str, target: str, priority: Any = 3, *, lat: Any = None,
              lon: Any = None, window_start: Any = None, window_end: Any = None,
              constraints: dict[str, Any] | None = None, notes: str | None = None,
              external_ref: str | None = None, source: str = "manual") -> Order:
    """Create an order for ``target`` (an existing target name, or a new one at lat/lon).

    Everything is validated before anything is written: priority 1..5 (1 = highest), window end after start,
    aware UTC times, known target or valid coordinates.
    """
    ws = resolve_workspace(db, workspace)
    target = checks.name(target, "target")
    priority = checks.priority(priority)
    start = parse_optional_utc(window_start, "window_start")
    end = parse_optional_utc(window_end, "window_end")
    if start and end and end <= start:
        raise ValidationError("window_end", "must be after window_start")
    cons = OrderConstraints.from_dict(constraints)
    known = {t.id for t in db.list_targets(ws.id)}
    new_target = None
    if target not in known:
        if lat is None or lon is None:
            raise ValidationError("target", f"unknown target {target!r} in workspace {ws.name!r}; "
                                            "give --lat and --lon to define it")
        new_target = Target(id=target, lat=lat, lon=lon, priority=priority)
    elif lat is not None or lon is not None:
        raise ValidationError("lat", f"target {target!r} already exists; omit --lat/--lon")
    if cons.preferred_satellite and cons.preferred_satellite not in {s.id for s in db.list_satellites(ws.id)}:
        raise ValidationError("preferred_satellite", f"unknown satellite {cons.preferred_satellite!r}")
    if new_target is not None:
        db.upsert_targets(ws.id, [new_target])
    return db.create_order(target_id=target, priority=priority, workspace_id=ws.id,
                           requested_window_start=start, requested_window_end=end,
                           constraints=cons.to_dict(), source=source, notes=notes, external_ref=external_ref)


def list_orders(db: ScheduleDB, workspace: str, status: str | None = None, limit: int | None = 100,
                offset: int = 0) -> list[Order]:
    ws = resolve_workspace(db, workspace)
    return db.list_orders(status=status, workspace_id=ws.id, limit=limit, offset=offset)


def update_order(db: ScheduleDB, order_id: str, expected_version: int | None = None, **changes: Any) -> Order:
    """Change an order's fields or status (the lifecycle of spec §3 is enforced by the database layer)."""
    if not changes:
        raise ValidationError("changes", "nothing to update")
    for key in ("requested_window_start", "requested_window_end"):
        if key in changes:
            changes[key] = parse_optional_utc(changes[key], key)
    if "priority" in changes:
        changes["priority"] = checks.priority(changes["priority"])
    if "constraints" in changes:
        changes["constraints"] = OrderConstraints.from_dict(changes["constraints"]).to_dict()
    return db.update_order(order_id, expected_version=expected_version, **changes)


def import_orders(db: ScheduleDB, workspace: str, path: str) -> list[Order]:
    """Import orders from a CSV or JSON file: every row validated first; a bad file writes nothing.

    A row naming an unknown target must give lat/lon; the target is created with the orders.
    """
    ws = resolve_workspace(db, workspace)
    rows = parse_order_file(path)
    known = {t.id for t in db.list_targets(ws.id)}
    new_targets: dict[str, Target] = {}
    for i, row in enumerate(rows):
        name = row["target_id"]
        if name in known or name in new_targets:
            continue
        if row["lat"] is None:
            raise ValidationError(f"rows[{i}].target", f"unknown target {name!r}; give lat and lon")
        new_targets[name] = Target(id=name, lat=row["lat"], lon=row["lon"], priority=row["priority"])
    clean = [{k: v for k, v in row.items() if k not in ("lat", "lon")} for row in rows]
    return db.create_orders(ws.id, clean, new_targets=list(new_targets.values()))


def get_order(db: ScheduleDB, order_id: str) -> Order:
    order = db.get_order(order_id)
    if order is None:
        raise NotFoundError("order", order_id)
    return order
