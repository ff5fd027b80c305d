"""The Earth's rotation and the Sun over a horizon, from skyfield with the DE421 ephemeris that the
``skyfield-data`` package ships (no download, ever).

Both change slowly, so skyfield is asked once per hour of the horizon and the engine interpolates:
UT1 − UTC linearly (it drifts by milliseconds per day), and the Sun's direction linearly in
TEME-like inertial axes (it moves about 1° per day there; the chord error over an hour is below
1e-8 rad) before turning it into Earth-fixed axes with the sidereal angle.
"""
from __future__ import annotations

import warnings
from datetime import datetime, timezone
from functools import lru_cache

import numpy as np
import skyfield_data
from skyfield.api import Loader
from skyfield.framelib import itrs

from app.domain.errors import ValidationError

from .frames import gmst82, rotate_z, unit

_TABLE_STEP_S = 3600.0


@lru_cache(maxsize=1)
def _loader() -> Loader:
    with warnings.catch_warnings():
        # skyfield-data warns that its bundled IERS table has expired; the engine uses skyfield's
        # built-in UT1 tables instead, so the warning does not apply.
        warnings.simplefilter("ignore", RuntimeWarning)
        path = skyfield_data.get_skyfield_data_path()
    return Loader(path, verbose=False)


@lru_cache(maxsize=1)
def timescale():
    """The shared skyfield Timescale (built-in leap-second and UT1 tables, no download)."""
    return _loader().timescale(builtin=True)


@lru_cache(maxsize=1)
def planets():
    """The DE421 planetary ephemeris shipped by skyfield-data."""
    return _loader()("de421.bsp")


def skyfield_times(t: np.ndarray):
    """A skyfield Time array for POSIX seconds ``t`` (UTC, no leap seconds inside a day)."""
    t = np.asarray(t, dtype=np.float64)
    days = np.floor(t / 86400.0)
    return timescale().utc(1970, 1, 1 + days, 0, 0, t - days * 86400.0)


_JD_UNIX_EPOCH = 2440587.5


@lru_cache(maxsize=1)
def coverage() -> tuple[float, float]:
    """The POSIX seconds (first, last) that every segment of the ephemeris covers."""
    segments = [seg.spk_segment for seg in planets().segments]
    first = max(s.start_jd for s in segments)
    last = min(s.end_jd for s in segments)
    return (first - _JD_UNIX_EPOCH) * 86400.0, (last - _JD_UNIX_EPOCH) * 86400.0


def _day(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%d")


def check_coverage(t0: float, t1: float) -> None:
    """Refuse a horizon [t0, t1] (POSIX seconds) that the ephemeris does not cover (with the
    tables' margin of two hours). Times are accepted from 1900 to 2200, the shipped ephemeris is
    shorter: this names the horizon rather than let skyfield's "ephemeris segment only covers"
    escape."""
    first, last = coverage()
    if t0 - 2 * _TABLE_STEP_S < first or t1 + 3 * _TABLE_STEP_S > last:
        raise ValidationError("horizon", f"{_day(t0)} – {_day(t1)} is outside the Sun ephemeris shipped "
                                         f"with the workbench (DE421: {_day(first + 86400)} – "
                                         f"{_day(last - 86400)})")


class SkyTables:
    """UT1 and the Sun's direction on an hourly table covering [t0, t1] (POSIX seconds)."""

    def __init__(self, t0: float, t1: float) -> None:
        start = np.floor(t0 / _TABLE_STEP_S) * _TABLE_STEP_S - _TABLE_STEP_S
        count = int(np.ceil((t1 - start) / _TABLE_STEP_S)) + 2
        check_coverage(t0, t1)
        self.times = start + _TABLE_STEP_S * np.arange(count)
        ts = skyfield_times(self.times)
        self._dut1 = np.asarray(ts.dut1, dtype=np.float64)
        eph = planets()
        sun_itrs = (eph["sun"] - eph["earth"]).at(ts).frame_xyz(itrs).km.T
        self._sun_inertial = unit(rotate_z(sun_itrs, -self.earth_angle(self.times)))

    def earth_angle(self, t: np.ndarray) -> np.ndarray:
        """Sidereal angle (radians) turning TEME axes into Earth-fixed axes at POSIX seconds ``t``."""
        return gmst82(t + np.interp(t, self.times, self._dut1))

    def sun_direction(self, t: np.ndarray) -> np.ndarray:
        """Unit vectors (n, 3) from the Earth's centre to the Sun, Earth-fixed axes, at ``t``."""
        t = np.asarray(t, dtype=np.float64)
        inertial = np.stack([np.interp(t, self.times, self._sun_inertial[:, k]) for k in range(3)], axis=-1)
        return rotate_z(unit(inertial), self.earth_angle(t))
