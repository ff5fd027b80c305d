"""The entry point of the five algorithms on a :class:`Problem` (spec sections 7 and 14)."""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from app.domain import Algorithm
from app.domain.enums import parse_enum

from .greedy import greedy
from .lns import lns
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


#: Largest problem (candidates) given to one whole CP-SAT model (the scheduler bench proves 20,000 in
#: ~13 s); beyond, its exclusion model outgrows the limit and the search (lns.py) works alone.
EXACT_MAX_CANDIDATES = 20_000
#: Share of the time limit the whole CP-SAT model gets before the search takes over.
EXACT_SHARE = 0.7


def solve_indices(problem: Problem, algorithm, *, time_limit_s: float = 30.0, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None, seed: int = 0,
                  ) -> tuple[list[int], str, float | None, float | None]:
    """Like :func:`solve` but returns candidate indices: (selected, status, best_bound, gap).

    ``optimal``: up to :data:`EXACT_MAX_CANDIDATES` candidates, one CP-SAT model over everything
    (optimal.py) for :data:`EXACT_SHARE` of the time limit; when it proves optimality that is the
    answer, otherwise the large-neighbourhood search (lns.py) improves its schedule for the rest of
    the limit. Larger problems go to the search directly (warm start: the roll-pitch best fit).
    ``seed`` fixes the search's neighbourhoods (same seed and limit, same result)."""
    algorithm = parse_enum(Algorithm, algorithm, "algorithm")
    if algorithm != Algorithm.OPTIMAL:
        return greedy(problem, algorithm, progress=progress, cancel=cancel), "FEASIBLE", None, None
    start = None
    bound = None
    remaining = time_limit_s
    if problem.n_candidates <= EXACT_MAX_CANDIDATES:
        exact_limit = time_limit_s * EXACT_SHARE
        out = solve_optimal(problem, time_limit_s=exact_limit, progress=progress, cancel=cancel)
        if out.status == "OPTIMAL":
            return out.selected, out.status, out.best_bound, out.gap
        start, bound = out.selected, out.best_bound
        remaining = time_limit_s - exact_limit
    found = lns(problem, time_limit_s=remaining, seed=seed, start=start, progress=progress, cancel=cancel)
    best_bound = found.best_bound if bound is None else min(bound, found.best_bound)
    value = float(sum(problem.L_value[i] for i in found.selected))
    gap = max(0.0, (best_bound - value) / best_bound) if best_bound and best_bound > 0 else 0.0
    return found.selected, "FEASIBLE", best_bound, gap


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
