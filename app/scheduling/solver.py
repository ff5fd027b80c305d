"""The entry point of the five algorithms on a :class:`Problem` (spec sections 7 and 14)."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from app.domain import Algorithm
from app.domain.enums import parse_enum

from .greedy import greedy
from .optimal import solve_optimal
from .problem import Problem
from .progress import Progress


@dataclass(frozen=True, slots=True)
class SolveResult:
    """Outcome of one run. ``selected`` are candidate ids sorted by (satellite, start);
    ``total_value`` is the true float sum of their values; ``best_bound`` and ``gap`` (relative,
    0 = proven) are given by ``optimal`` only; ``status`` is OPTIMAL only when proven."""

    algorithm: str
    status: str
    selected: list[str]
    total_value: float
    best_bound: float | None
    gap: float | None
    runtime_ms: float

    def to_dict(self) -> dict:
        return asdict(self)


def solve_indices(problem: Problem, algorithm, *, time_limit_s: float = 30.0, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None) -> tuple[list[int], str, float | None, float | None]:
    """Like :func:`solve` but returns candidate indices: (selected, status, best_bound, gap)."""
    algorithm = parse_enum(Algorithm, algorithm, "algorithm")
    if algorithm == Algorithm.OPTIMAL:
        out = solve_optimal(problem, time_limit_s=time_limit_s, progress=progress, cancel=cancel)
        return out.selected, out.status, out.best_bound, out.gap
    return greedy(problem, algorithm, progress=progress, cancel=cancel), "FEASIBLE", None, None


def solve(problem: Problem, algorithm, *, time_limit_s: float = 30.0, progress: Progress | None = None,
          cancel: Callable[[], bool] | None = None) -> SolveResult:
    """Run ``algorithm`` (first_fit, best_fit, roll_pitch_first_fit, roll_pitch_best_fit, optimal)
    on ``problem``. ``time_limit_s`` (wall seconds) bounds ``optimal``; ``progress(done, total,
    text)`` is called now and then; ``cancel()`` returning True raises :class:`Cancelled`.
    Greedy results have status FEASIBLE."""
    t0 = time.perf_counter()
    selected, status, bound, gap = solve_indices(problem, algorithm, time_limit_s=time_limit_s,
                                                 progress=progress, cancel=cancel)
    runtime = (time.perf_counter() - t0) * 1000.0
    total = float(sum(problem.L_value[i] for i in selected))
    if status == "OPTIMAL":
        bound = total  # proven: the bound is the optimum (the solver's is on scaled weights)
    return SolveResult(str(parse_enum(Algorithm, algorithm, "algorithm")), status,
                       [problem.ids[i] for i in selected], total, bound, gap, round(runtime, 3))
