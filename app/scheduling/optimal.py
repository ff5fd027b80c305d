"""``optimal``: exact maximum-value selection with OR-Tools CP-SAT (spec section 7).

One boolean per candidate (all variants); at most one per order; "at most one" over each clique
of mutually overlapping items and one exclusion per remaining same-satellite pair whose
transition is infeasible (exclusions.py; exact because the slew time is subadditive, see slew.py);
candidates infeasible with a fixed item or unreachable from the initial attitude are removed up
front (fixed items are thus forced in); warm start from the best greedy; wall-time limit.

Value scaling: CP-SAT needs integer weights. Each value v is mapped to round(v · S) with
S = 10⁶ / max(v), so the largest value weighs 10⁶ and every weight is exact to 5·10⁻⁷ of the
largest value. The proof of optimality is for the scaled weights; the reported ``total_value``
is always the true float sum, and ``best_bound`` is the solver's bound divided by S.

Battery and memory are not in the model: the solution is verified with the same resource
simulation as the greedy insertion and repaired by dropping, while a limit is broken, the
lowest-value candidate at or before the first violation. OPTIMAL is kept only when no repair was
needed (the relaxation's optimum is then feasible, hence optimal); otherwise FEASIBLE.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.domain import Algorithm

from .exclusions import build_exclusions
from .greedy import build_lanes, greedy
from .problem import Problem
from .progress import Cancelled, Progress

WEIGHT_SCALE = 1_000_000


@dataclass
class OptimalOutcome:
    selected: list[int]
    status: str              # "OPTIMAL" or "FEASIBLE"
    best_bound: float | None # in value units
    gap: float | None        # relative: (bound − objective) / bound
    repaired: int            # candidates dropped by the resource repair


def _value(problem: Problem, sel) -> float:
    return float(sum(problem.L_value[i] for i in sel))


def repair_resources(problem: Problem, selected: list[int]) -> tuple[list[int], int]:
    """Drop lowest-value candidates until no satellite breaks a battery/memory limit."""
    lanes = build_lanes(problem, selected)
    chosen = set(selected)
    dropped = 0
    for lane in lanes.values():
        if not lane.resources:
            continue
        while True:
            bad = lane.recompute()
            if not bad:
                break
            first = lane.items.index(bad[0])
            movable = [j for j in lane.items[: first + 1]
                       if j < problem.n_candidates and problem.L_order[j] not in problem.required]
            if not movable:
                break  # the fixed items alone break the limit: nothing of ours to drop
            victim = min(movable, key=lambda j: (problem.L_value[j], problem.ids[j]))
            lane.remove(victim)
            chosen.discard(victim)
            dropped += 1
    return sorted(chosen, key=lambda i: (problem.L_sat[i], problem.L_start[i])), dropped


def solve_optimal(problem: Problem, *, time_limit_s: float = 30.0, progress: Progress | None = None,
                  cancel: Callable[[], bool] | None = None, num_workers: int | None = None) -> OptimalOutcome:
    """Solve with CP-SAT; see the module docstring for the model, the scaling and the status rules."""
    P = problem
    n = P.n_candidates
    served = P.served_by_fixed()
    alive = np.ones(n, dtype=bool)
    if served:
        alive &= ~np.isin(P.order[:n], np.fromiter(served, dtype=np.int64))
    cand = np.nonzero(alive)[0]
    ex = build_exclusions(P, cand)
    alive[ex.blocked] = False
    cand = np.nonzero(alive)[0]

    # Warm start: the best of the greedy schedules (all are feasible).
    hints = [greedy(P, alg, mask=alive, cancel=cancel) for alg in
             (Algorithm.ROLL_PITCH_BEST_FIT, Algorithm.BEST_FIT, Algorithm.ROLL_PITCH_FIRST_FIT, Algorithm.FIRST_FIT)]
    hint = max(hints, key=lambda sel: (_value(P, sel), -len(sel)))

    if len(cand) == 0:
        return OptimalOutcome([], "OPTIMAL", 0.0, 0.0, 0)

    vmax = float(P.value[cand].max())
    scale = WEIGHT_SCALE / vmax if vmax > 0 else 1.0
    weights = np.rint(P.value[cand] * scale).astype(np.int64)

    # Imported here: loading CP-SAT (and the pandas it pulls in) costs ~0.6 s, which a window
    # that may never run the optimal algorithm should not pay at start.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {int(i): model.new_bool_var(f"x{int(i)}") for i in cand}
    by_order: dict[int, list] = {}
    for i in cand.tolist():
        by_order.setdefault(P.L_order[i], []).append(x[i])
    for o, lits in by_order.items():
        if o in P.required:
            model.add_exactly_one(lits)  # kept or moved, never dropped
        elif len(lits) > 1:
            model.add_at_most_one(lits)
    for clique in ex.cliques:
        lits = [x[i] for i in clique if i in x]
        if len(lits) > 1:
            model.add_at_most_one(lits)
    for a, b in ex.pairs.tolist():
        if a in x and b in x:
            model.add_bool_or([x[a].Not(), x[b].Not()])
    model.maximize(sum(int(w) * x[int(i)] for i, w in zip(cand, weights)))
    hint_set = set(hint)
    for i in cand.tolist():
        model.add_hint(x[i], i in hint_set)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit_s)
    solver.parameters.num_workers = num_workers or max(1, min(8, (os.cpu_count() or 1) - 1))
    solver.parameters.random_seed = 0
    stop = threading.Event()
    watcher = None
    if cancel is not None or progress is not None:
        t0 = time.monotonic()

        def watch() -> None:
            while not stop.wait(0.1):
                if cancel is not None and cancel():
                    solver.stop_search()
                    return
                if progress is not None:
                    progress(min(time.monotonic() - t0, time_limit_s), time_limit_s, "optimal: CP-SAT search")

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        status = solver.solve(model)
    finally:
        stop.set()
        if watcher is not None:
            watcher.join()
    if cancel is not None and cancel():
        raise Cancelled("optimal cancelled")

    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        selected = [i for i in cand.tolist() if solver.boolean_value(x[i])]
        bound_scaled = float(solver.best_objective_bound)
        obj_scaled = float(solver.objective_value)
    else:  # no solution in time: fall back to the greedy warm start
        selected = list(hint)
        bound_scaled = float(solver.best_objective_bound) if status != cp_model.MODEL_INVALID else float(weights.sum())
        obj_scaled = float(sum(int(w) for i, w in zip(cand.tolist(), weights) if i in hint_set))
    proven = status == cp_model.OPTIMAL and not P.non_subadditive_items()

    selected, dropped = repair_resources(P, selected)
    if dropped:
        proven = False
    if _value(P, hint) > _value(P, selected):
        # Only possible when the search stopped early, after a repair, or by weight rounding.
        selected = sorted(hint, key=lambda i: (P.L_sat[i], P.L_start[i]))
        obj_scaled = float(sum(int(w) for i, w in zip(cand.tolist(), weights) if i in hint_set))
        if dropped or status != cp_model.OPTIMAL:
            proven = False
    selected.sort(key=lambda i: (P.L_sat[i], P.L_start[i]))
    if proven:
        gap = 0.0
    else:
        gap = max(0.0, (bound_scaled - obj_scaled) / bound_scaled) if bound_scaled > 0 else 0.0
    return OptimalOutcome(selected, "OPTIMAL" if proven else "FEASIBLE", bound_scaled / scale, gap, dropped)
