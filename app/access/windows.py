"""Finding visibility windows of one satellite over many ground points: a coarse scan, then
vectorised refinement of the peak and both edges of every window at once.

1. Scan: on the orbit grid, a point is a candidate when the central angle between it and the
   sub-satellite point is within the window's largest possible central angle plus a margin for
   the motion between grid points (so no window, however short, falls between two samples).
   Central angles come from one matrix product per chunk of grid times.
2. Runs of consecutive candidate samples of a point bracket one window each (passes of one
   point are an orbit apart). Within its bracket, the peak of a score (e.g. the cosine of the
   off-nadir angle) is found by golden-section search, and the edges of the ``inside`` region by
   bisection between the peak and the bracket ends, all brackets advancing together.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .ground import GroundPoints
from .orbits import OrbitTable

#: Earth's rotation rate (rad/s): ground points move under the orbit by up to this much.
EARTH_RATE = 7.2921159e-5
#: Angular slack (rad) of the scan: WGS84 normals vs geocentric directions (≤ 0.19°) and rounding.
SCAN_SLACK = np.radians(0.3)
#: Refinement tolerance of peaks and edges (s).
TOLERANCE_S = 0.01
_CHUNK = 2048
_INV_PHI = (np.sqrt(5.0) - 1.0) / 2.0

Score = Callable[[np.ndarray, np.ndarray], np.ndarray]
Inside = Callable[[np.ndarray, np.ndarray], np.ndarray]


class Windows(NamedTuple):
    """Windows found: ground point index, start, peak and end (POSIX s), one entry per window."""

    point: np.ndarray
    start: np.ndarray
    peak: np.ndarray
    end: np.ndarray

    def take(self, keep: np.ndarray) -> "Windows":
        """The windows selected by a boolean mask or index array."""
        return Windows(*(a[keep] for a in self))


def scan(orbit: OrbitTable, sat: int, points: GroundPoints,
         max_central_angle: Callable[[np.ndarray], np.ndarray], t0: float, t1: float,
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Brackets ``(point, ta, tb)`` (POSIX s, clipped to [t0, t1]) that each hold at most one window.

    ``max_central_angle(radius_km)`` gives, for satellite radii (n,), the largest central angle
    (rad) at which a window is possible, shaped (n, 1) or (n, points).
    """
    r, v = orbit.grid_state(sat)
    radius = np.linalg.norm(r, axis=1)
    rate = np.linalg.norm(v, axis=1) / radius + EARTH_RATE
    limit = max_central_angle(radius) + (rate * orbit.step / 2.0 + SCAN_SLACK)[:, None]
    threshold = np.cos(np.minimum(limit, np.pi))
    sub_point = r / radius[:, None]
    hits_k, hits_p = [], []
    for lo in range(0, len(radius), _CHUNK):
        cos_angle = sub_point[lo:lo + _CHUNK] @ points.direction.T
        k, p = np.nonzero(cos_angle >= threshold[lo:lo + _CHUNK])
        hits_k.append(k + lo)
        hits_p.append(p)
    k = np.concatenate(hits_k)
    p = np.concatenate(hits_p)
    if len(k) == 0:
        return p, np.empty(0), np.empty(0)
    order = np.lexsort((k, p))
    k, p = k[order], p[order]
    new_run = np.ones(len(k), dtype=bool)
    new_run[1:] = (p[1:] != p[:-1]) | (k[1:] != k[:-1] + 1)
    first = np.flatnonzero(new_run)
    last = np.append(first[1:] - 1, len(k) - 1).astype(np.int64)
    times = orbit.times
    ta = times[np.maximum(k[first] - 1, 0)]
    tb = times[np.minimum(k[last] + 1, len(times) - 1)]
    ta, tb = np.maximum(ta, t0), np.minimum(tb, t1)
    keep = tb > ta
    return p[first][keep], ta[keep], tb[keep]


def golden_max(score: Callable[[np.ndarray], np.ndarray], a: np.ndarray, b: np.ndarray,
               tol: float = TOLERANCE_S) -> np.ndarray:
    """Arg-max of unimodal ``score`` on each bracket [a, b] (arrays), to ``tol`` seconds."""
    a, b = a.astype(np.float64), b.astype(np.float64)
    if len(a) == 0:
        return a
    steps = int(np.ceil(np.log(max(float(np.max(b - a)), tol) / tol) / np.log(1.0 / _INV_PHI)))
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    fc, fd = score(c), score(d)
    for _ in range(steps):
        left = fc >= fd  # the maximum lies in [a, d]
        b = np.where(left, d, b)
        a = np.where(left, a, c)
        x = np.where(left, b - _INV_PHI * (b - a), a + _INV_PHI * (b - a))
        fx = score(x)
        c, d, fc, fd = (np.where(left, x, d), np.where(left, c, x),
                        np.where(left, fx, fd), np.where(left, fc, fx))
    return (a + b) / 2.0


def bisect_edge(inside: Callable[[np.ndarray], np.ndarray], outer: np.ndarray, inner: np.ndarray,
                tol: float = TOLERANCE_S) -> np.ndarray:
    """The boundary between ``outer`` times (outside, unless the bracket was clipped) and ``inner``
    times (inside), to ``tol`` seconds, returned on the inside. Where ``outer`` is already inside
    (a window cut by the horizon), ``outer`` itself is returned."""
    outer, inner = outer.astype(np.float64), inner.astype(np.float64)
    if len(outer) == 0:
        return inner
    already = inside(outer)
    steps = int(np.ceil(np.log2(max(float(np.max(np.abs(inner - outer))), tol) / tol)))
    for _ in range(steps):
        mid = (outer + inner) / 2.0
        ok = inside(mid)
        inner = np.where(ok, mid, inner)
        outer = np.where(ok, outer, mid)
    return np.where(already, outer, inner)


def refine(point: np.ndarray, ta: np.ndarray, tb: np.ndarray, score: Score, inside: Inside) -> Windows:
    """Windows from brackets: the peak of ``score(point, t)`` and the edges of ``inside(point, t)``;
    brackets whose peak is not inside hold no window and are dropped."""
    peak = golden_max(lambda t: score(point, t), ta, tb)
    has = inside(point, peak)
    point, ta, tb, peak = point[has], ta[has], tb[has], peak[has]
    start = bisect_edge(lambda t: inside(point, t), ta, peak)
    end = bisect_edge(lambda t: inside(point, t), tb, peak)
    return Windows(point, start, peak, end)
