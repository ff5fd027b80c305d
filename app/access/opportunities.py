"""Imaging opportunities: for every pass, the TCA ("max") variant and, for agile satellites, the
pitched ``early_N`` / ``late_N`` variants (spec section 4).

An opportunity of duration d centred on ``TCA + offset`` (offset 0 for ``max``, −N for
``early_N``, +N for ``late_N``; N a multiple of ``variant_step_s`` up to ``look_window_s / 2``)
must lie inside its pass and is kept only if, on its ends and on a grid of at most 1 s in between, the target is inside the
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
from operator import attrgetter

import numpy as np

from app.domain.enums import LookSide, PassDirection
from app.domain.scenario import Satellite, Target
from app.domain.schedule import Opportunity
from app.domain.times import UTC, to_epoch

from .ephemeris import SkyTables
from .frames import dot, rotate_z
from .geometry import boresight, look, sight, sun_elevation_deg
from .ground import GroundPoints
from .horizon import check_horizon
from .orbits import OrbitTable, inertial_velocity
from .passes import find_passes, min_sun_elevation
from .progress import CancelCheck, Monitor, ProgressCallback
from .windows import Windows

_datetime = datetime.fromtimestamp  # POSIX seconds → aware datetime, rounded to the microsecond

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
    out.sort(key=attrgetter("start", "satellite_id", "target_id", "variant"))  # merges sorted runs
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

    def _shape(self, p: np.ndarray, t: np.ndarray) -> tuple[int, ...]:
        return (len(p),) + (1,) * (t.ndim - 1) + (3,)

    def _look(self, p: np.ndarray, t: np.ndarray):
        r, v_relative = self.orbit.state(self.sat, t)
        shape = self._shape(p, t)
        return look(r, inertial_velocity(r, v_relative), self.points.position[p].reshape(shape),
                    self.points.normal[p].reshape(shape))

    def _sun(self, p: np.ndarray, t: np.ndarray) -> np.ndarray:
        return sun_elevation_deg(self.orbit.sky.sun_direction(t.ravel()).reshape(t.shape + (3,)),
                                 self.points.normal[p].reshape(self._shape(p, t)))

    def valid(self, p: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Whether every sample ``t`` (m, S) of acquisition i of target ``p[i]`` meets the limits.
        The angle limits are compared through the sight's components and sines, which order
        like the angles (no trigonometry per sample)."""
        s, shape = self.satellite, self._shape(p, t)
        r, v_relative = self.orbit.state(self.sat, t)
        normal = self.points.normal[p].reshape(shape)
        sg = sight(r, inertial_velocity(r, v_relative), self.points.position[p].reshape(shape))
        sin_elevation = -dot(sg.los, normal)
        ok = (sg.lz >= np.cos(np.radians(s.max_off_nadir_deg))) & (sin_elevation > 0.0)
        ok &= np.abs(sg.ly) <= np.tan(np.radians(s.max_roll_deg)) * sg.lz
        if self.agile:
            ok &= np.abs(sg.lx) <= np.tan(np.radians(s.max_pitch_deg)) * sg.lz
        if s.min_incidence_deg is not None:  # incidence = 90° − elevation
            ok &= sin_elevation <= np.cos(np.radians(s.min_incidence_deg))
        if s.max_incidence_deg is not None:
            ok &= sin_elevation >= np.cos(np.radians(s.max_incidence_deg))
        if self.min_sun is not None:
            sun = self.orbit.sky.sun_direction(t.ravel()).reshape(t.shape + (3,))
            ok &= dot(sun, normal) >= np.sin(np.radians(self.min_sun))
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
        # Inside the pass and the horizon, or the target cannot be in view at both ends.
        keep = (begin >= np.maximum(passes.start[which], t0)) & (begin + duration <= np.minimum(passes.end[which], t1))
        which, variant, begin = which[keep], variant[keep], begin[keep]
        p = passes.point[which]
        if n_off > 1:  # most pitched variants fail at an end: drop them before the full check
            keep = self.valid(p, np.stack((begin, begin + duration), axis=1))
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
        # In output order (start, target id, variant name), so that merging the satellites'
        # lists is cheap for the final sort.
        name_rank = np.argsort(np.argsort([name for _, name in offsets]))
        order = np.lexsort((name_rank[variant], self.points.rank[passes.point[which]], begin))
        which, variant, begin = which[order], variant[order], begin[order]
        p = passes.point[which]
        times = np.stack((begin, begin + duration / 2.0, begin + duration), axis=1)
        lk = self._look(p, times)
        sun = self._sun(p, times[:, 1:2])[:, 0]
        if self.agile:
            roll, pitch, los = lk.roll_deg[:, [0, 2]], lk.pitch_deg[:, [0, 2]], lk.los[:, [0, 2]]
        else:
            roll = np.repeat(lk.roll_deg[:, 1:2], 2, axis=1)
            pitch = np.zeros_like(roll)
            frame = tuple(axis[:, [0, 2]] for axis in lk.frame)
            los = boresight(frame, roll, pitch)
        los = rotate_z(los, -self.orbit.sky.earth_angle(times[:, [0, 2]]))
        # Per pass (shared by its variants): times, id stamp, direction.
        used, of_pass = np.unique(which, return_inverse=True)
        tca = [_datetime(x, UTC) for x in passes.peak[used].tolist()]
        pass_start = [_datetime(x, UTC) for x in passes.start[used].tolist()]
        pass_end = [_datetime(x, UTC) for x in passes.end[used].tolist()]
        stamps = _id_stamps(passes.peak[used])
        north = (self.orbit.state(self.sat, passes.peak[used])[1][:, 2] >= 0.0).tolist()
        up, down = PassDirection.ASCENDING.value, PassDirection.DESCENDING.value
        direction = [up if n else down for n in north]
        sat, targets, names = self.satellite, self.points.ids, [name for _, name in offsets]
        right, left = LookSide.RIGHT.value, LookSide.LEFT.value
        los_start = list(zip(*(los[:, 0, c].tolist() for c in range(3))))
        los_end = list(zip(*(los[:, 1, c].tolist() for c in range(3))))
        columns = zip(of_pass.tolist(), p.tolist(), variant.tolist(), times[:, 0].tolist(), times[:, 2].tolist(),
                      roll[:, 0].tolist(), pitch[:, 0].tolist(), roll[:, 1].tolist(), pitch[:, 1].tolist(),
                      lk.off_nadir_deg[:, 1].tolist(), lk.incidence_deg[:, 1].tolist(),
                      (lk.roll_deg[:, 1] >= 0.0).tolist(), sun.tolist(), los_start, los_end)
        return [Opportunity(
            id=f"{sat.id}_{targets[t]}_{stamps[j]}_{names[n]}", satellite_id=sat.id, target_id=targets[t],
            start=_datetime(t_start, UTC), end=_datetime(t_end, UTC), roll_deg=roll0, pitch_deg=pitch0,
            roll_end_deg=roll1, pitch_end_deg=pitch1, variant=names[n], off_nadir_deg=off, incidence_deg=inc,
            look_side=right if is_right else left, pass_direction=direction[j], sun_elevation_deg=sun_el,
            pass_start=pass_start[j], pass_end=pass_end[j], tca=tca[j], mode=sat.mode, los_start=l0, los_end=l1)
            for j, t, n, t_start, t_end, roll0, pitch0, roll1, pitch1, off, inc, is_right, sun_el, l0, l1 in columns]


def _id_stamps(tca: np.ndarray) -> list[str]:
    """``YYYYMMDDTHHMMSS`` of each TCA (POSIX s) truncated to the second, as ``app.domain.ids.
    opportunity_id`` writes it (built here for whole arrays at once; the tests check they agree)."""
    microseconds = np.round(tca * 1e6).astype(np.int64).astype("datetime64[us]")
    text = np.datetime_as_string(microseconds.astype("datetime64[s]"), unit="s")
    return [t.replace("-", "").replace(":", "") for t in text.tolist()]
