"""Solve a scheduling problem file (spec section 14): the ``solve`` command's service."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.domain import Algorithm, ValidationError
from app.domain.enums import parse_enum
from app.scheduling import load_problem, solve


def solve_problem_file(path: str | Path, algorithm: str, *, time_limit_s: float = 30.0,
                       out: str | Path | None = None, progress=None, cancel=None) -> dict[str, Any]:
    """Read and validate the problem file, run ``algorithm`` and return the result document
    ``{algorithm, status, selected, total_value, best_bound, gap, runtime_ms}``; also written to
    ``out`` when given. ``time_limit_s`` bounds ``optimal`` (wall seconds). Bad input raises a
    ValidationError naming the JSON path."""
    algorithm = parse_enum(Algorithm, algorithm, "--algorithm")
    if not time_limit_s > 0:
        raise ValidationError("--time-limit", f"must be > 0 seconds, got {time_limit_s}")
    problem = load_problem(path)
    result = solve(problem, algorithm, time_limit_s=time_limit_s, progress=progress, cancel=cancel).to_dict()
    if out is not None:
        Path(out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result
