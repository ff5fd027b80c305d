"""Large-neighbourhood search with exact CP-SAT sub-problems: the ``optimal`` algorithm beyond the
size CP-SAT proves quickly (spec section 7; issue #11).

Start: the best feasible schedule built by the Lagrangian relaxation of the order constraints
(relaxation.py: exact per-satellite chains, then insertion with the lanes' checks), and on small
problems the roll-pitch best fit with its local search (greedy.py, local_search.py) when it is better.
Then, repeatedly, a **neighbourhood** is a set of windows (satellite, [t0, t1)): mostly every satellite
over a window (between :data:`MIN_WINDOW_S` and :data:`MAX_WINDOW_S`) holding a candidate c of an
unserved order, plus short windows around another candidate of each order blocking c on its satellite
(an ejection chain); otherwise every satellite over a uniform window. The items starting in the
windows are taken out and the best re-selection is solved exactly by CP-SAT over

* every candidate starting in a window whose order is unserved or served by a removed item (so an
  order may move between satellites and along its passes),
* at most one candidate per order,
* at most one candidate of each set of mutually overlapping ones on a satellite, and one exclusion per
  other pair on the same satellite whose transition (the one slew model of slew.py) is infeasible:
  exact, because the slew is subadditive,
* only candidates reachable from the kept item before them (or the initial attitude) and reaching
  the kept item after them.

The re-selection is kept when its value is at least the removed items' value and the battery/memory
simulation (lane.py, the same one as every scheduler) still holds on the changed satellites;
otherwise the lanes are restored exactly. Fixed items (hard-locked, frozen, immutable) and the items
of required orders are never taken out. Every kept state is feasible, so the result is too.

Determinism: the windows come from ``random.Random(seed)`` and each sub-problem runs CP-SAT with one
worker, a fixed seed and a deterministic-time limit; the number of neighbourhoods is fixed by the
time limit (:data:`NEIGHBOURHOODS_PER_SECOND`), so the same seed and time limit give the same
schedule. A wall-clock guard (1.5 × the limit, counted from the end of the warm start) stops early
on an overloaded machine; only then may the result depend on the machine's speed.

Bound: the lower of the relaxation's bound and the sum over unserved-by-fixed orders of their best
candidate value (every schedule serves each order at most once), both valid upper bounds; ``gap`` is
relative to it.
"""
from __future__ import annotations

import random
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.domain import Algorithm

from .greedy import build_lanes, greedy
from .lane import Lane
from .problem import Problem
from .progress import Cancelled, Progress
from .relaxation import relax
from .slew import FEASIBILITY_EPS_S, feasible, slew_times

#: Shortest and longest neighbourhood window (s).
MIN_WINDOW_S = 240.0
MAX_WINDOW_S = 900.0
#: Neighbourhoods solved per second of time limit (calibrated on the AEOSSP cases, 2-core machine).
NEIGHBOURHOODS_PER_SECOND = 8.0
#: Deterministic-time limit of one CP-SAT sub-problem (CP-SAT's own work units, about seconds).
SUB_DETERMINISTIC_TIME = 2.0
#: Largest sub-problem (candidates); a bigger window is shrunk to its first candidates.
MAX_SUB_CANDIDATES = 1500
#: Weight scale of the sub-problems (integer weights for CP-SAT).
WEIGHT_SCALE = 1_000_000
#: Share of the neighbourhoods centred on a candidate of an unserved order (the others: uniform).
TARGETED_SHARE = 0.7
#: Reach (s) around a targeted candidate within which items of its satellite count as its blockers,
#: and the largest margin of a blocker's alternative window.
BLOCKER_REACH_S = 150.0
#: Most blockers whose alternatives join a targeted neighbourhood.
MAX_CHAIN = 4
#: Wall-clock guard, as a multiple of the time limit.
WALL_GUARD = 1.5
#: Lagrangian relaxation steps (relaxation.py) per second of time limit, and their range.
RELAXATION_STEPS_PER_SECOND = 4.0
RELAXATION_STEPS = (10, 120)
#: Up to this many candidates the warm start is also compared with the roll-pitch best fit and its
#: local search (cheap there; on the 30,000-candidate AEOSSP cases it costs 20–40 s).
BEST_FIT_START_MAX_CANDIDATES = 5000


@dataclass
class LnsOutcome:
    selected: list[int]
    best_bound: float
    gap: float
    neighbourhoods: int
    improved: int
    start_value: float


def value_bound(problem: Problem, alive: np.ndarray) -> float:
    """Sum over orders of their best usable candidate's value (orders served by fixed items excluded)."""
    n = problem.n_candidates
    idx = np.nonzero(alive[:n])[0]
    if len(idx) == 0:
        return 0.0
    best: dict[int, float] = {}
    for i in idx.tolist():
        o = problem.L_order[i]
        v = problem.L_value[i]
        if v > best.get(o, -1.0):
            best[o] = v
    return float(sum(best.values()))


class _Search:
    def __init__(self, problem: Problem, selected: list[int], alive: np.ndarray) -> None:
        P = self.P = problem
        self.n = P.n_candidates
        self.lanes: dict[int, Lane] = build_lanes(P, selected)
        self.chosen: dict[int, int] = {P.L_order[i]: i for i in selected}
        self.locked_orders = set(P.required) | P.served_by_fixed()
        # Candidates per satellite sorted by start, for window queries.
        idx = np.nonzero(alive[: self.n])[0]
        self.alive_idx = [i for i in idx.tolist() if P.L_order[i] not in self.locked_orders]
        self._unserved: list[int] | None = None
        self.by_sat: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for s in range(len(P.satellites)):
            mine = idx[P.sat[idx] == s]
            mine = mine[np.argsort(P.start[mine], kind="stable")]
            self.by_sat[s] = (mine, P.start[mine])
        self.longest_slew = {s: P.max_slew(s) for s in range(len(P.satellites))}
        self.of_order: dict[int, list[int]] = {}
        for i in self.alive_idx:
            self.of_order.setdefault(P.L_order[i], []).append(i)

    def pick(self, rng: random.Random, sats: list[int]) -> list[tuple[int, float, float]]:
        """The next neighbourhood's windows. Mostly (:data:`TARGETED_SHARE`) around a candidate c of an
        unserved order: every satellite over a window holding c, plus, on their own satellites, short
        windows around one other candidate of each order that blocks c on its satellite (so the
        sub-problem can move a blocker elsewhere and take c: an ejection chain solved exactly);
        otherwise every satellite over a uniform window."""
        P = self.P
        width = rng.uniform(MIN_WINDOW_S, MAX_WINDOW_S)
        unserved = self.unserved_candidates()
        if not unserved or rng.random() >= TARGETED_SHARE:
            t0 = rng.uniform(P.horizon_start - width / 2.0, P.horizon_end - width / 2.0)
            return [(s, t0, t0 + width) for s in sats]
        c = unserved[rng.randrange(len(unserved))]
        t0 = P.L_start[c] - rng.uniform(0.2, 0.8) * width
        windows = [(s, t0, t0 + width) for s in sats]
        lane = self.lanes[P.L_sat[c]]
        near = lane.items[_bisect_left(lane.starts, P.L_start[c] - BLOCKER_REACH_S):
                          _bisect_left(lane.starts, P.L_end[c] + BLOCKER_REACH_S)]
        for b in near[:MAX_CHAIN]:
            if b >= self.n:
                continue
            others = [a for a in self.of_order.get(P.L_order[b], ()) if not t0 <= P.L_start[a] < t0 + width]
            if others:
                a = others[rng.randrange(len(others))]
                reach = rng.uniform(30.0, BLOCKER_REACH_S)
                windows.append((P.L_sat[a], P.L_start[a] - reach, P.L_end[a] + reach))
        return windows

    def unserved_candidates(self) -> list[int]:
        """Candidates of orders not served now, in index order (recomputed after each change)."""
        if self._unserved is None:
            L_order, chosen = self.P.L_order, self.chosen
            self._unserved = [i for i in self.alive_idx if L_order[i] not in chosen]
        return self._unserved

    def value(self) -> float:
        return float(sum(self.P.L_value[i] for i in self.chosen.values()))

    # ------------------------------------------------------------------ one neighbourhood
    def neighbourhood(self, windows: list[tuple[int, float, float]], cp_model) -> bool:
        """Re-select exactly over ``windows`` ((satellite, t0, t1) epoch s): every item starting in one
        is taken out (a window holding a fixed or required item is skipped); True if the value rose."""
        P = self.P
        removed: set[int] = set()
        per_sat: dict[int, list[tuple[float, float]]] = {}
        for s, t0, t1 in windows:
            lane = self.lanes[s]
            inside = lane.items[_bisect_left(lane.starts, t0):_bisect_left(lane.starts, t1)]
            if any(i >= self.n or P.L_order[i] in self.locked_orders for i in inside):
                continue
            removed.update(inside)
            per_sat.setdefault(s, []).append((t0, t1))
        if not per_sat:
            return False
        free_orders = {P.L_order[i] for i in removed}
        cands: list[int] = []
        for s, wins in per_sat.items():
            lane = self.lanes[s]
            kept = [i for i in lane.items if i not in removed]
            kept_starts = [P.L_start[i] for i in kept]
            ids, starts = self.by_sat[s]
            seen: set[int] = set()
            for t0, t1 in wins:
                a, b = np.searchsorted(starts, t0, "left"), np.searchsorted(starts, t1, "left")
                for i in ids[a:b].tolist():
                    if i in seen:
                        continue
                    seen.add(i)
                    o = P.L_order[i]
                    if o in self.locked_orders or (o in self.chosen and o not in free_orders):
                        continue
                    # Its neighbours among the kept items (both, with the one slew model).
                    pos = bisect_right(kept_starts, P.L_start[i])
                    prev = kept[pos - 1] if pos > 0 else None
                    nxt = kept[pos] if pos < len(kept) else None
                    if prev is not None:
                        if not feasible(P.L_end[prev], lane._slew_in(prev, i), P.L_start[i]):
                            continue
                    elif lane.init is not None and not feasible(lane.init.time, lane._slew_in(None, i),
                                                                P.L_start[i]):
                        continue
                    if nxt is not None and not feasible(P.L_end[i], lane._slew_in(i, nxt), P.L_start[nxt]):
                        continue
                    cands.append(i)
        removed = sorted(removed)
        if not cands:
            return False
        if len(cands) > MAX_SUB_CANDIDATES:
            return False
        old_value = sum(P.L_value[i] for i in removed)
        vmax = max(P.L_value[i] for i in cands + removed) or 1.0
        scale = WEIGHT_SCALE / vmax

        model = cp_model.CpModel()
        x = {i: model.new_bool_var("") for i in cands}
        by_order: dict[int, list] = {}
        for i in cands:
            by_order.setdefault(P.L_order[i], []).append(x[i])
        for lits in by_order.values():
            if len(lits) > 1:
                model.add_at_most_one(lits)
        by_sat: dict[int, list[int]] = {}
        for i in cands:
            by_sat.setdefault(P.L_sat[i], []).append(i)
        for s, items in by_sat.items():
            for clique in _overlap_cliques(P, items):
                model.add_at_most_one([x[i] for i in clique])
            for a, b in self._infeasible_pairs(s, items):
                model.add_bool_or([x[a].Not(), x[b].Not()])
        weights = {i: int(round(P.L_value[i] * scale)) for i in cands}
        model.maximize(sum(weights[i] * x[i] for i in cands))
        removed_set = set(removed)
        for i in cands:
            model.add_hint(x[i], i in removed_set)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_deterministic_time = SUB_DETERMINISTIC_TIME
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        new = [i for i in cands if solver.boolean_value(x[i])]
        new_value = sum(P.L_value[i] for i in new)
        if new_value < old_value - 1e-12 or set(new) == removed_set:
            return False
        return self._apply(removed, new, new_value > old_value + 1e-12)

    def _infeasible_pairs(self, s: int, items: list[int]) -> list[tuple[int, int]]:
        """Pairs (a, b) of candidates of satellite ``s`` (a starting first) of different orders whose
        transition a → b is infeasible (the one slew model, vectorised; equal starts overlap)."""
        P = self.P
        idx = np.array(sorted(items, key=lambda i: (P.L_start[i], P.L_end[i])), dtype=np.int64)
        start, end = P.start[idx], P.end[idx]
        m = len(idx)
        # b after a need checking only while b starts within the longest possible slew of a's end.
        hi = np.searchsorted(start, end + self.longest_slew[s], "right")
        first = np.arange(1, m + 1)
        counts = np.maximum(hi - first, 0)
        total = int(counts.sum())
        if total == 0:
            return []
        ka = np.repeat(np.arange(m), counts)
        kb = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(first, counts)
        a, b = idx[ka], idx[kb]
        # Same order: excluded by its at-most-one; overlapping: by the overlap cliques.
        other = (P.order[a] != P.order[b]) & (P.start[b] >= P.end[a])
        a, b = a[other], b[other]
        slew = slew_times(self.lanes[s].ag, P.r1[a], P.p1[a], P.r0[b], P.p0[b], P.los1[a], P.los0[b])
        bad = P.start[b] < P.end[a] + slew - FEASIBILITY_EPS_S
        return list(zip(a[bad].tolist(), b[bad].tolist()))

    def _apply(self, removed: list[int], new: list[int], better: bool) -> bool:
        P = self.P
        touched = {P.L_sat[i] for i in removed} | {P.L_sat[i] for i in new}
        snaps = {s: (lane.items, lane.starts, lane.soc, lane.mem) for s in touched for lane in (self.lanes[s],)}
        gone = set(removed)
        for s in sorted(touched):
            lane = self.lanes[s]
            items = [i for i in lane.items if i not in gone] + [i for i in new if P.L_sat[i] == s]
            if _reload_changed(lane, items):  # a battery or memory limit broken: restore every touched lane
                for t, (items_t, starts_t, soc_t, mem_t) in snaps.items():
                    lt = self.lanes[t]
                    lt.items, lt.starts, lt.soc, lt.mem = items_t, starts_t, soc_t, mem_t
                    lt._pending = None
                return False
        self._unserved = None
        for i in removed:
            del self.chosen[P.L_order[i]]
        for i in new:
            self.chosen[P.L_order[i]] = i
        return better


def _reload_changed(lane: Lane, items: list[int]) -> bool:
    """``Lane.reload`` (new lists, the old ones left intact for a restore) that recomputes the battery and
    memory states only where they can differ: from the first changed position until, past the last
    changed one, a state equals the stored one again (the same arithmetic from there on, so the same
    numbers). True when a limit breaks at a recomputed item."""
    p = lane.p
    old = lane.items
    new = sorted(items, key=lambda i: (p.L_start[i], p.L_end[i]))
    lane.items = new
    lane.starts = [p.L_start[i] for i in new]
    lane._pending = None
    if not lane.resources:
        return False
    first = 0
    limit = min(len(old), len(new))
    while first < limit and old[first] == new[first]:
        first += 1
    same_tail = 0  # common suffix: new[len(new) - k] is old[len(old) - k]
    while same_tail < limit - first and old[len(old) - 1 - same_tail] == new[len(new) - 1 - same_tail]:
        same_tail += 1
    soc_list, mem_list = lane.soc[:first], lane.mem[:first]
    if first > 0:
        prev = new[first - 1]
        soc, mem, t = soc_list[-1], mem_list[-1], p.L_end[prev]
    else:
        prev, soc, mem, t = None, (lane.power.initial if lane.power else 0.0), 0.0, lane.t0
    shift = len(old) - len(new)
    tail_from = len(new) - same_tail
    bad = False
    k = first
    while k < len(new):
        j = new[k]
        soc, mem, ok = lane._advance(soc, mem, t, prev, j)
        bad = bad or not ok
        soc_list.append(soc)
        mem_list.append(mem)
        if k >= tail_from and soc == lane.soc[k + shift] and mem == lane.mem[k + shift]:
            soc_list.extend(lane.soc[k + shift + 1:])  # unchanged from here on, already judged
            mem_list.extend(lane.mem[k + shift + 1:])
            break
        prev, t = j, p.L_end[j]
        k += 1
    lane.soc, lane.mem = soc_list, mem_list
    return bad


def _overlap_cliques(P: Problem, items: list[int]) -> list[list[int]]:
    """The maximal sets of mutually overlapping candidates (intervals [start, end)) of one satellite:
    at most one of each set can be scheduled. Sweep by start; a set is emitted when an item is about
    to end before the next one starts."""
    order = sorted(items, key=lambda i: (P.L_start[i], P.L_end[i]))
    out: list[list[int]] = []
    active: list[int] = []
    for k, b in enumerate(order):
        start = P.L_start[b]
        active = [a for a in active if P.L_end[a] > start]
        active.append(b)
        nxt = P.L_start[order[k + 1]] if k + 1 < len(order) else float("inf")
        if len(active) > 1 and min(P.L_end[a] for a in active) <= nxt:
            out.append(list(active))
    return out


def _bisect_left(a: list[float], x: float) -> int:
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def lns(problem: Problem, *, time_limit_s: float = 30.0, seed: int = 0, mask: np.ndarray | None = None,
        start: list[int] | None = None, progress: Progress | None = None,
        cancel: Callable[[], bool] | None = None) -> LnsOutcome:
    """Improve a feasible schedule by large-neighbourhood search (see the module docstring).

    ``time_limit_s`` (wall seconds) fixes the number of neighbourhoods; ``seed`` the windows;
    ``mask`` restricts the candidates; ``start`` is the initial selection (default: the roll-pitch
    best fit). Returns candidate indices sorted by (satellite, start), the value bound and the gap.
    ``progress(done, total, text)``; ``cancel()`` → True raises :class:`Cancelled`.
    """
    from ortools.sat.python import cp_model  # loaded only when searched (about 0.6 s)

    P = problem
    alive = np.ones(P.n_candidates, dtype=bool) if mask is None else mask.copy()
    served = P.served_by_fixed()
    if served:
        alive &= ~np.isin(P.order[: P.n_candidates], np.fromiter(served, dtype=np.int64))
    relaxed_bound = float("inf")
    if start is None:
        steps = int(round(RELAXATION_STEPS_PER_SECOND * time_limit_s))
        steps = min(max(steps, RELAXATION_STEPS[0]), RELAXATION_STEPS[1])
        rel = relax(P, alive, iterations=steps, progress=progress, cancel=cancel)
        start, relaxed_bound = rel.selected, rel.bound
        if P.n_candidates <= BEST_FIT_START_MAX_CANDIDATES or rel.iterations == 0:
            fit = greedy(P, Algorithm.ROLL_PITCH_BEST_FIT, mask=alive, cancel=cancel)
            if sum(P.L_value[i] for i in fit) > rel.value + 1e-12:
                start = fit
    search = _Search(P, list(start), alive)
    start_value = search.value()
    bound = (min(value_bound(P, alive), relaxed_bound)
             + sum(P.L_value[c] for c in P.required.values() if not alive[c]))
    total = max(1, int(round(NEIGHBOURHOODS_PER_SECOND * time_limit_s)))
    wall0 = time.monotonic()  # the guard watches the neighbourhoods, not the warm start
    rng = random.Random(seed)
    all_sats = list(range(len(P.satellites)))
    improved = done = 0
    for k in range(total):
        if cancel is not None and cancel():
            raise Cancelled(f"optimal cancelled after {k} of {total} neighbourhoods")
        if time.monotonic() - wall0 > WALL_GUARD * time_limit_s:
            break
        windows = search.pick(rng, all_sats)
        if search.neighbourhood(windows, cp_model):
            improved += 1
        done = k + 1
        if progress is not None and (k & 15) == 0:
            progress(k, total, f"optimal: neighbourhood {k} of {total}, value {search.value():.3f}")
    if progress is not None:
        progress(total, total, "optimal: search done")
    selected = sorted(search.chosen.values(), key=lambda i: (P.L_sat[i], P.L_start[i]))
    value = search.value()
    gap = max(0.0, (bound - value) / bound) if bound > 0 else 0.0
    return LnsOutcome(selected, bound, gap, done, improved, start_value)
