"""Imaging passes of one satellite over targets (spec section 4).

A pass is a maximal interval in which the target is inside the sensor cone (off-nadir ≤
``max_off_nadir_deg``), above the horizon, and, for an optical satellite, lit by a Sun at least
``min_sun_elevation_deg`` above the target's horizon. Its TCA is the minimum off-nadir angle in
the pass. Edges and TCA are refined to 0.01 s (``windows.TOLERANCE_S``); the TCA is where the time
derivative of the off-nadir angle changes sign.

The Sun's elevation changes by at most ~0.25° per minute, so within a pass (a few minutes) it is
taken as monotonic: a pass dark at both ends is dropped, one dark at one end is cut where the Sun
crosses the limit (and its TCA moved to the cut if it fell outside).
"""
from __future__ import annotations

import numpy as np

from app.domain.enums import Mode
from app.domain.scenario import Satellite

from .geometry import cos_off_nadir_rate, sight_margins, sun_elevation_deg
from .ground import GroundPoints
from .orbits import OrbitTable
from .windows import Windows, bisect_edge, refine, scan

#: Sun elevation (deg) an optical satellite needs when it does not set ``min_sun_elevation_deg``.
DEFAULT_OPTICAL_MIN_SUN_DEG = 10.0


def min_sun_elevation(satellite: Satellite) -> float | None:
    """The Sun elevation (deg) the satellite needs at the target: None for SAR (no constraint)."""
    if satellite.mode != Mode.OPTICAL:
        return None
    if satellite.min_sun_elevation_deg is None:
        return DEFAULT_OPTICAL_MIN_SUN_DEG
    return satellite.min_sun_elevation_deg


def cone_central_angle(off_nadir_deg: float, earth_radius_km: float):
    """``radius_km -> central angle (rad)`` of the cone's footprint edge on a sphere of the given
    radius (or of the horizon when the cone reaches past it), shaped (n, 1). A smaller sphere gives
    a wider footprint, so the smallest radius of the targets bounds every target's window."""
    eta = np.radians(off_nadir_deg)

    def angle(radius_km: np.ndarray) -> np.ndarray:
        ratio = radius_km * np.sin(eta) / earth_radius_km
        horizon = np.arccos(np.clip(earth_radius_km / radius_km, -1.0, 1.0))
        cone = np.arcsin(np.clip(ratio, -1.0, 1.0)) - eta
        return np.where(ratio < 1.0, np.minimum(cone, horizon), horizon)[:, None]
    return angle


def find_passes(orbit: OrbitTable, sat: int, satellite: Satellite, points: GroundPoints,
                t0: float, t1: float) -> Windows:
    """Passes of satellite number ``sat`` of ``orbit`` over ``points`` within [t0, t1] (POSIX s):
    start, TCA (``peak``) and end of each, sun-limited for optical satellites."""
    cos_cone = np.cos(np.radians(satellite.max_off_nadir_deg))
    position, normal = points.position, points.normal

    def slope(p: np.ndarray, t: np.ndarray) -> np.ndarray:
        r, v = orbit.state(sat, t)
        return cos_off_nadir_rate(r, v, position[p])

    def margin(p: np.ndarray, t: np.ndarray) -> np.ndarray:
        return sight_margins(orbit.position(sat, t), position[p], normal[p], cos_cone)

    point, ta, tb = scan(orbit, sat, points, cone_central_angle(satellite.max_off_nadir_deg, points.min_radius_km),
                         t0, t1)
    windows = refine(point, ta, tb, slope, margin)
    limit = min_sun_elevation(satellite)
    return windows if limit is None else _sunlit_part(orbit, windows, normal, limit)


def _sunlit_part(orbit: OrbitTable, w: Windows, normal: np.ndarray, limit_deg: float) -> Windows:
    def lit(p: np.ndarray, t: np.ndarray) -> np.ndarray:
        return sun_elevation_deg(orbit.sky.sun_direction(t), normal[p]) >= limit_deg

    lit_start, lit_end = lit(w.point, w.start), lit(w.point, w.end)
    w = w.take(lit_start | lit_end)
    lit_start, lit_end = lit_start[lit_start | lit_end], lit_end[lit_start | lit_end]
    start, end = w.start.copy(), w.end.copy()
    dawn = ~lit_start
    start[dawn] = bisect_edge(lambda t: lit(w.point[dawn], t), w.start[dawn], w.end[dawn])
    dusk = ~lit_end
    end[dusk] = bisect_edge(lambda t: lit(w.point[dusk], t), w.end[dusk], w.start[dusk])
    return Windows(w.point, start, np.clip(w.peak, start, end), end)
