"""``export`` subcommand: the schedule as CSV, JSON, iCalendar or KML."""
from __future__ import annotations

import argparse

from app.cli.output import emit
from app.services import export_service
from app.services.database import open_database


def _export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    emit(export_service.export_schedule(db, args.workspace, args.format, args.out,
                                        start=getattr(args, "from"), end=args.to))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the schedule (csv, json, ics, kml, aeossp-solution)")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--format", required=True, help="csv | json | ics | kml | aeossp-solution (the AEOSSP benchmark's actions JSON)")
    p.add_argument("--out", required=True)
    p.add_argument("--from", dest="from", help="only acquisitions ending after this time (ISO 8601)")
    p.add_argument("--to", help="only acquisitions starting before this time (ISO 8601)")
    p.add_argument("--db", help="database path or SQLAlchemy URL")
    p.set_defaults(handler=_export)
