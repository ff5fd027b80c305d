"""Imaging opportunities: for every pass, the TCA ("max") variant and, for agile satellites, the
pitched ``early_N`` / ``late_N`` variants (spec section 4).

An opportunity of duration d centred on ``TCA + offset`` (offset 0 for ``max``, −N for
``early_N``, +N for ``late_N``; N a multiple of ``variant_step_s`` up to ``look_window_s / 2``)
is kept only if, on its ends and on a grid of at most 1 s in between, the target is inside the
cone and above the horizon, |roll| ≤ ``max_roll_deg``, |pitch| ≤ ``max_pitch_deg`` (agile
satellites), the Sun is high enough (optical) and the incidence is within the satellite's
``min_incidence_deg``/``max_incidence_deg`` when set.

Attitude. An agile satellite (``max_pitch_deg`` > 0) tracks the target: roll/pitch at the start
and at the end are those of the line of sight then. A roll-only satellite (``max_pitch_deg`` = 0)
holds the attitude of the middle of the acquisition, roll at the centre and pitch 0, and sweeps
the scene along its track (so pitch is not limited during the scan). ``los_start``/``los_end``
are the unit pointing directions at start and end in the TEME inertial frame.
``off_nadir_deg``, ``incidence_deg``, ``sun_elevation_deg`` and the look side are those of the
middle of the acquisition; the pass direction is the sign of the northward velocity at TCA.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import numpy as np

from app.domain.enums import LookSide, PassDirection
from app.domain.ids import opportunity_id
from app.domain.scenario import Satellite, Target
from app.domain.schedule import Opportunity
from app.domain.times import from_epoch, to_epoch

from .ephemeris import SkyTables
from .frames import rotate_z
from .geometry import boresight, look, sun_elevation_deg
from .ground import GroundPoints
from .horizon import check_horizon
from .orbits import OrbitTable
from .passes import find_passes, min_sun_elevation
from .progress import CancelCheck, Monitor, ProgressCallback
from .windows import Windows

#: Largest spacing (s) of the validity checks inside an acquisition.
CHECK_SPACING_S = 1.0
_MAX_SAMPLES = 2_000_000  # per validity batch: bounds memory for long acquisitions


def compute_opportunities(satellites: Sequence[Satellite], targets: Sequence[Target], start: datetime,
                          end: datetime, *, variants: str = "all", duration_s: float | None = None,
                          look_window_s: float = 600.0, variant_step_s: float = 30.0,
                          time_grid_s: float | None = None, grid_origin: datetime | None = None,
                          progress: ProgressCallback | None = None, cancel: CancelCheck | None = None,
                          ) -> list[Opportunity]:
    """Imaging opportunities of ``satellites`` over ``targets`` that lie wholly in [start, end].

    ``variants``: ``"all"`` (TCA plus pitched variants for agile satellites) or ``"max"`` (TCA
    only). ``duration_s``: imaging time (s) of every opportunity, default each satellite's
    ``imaging_time_s``. With ``time_grid_s``, starts and durations are whole multiples of it
    counted from ``grid_origin`` (default ``start``). Angles in degrees with the sign conventions
    of ``geometry``. ``progress(fraction, message)`` is called with a non-decreasing fraction up to
    1.0; ``cancel()`` is polled between satellites and raises ``Cancelled`` when it returns True.
    Sorted by (start, satellite_id, target_id, variant).
    """
    t0, t1 = check_horizon(start, end)
    if variants not in ("all", "max"):
        raise ValueError(f"variants: must be all or max, got {variants!r}")
    for name, value in (("duration_s", duration_s), ("time_grid_s", time_grid_s)):
        if value is not None and not value > 0:
            raise ValueError(f"{name}: must be > 0 seconds, got {value!r}")
    if not variant_step_s > 0 or look_window_s < 0:
        raise ValueError("variant_step_s must be > 0 and look_window_s ≥ 0 seconds")
    monitor = Monitor(progress, cancel, "opportunity computation")
    monitor.check()
    if not satellites or not targets:
        monitor.report(1.0, "no satellites or no targets")
        return []
    monitor.report(0.0, f"propagating {len(satellites)} orbits")
    orbit = OrbitTable(satellites, t0, t1, SkyTables(t0, t1))
    points = GroundPoints.of(targets)
    grid = _Grid(time_grid_s, to_epoch(grid_origin) if grid_origin is not None else t0)
    out: list[Opportunity] = []
    for i, sat in enumerate(satellites):
        monitor.check()
        passes = find_passes(orbit, i, sat, points, t0, t1)
        offsets = _offsets(sat, variants, look_window_s, variant_step_s)
        made = _Imaging(orbit, i, sat, points).opportunities(
            passes, offsets, grid.duration(duration_s or sat.imaging_time_s), grid, t0, t1)
        out.extend(made)
        monitor.report((i + 1) / len(satellites), f"{sat.id}: {len(passes.point)} passes, {len(made)} opportunities")
    out.sort(key=lambda o: (o.start, o.satellite_id, o.target_id, o.variant))
    return out


class _Grid:
    """Alignment of starts and durations to multiples of ``step`` seconds from ``origin``."""

    def __init__(self, step: float | None, origin: float) -> None:
        self.step, self.origin = step, origin

    def duration(self, d: float) -> float:
        return d if self.step is None else math.ceil(d / self.step - 1e-9) * self.step

    def align(self, t: np.ndarray) -> np.ndarray:
        if self.step is None:
            return t
        return self.origin + np.round((t - self.origin) / self.step) * self.step


def _offsets(sat: Satellite, variants: str, look_window_s: float, step: float) -> list[tuple[float, str]]:
    """(offset from TCA in s, variant name): 0 → max, −N → early_N, +N → late_N."""
    out = [(0.0, "max")]
    if variants == "all" and sat.max_pitch_deg > 0:
        n = 1
        while n * step <= look_window_s / 2.0 + 1e-9:
            label = f"{n * step:g}"
            out += [(-n * step, f"early_{label}"), (n * step, f"late_{label}")]
            n += 1
    return out


class _Imaging:
    """Validity and attitude of acquisitions by one satellite."""

    def __init__(self, orbit: OrbitTable, sat: int, satellite: Satellite, points: GroundPoints) -> None:
        self.orbit, self.sat, self.satellite, self.points = orbit, sat, satellite, points
        self.agile = satellite.max_pitch_deg > 0
        self.min_sun = min_sun_elevation(satellite)

    def _look(self, p: np.ndarray, t: np.ndarray):
        r, v = self.orbit.state(self.sat, t)
        shape = (len(p),) + (1,) * (t.ndim - 1) + (3,)
        return r, v, look(r, v, self.points.position[p].reshape(shape), self.points.normal[p].reshape(shape))

    def _sun(self, p: np.ndarray, t: np.ndarray) -> np.ndarray:
        shape = (len(p),) + (1,) * (t.ndim - 1) + (3,)
        return sun_elevation_deg(self.orbit.sky.sun_direction(t.ravel()).reshape(t.shape + (3,)),
                                 self.points.normal[p].reshape(shape))

    def valid(self, p: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Whether every sample ``t`` (m, S) of acquisition i of target ``p[i]`` meets the limits."""
        s = self.satellite
        _, _, lk = self._look(p, t)
        ok = (lk.off_nadir_deg <= s.max_off_nadir_deg) & (lk.elevation_deg > 0.0)
        ok &= np.abs(lk.roll_deg) <= s.max_roll_deg
        if self.agile:
            ok &= np.abs(lk.pitch_deg) <= s.max_pitch_deg
        if s.min_incidence_deg is not None:
            ok &= lk.incidence_deg >= s.min_incidence_deg
        if s.max_incidence_deg is not None:
            ok &= lk.incidence_deg <= s.max_incidence_deg
        if self.min_sun is not None:
            ok &= self._sun(p, t) >= self.min_sun
        return ok.all(axis=1)

    def opportunities(self, passes: Windows, offsets: list[tuple[float, str]], duration: float,
                      grid: _Grid, t0: float, t1: float) -> list[Opportunity]:
        n_pass, n_off = len(passes.point), len(offsets)
        if n_pass == 0:
            return []
        which = np.repeat(np.arange(n_pass), n_off)
        variant = np.tile(np.arange(n_off), n_pass)
        offset = np.array([o for o, _ in offsets])[variant]
        begin = grid.align(passes.peak[which] + offset - duration / 2.0)
        keep = (begin >= t0) & (begin + duration <= t1)
        which, variant, begin = which[keep], variant[keep], begin[keep]
        p = passes.point[which]
        ends = np.stack((begin, begin + duration), axis=1)
        keep = self.valid(p, ends)
        which, variant, begin, p = which[keep], variant[keep], begin[keep], p[keep]
        samples = 2 * math.ceil(duration / (2 * CHECK_SPACING_S)) + 1
        fraction = np.linspace(0.0, 1.0, samples)
        keep = np.zeros(len(p), dtype=bool)
        batch = max(1, _MAX_SAMPLES // samples)
        for lo in range(0, len(p), batch):
            sl = slice(lo, lo + batch)
            keep[sl] = self.valid(p[sl], begin[sl, None] + duration * fraction)
        return self._build(passes, offsets, which[keep], variant[keep], begin[keep], duration)

    def _build(self, passes: Windows, offsets: list[tuple[float, str]], which: np.ndarray,
               variant: np.ndarray, begin: np.ndarray, duration: float) -> list[Opportunity]:
        if len(which) == 0:
            return []
        p = passes.point[which]
        times = np.stack((begin, begin + duration / 2.0, begin + duration), axis=1)
        r, v, lk = self._look(p, times)
        sun = self._sun(p, times[:, 1:2])[:, 0]
        if self.agile:
            roll, pitch, los = lk.roll_deg[:, [0, 2]], lk.pitch_deg[:, [0, 2]], lk.los[:, [0, 2]]
        else:
            roll = np.repeat(lk.roll_deg[:, 1:2], 2, axis=1)
            pitch = np.zeros_like(roll)
            frame = tuple(axis[:, [0, 2]] for axis in lk.frame)
            los = boresight(frame, roll, pitch)
        los = rotate_z(los, -self.orbit.sky.earth_angle(times[:, [0, 2]]))
        _, v_tca = self.orbit.state(self.sat, passes.peak[which])
        ascending = v_tca[:, 2] >= 0.0
        sat, targets = self.satellite, self.points.ids
        out = []
        for k in range(len(which)):
            w = which[k]
            tca = from_epoch(float(passes.peak[w]))
            name = offsets[variant[k]][1]
            out.append(Opportunity(
                id=opportunity_id(sat.id, targets[p[k]], tca, name), satellite_id=sat.id,
                target_id=targets[p[k]], start=from_epoch(float(times[k, 0])), end=from_epoch(float(times[k, 2])),
                roll_deg=float(roll[k, 0]), pitch_deg=float(pitch[k, 0]),
                roll_end_deg=float(roll[k, 1]), pitch_end_deg=float(pitch[k, 1]), variant=name,
                off_nadir_deg=float(lk.off_nadir_deg[k, 1]), incidence_deg=float(lk.incidence_deg[k, 1]),
                look_side=(LookSide.RIGHT if lk.roll_deg[k, 1] >= 0.0 else LookSide.LEFT).value,
                pass_direction=(PassDirection.ASCENDING if ascending[k] else PassDirection.DESCENDING).value,
                sun_elevation_deg=float(sun[k]), pass_start=from_epoch(float(passes.start[w])),
                pass_end=from_epoch(float(passes.end[w])), tca=tca, mode=sat.mode,
                los_start=tuple(float(c) for c in los[k, 0]), los_end=tuple(float(c) for c in los[k, 1])))
        return out
