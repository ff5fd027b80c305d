"""Lagrangian relaxation of "each order at most once": a value bound and a warm start for the search
behind ``optimal`` (lns.py; issue #11).

Relaxing the per-order constraints with multipliers ``λ_o ≥ 0`` leaves one independent problem per
satellite: the best chain of candidates, in start order, where each consecutive pair is a feasible
transition (the one slew model of slew.py), each candidate weighing ``value − λ_order``. A chain is
found exactly by dynamic programming over the candidates sorted by start: a predecessor ending more
than the satellite's longest possible slew (``Problem.max_slew``) before a start is always reachable
(a running maximum over candidates sorted by end), the nearer ones are checked pairwise once, up front,
with the vectorised slew model; two candidates of one order are never consecutive in a chain (no schedule
has them). For any ``λ ≥ 0``

    bound(λ) = Σ_o λ_o + Σ_satellites max(0, best chain weight)

is an upper bound of every schedule's value (the chains relax the order constraints, the battery,
memory, the initial attitude and the fixed items, which only remove schedules). The multipliers
follow the subgradient ``1 − (times the order is taken)`` with Polyak steps towards the best known
schedule's value, the step factor halved after :data:`STALL` iterations without a lower bound.

Warm start ("primal" schedule): the chains' candidates, best value first, inserted with the lanes'
exact checks (``Lane.fits``: both neighbours, fixed items, the initial attitude, battery and memory),
then every other usable candidate in the roll-pitch best-fit order. Orders that must stay served
(``Problem.required``) are put in first at their current candidate, as the greedy does. Every
schedule built here is therefore feasible. Deterministic: fixed iteration count, ties broken by
position, no clock and no hashing.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.domain import Algorithm

from .exclusions import _pairs_in_sweep
from .greedy import candidate_order, greedy, insert_in_order, start_selection
from .problem import Problem
from .progress import Cancelled, Progress
from .slew import FEASIBILITY_EPS_S, slew_times

#: Iterations without a new best bound after which the step factor is halved.
STALL = 5
#: A warm start is built from the chains every this many iterations (and after the last one).
PRIMAL_EVERY = 20
#: Most near pairs (predecessors within the longest slew) the chains may hold, about 50 bytes each
#: (the AEOSSP cases: ~1.5 million); beyond, the relaxation is skipped (no bound, greedy start).
MAX_PAIRS = 10_000_000


@dataclass
class Relaxation:
    """``bound``: the best (lowest) Lagrangian bound, value units, over the usable candidates;
    ``selected``: the best feasible schedule built (candidate indices, sorted by satellite, start);
    ``value`` its value; ``iterations`` run."""

    bound: float
    selected: list[int]
    value: float
    iterations: int


class _Chains:
    """One satellite's candidates in start order with, for each, its near feasible predecessors
    (positions) and how many candidates (in end order) end far enough before it to be reachable."""

    __slots__ = ("idx", "near", "by_end", "far", "m")

    def __init__(self, problem: Problem, s: int, idx: np.ndarray, reach: float) -> None:
        P = problem
        st, en = P.start[idx], P.end[idx]
        I, J = _pairs_in_sweep(st, en, reach)  # pairs with st[J] < en[I] + reach: checked one by one
        a, b = idx[I], idx[J]
        ok = st[J] >= en[I] + slew_times(P.agility(s), P.r1[a], P.p1[a], P.r0[b], P.p0[b],
                                         P.los1[a], P.los0[b]) - FEASIBILITY_EPS_S
        # Two candidates of one order never follow each other in a schedule (each order at most once):
        # without this, a chain images the same target twice in one pass, and the bound is far looser
        # (AEOSSP case_0003: 0.769 → 0.759 of the weight, the warm start 0.736 → 0.750).
        ok &= P.order[a] != P.order[b]
        I, J = I[ok], J[ok]
        m = len(idx)
        order = np.argsort(J, kind="stable")  # the sweep emits by I: regroup by J
        I = I[order]
        bounds = np.searchsorted(J[order], np.arange(m + 1))
        self.near = [I[bounds[k]:bounds[k + 1]].tolist() for k in range(m)]
        by_end = np.argsort(en, kind="stable")
        # The complement of the pairs above: en + reach <= st (the same float expression).
        self.far = np.searchsorted(en[by_end] + reach, st, side="right").tolist()
        self.by_end = by_end.tolist()
        self.idx = idx
        self.m = m

    def best_chain(self, w: list[float]) -> tuple[float, list[int]]:
        """The chain of largest total weight ``w`` (by position) and that weight (0: the empty chain)."""
        m = self.m
        f = [0.0] * m
        pred = [-1] * m
        near, far, by_end = self.near, self.far, self.by_end
        ptr, far_best, far_arg = 0, 0.0, -1
        top, top_k = 0.0, -1
        for k in range(m):
            stop = far[k]
            while ptr < stop:
                a = by_end[ptr]
                if f[a] > far_best:
                    far_best, far_arg = f[a], a
                ptr += 1
            best, arg = far_best, far_arg
            for a in near[k]:
                if f[a] > best:
                    best, arg = f[a], a
            v = f[k] = w[k] + best
            pred[k] = arg
            if v > top:
                top, top_k = v, k
        out = []
        k = top_k
        while k >= 0:
            out.append(k)
            k = pred[k]
        out.reverse()
        return top, out


def primal(problem: Problem, first: list[int], fill_order: list[int]) -> list[int]:
    """A feasible schedule: required orders at their current candidate, then ``first`` (in the given
    order), then ``fill_order``, each candidate inserted when its order is unserved and it fits its
    lane (``Lane.fits``). Returns candidate indices sorted by (satellite, start)."""
    P = problem
    lanes, served, chosen = start_selection(P)
    for seq in (first, fill_order):
        insert_in_order(P, lanes, served, chosen, seq)
    return sorted(chosen.values(), key=lambda i: (P.L_sat[i], P.L_start[i]))


def relax(problem: Problem, alive: np.ndarray, *, iterations: int, progress: Progress | None = None,
          cancel: Callable[[], bool] | None = None) -> Relaxation:
    """Run ``iterations`` subgradient steps over the candidates in ``alive`` (see the module docstring);
    returns the best bound and the best feasible schedule built (never worse than the plain roll-pitch
    best fit, which seeds it). Beyond :data:`MAX_PAIRS` nothing is relaxed: bound inf, 0 iterations. ``progress(done, total, text)``; ``cancel()`` → True raises Cancelled."""
    P = problem
    n = P.n_candidates
    alive = alive[:n]
    fill = candidate_order(P, Algorithm.ROLL_PITCH_BEST_FIT, alive).tolist()
    best_sel = greedy(P, Algorithm.ROLL_PITCH_BEST_FIT, mask=alive, cancel=cancel, improve_phase=False)
    best_value = float(sum(P.L_value[i] for i in best_sel))
    cand = np.nonzero(alive)[0]
    if len(cand) == 0:
        return Relaxation(best_value, best_sel, best_value, 0)
    per_sat = []
    pairs = 0
    for s in range(len(P.satellites)):
        idx = cand[P.sat[cand] == s]
        idx = idx[np.lexsort((P.end[idx], P.start[idx]))]
        reach = P.max_slew(s)
        hi = np.searchsorted(P.start[idx], P.end[idx] + reach, side="left")
        pairs += int(np.maximum(hi - np.arange(1, len(idx) + 1), 0).sum())
        per_sat.append((s, idx, reach))
    if pairs > MAX_PAIRS:
        return Relaxation(float("inf"), best_sel, best_value, 0)
    chains = [_Chains(P, s, idx, reach) for s, idx, reach in per_sat]
    value = P.value[:n]
    order = P.order[:n]
    lam = np.zeros(len(P.order_ids))
    bound = float("inf")
    factor, stall = 1.0, 0
    done = 0
    for it in range(iterations):
        if cancel is not None and cancel():
            raise Cancelled(f"optimal cancelled in the relaxation after {it} of {iterations} steps")
        if progress is not None:
            progress(it, iterations, f"optimal: relaxation step {it} of {iterations}")
        w_all = value - lam[order]
        count = np.zeros(len(lam))
        total = float(lam.sum())
        picks: list[np.ndarray] = []
        for ch in chains:
            if ch.m == 0:
                continue
            top, pos = ch.best_chain(w_all[ch.idx].tolist())
            total += top
            sel = ch.idx[pos]
            picks.append(sel)
            np.add.at(count, order[sel], 1.0)
        if total < bound - 1e-12:
            bound, stall = total, 0
        else:
            stall += 1
            if stall >= STALL:
                factor, stall = factor / 2.0, 0
        done = it + 1
        g = 1.0 - count
        g[(lam <= 0.0) & (g > 0.0)] = 0.0  # λ stays ≥ 0
        norm = float(g @ g)
        if done % PRIMAL_EVERY == 0 or done == iterations or norm == 0.0:
            taken = np.concatenate(picks) if picks else np.zeros(0, dtype=np.int64)
            taken = taken[np.lexsort((taken, P.start[taken], -value[taken]))].tolist()
            sel = primal(P, taken, fill)
            v = float(sum(P.L_value[i] for i in sel))
            if v > best_value + 1e-12:
                best_sel, best_value = sel, v
        if norm == 0.0:
            break  # the chains take every order at most once: the bound is reached
        step = factor * max(bound - best_value, 1e-9) / norm
        lam = np.maximum(0.0, lam - step * g)
    return Relaxation(bound, best_sel, best_value, done)
