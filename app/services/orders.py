"""Order management: add (validated), list, update (lifecycle), import from CSV/JSON."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain import NotFoundError, Order, OrderConstraints, Target, ValidationError, parse_optional_utc
from app.domain import checks, limits
from app.domain.enums import OrderStatus, parse_enum
from app.domain.orders import check_manual_transition
from app.persistence import ScheduleDB

from .order_files import parse_order_file
from .order_refs import reference_problem
from .workspaces import resolve_workspace


def add_order(db: ScheduleDB, workspace: str, target: str, priority: Any = 3, *, lat: Any = None,
              lon: Any = None, window_start: Any = None, window_end: Any = None,
              constraints: dict[str, Any] | None = None, notes: str | None = None,
              external_ref: str | None = None, source: str = "manual") -> Order:
    """Create an order for ``target`` (an existing target name, or a new one at lat/lon).

    Everything is validated before anything is written: priority 1..5 (1 = highest), window end after start,
    aware UTC times, known target or valid coordinates.
    """
    target = checks.name(target, "target")
    priority = checks.priority(priority)
    notes, external_ref = _order_texts(notes, external_ref, "")
    if lat is not None or lon is not None:
        lat = checks.latitude(lat, "lat") if lat is not None else None
        lon = checks.longitude(lon, "lon") if lon is not None else None
    ws = resolve_workspace(db, workspace)
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
    problem = reference_problem(cons.to_dict(), db.list_satellites(ws.id))
    if problem is not None:
        raise ValidationError(*problem)
    row = {"target_id": target, "priority": priority, "requested_window_start": start,
           "requested_window_end": end, "constraints": cons.to_dict(), "source": source, "notes": notes,
           "external_ref": external_ref}
    # The new target and the order in one transaction: a refused order leaves no orphan target.
    return db.create_orders(ws.id, [row], new_targets=[new_target] if new_target else [])[0]


def _order_texts(notes: Any, external_ref: Any, prefix: str) -> tuple[str | None, str | None]:
    notes = checks.optional_text(notes, f"{prefix}notes", limits.MAX_NOTES_CHARS, multiline=True)
    external_ref = checks.optional_text(external_ref, f"{prefix}external_ref")
    return notes, (external_ref.strip() or None) if external_ref is not None else None


def list_orders(db: ScheduleDB, workspace: str, status: str | None = None, limit: int | None = 100,
                offset: int = 0) -> list[Order]:
    ws = resolve_workspace(db, workspace)
    return db.list_orders(status=status, workspace_id=ws.id, limit=limit, offset=offset)


def update_order(db: ScheduleDB, order_id: str, expected_version: int | None = None, **changes: Any) -> Order:
    """Change an order's fields or status (the lifecycle of spec §3 is enforced by the database layer)."""
    if not changes:
        raise ValidationError("changes", "nothing to update")
    if "notes" in changes:
        changes["notes"] = _order_texts(changes["notes"], None, "")[0]
    if "external_ref" in changes:
        changes["external_ref"] = _order_texts(None, changes["external_ref"], "")[1]
    if changes.get("status") is not None:
        status = parse_enum(OrderStatus, changes["status"], "status")
        check_manual_transition(get_order(db, order_id).status, status)
        changes["status"] = status
    for key in ("requested_window_start", "requested_window_end"):
        if key in changes:
            changes[key] = parse_optional_utc(changes[key], key)
    if "priority" in changes:
        changes["priority"] = checks.priority(changes["priority"])
    if "constraints" in changes:
        changes["constraints"] = OrderConstraints.from_dict(changes["constraints"]).to_dict()
    return db.update_order(order_id, expected_version=expected_version, **changes)


@dataclass
class OrderImport:
    """What an order file import did: the orders created, and the rows skipped because an order
    with the same ``external_ref`` already exists (or came earlier in the file)."""

    orders: list[Order] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    #: Columns kept in ``Order.extra`` (no field of the workbench has their name).
    extra_columns: list[str] = field(default_factory=list)


def import_orders(db: ScheduleDB, workspace: str, path: str) -> list[Order]:
    """Import orders from a CSV or JSON file (see ``import_order_file``); the orders created."""
    return import_order_file(db, workspace, path).orders


def import_order_file(db: ScheduleDB, workspace: str, path: str) -> OrderImport:
    """Import orders from a CSV or JSON file: every row validated first; a bad file writes nothing.

    A row naming an unknown target must give lat/lon; the target is created with the orders. A
    preferred satellite must exist in the workspace. A row whose ``external_ref`` is already used
    by an order of the workspace (or by an earlier row) is not imported twice: it is reported.
    """
    rows = parse_order_file(path)
    ws = resolve_workspace(db, workspace)
    known = {t.id for t in db.list_targets(ws.id)}
    satellites = db.list_satellites(ws.id)
    existing = {o.external_ref: o.id for o in db.list_orders(workspace_id=ws.id, limit=None) if o.external_ref}
    new_targets: dict[str, Target] = {}
    report = OrderImport()
    clean = []
    for row in rows:
        where = row["where"]
        ref = row["external_ref"]
        if ref is not None and ref in existing:
            report.duplicates.append({"row": where, "external_ref": ref, "order_id": existing[ref]})
            continue
        problem = reference_problem(row["constraints"], satellites)
        if problem is not None:
            raise ValidationError(f"{where}.{problem[0]}", problem[1])
        name = row["target_id"]
        if name not in known and name not in new_targets:
            if row["lat"] is None:
                raise ValidationError(f"{where}.target", f"unknown target {name!r}; give lat and lon")
            new_targets[name] = Target(id=name, lat=row["lat"], lon=row["lon"], priority=row["priority"])
        if ref is not None:
            existing[ref] = f"({where})"
        clean.append({k: v for k, v in row.items() if k not in ("lat", "lon", "where")})
    report.extra_columns = sorted({k for row in rows for k in (row["extra"] or {})})
    if clean:
        report.orders = db.create_orders(ws.id, clean, new_targets=list(new_targets.values()))
    return report


def get_order(db: ScheduleDB, order_id: str) -> Order:
    order = db.get_order(order_id)
    if order is None:
        raise NotFoundError("order", order_id)
    return order
