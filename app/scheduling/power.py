"""Battery state of charge along a satellite's schedule (spec section 6, "Power").

Energies in Wh, powers in W, times in epoch seconds. The idle draw is always on; the imaging draw
is added during each acquisition and the slewing draw during the slew just before it
([start − slew, start)); the charge power flows while the satellite is sunlit (sunlit intervals
are an input, computed by the access engine). The charge is capped at the battery capacity, and
a schedule is feasible only if the charge never falls below the reserve.
"""
from __future__ import annotations

import numpy as np

from app.domain import PowerModel

from .intervals import as_intervals, pieces

#: Energy tolerance (Wh) of the reserve check, against float round-off.
ENERGY_EPS_WH = 1e-9


class PowerTrack:
    """Steps the state of charge from one acquisition to the next for one satellite."""

    def __init__(self, model: PowerModel, sunlit=None, field: str = "sunlit") -> None:
        self.model = model
        arr = as_intervals(sunlit, field)
        self._starts = arr[:, 0].tolist()
        self._ends = arr[:, 1].tolist()

    @property
    def initial(self) -> float:
        return float(self.model.initial_battery_wh)

    def _run(self, soc: float, low: float, a: float, b: float, draw_w: float,
             points: list | None = None) -> tuple[float, float]:
        m = self.model
        cap = m.battery_capacity_wh
        for t0, t1, sunlit in pieces(self._starts, self._ends, a, b):
            power = (m.sunlit_charge_power_w if sunlit else 0.0) - draw_w
            before = soc
            soc += power * (t1 - t0) / 3600.0
            if soc > cap:
                if points is not None and power > 0 and before < cap:
                    points.append((t0 + (cap - before) * 3600.0 / power, cap))  # full from here on
                soc = cap
            if points is not None:
                points.append((t1, soc))
            # The net power is constant on a piece, so the minimum is at a piece end.
            if soc < low:
                low = soc
        return soc, low

    def step(self, soc: float, t_from: float, slew_s: float, start: float, end: float) -> tuple[float, float]:
        """Charge (Wh) at ``end`` and the lowest charge since ``t_from``, given the charge ``soc``
        at ``t_from`` (the previous acquisition's end), a slew of ``slew_s`` seconds just before
        ``start`` and imaging over [start, end)."""
        m = self.model
        slew_start = max(t_from, start - slew_s)
        low = soc
        soc, low = self._run(soc, low, t_from, slew_start, m.idle_power_w)
        soc, low = self._run(soc, low, slew_start, start, m.idle_power_w + m.slew_power_w)
        soc, low = self._run(soc, low, start, end, m.idle_power_w + m.imaging_power_w)
        return soc, low

    def profile(self, items, t_start: float, t_end: float) -> list[tuple[float, float]]:
        """The charge (Wh) over [t_start, t_end] as (time, charge) corners of a piecewise-linear
        line, along ``items`` = (slew_s, start, end) sorted by start (the same steps as ``step``)."""
        m = self.model
        soc = self.initial
        points = [(t_start, soc)]
        t = t_start
        for slew_s, start, end in items:
            if end <= t:
                continue
            slew_start = max(t, start - slew_s)
            soc, _ = self._run(soc, soc, t, slew_start, m.idle_power_w, points)
            soc, _ = self._run(soc, soc, slew_start, max(start, t), m.idle_power_w + m.slew_power_w, points)
            soc, _ = self._run(soc, soc, max(start, t), end, m.idle_power_w + m.imaging_power_w, points)
            t = end
        self._run(soc, soc, t, t_end, m.idle_power_w, points)
        return points

    def lows(self, t0: float, slews, starts, ends) -> np.ndarray:
        """``step`` over a whole start-sorted sequence at once (numpy): the lowest charge (Wh) of each
        item's stretch, from the previous item's end (``t0`` for the first, at the initial charge)
        to its end. Items must not overlap (``starts[i] >= ends[i-1]``, ``starts[0] >= t0``).

        The charge recurrence ``soc = min(cap, soc + Δ)`` over the elementary pieces (every item
        and sunlit boundary) is a clamped cumulative sum: ``soc_k = S_k + min(soc_0, min_j≤k(cap − S_j))``."""
        m = self.model
        start = np.asarray(starts, dtype=np.float64)
        end = np.asarray(ends, dtype=np.float64)
        n = len(start)
        if n == 0:
            return np.zeros(0)
        prev_end = np.concatenate([[t0], end[:-1]])
        slew_start = np.maximum(prev_end, start - np.asarray(slews, dtype=np.float64))
        corners = np.stack([prev_end, slew_start, start], axis=1).ravel()  # each item: 3 stretches
        draws = np.tile([m.idle_power_w, m.idle_power_w + m.slew_power_w, m.idle_power_w + m.imaging_power_w], n)
        sun = np.concatenate([self._starts, self._ends]) if self._starts else np.zeros(0)
        sun = sun[(sun > t0) & (sun < end[-1])]
        times = np.unique(np.concatenate([corners, end, sun]))
        a, b = times[:-1], times[1:]
        stretch = np.searchsorted(corners, a, side="right") - 1
        k = np.searchsorted(np.asarray(self._ends), a, side="right")
        inside = np.zeros(len(a), dtype=bool)
        ok = k < len(self._starts)
        inside[ok] = np.asarray(self._starts)[k[ok]] <= a[ok]
        power = np.where(inside, m.sunlit_charge_power_w, 0.0) - draws[stretch]
        total = np.cumsum(power * (b - a) / 3600.0)
        soc = total + np.minimum(self.initial, np.minimum.accumulate(m.battery_capacity_wh - total))
        soc = np.concatenate([[self.initial], soc])  # the charge at every time in ``times``
        first = np.searchsorted(times, prev_end)  # each stretch's own start (its charge counts)
        last = np.searchsorted(times, end)
        # an item's stretch ends where the next one's begins: reduceat stops just before that corner
        return np.minimum(np.minimum.reduceat(soc, first), soc[last])

    def ok(self, low: float) -> bool:
        return low >= self.model.reserve_wh - ENERGY_EPS_WH
