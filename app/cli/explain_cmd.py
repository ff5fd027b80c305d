"""``explain`` subcommand: why an order is not served, and the smallest checked changes that
would serve it (issue 15; ``app.services.explain``)."""
from __future__ import annotations

import argparse

from app.cli.output import emit
from app.services import explain
from app.services.database import open_database


def _explain(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    result = explain.explain(db, args.workspace, args.order)
    if args.format == "json":
        emit(result.to_dict())
        return 0
    lines = [f"{result.order}: {result.reason}"]
    lines += [f"  · {d}" for d in result.details]
    if result.suggestions:
        lines.append("What would make it fit (each checked by re-planning):")
        lines += [f"  {k}. {s.text}" for k, s in enumerate(result.suggestions, 1)]
    elif result.kind not in ("served", "planned"):
        lines.append("No single change found that would serve it.")
    print("\n".join(lines))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("explain", help="why an order is not served and what would make it fit")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--order", required=True, help="order id (ord_…) or its external reference (REQ-…)")
    p.add_argument("--format", default="json", choices=("json", "text"),
                   help="json (default): {reason, suggestions: [{change, acquisition}]}; text: sentences")
    p.add_argument("--db", help="database path or SQLAlchemy URL")
    p.set_defaults(handler=_explain)
