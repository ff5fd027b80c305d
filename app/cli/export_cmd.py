"""``export`` subcommand: the schedule as CSV, JSON, iCalendar or KML."""
from __future__ import annotations

import argparse

from app.cli.output import emit
from app.services import export_service
from app.services.database import open_database


def _export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    summary = export_service.export_schedule(db, args.workspace, args.format, args.out,
                                             start=getattr(args, "from"), end=args.to, excel=args.excel,
                                             follow_symlinks=args.follow_symlinks)
    if args.out != "-":  # with --out - stdout carries the export itself, nothing else
        emit(summary)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the schedule (csv, json, ics, kml, aeossp-solution)")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--format", required=True, help="csv | json | ics | kml | aeossp-solution (the AEOSSP benchmark's actions JSON)")
    p.add_argument("--out", required=True, help="file to write (- for standard output); written to a "
                                                 "temporary file and renamed, never onto a database")
    p.add_argument("--excel", action="store_true",
                   help="csv for spreadsheets: UTF-8 byte-order mark, CRLF, numbers rounded to 3 decimals")
    p.add_argument("--follow-symlinks", action="store_true", help="write through a symbolic link --out")
    p.add_argument("--from", dest="from", help="only acquisitions ending after this time (ISO 8601)")
    p.add_argument("--to", help="only acquisitions starting before this time (ISO 8601)")
    p.add_argument("--db", help="database path or SQLAlchemy URL")
    p.set_defaults(handler=_export)
