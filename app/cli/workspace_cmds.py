"""``gui``, ``workspace`` and ``orders`` subcommands."""
from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from app.cli import options
from app.domain import to_iso
from app.services import orders as order_service
from app.services import workspaces
from app.services.database import open_database


def order_json(order) -> dict[str, Any]:
    data = asdict(order)
    data["constraints"] = order.constraints.to_dict()
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = to_iso(value)
        elif hasattr(value, "value"):
            data[key] = value.value
    return data


def _emit(data: Any) -> None:
    from app.cli.main import emit  # the CLI's single output function
    emit(data)


def _gui(args: argparse.Namespace) -> int:
    # ``python -m app`` (app/__main__.py) opens the window itself; the CLI layer has no Qt.
    print("the workbench window opens with: python -m app gui [--db D]")
    return 0


def _ws_import(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    if args.format == "aeossp":
        ws = workspaces.import_aeossp_case(db, args.file, args.name)
    else:
        ws = workspaces.import_scenario_file(db, args.file, args.name)
    _emit({"workspace": ws.name, "id": ws.id, "imported": True})
    return 0


def _ws_export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    out = workspaces.export_scenario_file(db, args.workspace, args.out, follow_symlinks=args.follow_symlinks)
    if out != "-":  # with --out - stdout carries the scenario itself
        _emit({"workspace": args.workspace, "out": str(out)})
    return 0


def _ws_list(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    _emit([{"id": w.id, "name": w.name} for w in db.list_workspaces()])
    return 0


def _orders_add(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    constraints = {k: v for k, v in {
        "max_incidence_deg": args.max_incidence_deg, "look_side": args.look_side,
        "pass_direction": args.pass_direction, "preferred_satellite": args.preferred_satellite,
        "sensor_type": args.sensor_type, "duration_s": args.duration_s}.items() if v is not None}
    order = order_service.add_order(db, args.workspace, args.target, args.priority, lat=args.lat, lon=args.lon,
                                    window_start=args.window_start, window_end=args.window_end,
                                    constraints=constraints, notes=args.notes, external_ref=args.external_ref)
    _emit(order_json(order))
    return 0


def _orders_list(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    orders = order_service.list_orders(db, args.workspace, status=args.status, limit=args.limit,
                                       offset=args.offset)
    _emit([order_json(o) for o in orders])
    return 0


def _orders_update(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    changes = {k: v for k, v in {
        "status": args.status, "priority": args.priority, "notes": args.notes,
        "requested_window_start": args.window_start, "requested_window_end": args.window_end}.items()
        if v is not None}
    order = order_service.update_order(db, args.order_id, expected_version=args.expected_version, **changes)
    _emit(order_json(order))
    return 0


def _orders_import(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    report = order_service.import_order_file(db, args.workspace, args.file)
    _emit({"imported": len(report.orders), "ids": [o.id for o in report.orders],
           "duplicates": report.duplicates, "extra_columns": report.extra_columns})
    return 0


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database path or SQLAlchemy URL (default: user data directory, or $MPW_DB)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the workbench window (the default)")
    _db_arg(p)
    p.set_defaults(handler=_gui)

    ws = sub.add_parser("workspace", help="import, export or list workspaces").add_subparsers(
        dest="workspace_command", required=True, parser_class=type(p))
    p = ws.add_parser("import", help="import a scenario file (or an AEOSSP case directory) as a new workspace")
    p.add_argument("file", help="scenario file, or with --format aeossp a case directory")
    p.add_argument("--format", choices=("scenario", "aeossp"), default="scenario",
                   help="scenario: the workbench's JSON file; aeossp: an AEOSSP benchmark case directory "
                        "(mission.yaml, satellites.yaml, tasks.yaml)")
    p.add_argument("--name", help="workspace name (default: the file's name field)")
    _db_arg(p)
    p.set_defaults(handler=_ws_import)
    p = ws.add_parser("export", help="export a workspace as a scenario file")
    p.add_argument("workspace")
    p.add_argument("--out", required=True, help="scenario file to write (- for standard output)")
    p.add_argument("--follow-symlinks", action="store_true", help="write through a symbolic link --out")
    _db_arg(p)
    p.set_defaults(handler=_ws_export)
    p = ws.add_parser("list", help="list workspaces")
    _db_arg(p)
    p.set_defaults(handler=_ws_list)
    p = ws.add_parser("advance", help="close the horizon at the clock; open the next one")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    _db_arg(p)
    from app.cli.operations_cmds import advance
    p.set_defaults(handler=advance)

    orders = sub.add_parser("orders", help="order management").add_subparsers(
        dest="orders_command", required=True, parser_class=type(p))
    p = orders.add_parser("add", help="add an order to the inbox")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--target", required=True, help="target name (existing, or new with --lat/--lon)")
    p.add_argument("--lat", type=options.finite)
    p.add_argument("--lon", type=options.finite)
    p.add_argument("--priority", required=True, help="1 (highest) .. 5 (lowest)")
    p.add_argument("--window-start")
    p.add_argument("--window-end")
    p.add_argument("--max-incidence-deg", type=options.finite)
    p.add_argument("--look-side", choices=("LEFT", "RIGHT", "ANY"))
    p.add_argument("--pass-direction", choices=("ASCENDING", "DESCENDING", "ANY"))
    p.add_argument("--preferred-satellite")
    p.add_argument("--sensor-type")
    p.add_argument("--duration-s", type=options.finite)
    p.add_argument("--notes")
    p.add_argument("--external-ref")
    _db_arg(p)
    p.set_defaults(handler=_orders_add)
    p = orders.add_parser("list", help="list orders")
    p.add_argument("--workspace", required=True)
    p.add_argument("--status", choices=("new", "planned", "committed", "completed", "cancelled"))
    p.add_argument("--limit", type=options.count, default=100)
    p.add_argument("--offset", type=options.count, default=0)
    _db_arg(p)
    p.set_defaults(handler=_orders_list)
    p = orders.add_parser("update", help="update an order (status lifecycle enforced)")
    p.add_argument("order_id")
    p.add_argument("--status", choices=("new", "planned", "committed", "completed", "cancelled"))
    p.add_argument("--priority")
    p.add_argument("--notes")
    p.add_argument("--window-start")
    p.add_argument("--window-end")
    p.add_argument("--expected-version", type=options.version, help="refuse if the order changed since this version")
    _db_arg(p)
    p.set_defaults(handler=_orders_update)
    p = orders.add_parser("import", help="import orders from CSV or JSON (all rows validated first)")
    p.add_argument("file")
    p.add_argument("--workspace", required=True)
    _db_arg(p)
    p.set_defaults(handler=_orders_import)
