"""One satellite's schedule under construction: a start-sorted sequence with O(log n) neighbour
lookup, checking an insertion against BOTH neighbours (fixed items and the initial attitude
included) and, when modelled, the battery and the onboard memory.
"""
from __future__ import annotations

from bisect import bisect_right

from .problem import Problem
from .slew import feasible, slew_time

#: Why an insertion does not fit (``Lane.refusal``): the slew into it, the slew out of it to its
#: successor, the battery reserve, the onboard memory.
SLEW_IN, SLEW_OUT, BATTERY, MEMORY = "slew_in", "slew_out", "battery", "memory"


class Lane:
    """The items of one satellite, sorted by start time (epoch s)."""

    def __init__(self, problem: Problem, s: int) -> None:
        self.p = problem
        self.s = s
        self.ag = problem.satellites[s].agility
        self.init = problem.initial.get(s)
        self.starts: list[float] = []
        self.items: list[int] = []
        self.power, self.memory = problem.resource_tracks(s)
        self.resources = self.power is not None or self.memory is not None
        self.t0 = problem.horizon_start
        # Resource state after each item (its end): (charge Wh, lowest charge so far is checked
        # on the fly, memory Gbit). Kept parallel to ``items``.
        self.soc: list[float] = []
        self.mem: list[float] = []
        self._pending: tuple | None = None

    # ---------------------------------------------------------------- slews
    def _slew_in(self, prev: int | None, b: int) -> float:
        """Slew (s) into item b from ``prev`` (an item), or from the initial attitude / nadir."""
        p = self.p
        if prev is not None:
            return slew_time(self.ag, p.L_r1[prev], p.L_p1[prev], p.L_r0[b], p.L_p0[b],
                             p.L_los1[prev], p.L_los0[b])
        if self.init is not None:
            return slew_time(self.ag, self.init.roll_deg, self.init.pitch_deg, p.L_r0[b], p.L_p0[b],
                             self.init.los, p.L_los0[b])
        return slew_time(self.ag, 0.0, 0.0, p.L_r0[b], p.L_p0[b])

    # ---------------------------------------------------------------- building
    def load(self, items: list[int]) -> None:
        """Replace the lane's content with ``items``, unchecked (fixed items must stay whatever
        they are; a repair loads a selection to verify it)."""
        p = self.p
        self.items = sorted(items, key=lambda i: (p.L_start[i], p.L_end[i]))
        self.starts = [p.L_start[i] for i in self.items]
        if self.resources:
            self.soc, self.mem = [], []
            soc = self.power.initial if self.power else 0.0
            mem = 0.0
            t = self.t0
            prev = None
            for i in self.items:
                soc, mem, _ok = self._advance(soc, mem, t, prev, i)
                self.soc.append(soc)
                self.mem.append(mem)
                t, prev = p.L_end[i], i
            # A fixed schedule may already break a limit; only its insertions are judged.

    def _advance(self, soc: float, mem: float, t_from: float, prev: int | None, i: int) -> tuple[float, float, bool]:
        """Charge and memory after item i, and whether both stay within their limits."""
        soc, mem, why = self._advance_why(soc, mem, t_from, prev, i)
        return soc, mem, why is None

    def _advance_why(self, soc: float, mem: float, t_from: float, prev: int | None,
                     i: int) -> tuple[float, float, str | None]:
        """Charge and memory after item i, and which limit it breaks (BATTERY, MEMORY) or None."""
        p = self.p
        why = None
        if self.power is not None:
            soc, low = self.power.step(soc, t_from, self._slew_in(prev, i), p.L_start[i], p.L_end[i])
            if not self.power.ok(low):
                why = BATTERY
        if self.memory is not None:
            mem = self.memory.step(mem, t_from, p.L_end[i])
            if why is None and not self.memory.ok(mem):
                why = MEMORY
        return soc, mem, why

    # ---------------------------------------------------------------- insertion
    def fits(self, i: int) -> bool:
        """Whether item i can be inserted: reachable from its predecessor (or the initial
        attitude), its successor reachable from it, and resources within limits."""
        return self.refusal(i) is None

    def refusal(self, i: int) -> str | None:
        """Why item i cannot be inserted (SLEW_IN: not reachable from its predecessor or the
        initial attitude; SLEW_OUT: its successor not reachable from it; BATTERY / MEMORY: a limit
        broken at it or at a later item), or None when it fits. The planner's insertion check,
        also used for Swap/Move choices and the commit re-check (``scheduling.feasibility``)."""
        p = self.p
        self._pending = None
        start = p.L_start[i]
        pos = bisect_right(self.starts, start)
        prev = self.items[pos - 1] if pos > 0 else None
        if prev is not None:
            if not feasible(p.L_end[prev], self._slew_in(prev, i), start):
                return SLEW_IN
        elif self.init is not None and not feasible(self.init.time, self._slew_in(None, i), start):
            return SLEW_IN
        if pos < len(self.items):
            nxt = self.items[pos]
            if not feasible(p.L_end[i], self._slew_in(i, nxt), p.L_start[nxt]):
                return SLEW_OUT
        if self.resources:
            return self._resources_fit(i, pos, prev)
        return None

    def _resources_fit(self, i: int, pos: int, prev: int | None) -> str | None:
        p = self.p
        if prev is None:
            soc, mem, t = (self.power.initial if self.power else 0.0), 0.0, self.t0
        else:
            soc, mem, t = self.soc[pos - 1], self.mem[pos - 1], p.L_end[prev]
        soc, mem, why = self._advance_why(soc, mem, t, prev, i)
        if why is not None:
            return why
        new_states = [(soc, mem)]
        before, t = i, p.L_end[i]
        # Later items see a lower charge / fuller memory until both tracks coincide again
        # (battery back at capacity, memory emptied): from there on nothing changes.
        for k in range(pos, len(self.items)):
            j = self.items[k]
            soc, mem, why = self._advance_why(soc, mem, t, before, j)
            if why is not None:
                return why
            new_states.append((soc, mem))
            if k > pos and soc == self.soc[k] and mem == self.mem[k]:
                break
            before, t = j, p.L_end[j]
        self._pending = (i, pos, new_states)
        return None

    def insert(self, i: int) -> None:
        """Insert item i. After a successful :meth:`fits` the resource states computed there are
        reused; otherwise (a forced insertion) they are recomputed."""
        p = self.p
        pos = bisect_right(self.starts, p.L_start[i])
        self.starts.insert(pos, p.L_start[i])
        self.items.insert(pos, i)
        if self.resources:
            pending = self._pending
            if pending is None or pending[0] != i or pending[1] != pos:
                self._pending = None
                self._resources_fit_after_insert(pos)
                return
            self.soc.insert(pos, pending[2][0][0])
            self.mem.insert(pos, pending[2][0][1])
            for off, (soc, mem) in enumerate(pending[2][1:], start=1):
                self.soc[pos + off] = soc
                self.mem[pos + off] = mem
            self._pending = None

    def _resources_fit_after_insert(self, pos: int) -> bool:
        # Fallback when insert() was not preceded by the matching fits(): recompute the tail.
        self.soc.insert(pos, 0.0)
        self.mem.insert(pos, 0.0)
        p = self.p
        soc = self.soc[pos - 1] if pos > 0 else (self.power.initial if self.power else 0.0)
        mem = self.mem[pos - 1] if pos > 0 else 0.0
        t = p.L_end[self.items[pos - 1]] if pos > 0 else self.t0
        prev = self.items[pos - 1] if pos > 0 else None
        ok_all = True
        for k in range(pos, len(self.items)):
            j = self.items[k]
            soc, mem, ok = self._advance(soc, mem, t, prev, j)
            ok_all = ok_all and ok
            self.soc[k], self.mem[k] = soc, mem
            prev, t = j, p.L_end[j]
        return ok_all

    def reload(self, items: list[int]) -> list[int]:
        """Replace the content with ``items`` (transitions already checked by the caller) and recompute
        the resource states; returns the items at which a battery/memory limit is broken."""
        p = self.p
        self.items = sorted(items, key=lambda i: (p.L_start[i], p.L_end[i]))
        self.starts = [p.L_start[i] for i in self.items]
        self._pending = None
        return self.recompute()

    def remove(self, i: int) -> None:
        """Take item i out (used by repair); resource states are recomputed."""
        pos = self.items.index(i)
        del self.items[pos]
        del self.starts[pos]
        if self.resources:
            del self.soc[pos]
            del self.mem[pos]
            self.recompute()

    def recompute(self) -> list[int]:
        """Recompute all resource states; returns the items at which a limit is broken."""
        return list(self.breaks())

    def breaks(self, items: list[int] | None = None) -> dict[int, str]:
        """Recompute all resource states (of ``items`` instead of the lane's content when given, as
        ``reload`` would take them); returns item → the limit broken there (BATTERY, MEMORY)."""
        p = self.p
        if items is not None:
            self.items = sorted(items, key=lambda i: (p.L_start[i], p.L_end[i]))
            self.starts = [p.L_start[i] for i in self.items]
            self._pending = None
        bad: dict[int, str] = {}
        if not self.resources:
            return bad
        soc = self.power.initial if self.power else 0.0
        mem, t, prev = 0.0, self.t0, None
        self.soc, self.mem = [], []
        for j in self.items:
            soc, mem, why = self._advance_why(soc, mem, t, prev, j)
            if why is not None:
                bad[j] = why
            self.soc.append(soc)
            self.mem.append(mem)
            prev, t = j, p.L_end[j]
        return bad
