"""The four greedy schedulers of spec section 7.

``first_fit`` takes candidates chronologically, ``best_fit`` by descending value; the
``roll_pitch_`` forms do the same over all variants (best fit then prefers the smaller |pitch|).
Ties are broken by opportunity id, so the result is deterministic. An item is taken when its
order is not yet served and it fits its satellite's lane (both neighbours, fixed items and the
initial attitude included; battery and memory when modelled).

The two best-fit forms then run a bounded, deterministic improvement phase (local_search.py:
ejection-chain moves, each kept only when it raises the value and keeps every lane feasible), so
their value is never below that of the plain descending-value pass. ``first_fit`` stays the plain
chronological baseline.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from app.domain import Algorithm

from .lane import Lane
from .local_search import improve
from .problem import Problem
from .progress import Cancelled, Progress

#: Best-fit algorithms follow the greedy with the local-search improvement phase (local_search.py).
IMPROVED_ALGORITHMS = {Algorithm.BEST_FIT, Algorithm.ROLL_PITCH_BEST_FIT}
PITCH_VARIANT_ALGORITHMS = {Algorithm.ROLL_PITCH_FIRST_FIT, Algorithm.ROLL_PITCH_BEST_FIT, Algorithm.OPTIMAL}


def id_rank(problem: Problem) -> np.ndarray:
    """Rank of each candidate's id in lexicographic order (the tie-breaker)."""
    ids = problem.ids[: problem.n_candidates]
    order = sorted(range(len(ids)), key=ids.__getitem__)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return rank


def candidate_order(problem: Problem, algorithm: Algorithm, mask: np.ndarray) -> np.ndarray:
    """Indices of the usable candidates in the order the algorithm considers them."""
    idx = np.nonzero(mask)[0]
    rank = id_rank(problem)[idx]
    n = problem.n_candidates
    if algorithm in (Algorithm.FIRST_FIT, Algorithm.ROLL_PITCH_FIRST_FIT):
        keys = (rank, problem.start[:n][idx])
    elif algorithm == Algorithm.BEST_FIT:
        keys = (rank, -problem.value[:n][idx])
    else:
        keys = (rank, problem.abs_pitch[idx], -problem.value[:n][idx])
    return idx[np.lexsort(keys)]


def build_lanes(problem: Problem, extra: list[int] = ()) -> dict[int, Lane]:
    """One lane per satellite holding the fixed items (and ``extra`` items, unchecked)."""
    lanes = {s: Lane(problem, s) for s in range(len(problem.satellites))}
    by_sat: dict[int, list[int]] = {}
    for i in list(range(problem.n_candidates, problem.n_items)) + list(extra):
        by_sat.setdefault(problem.L_sat[i], []).append(i)
    for s, lane in lanes.items():
        lane.load(by_sat.get(s, []))
    return lanes


def start_selection(problem: Problem) -> tuple[dict[int, Lane], set, dict[int, int]]:
    """The empty selection every greedy pass starts from: the lanes with the fixed acquisitions,
    the orders they serve, and ``chosen`` (order -> candidate) holding each order that must stay
    served at its current candidate, inserted even where it does not fit (an existing acquisition
    the planner keeps; it may improve later)."""
    lanes = build_lanes(problem)
    served = problem.served_by_fixed()
    chosen: dict[int, int] = {}
    for o, c in sorted(problem.required.items()):
        lane = lanes[problem.L_sat[c]]
        lane.fits(c)
        lane.insert(c)
        served.add(o)
        chosen[o] = c
    return lanes, served, chosen


def insert_in_order(problem: Problem, lanes: dict[int, Lane], served: set, chosen: dict[int, int],
                    candidates: Sequence[int], tick: Callable[[int], None] | None = None) -> None:
    """The greedy insertion: each candidate in turn is inserted when its order is still unserved
    and it fits its lane (``Lane.fits``); ``tick(count)`` every 4,096 candidates (cancel, progress)."""
    L_order, L_sat = problem.L_order, problem.L_sat
    for count, i in enumerate(candidates):
        if tick is not None and count & 4095 == 0:
            tick(count)
        o = L_order[i]
        if o in served:
            continue
        lane = lanes[L_sat[i]]
        if lane.fits(i):
            lane.insert(i)
            served.add(o)
            chosen[o] = i


def greedy(problem: Problem, algorithm: Algorithm, *, mask: np.ndarray | None = None,
           progress: Progress | None = None, cancel: Callable[[], bool] | None = None,
           improve_phase: bool = True) -> list[int]:
    """Run a greedy algorithm; returns the selected candidate indices sorted by (satellite, start).

    ``mask`` restricts the candidates further (e.g. those left after a pre-filter).
    ``improve_phase=False`` skips the best-fit improvement phase (the plain greedy pass, kept for
    comparison and tests); it changes nothing for the first-fit algorithms.
    """
    algorithm = Algorithm(algorithm)
    usable = problem.usable(algorithm in PITCH_VARIANT_ALGORITHMS)
    if mask is not None:
        usable &= mask
    order = candidate_order(problem, algorithm, usable).tolist()
    lanes, served, chosen = start_selection(problem)
    total = len(order)

    def tick(count: int) -> None:
        if cancel is not None and cancel():
            raise Cancelled(f"{algorithm.value} cancelled after {count} of {total} candidates")
        if progress is not None:
            progress(count, total, algorithm.value)

    insert_in_order(problem, lanes, served, chosen, order, tick)
    if problem.required:
        _improve_required(problem, lanes, chosen, order)
    if improve_phase and algorithm in IMPROVED_ALGORITHMS:
        improve(problem, lanes, chosen, order, cancel)
    if progress is not None:
        progress(total, total, algorithm.value)
    return sorted(chosen.values(), key=lambda i: (problem.L_sat[i], problem.L_start[i]))


def _improve_required(problem: Problem, lanes: dict, chosen: dict[int, int], order: list[int]) -> None:
    """Move each required order to a higher-value candidate of its own when one fits."""
    by_order: dict[int, list[int]] = {}
    for i in order:
        if problem.L_order[i] in problem.required:
            by_order.setdefault(problem.L_order[i], []).append(i)
    for o in sorted(problem.required):
        current = chosen[o]
        better = sorted((i for i in by_order.get(o, []) if problem.L_value[i] > problem.L_value[current]),
                        key=lambda i: (-problem.L_value[i], problem.ids[i]))
        if not better:
            continue
        lanes[problem.L_sat[current]].remove(current)
        for i in better:
            lane = lanes[problem.L_sat[i]]
            if lane.fits(i):
                lane.insert(i)
                chosen[o] = i
                break
        else:
            lane = lanes[problem.L_sat[current]]
            lane.fits(current)
            lane.insert(current)
