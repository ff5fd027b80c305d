"""``solve PROBLEM.json --algorithm A [--time-limit S] [--out F]`` (spec section 14)."""
from __future__ import annotations

import argparse

from app.cli import options
from app.cli.output import emit
from app.domain import Algorithm
from app.services.solve_service import solve_problem_file


def _solve(args: argparse.Namespace) -> int:
    emit(solve_problem_file(args.problem, args.algorithm, time_limit_s=args.time_limit, out=args.out))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("solve", help="solve a scheduling problem file and print the result as JSON")
    p.add_argument("problem", help="problem file (JSON, spec section 14)")
    p.add_argument("--algorithm", required=True, choices=[a.value for a in Algorithm])
    p.add_argument("--time-limit", type=options.finite, default=30.0, help="seconds, for optimal (default 30)")
    p.add_argument("--out", help="also write the result JSON to this file")
    p.set_defaults(handler=_solve)
