"""Finding visibility windows of one satellite over many ground points: a coarse scan, then
vectorised refinement of the peak and both edges of every window at once.

1. Scan: on the orbit grid, a point is a candidate when the central angle between it and the
   sub-satellite point is within the window's largest possible central angle plus a margin for
   the motion between grid points (so no window, however short, falls between two samples).
   Central angles come from one matrix product per chunk of grid times.
2. Runs of consecutive candidate samples of a point bracket one window each (passes of one
   point are an orbit apart). In its bracket, the peak is the root of the score's time
   derivative and the edges are the roots of a continuous margin (≥ 0 inside), between the peak
   and the bracket ends. Roots are found by the Illinois variant of regula falsi, which keeps
   them bracketed and converges superlinearly; all brackets advance together.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .ground import GroundPoints
from .orbits import OrbitTable

#: Angular slack (rad) of the scan: WGS84 normals vs geocentric directions (≤ 0.19°) and rounding.
SCAN_SLACK = np.radians(0.3)
#: Refinement tolerance of peaks and edges (s).
TOLERANCE_S = 0.01
_MAX_ITERATIONS = 60
_BLOCK = 16  # grid samples per block of the scan's first stage

#: ``f(point index array, POSIX time array) -> values``.
PointFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]


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
    (rad) at which a window is possible, shaped (n, 1) or (n, points). Blocks of grid samples
    are first tested as a whole (a cap around their mean sub-satellite point), so that only the
    few block × point pairs that may hit are tested sample by sample.
    """
    r, v = orbit.grid_state(sat)
    radius = np.linalg.norm(r, axis=1)
    ground_rate = np.linalg.norm(v, axis=1) / radius  # rad/s of the sub-satellite point
    limit = np.minimum(max_central_angle(radius) + (ground_rate * orbit.step / 2.0 + SCAN_SLACK)[:, None], np.pi)
    sub_point = r / radius[:, None]
    n = len(radius)
    blocks = -(-n // _BLOCK)
    pad = blocks * _BLOCK - n
    block_points = np.concatenate((sub_point, np.repeat(sub_point[-1:], pad, axis=0))).reshape(blocks, _BLOCK, 3)
    centre = block_points.sum(axis=1)
    centre /= np.linalg.norm(centre, axis=1, keepdims=True)
    spread = np.arccos(np.clip(np.einsum("bk,bjk->bj", centre, block_points).min(axis=1), -1.0, 1.0))
    block_limit = np.concatenate((limit, np.repeat(limit[-1:], pad, axis=0))).reshape(blocks, _BLOCK, -1).max(axis=1)
    cap = np.cos(np.minimum(spread[:, None] + block_limit, np.pi))
    b, p = np.nonzero(centre @ points.direction.T >= cap)
    k = (b[:, None] * _BLOCK + np.arange(_BLOCK)).ravel()
    p = np.repeat(p, _BLOCK)
    inside = k < n
    k, p = k[inside], p[inside]
    threshold = np.cos(limit)[k, p if limit.shape[1] > 1 else 0]
    (sx, sy, sz), (dx, dy, dz) = np.ascontiguousarray(sub_point.T), np.ascontiguousarray(points.direction.T)
    hit = sx[k] * dx[p] + sy[k] * dy[p] + sz[k] * dz[p] >= threshold
    k, p = k[hit], p[hit]
    if len(k) == 0:
        return p, np.empty(0), np.empty(0)
    order = np.lexsort((k, p))
    k, p = k[order], p[order]
    new_run = np.ones(len(k), dtype=bool)
    new_run[1:] = (p[1:] != p[:-1]) | (k[1:] != k[:-1] + 1)
    first = np.flatnonzero(new_run)
    last = np.append(first[1:] - 1, len(k) - 1)
    times = orbit.times
    ta = np.maximum(times[np.maximum(k[first] - 1, 0)], t0)
    tb = np.minimum(times[np.minimum(k[last] + 1, n - 1)], t1)
    keep = tb > ta
    return p[first][keep], ta[keep], tb[keep]


def bracket_root(f: PointFunction, point: np.ndarray, a: np.ndarray, b: np.ndarray, fa: np.ndarray,
                 fb: np.ndarray, tol: float = TOLERANCE_S) -> tuple[np.ndarray, np.ndarray]:
    """Shrink brackets [a, b] (either order) of a sign change of ``f(point, t)`` (``fa``, ``fb``
    its values at the ends, of opposite signs) until ``|b − a| ≤ tol``; returns the final (a, b),
    each end on the side of the sign it started with."""
    a, b, fa, fb = a.copy(), b.copy(), fa.copy(), fb.copy()
    last = np.zeros(len(a), dtype=np.int8)  # which end moved last: -1 a, +1 b (Illinois halving)
    for _ in range(_MAX_ITERATIONS):
        active = np.flatnonzero(np.abs(b - a) > tol)
        if len(active) == 0:
            break
        aa, bb, ga, gb = a[active], b[active], fa[active], fb[active]
        x = np.where(gb != ga, (aa * gb - bb * ga) / np.where(gb != ga, gb - ga, 1.0), (aa + bb) / 2.0)
        lo, hi = np.minimum(aa, bb) + tol / 2.0, np.maximum(aa, bb) - tol / 2.0
        x = np.clip(x, lo, hi)
        fx = f(point[active], x)
        to_a = np.sign(fx) == np.sign(ga)
        moved = np.where(to_a, -1, 1).astype(np.int8)
        again = moved == last[active]
        a[active] = np.where(to_a, x, aa)
        fa[active] = np.where(to_a, fx, np.where(again, ga / 2.0, ga))
        b[active] = np.where(to_a, bb, x)
        fb[active] = np.where(to_a, np.where(again, gb / 2.0, gb), fx)
        last[active] = moved
    return a, b


def refine(point: np.ndarray, ta: np.ndarray, tb: np.ndarray, slope: PointFunction,
           margin: PointFunction) -> Windows:
    """Windows from brackets: the peak where ``slope(point, t)`` (the score's time derivative, or
    any function of the same sign) changes from + to −, clamped to the bracket; the edges where
    ``margin(point, t)`` (≥ 0 inside) crosses 0 on either side of it, returned on the inside
    (a bracket end already inside is a window cut by the horizon). Brackets whose peak is not
    inside hold no window and are dropped."""
    sa, sb = slope(point, ta), slope(point, tb)
    peak = np.where(sa <= 0.0, ta, tb)
    turn = (sa > 0.0) & (sb < 0.0)
    a, b = bracket_root(slope, point[turn], ta[turn], tb[turn], sa[turn], sb[turn])
    peak[turn] = (a + b) / 2.0
    m_peak = margin(point, peak)
    has = m_peak >= 0.0
    point, ta, tb, peak, m_peak = point[has], ta[has], tb[has], peak[has], m_peak[has]
    return Windows(point, _edge(margin, point, ta, peak, m_peak), peak, _edge(margin, point, tb, peak, m_peak))


def _edge(margin: PointFunction, point: np.ndarray, outer: np.ndarray, peak: np.ndarray,
          m_peak: np.ndarray) -> np.ndarray:
    m_outer = margin(point, outer)
    edge = outer.copy()
    cross = m_outer < 0.0
    _, inner = bracket_root(margin, point[cross], outer[cross], peak[cross], m_outer[cross], m_peak[cross])
    edge[cross] = inner
    return edge


def bisect_edge(inside: Callable[[np.ndarray], np.ndarray], outer: np.ndarray, inner: np.ndarray,
                tol: float = TOLERANCE_S) -> np.ndarray:
    """The boundary between ``outer`` times (outside) and ``inner`` times (inside) of a yes/no
    condition, by bisection to ``tol`` seconds, returned on the inside."""
    outer, inner = outer.astype(np.float64), inner.astype(np.float64)
    if len(outer) == 0:
        return inner
    steps = int(np.ceil(np.log2(max(float(np.max(np.abs(inner - outer))), tol) / tol)))
    for _ in range(steps):
        mid = (outer + inner) / 2.0
        ok = inside(mid)
        inner = np.where(ok, mid, inner)
        outer = np.where(ok, outer, mid)
    return inner
