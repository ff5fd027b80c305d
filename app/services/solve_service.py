"""Solve a scheduling problem file (spec section 14): the ``solve`` command's service."""
from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from app.domain import Algorithm, ValidationError
from app.domain.enums import parse_enum
from app.export.safe_file import STDOUT, check_target, write_file
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
    if out is not None and str(out) != STDOUT:
        # Checked before solving, and written like every export (safe_file): never over the
        # problem being solved, a SQLite file or through a link; the old file intact on failure.
        target = check_target(out)
        with contextlib.suppress(OSError):
            if target.exists() and os.path.samefile(target, path):
                raise ValidationError("out", f"{out} is the problem file being solved; choose another file")
    problem = load_problem(path)
    result = solve(problem, algorithm, time_limit_s=time_limit_s, progress=progress, cancel=cancel).to_dict()
    if out is not None:
        write_file(out, lambda stream: stream.write(json.dumps(result, indent=2) + "\n"))
    return result
