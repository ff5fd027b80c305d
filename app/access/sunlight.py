"""When each spacecraft is in sunlight (for the power model): outside the shadow cylinder of a
spherical Earth of equatorial radius, the Sun's direction taken as the same from the satellite as
from the Earth's centre (as skyfield's ``is_sunlit``, to within its 0.3 km parallax). Penumbra
is not modelled: the boundaries are the umbra/penumbra midline, refined to 0.01 s."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from app.domain.scenario import Satellite

from .ephemeris import SkyTables
from .frames import WGS84_A_KM
from .horizon import check_horizon
from .orbits import OrbitTable
from .windows import bisect_edge


def _sunlit(r: np.ndarray, sun: np.ndarray) -> np.ndarray:
    along = np.einsum("...k,...k->...", r, sun)
    across = np.linalg.norm(r - along[..., None] * sun, axis=-1)
    return (along >= 0.0) | (across >= WGS84_A_KM)


def sunlit_intervals(satellites: Sequence[Satellite], start: datetime, end: datetime) -> dict[str, list[tuple[float, float]]]:
    """Per satellite id, the intervals ``(start, end)`` in POSIX seconds (UTC) within [start, end]
    in which the spacecraft is sunlit, in time order."""
    t0, t1 = check_horizon(start, end)
    if not satellites:
        return {}
    sky = SkyTables(t0, t1)
    orbit = OrbitTable(satellites, t0, t1, sky)
    inner = orbit.times[(orbit.times > t0) & (orbit.times < t1)]
    times = np.concatenate(([t0], inner, [t1]))
    sun = sky.sun_direction(times)
    out: dict[str, list[tuple[float, float]]] = {}
    for i, sat in enumerate(satellites):

        def lit(t: np.ndarray, i: int = i) -> np.ndarray:
            r = orbit.position(i, t)
            return _sunlit(r, sky.sun_direction(t))

        state = _sunlit(orbit.position(i, times), sun)
        change = np.flatnonzero(state[1:] != state[:-1])
        rising = state[change + 1]
        lit_time = np.where(rising, times[change + 1], times[change])
        dark_time = np.where(rising, times[change], times[change + 1])
        edges = bisect_edge(lit, dark_time, lit_time)
        bounds = ([t0] if state[0] else []) + [float(e) for e in edges] + ([t1] if state[-1] else [])
        out[sat.id] = [(bounds[k], bounds[k + 1]) for k in range(0, len(bounds), 2)]
    return out
