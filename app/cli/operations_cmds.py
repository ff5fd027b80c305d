"""``clock``, ``execution import``, ``forecast import`` and ``workspace advance``: operations (spec §10, §14)."""
from __future__ import annotations

import argparse

from app.services import clock, execution, horizons
from app.services.database import open_database


def _emit(data) -> None:
    from app.cli.main import emit
    emit(data)


def _clock(args: argparse.Namespace) -> int:
    which = clock.clock_arguments(args.set, args.step, args.live)
    db = open_database(args.db)
    if which == "set":
        result = clock.set_clock(db, args.workspace, args.set)
    elif which == "step":
        result = clock.step_clock(db, args.workspace, args.step)
    else:
        result = clock.go_live(db, args.workspace)
    _emit(clock.time_passing_json(result))
    return 0


def _execution_import(args: argparse.Namespace) -> int:
    db = open_database(args.db)
    result = execution.import_execution_report(db, args.workspace, args.file, skip_bad=args.skip_bad)
    _emit(execution.import_json(result))
    return 0


def _forecast_import(args: argparse.Namespace) -> int:
    from app.services import forecasts
    db = open_database(args.db)
    _emit(forecasts.import_forecast_json(forecasts.import_forecast(db, args.workspace, args.file)))
    return 0


def advance(args: argparse.Namespace) -> int:
    """``workspace advance`` (registered by workspace_cmds with the other workspace subcommands)."""
    db = open_database(args.db)
    _emit(horizons.report_json(horizons.advance_horizon(db, args.workspace)))
    return 0


def _db_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", help="database path or SQLAlchemy URL (default: user data directory, or $MPW_DB)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("clock", help="move a workspace's clock and apply time passing")
    p.add_argument("--workspace", required=True, help="workspace name or id")
    p.add_argument("--set", metavar="TIME", help="set the scenario clock (ISO 8601 with Z or an offset)")
    p.add_argument("--step", metavar="DURATION", help="move the clock by 6h, 90m, 1d12h; backwards as --step=-3h")
    p.add_argument("--live", action="store_true", help="follow real UTC time")
    _db_arg(p)
    p.set_defaults(handler=_clock)

    ex = sub.add_parser("execution", help="execution reports").add_subparsers(
        dest="execution_command", required=True, parser_class=type(p))
    p = ex.add_parser("import", help="apply an execution report (CSV or JSON)")
    p.add_argument("file")
    p.add_argument("--workspace", required=True)
    p.add_argument("--skip-bad", action="store_true", help="apply the good rows and list the refused ones")
    _db_arg(p)
    p.set_defaults(handler=_execution_import)

    fc = sub.add_parser("forecast", help="cloud forecasts").add_subparsers(
        dest="forecast_command", required=True, parser_class=type(p))
    p = fc.add_parser("import", help="import a cloud forecast CSV: lat, lon, time, cloud_pct (or a grid: "
                                     "lat, lon, one column per forecast time)")
    p.add_argument("file")
    p.add_argument("--workspace", required=True)
    _db_arg(p)
    p.set_defaults(handler=_forecast_import)
