"""Improvement phase of the best-fit schedulers: bounded, deterministic ejection-chain local search.

Plain best fit takes candidates by descending value, so every candidate it leaves out conflicts only
with items worth at least as much: right after it, a plain 1-for-1 swap cannot gain. What the greedy
misses are compound moves, and those are what one **move** here tries, for an unscheduled candidate
``c`` whose order is unserved (or served by a candidate of lower value, which ``c`` would replace):

1. **eject** the items of ``c``'s lane that block it: walking from its insertion point, the
   predecessors until one can reach ``c``, the successors until ``c`` can reach one (at most
   :data:`MAX_EJECT`; never a fixed item nor the item of a required order);
2. **insert** ``c`` (``Lane.fits``: both neighbours with the one slew model, the initial attitude,
   battery and memory);
3. **re-serve** each ejected order with its best other candidate that fits, anywhere;
4. **fill** the freed time around ``c`` (and where a replaced candidate was) with the best
   unscheduled candidates of unserved orders that fit.

The move is kept only if the schedule's value grows by more than :data:`MIN_GAIN`, every
transition around the changed places is feasible and no battery/memory limit newly breaks;
otherwise it is undone exactly. Step 4 makes "one out, two in" (1-for-2) moves, step 3 ejection
chains of depth two. An optimistic bound (``c``'s value, the best value each ejected order could get
back, the best value of each unserved order with a candidate in the freed time) skips hopeless moves
without touching the lanes.

Passes go over the candidates worth more than what their order has now, in the greedy's own
preference order (value, then |pitch| for the roll-pitch form, then id), until a pass improves
nothing or :data:`MAX_PASSES` passes ran. Each pass is O(n) plus the moves tried; each kept move
strictly raises the value; nothing depends on the clock or on hashing: the same input always gives
the same output.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable

import numpy as np

from .lane import Lane
from .problem import Problem
from .progress import Cancelled
from .slew import feasible

#: Most items one move may eject from the candidate's lane.
MAX_EJECT = 3
#: Most improvement passes over the candidates.
MAX_PASSES = 4
#: A move must raise the schedule's value by more than this.
MIN_GAIN = 1e-9


class _Undo:
    """What one tentative move changed, to undo it exactly."""

    __slots__ = ("removed", "inserted", "chosen", "snaps")

    def __init__(self) -> None:
        self.removed: list[int] = []        # items taken out, in order
        self.inserted: list[int] = []       # items put in, in order
        self.chosen: dict[int, int | None] = {}  # order -> its previous candidate (None: unserved)
        self.snaps: dict[int, tuple] = {}   # satellite -> its lane's lists before the move


class Improver:
    """Runs the improvement phase on lanes built by the greedy (see the module docstring)."""

    def __init__(self, problem: Problem, lanes: dict[int, Lane], chosen: dict[int, int], order: list[int],
                 cancel: Callable[[], bool] | None = None) -> None:
        self.p = problem
        self.lanes = lanes
        self.chosen = chosen                 # order -> candidate (ours, not fixed)
        self.fixed_served = problem.served_by_fixed()
        self.protected_orders = set(problem.required)
        self.cancel = cancel
        n = problem.n_candidates
        idx = np.asarray(order, dtype=np.int64)
        self.idx = idx
        rank = np.full(n, len(order), dtype=np.int64)
        rank[idx] = np.arange(len(idx))
        self.rank = rank                     # preference: position in the greedy order
        # Candidates grouped by order and by satellite (in preference / start order), as numpy
        # slices turned into lists only for the few orders and satellites a move touches.
        self._by_order_arr = idx[np.lexsort((rank[idx], problem.order[idx]))]
        self._order_bounds = np.searchsorted(problem.order[self._by_order_arr],
                                             np.arange(len(problem.order_ids) + 1), side="left")
        self._by_order: dict[int, list[int]] = {}
        self._by_sat_arr = idx[np.lexsort((rank[idx], problem.start[idx], problem.sat[idx]))]
        self._sat_bounds = np.searchsorted(problem.sat[self._by_sat_arr], np.arange(len(problem.satellites) + 1),
                                           side="left")
        self._sat_cands: dict[int, tuple[list[int], list[float]]] = {}
        # Best value an order could get from any of its candidates (for the optimistic bound): the
        # first of its group, the greedy order being by descending value.
        best = np.zeros(len(problem.order_ids), dtype=np.float64)
        first = self._order_bounds[:-1]
        has = first < self._order_bounds[1:]
        best[has] = problem.value[self._by_order_arr[first[has]]]
        self.best_value = best.tolist()
        self.scheduled = set(chosen.values())
        # Items at which a battery/memory limit is broken, per lane with resources (normally none;
        # a kept required item that does not fit may break one): a move must not add any.
        self.bad = {t: set(lane.recompute()) for t, lane in lanes.items() if lane.resources}
        self.moves = 0
        self.passes = 0

    # ---------------------------------------------------------------- helpers
    def by_order(self, o: int) -> list[int]:
        """Usable candidates of order ``o``, best first."""
        out = self._by_order.get(o)
        if out is None:
            out = self._by_order[o] = self._by_order_arr[self._order_bounds[o]:self._order_bounds[o + 1]].tolist()
        return out

    def sat_cands(self, s: int) -> tuple[list[int], list[float]]:
        """Usable candidates of satellite ``s`` sorted by start, and their starts."""
        out = self._sat_cands.get(s)
        if out is None:
            part = self._by_sat_arr[self._sat_bounds[s]:self._sat_bounds[s + 1]]
            out = self._sat_cands[s] = (part.tolist(), self.p.start[part].tolist())
        return out

    def _is_open(self, o: int) -> bool:
        """An order that a candidate may newly serve."""
        return o not in self.chosen and o not in self.fixed_served

    def _blockers(self, lane: Lane, c: int) -> list[int] | None:
        """Items of ``lane`` to remove so that ``c`` reaches its predecessor and successor, or None
        when that takes a protected item or more than MAX_EJECT items."""
        p = self.p
        start, end = p.L_start[c], p.L_end[c]
        items = lane.items
        pos = bisect_right(lane.starts, start)
        out: list[int] = []
        k = pos - 1
        while k >= 0:
            prev = items[k]
            if feasible(p.L_end[prev], lane._slew_in(prev, c), start):
                break
            if not self._movable(prev) or len(out) >= MAX_EJECT:
                return None
            out.append(prev)
            k -= 1
        k = pos
        while k < len(items):
            nxt = items[k]
            if feasible(end, lane._slew_in(c, nxt), p.L_start[nxt]):
                break
            if not self._movable(nxt) or len(out) >= MAX_EJECT:
                return None
            out.append(nxt)
            k += 1
        return out

    def _movable(self, i: int) -> bool:
        return i < self.p.n_candidates and self.p.L_order[i] not in self.protected_orders

    def _open_in(self, s: int, lo: float, hi: float, skip_order: int) -> list[int]:
        """Unscheduled candidates of open orders on satellite ``s`` starting in [lo, hi)."""
        cands, starts = self.sat_cands(s)
        if not cands:
            return []
        a = bisect_left(starts, lo) if lo != -float("inf") else 0
        b = bisect_left(starts, hi) if hi != float("inf") else len(cands)
        L_order = self.p.L_order
        return [i for i in cands[a:b] if L_order[i] != skip_order and self._is_open(L_order[i])
                and i not in self.scheduled]

    # ---------------------------------------------------------------- lane edits (recorded)
    def _snap(self, u: _Undo, s: int) -> None:
        if s not in u.snaps:
            lane = self.lanes[s]
            u.snaps[s] = (lane.items[:], lane.starts[:], lane.soc[:], lane.mem[:])

    def _remove(self, u: _Undo, i: int) -> None:
        s = self.p.L_sat[i]
        self._snap(u, s)
        lane = self.lanes[s]
        if lane.resources:
            _remove_with_resources(lane, i)
        else:
            lane.remove(i)
        self.scheduled.discard(i)
        o = self.p.L_order[i]
        if o not in u.chosen:
            u.chosen[o] = self.chosen.get(o)
        self.chosen.pop(o, None)
        u.removed.append(i)

    def _try_insert(self, u: _Undo, i: int) -> bool:
        s = self.p.L_sat[i]
        lane = self.lanes[s]
        if not lane.fits(i):
            return False
        self._snap(u, s)
        lane.insert(i)
        self.scheduled.add(i)
        o = self.p.L_order[i]
        if o not in u.chosen:
            u.chosen[o] = self.chosen.get(o)
        self.chosen[o] = i
        u.inserted.append(i)
        return True

    def _undo(self, u: _Undo) -> None:
        """Put the touched lanes back exactly as they were (their saved lists) and the bookkeeping."""
        for s, (items, starts, soc, mem) in u.snaps.items():
            lane = self.lanes[s]
            lane.items, lane.starts, lane.soc, lane.mem = items, starts, soc, mem
            lane._pending = None
        for i in u.inserted:
            self.scheduled.discard(i)
        for i in u.removed:
            self.scheduled.add(i)
        for o, c in u.chosen.items():
            if c is None:
                self.chosen.pop(o, None)
            else:
                self.chosen[o] = c

    def _still_feasible(self, u: _Undo) -> bool:
        """Every transition around the changed places is feasible and no resource limit newly breaks.

        Insertions were checked against both neighbours by ``Lane.fits``; a removal joins its two
        neighbours, which subadditivity makes feasible for real passes but is checked here anyway."""
        p = self.p
        bad_after: dict[int, set[int]] = {}
        touched: dict[int, list[float]] = {}
        for i in u.removed + u.inserted:
            touched.setdefault(p.L_sat[i], []).append(p.L_start[i])
        for s, times in touched.items():
            lane = self.lanes[s]
            items = lane.items
            lo = max(bisect_left(lane.starts, min(times)) - 1, 0)
            hi = min(bisect_right(lane.starts, max(times)) + 1, len(items))
            if lo == 0 and items and lane.init is not None:
                if not feasible(lane.init.time, lane._slew_in(None, items[0]), p.L_start[items[0]]):
                    return False
            for k in range(lo, hi - 1):
                a, b = items[k], items[k + 1]
                if not feasible(p.L_end[a], lane._slew_in(a, b), p.L_start[b]):
                    return False
            if lane.resources:
                bad = set(lane.recompute())
                if not bad <= self.bad[s]:
                    return False
                bad_after[s] = bad
        self.bad.update(bad_after)
        return True

    # ---------------------------------------------------------------- the move
    def try_move(self, c: int) -> bool:
        """Try to bring candidate ``c`` in (see the module docstring); True if the schedule improved."""
        p = self.p
        o = p.L_order[c]
        if o in self.protected_orders or o in self.fixed_served:
            return False
        v_c = p.L_value[c]
        current = self.chosen.get(o)
        if current is not None and p.L_value[current] >= v_c:
            return False
        s = p.L_sat[c]
        lane = self.lanes[s]
        blockers = self._blockers(lane, c)
        if blockers is None:
            return False
        if current is not None and current in blockers:
            blockers.remove(current)
        loss = sum(p.L_value[r] for r in blockers) + (p.L_value[current] if current is not None else 0.0)
        gain_bound = v_c - loss + sum(self.best_value[p.L_order[r]] for r in blockers)
        if gain_bound <= MIN_GAIN:
            # Freed time could still take other orders: add the best each open order could bring.
            if not blockers and current is None:
                return False
            ejected = set(blockers) | ({current} if current is not None else set())
            lo = min([p.L_start[c]] + [p.L_start[r] for r in ejected if p.L_sat[r] == s])
            hi = max([p.L_end[c]] + [p.L_end[r] for r in ejected if p.L_sat[r] == s])
            extra: dict[int, float] = {}
            for i in self._open_in(s, self._free_lo(lane, lo), self._free_hi(lane, hi), o):
                extra[p.L_order[i]] = max(extra.get(p.L_order[i], 0.0), p.L_value[i])
            if current is not None and p.L_sat[current] != s:
                lc = self.lanes[p.L_sat[current]]
                for i in self._open_in(p.L_sat[current], self._free_lo(lc, p.L_start[current]),
                                       self._free_hi(lc, p.L_end[current]), o):
                    extra[p.L_order[i]] = max(extra.get(p.L_order[i], 0.0), p.L_value[i])
            if gain_bound + sum(extra.values()) <= MIN_GAIN:
                return False

        u = _Undo()
        value_before = sum(p.L_value[r] for r in blockers) + (p.L_value[current] if current is not None else 0.0)
        for r in blockers:
            self._remove(u, r)
        if current is not None:
            self._remove(u, current)
        if not self._try_insert(u, c):
            self._undo(u)
            return False
        # Re-serve the ejected orders, best candidate first.
        for r in blockers:
            ro = p.L_order[r]
            if ro in self.chosen:
                continue
            for i in self.by_order(ro):
                if i != r and i not in self.scheduled and self._try_insert(u, i):
                    break
        # Fill the freed time.
        spots = [(s, min([p.L_start[c]] + [p.L_start[r] for r in blockers]),
                  max([p.L_end[c]] + [p.L_end[r] for r in blockers]))]
        if current is not None:
            spots.append((p.L_sat[current], p.L_start[current], p.L_end[current]))
        for t, lo, hi in spots:
            lt = self.lanes[t]
            fill = self._open_in(t, self._free_lo(lt, lo), self._free_hi(lt, hi), -2)
            if len(fill) > 1:
                fill = [fill[k] for k in np.argsort(self.rank[fill], kind="stable").tolist()]
            for i in fill:
                if self._is_open(p.L_order[i]):
                    self._try_insert(u, i)
        value_after = sum(p.L_value[i] for i in u.inserted)
        if value_after - value_before > MIN_GAIN and self._still_feasible(u):
            self.moves += 1
            return True
        self._undo(u)
        return False

    def _free_lo(self, lane: Lane, t: float) -> float:
        """End of the lane's last item starting before ``t`` (−inf if none)."""
        pos = bisect_left(lane.starts, t)
        return self.p.L_end[lane.items[pos - 1]] if pos > 0 else -float("inf")

    def _free_hi(self, lane: Lane, t: float) -> float:
        """Start of the lane's first item starting after ``t`` (+inf if none)."""
        pos = bisect_right(lane.starts, t)
        return lane.starts[pos] if pos < len(lane.items) else float("inf")

    # ---------------------------------------------------------------- driver
    def _eligible(self) -> list[int]:
        """Candidates, in preference order, worth more than what their order has now (unserved: 0;
        orders served by a fixed item or required: never). Taken at the start of a pass: try_move
        re-checks each against the current state, and a candidate that becomes eligible during a
        pass is seen by the next one (a pass that changed nothing computed an exact list)."""
        p = self.p
        current = np.full(len(p.order_ids), -1.0)
        if self.chosen:
            orders = np.fromiter(self.chosen.keys(), dtype=np.int64, count=len(self.chosen))
            current[orders] = p.value[np.fromiter(self.chosen.values(), dtype=np.int64, count=len(self.chosen))]
        closed = list(self.fixed_served | self.protected_orders)
        if closed:
            current[np.asarray(closed, dtype=np.int64)] = np.inf
        idx = self.idx
        return idx[p.value[idx] > current[p.order[idx]]].tolist() if len(idx) else []

    def run(self) -> int:
        """Improve until a pass finds nothing or MAX_PASSES ran; returns the number of moves kept."""
        for _ in range(MAX_PASSES):
            improved = False
            for count, c in enumerate(self._eligible()):
                if count & 1023 == 0 and self.cancel is not None and self.cancel():
                    raise Cancelled("best fit improvement cancelled")
                if self.try_move(c):
                    improved = True
            self.passes += 1
            if not improved:
                break
        return self.moves


def _remove_with_resources(lane: Lane, i: int) -> None:
    """``Lane.remove`` for a lane with battery/memory, recomputing the states only from the removed
    position until they coincide with the stored ones again (from there on nothing changes): the same
    arithmetic as a full recompute, so the same numbers, without walking the whole lane each time."""
    p = lane.p
    pos = lane.items.index(i)
    del lane.items[pos], lane.starts[pos], lane.soc[pos], lane.mem[pos]
    if pos > 0:
        prev = lane.items[pos - 1]
        soc, mem, t = lane.soc[pos - 1], lane.mem[pos - 1], p.L_end[prev]
    else:
        prev, soc, mem, t = None, (lane.power.initial if lane.power else 0.0), 0.0, lane.t0
    for k in range(pos, len(lane.items)):
        j = lane.items[k]
        soc, mem, _ok = lane._advance(soc, mem, t, prev, j)
        if soc == lane.soc[k] and mem == lane.mem[k]:
            break
        lane.soc[k], lane.mem[k] = soc, mem
        prev, t = j, p.L_end[j]
    lane._pending = None


def improve(problem: Problem, lanes: dict[int, Lane], chosen: dict[int, int], order: list[int],
            cancel: Callable[[], bool] | None = None) -> int:
    """Run the improvement phase in place on ``lanes`` and ``chosen`` (order → candidate), trying
    the candidates of ``order`` (the greedy's preference order); returns the number of moves kept."""
    return Improver(problem, lanes, chosen, order, cancel).run()
