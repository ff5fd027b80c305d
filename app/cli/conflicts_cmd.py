"""``conflicts`` subcommand: detect, store and list a workspace's conflicts with a summary."""
from __future__ import annotations

import argparse

from app.cli.output import emit
from app.services import conflict_service
from app.services.database import open_database


def _conflicts(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    emit(conflict_service.conflicts_report(db, args.workspace, satellite_id=args.satellite,
                                           horizon_start=args.horizon_start, horizon_end=args.horizon_end))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("conflicts", help="detect and list conflicts, with a summary by type and severity")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--satellite", help="only conflicts involving this satellite")
    p.add_argument("--horizon-start")
    p.add_argument("--horizon-end")
    p.add_argument("--db", help="database path or SQLAlchemy URL")
    p.set_defaults(handler=_conflicts)
