"""Satellite states: SGP4 once per satellite on a coarse time grid, cubic Hermite in between.

Every satellite is propagated once with sgp4's vectorised ``SatrecArray`` on a grid anchored to
whole multiples of the step (so results do not depend on where the horizon starts). Between grid
points the TEME position is the cubic Hermite interpolant of the positions and velocities at both
ends: with a 30 s step its error is about 2 cm for a LEO orbit (the fourth derivative of the
position is ~ω⁴·r ≈ 1e-8 km/s⁴), far below what the angles need, and it costs a few numpy
operations instead of an SGP4 call.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sgp4.api import Satrec, SatrecArray

from app.domain.scenario import Satellite

from .ephemeris import SkyTables
from .frames import julian_dates, rotate_z

DEFAULT_STEP_S = 30.0


class OrbitTable:
    """TEME states of several satellites on one grid ``times`` (POSIX s) covering [t0, t1] with
    one extra point on each side. Positions in km, velocities in km/s; a sample SGP4 could not
    compute (decayed orbit) is NaN and never yields access."""

    def __init__(self, satellites: Sequence[Satellite], t0: float, t1: float, sky: SkyTables,
                 step_s: float = DEFAULT_STEP_S) -> None:
        self.step = float(step_s)
        first = np.floor(t0 / self.step) - 1.0
        last = np.ceil(t1 / self.step) + 1.0
        self.times = self.step * np.arange(first, last + 1.0)
        self.sky = sky
        jd, fraction = julian_dates(self.times)
        models = SatrecArray([Satrec.twoline2rv(s.tle_line1, s.tle_line2) for s in satellites])
        errors, r, v = models.sgp4(jd, fraction)
        bad = errors != 0
        r[bad] = np.nan
        v[bad] = np.nan
        self.r_teme, self.v_teme = r, v
        self._angle = sky.earth_angle(self.times)

    def grid_state(self, sat: int) -> tuple[np.ndarray, np.ndarray]:
        """Position and inertial velocity of satellite ``sat`` at every grid time, Earth-fixed axes."""
        return (rotate_z(self.r_teme[sat], self._angle), rotate_z(self.v_teme[sat], self._angle))

    def teme_state(self, sat: int | np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """TEME position (km) and velocity (km/s) of satellite(s) ``sat`` at POSIX seconds ``t``."""
        t = np.asarray(t, dtype=np.float64)
        x = (t - self.times[0]) / self.step
        k = np.clip(np.floor(x).astype(np.int64), 0, len(self.times) - 2)
        u = (x - k)[..., None]
        h = self.step
        p0, p1 = self.r_teme[sat, k], self.r_teme[sat, k + 1]
        m0, m1 = self.v_teme[sat, k] * h, self.v_teme[sat, k + 1] * h
        u2, u3 = u * u, u * u * u
        r = (2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * m0 + (3 * u2 - 2 * u3) * p1 + (u3 - u2) * m1
        v = ((6 * u2 - 6 * u) * p0 + (3 * u2 - 4 * u + 1) * m0 + (6 * u - 6 * u2) * p1 + (3 * u2 - 2 * u) * m1) / h
        return r, v

    def state(self, sat: int | np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Position (km) and inertial velocity (km/s) of satellite(s) ``sat`` at POSIX seconds ``t``,
        both in Earth-fixed axes (see ``frames``)."""
        r, v = self.teme_state(sat, t)
        angle = self.sky.earth_angle(t)
        return rotate_z(r, angle), rotate_z(v, angle)
