"""``plan``, ``conflicts`` and ``export`` subcommands."""
from __future__ import annotations

import argparse

from app.domain import Algorithm, LockLevel, PlanningMode, ReshufflePolicy
from app.services import conflict_service, export_service, planning
from app.services.database import open_database


def _emit(data) -> None:
    from app.cli.main import emit
    emit(data)


def _plan(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    options = planning.PlanOptions(
        mode=args.mode, algorithm=args.algorithm, horizon_start=args.horizon_start,
        horizon_end=args.horizon_end, policy=args.policy, time_limit_s=args.time_limit, now=args.now,
        value_source=args.value_source, weights_preset=args.weights, quality_model=args.quality_model)
    result = planning.run_planning(db, args.workspace, options)
    out = planning.result_summary(result)
    if args.commit:
        out["commit"] = planning.commit_plan(db, result.plan.id, lock_level=args.lock_level)
    _emit(out)
    return 0


def _conflicts(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    _emit(conflict_service.conflicts_report(db, args.workspace, satellite_id=args.satellite,
                                            horizon_start=args.horizon_start, horizon_end=args.horizon_end))
    return 0


def _export(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    _emit(export_service.export_schedule(db, args.workspace, args.format, args.out,
                                         start=getattr(args, "from"), end=args.to))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("plan", help="run planning on a workspace and print the plan's metrics")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--mode", required=True, choices=[m.value for m in PlanningMode])
    p.add_argument("--algorithm", required=True, choices=[a.value for a in Algorithm])
    p.add_argument("--horizon-start")
    p.add_argument("--horizon-end")
    p.add_argument("--policy", choices=[x.value for x in ReshufflePolicy])
    p.add_argument("--time-limit", type=float, default=30.0, help="seconds (optimal)")
    p.add_argument("--now", help="the planning clock (default: the workspace's scenario clock, else now)")
    p.add_argument("--value-source", choices=("uniform", "target_priority", "custom"))
    p.add_argument("--weights", help="weights preset: balanced, priority_first, quality_first, urgent, archival")
    p.add_argument("--quality-model", choices=("off", "monotonic", "band"))
    p.add_argument("--commit", action="store_true", help="commit the plan")
    p.add_argument("--lock-level", default="none", choices=[x.value for x in LockLevel])
    p.add_argument("--db")
    p.set_defaults(handler=_plan)

    p = sub.add_parser("conflicts", help="detect and list conflicts, with a summary by type and severity")
    p.add_argument("--workspace", required=True)
    p.add_argument("--satellite")
    p.add_argument("--horizon-start")
    p.add_argument("--horizon-end")
    p.add_argument("--db")
    p.set_defaults(handler=_conflicts)

    p = sub.add_parser("export", help="export the schedule (csv, json, ics, kml)")
    p.add_argument("--workspace", required=True)
    p.add_argument("--format", required=True, help="csv | json | ics | kml")
    p.add_argument("--out", required=True)
    p.add_argument("--from", dest="from")
    p.add_argument("--to")
    p.add_argument("--db")
    p.set_defaults(handler=_export)
