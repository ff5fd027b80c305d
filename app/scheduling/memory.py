"""Onboard memory along a satellite's schedule (spec section 3, optional resources).

Volumes in Gbit, rates in Mbit/s, times in epoch seconds. Each acquisition adds
``data_per_acquisition_gbit`` at its end; during contact windows (an input: sorted intervals per
satellite) the downlink empties the memory at ``downlink_rate_mbps``. The memory must never hold
more than ``memory_gbit``: data acquired must fit until the next contact window drains it.
"""
from __future__ import annotations

from .intervals import as_intervals, pieces

VOLUME_EPS_GBIT = 1e-9


class MemoryTrack:
    """Steps the stored volume from one acquisition to the next for one satellite."""

    def __init__(self, capacity_gbit: float, per_acquisition_gbit: float, downlink_rate_mbps: float | None,
                 contacts=None, field: str = "contacts") -> None:
        self.capacity = float(capacity_gbit)
        self.per_acquisition = float(per_acquisition_gbit)
        self.rate_gbit_s = float(downlink_rate_mbps or 0.0) / 1000.0
        arr = as_intervals(contacts, field)
        self._starts = arr[:, 0].tolist()
        self._ends = arr[:, 1].tolist()

    initial = 0.0

    def drain(self, level: float, a: float, b: float) -> float:
        """Volume at ``b`` given ``level`` at ``a`` (downlink during contacts, floor 0)."""
        if level <= 0.0 or self.rate_gbit_s <= 0.0:
            return level
        for t0, t1, in_contact in pieces(self._starts, self._ends, a, b):
            if in_contact:
                level -= self.rate_gbit_s * (t1 - t0)
                if level <= 0.0:
                    return 0.0
        return level

    def profile(self, ends, t_start: float, t_end: float) -> list[tuple[float, float]]:
        """The stored volume (Gbit) over [t_start, t_end] as (time, volume) corners: each
        acquisition end in ``ends`` (sorted) adds its data at once (a vertical step), contacts
        drain it linearly (the same rule as ``step``)."""
        level = self.initial
        points = [(t_start, level)]
        t = t_start
        for end in ends:
            if end < t:
                continue
            level = self._drain_points(level, t, end, points)
            level += self.per_acquisition
            points.append((end, level))
            t = end
        self._drain_points(level, t, t_end, points)
        return points

    def _drain_points(self, level: float, a: float, b: float, points: list) -> float:
        for t0, t1, in_contact in pieces(self._starts, self._ends, a, b):
            if in_contact and level > 0.0 and self.rate_gbit_s > 0.0:
                empty_at = t0 + level / self.rate_gbit_s
                level = max(0.0, level - self.rate_gbit_s * (t1 - t0))
                if level == 0.0 and empty_at < t1:
                    points.append((empty_at, 0.0))
            points.append((t1, level))
        return level

    def step(self, level: float, t_from: float, end: float) -> float:
        """Volume just after an acquisition ending at ``end`` (its data added)."""
        return self.drain(level, t_from, end) + self.per_acquisition

    def ok(self, level: float) -> bool:
        return level <= self.capacity + VOLUME_EPS_GBIT
