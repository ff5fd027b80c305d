"""Battery state of charge along a satellite's schedule (spec section 6, "Power").

Energies in Wh, powers in W, times in epoch seconds. The idle draw is always on; the imaging draw
is added during each acquisition and the slewing draw during the slew just before it
([start − slew, start)); the charge power flows while the satellite is sunlit (sunlit intervals
are an input, computed by the access engine). The charge is capped at the battery capacity, and
a schedule is feasible only if the charge never falls below the reserve.
"""
from __future__ import annotations

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

    def ok(self, low: float) -> bool:
        return low >= self.model.reserve_wh - ENERGY_EPS_WH
