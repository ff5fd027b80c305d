"""Cloud forecasts for optical planning: the probability of a clear sky at a target and time.

Interpolation (stated, so a planner can check a figure by hand): the forecast location nearest to the
target on the sphere (great-circle distance) is taken; at that location the cloud cover is linearly
interpolated in time between the two forecast times around the opportunity's start, and held at the
first / last value outside them. P(clear) = 1 − cloud_pct / 100. A target farther than
``MAX_DISTANCE_KM`` from every forecast location, or a time more than ``MAX_TIME_GAP_H`` outside the
forecast's span at that location, has no forecast (P = 1: without a forecast nothing changes).
SAR sees through clouds: only optical opportunities are weighted.
"""
from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime
from typing import Mapping, Sequence

import numpy as np

from app.domain import Opportunity, Target
from app.domain.enums import Mode

EARTH_RADIUS_KM = 6371.0088
MAX_DISTANCE_KM = 300.0
MAX_TIME_GAP_H = 12.0


class CloudForecast:
    """Forecast points (lat °, lon °, time, cloud %) grouped by location, each a time series."""

    def __init__(self, points: Sequence[tuple[float, float, datetime, float]]) -> None:
        series: dict[tuple[float, float], list[tuple[float, float]]] = defaultdict(list)
        for lat, lon, time, pct in points:
            series[(float(lat), float(lon))].append((time.timestamp(), float(pct)))
        self.locations = list(series)
        self._series = [np.array(sorted(series[k])) for k in self.locations]
        lat = np.radians([k[0] for k in self.locations])
        lon = np.radians([k[1] for k in self.locations])
        self._xyz = np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))) \
            if self.locations else np.zeros((0, 3))

    def __len__(self) -> int:
        return len(self.locations)

    def nearest(self, lat: float, lon: float) -> tuple[int, float] | None:
        """(index of the nearest location, its distance in km), or None without a forecast."""
        if not self.locations:
            return None
        la, lo = math.radians(lat), math.radians(lon)
        p = np.array((math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)))
        dots = np.clip(self._xyz @ p, -1.0, 1.0)
        i = int(np.argmax(dots))
        return i, float(math.acos(dots[i]) * EARTH_RADIUS_KM)

    def cloud_pct(self, lat: float, lon: float, when: datetime) -> float | None:
        """Interpolated cloud cover (%) at the target and time, or None where there is no forecast."""
        found = self.nearest(lat, lon)
        if found is None or found[1] > MAX_DISTANCE_KM:
            return None
        s = self._series[found[0]]
        t = when.timestamp()
        gap = MAX_TIME_GAP_H * 3600.0
        if t < s[0, 0] - gap or t > s[-1, 0] + gap:
            return None
        return float(np.interp(t, s[:, 0], s[:, 1]))

    def p_clear(self, lat: float, lon: float, when: datetime) -> float | None:
        """Probability of a clear sky (0–1) at the target and time, or None where there is no forecast."""
        pct = self.cloud_pct(lat, lon, when)
        return None if pct is None else 1.0 - pct / 100.0


def clear_sky_factors(forecast: CloudForecast, opportunities: Sequence[Opportunity],
                      targets: Mapping[str, Target] | Sequence[Target]) -> dict[str, float]:
    """Opportunity id → P(clear) for the optical opportunities that the forecast covers (the value
    multiplier of spec §14 ``forecast import``); SAR and uncovered ones are left out (factor 1)."""
    if not len(forecast):
        return {}
    by_id = targets if isinstance(targets, Mapping) else {t.id: t for t in targets}
    out: dict[str, float] = {}
    for o in opportunities:
        if o.mode != Mode.OPTICAL:
            continue
        t = by_id.get(o.target_id)
        if t is None:
            continue
        p = forecast.p_clear(t.lat, t.lon, o.start)
        if p is not None:
            out[o.id] = p
    return out
