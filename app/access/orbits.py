"""Satellite states: SGP4 once per satellite on a coarse time grid, cubic Hermite in between.

Every satellite is propagated once with sgp4's vectorised ``SatrecArray`` on a grid anchored to
whole multiples of the step (so results do not depend on where the horizon starts), and its
states are turned into Earth-fixed axes once (``frames``). Between grid points the Earth-fixed
position is the cubic Hermite interpolant of the positions and Earth-relative velocities at both
ends: with a 30 s step its error is a few centimetres for a LEO orbit (the fourth derivative of
the position is ~(ω_orbit + ω_Earth)⁴·r ≈ 1.5e-8 km/s⁴), far below what the angles need, and an
evaluation costs a few numpy operations instead of an SGP4 call and a rotation.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sgp4.api import Satrec, SatrecArray

from app.domain.scenario import Satellite

from .ephemeris import SkyTables
from .frames import julian_dates, rotate_z

DEFAULT_STEP_S = 30.0
#: The rate (rad/s) of the sidereal angle of ``frames.gmst82``: the Earth's rotation.
EARTH_RATE = 2.0 * np.pi * (1.0 + 8640184.812866 / (86400.0 * 36525.0)) / 86400.0


def _spin(r: np.ndarray) -> np.ndarray:
    """ω × r: the velocity (km/s) of a point at ``r`` (km, Earth-fixed) carried by the Earth."""
    return np.stack((-EARTH_RATE * r[..., 1], EARTH_RATE * r[..., 0], np.zeros_like(r[..., 0])), axis=-1)


def inertial_velocity(r: np.ndarray, v_relative: np.ndarray) -> np.ndarray:
    """Inertial velocity (km/s, Earth-fixed axes) from the Earth-relative one at position ``r`` (km)."""
    return v_relative + _spin(r)


#: Satellite-states per sgp4 call (~15 ms of GIL-holding C++ on this machine).
_SLICE_STATES = 20_000


class OrbitTable:
    """States of several satellites on one grid ``times`` (POSIX s) covering [t0, t1] with one
    extra point on each side: Earth-fixed positions (km) and Earth-relative velocities (km/s).
    A sample SGP4 could not compute (decayed orbit) is NaN and never yields access."""

    def __init__(self, satellites: Sequence[Satellite], t0: float, t1: float, sky: SkyTables,
                 step_s: float = DEFAULT_STEP_S) -> None:
        self.step = float(step_s)
        first = np.floor(t0 / self.step) - 1.0
        last = np.ceil(t1 / self.step) + 1.0
        self.times = self.step * np.arange(first, last + 1.0)
        self.sky = sky
        jd, fraction = julian_dates(self.times)
        models = SatrecArray([Satrec.twoline2rv(s.tle_line1, s.tle_line2) for s in satellites])
        # sgp4's C++ loop holds the GIL: propagate in slices so that a GUI thread waiting for
        # the interpreter never waits more than a few tens of milliseconds.
        n_slice = max(1, _SLICE_STATES // max(1, len(satellites)))
        parts = [models.sgp4(jd[k:k + n_slice], fraction[k:k + n_slice]) for k in range(0, len(jd), n_slice)]
        errors = np.concatenate([p[0] for p in parts], axis=1)
        r = np.concatenate([p[1] for p in parts], axis=1)
        v = np.concatenate([p[2] for p in parts], axis=1)
        bad = errors != 0
        r[bad] = np.nan
        v[bad] = np.nan
        angle = sky.earth_angle(self.times)
        self.r = rotate_z(r, angle)
        self.v = rotate_z(v, angle) - _spin(self.r)
        # Per interval, the cubic r(u) = c0 + c1·u + c2·u² + c3·u³ (u in [0, 1]) matching the
        # positions and step-scaled velocities at both ends: the Hermite interpolant.
        p0, p1 = self.r[:, :-1], self.r[:, 1:]
        m0, m1 = self.v[:, :-1] * self.step, self.v[:, 1:] * self.step
        self._cubic = np.stack((p0, m0, 3.0 * (p1 - p0) - 2.0 * m0 - m1, 2.0 * (p0 - p1) + m0 + m1), axis=-2)

    def _interval(self, sat: int, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = (np.asarray(t, dtype=np.float64) - self.times[0]) / self.step
        k = np.clip(x.astype(np.int64), 0, len(self.times) - 2)
        return self._cubic[sat, k], (x - k)[..., None]

    def position(self, sat: int, t: np.ndarray) -> np.ndarray:
        """Earth-fixed position (km) of satellite ``sat`` at POSIX seconds ``t`` (any shape;
        the result has a trailing axis of 3)."""
        c, u = self._interval(sat, t)
        return ((c[..., 3, :] * u + c[..., 2, :]) * u + c[..., 1, :]) * u + c[..., 0, :]

    def state(self, sat: int, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Earth-fixed position (km) and Earth-relative velocity (km/s) of satellite ``sat`` at
        POSIX seconds ``t`` (any shape; results have a trailing axis of 3)."""
        c, u = self._interval(sat, t)
        c0, c1, c2, c3 = c[..., 0, :], c[..., 1, :], c[..., 2, :], c[..., 3, :]
        position = ((c3 * u + c2) * u + c1) * u + c0
        velocity = ((3.0 * c3 * u + 2.0 * c2) * u + c1) / self.step
        return position, velocity

    def grid_state(self, sat: int) -> tuple[np.ndarray, np.ndarray]:
        """Earth-fixed positions and Earth-relative velocities of ``sat`` at every grid time."""
        return self.r[sat], self.v[sat]
