"""Which items cannot be scheduled together, built with a sorted sweep per satellite (never all
O(n²) pairs): for each item only the later items starting before its end + the satellite's
maximum possible slew are examined, with the vectorised slew model.

Two kinds of exclusion come out:

* **cliques**: on one satellite, every item whose extended interval [start, end + settle) contains
  a given instant excludes every other one (any slew takes at least the settle time). These are the
  maximal cliques of an interval graph, found at start instants; one "at most one" over a clique is
  much stronger for CP-SAT than the pairwise constraints it replaces.
* **pairs**: the remaining same-satellite pairs whose transition is infeasible in either order
  (start_j ≥ end_i + settle but < end_i + slew(i → j)).

Candidate–fixed pairs that are infeasible remove the candidate; fixed–fixed pairs are ignored
(fixed items stay whatever they are).
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from .problem import Problem
from .slew import FEASIBILITY_EPS_S, slew_times


@dataclass
class Exclusions:
    cliques: list[list[int]]
    pairs: np.ndarray              # (k, 2) candidate indices
    blocked: np.ndarray            # candidate indices infeasible with a fixed item or the initial attitude


def _pairs_in_sweep(s: np.ndarray, e: np.ndarray, bound: float) -> tuple[np.ndarray, np.ndarray]:
    """All (i, j), i < j in start order, with s[j] < e[i] + bound (s sorted ascending)."""
    n = len(s)
    hi = np.searchsorted(s, e + bound, side="left")
    counts = np.maximum(hi - (np.arange(n) + 1), 0)
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    I = np.repeat(np.arange(n), counts)
    first = np.cumsum(counts) - counts
    J = I + 1 + (np.arange(total) - np.repeat(first, counts))
    return I, J


def build_exclusions(problem: Problem, candidates: np.ndarray) -> Exclusions:
    """Exclusions among ``candidates`` (candidate indices), against fixed items and initial attitudes."""
    P = problem
    n = P.n_candidates
    fixed = np.arange(n, P.n_items)
    cliques: list[list[int]] = []
    pairs: list[np.ndarray] = []
    blocked: list[np.ndarray] = []
    for s in range(len(P.satellites)):
        ag = P.agility(s)
        cand = candidates[P.sat[candidates] == s]
        fx = fixed[P.sat[fixed] == s]
        if len(cand) == 0:
            continue
        if s in P.initial:
            att = P.initial[s]
            los = np.tile(np.asarray(att.los if att.los is not None else (np.nan,) * 3, dtype=float), (len(cand), 1))
            need = slew_times(ag, np.full(len(cand), att.roll_deg), np.full(len(cand), att.pitch_deg),
                              P.r0[cand], P.p0[cand], los, P.los0[cand])
            unreachable = P.start[cand] < att.time + need - FEASIBILITY_EPS_S
            blocked.append(cand[unreachable])
        items = np.concatenate([cand, fx])
        order = np.lexsort((P.end[items], P.start[items]))
        items = items[order]
        st, en = P.start[items], P.end[items]
        I, J = _pairs_in_sweep(st, en, P.max_slew(s))
        a, b = items[I], items[J]
        ok_ab = st[J] >= en[I] + slew_times(ag, P.r1[a], P.p1[a], P.r0[b], P.p0[b], P.los1[a], P.los0[b]) - FEASIBILITY_EPS_S
        ok_ba = st[I] >= en[J] + slew_times(ag, P.r1[b], P.p1[b], P.r0[a], P.p0[a], P.los1[b], P.los0[a]) - FEASIBILITY_EPS_S
        bad = ~(ok_ab | ok_ba)
        a_fixed, b_fixed = a >= n, b >= n
        blocked.append(b[bad & a_fixed & ~b_fixed])
        blocked.append(a[bad & b_fixed & ~a_fixed])
        cc = bad & ~a_fixed & ~b_fixed
        # Pairs whose extended intervals overlap are covered by a clique below.
        covered = st[J] < en[I] + ag.settle_time_s
        pairs.append(np.stack([a[cc & ~covered], b[cc & ~covered]], axis=1))
        cliques.extend(_interval_cliques(P, cand, ag.settle_time_s))
    blocked_arr = np.unique(np.concatenate(blocked)) if blocked else np.zeros(0, dtype=np.int64)
    pair_arr = np.concatenate(pairs) if pairs else np.zeros((0, 2), dtype=np.int64)
    return Exclusions(cliques, pair_arr.astype(np.int64), blocked_arr.astype(np.int64))


def _interval_cliques(P: Problem, cand: np.ndarray, settle: float) -> list[list[int]]:
    """Maximal cliques (size ≥ 2) of the intervals [start, end + settle) of one satellite's candidates."""
    order = np.lexsort((P.end[cand], P.start[cand]))
    idx = cand[order].tolist()
    starts = P.start[cand][order].tolist()
    ends = (P.end[cand][order] + settle).tolist()
    out: list[list[int]] = []
    active: list[tuple[float, int]] = []   # heap of (extended end, item)
    members: set[int] = set()
    grew = False
    for k, i in enumerate(idx):
        t = starts[k]
        # Closing intervals: if the set grew since the last close, the active set was maximal.
        if active and active[0][0] <= t:
            if grew and len(members) >= 2:
                out.append(sorted(members))
            grew = False
            while active and active[0][0] <= t:
                _, j = heapq.heappop(active)
                members.discard(j)
        heapq.heappush(active, (ends[k], i))
        members.add(i)
        grew = True
    if grew and len(members) >= 2:
        out.append(sorted(members))
    return out
