"""``demo`` and ``plan`` subcommands (spec section 14)."""
from __future__ import annotations

import argparse
import sys

from app.cli import options
from app.cli.output import emit
from app.domain import Algorithm, LockLevel, PlanningMode, ReshufflePolicy, ValidationError
from app.domain.scenario import WEIGHT_PRESETS
from app.services import commits, demo, planning
from app.services.database import open_database


def _stderr_progress(fraction: float, message: str) -> None:
    print(f"\r{fraction * 100:5.1f} % {message[:60]:<60}", end="", file=sys.stderr, flush=True)


def _terminal_progress(wanted: bool):
    """Progress lines only for a person watching a terminal: a log file or a pipe gets none."""
    return _stderr_progress if wanted and sys.stderr.isatty() else None


def _demo(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    progress = _terminal_progress(not args.quiet and args.with_schedule)
    ws = demo.ensure_demo(db, schedule=args.with_schedule, progress=progress)
    if progress is not None:
        print(file=sys.stderr)
    acqs = db.list_acquisitions(ws.id)
    orders = db.list_orders(workspace_id=ws.id, limit=None)
    emit({"workspace": ws.name, "id": ws.id, "satellites": len(db.list_satellites(ws.id)),
          "targets": len(db.list_targets(ws.id)), "ground_stations": len(db.list_ground_stations(ws.id)),
          "orders": len(orders), "inbox": sum(1 for o in orders if o.status == "new"),
          "acquisitions": len(acqs), "hard_locked": sum(1 for a in acqs if a.lock_level == "hard")})
    return 0


def _plan(args: argparse.Namespace) -> int:
    if args.mode != "reshuffle":
        # A policy or its parameters without --mode reshuffle would be silently ignored.
        given = [f"--{k}" for k, v in (("policy", args.policy), ("max-shift-minutes", args.max_shift_minutes),
                                       ("improvement-threshold-pct", args.improvement_threshold_pct))
                 if v is not None]
        if given:
            raise ValidationError(given[0].lstrip("-"), f"applies only with --mode reshuffle (mode is {args.mode})")
    params = {k: v for k, v in (("max_shift_minutes", args.max_shift_minutes),
                                ("improvement_threshold_pct", args.improvement_threshold_pct)) if v is not None}
    options = planning.PlanOptions(
        mode=args.mode, algorithm=args.algorithm, horizon_start=args.horizon_start, horizon_end=args.horizon_end,
        policy=args.policy, policy_params=params, weights_preset=args.weights, time_limit_s=args.time_limit)
    # Every option is checked (above) before the database is opened or anything written.
    db = open_database(args.db)
    progress = _terminal_progress(args.progress)
    result = planning.run_planning(db, args.workspace, options, progress=progress, for_commit=args.commit)
    if progress is not None:
        print(file=sys.stderr)
    out = result.summary()
    if args.commit:
        record = commits.commit_plan(db, args.workspace, result.plan_id, lock_level=args.lock_level)
        out["commit"] = {k: v for k, v in record.summary.items() if k != "acquisitions_created"}
        out["commit"]["acquisitions_created"] = len(record.created_ids)
    emit(out)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="create the demo workspace (satellites, targets, stations, orders)")
    p.add_argument("--db", help="database path or SQLAlchemy URL")
    p.add_argument("--with-schedule", action="store_true",
                   help="also plan and commit most orders, as the workbench does on first start")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=_demo)

    p = sub.add_parser("plan", help="plan a workspace's horizon and print the plan's metrics")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--mode", default="from_scratch", choices=[m.value for m in PlanningMode])
    p.add_argument("--algorithm", default="best_fit", choices=[a.value for a in Algorithm])
    p.add_argument("--horizon-start", help="ISO 8601 UTC (default: the workspace's)")
    p.add_argument("--horizon-end", help="ISO 8601 UTC (default: the workspace's)")
    p.add_argument("--policy", choices=[x.value for x in ReshufflePolicy], help="reshuffle policy")
    p.add_argument("--max-shift-minutes", type=options.finite, help="soft-lock shift bound (reshuffle)")
    p.add_argument("--improvement-threshold-pct", type=options.finite, help="replace_if_better threshold (reshuffle)")
    p.add_argument("--weights", choices=list(WEIGHT_PRESETS), help="value weights preset")
    p.add_argument("--time-limit", type=options.finite, default=30.0, help="seconds for the optimal solver")
    p.add_argument("--commit", action="store_true", help="commit the plan")
    p.add_argument("--lock-level", default="none", choices=[x.value for x in LockLevel],
                   help="lock level of committed acquisitions")
    p.add_argument("--progress", action="store_true", help="show progress on stderr")
    p.add_argument("--db", help="database path or SQLAlchemy URL")
    p.set_defaults(handler=_plan)
