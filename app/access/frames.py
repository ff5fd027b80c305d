"""Frames, time scales and the WGS84 Earth used by the access engine.

Frame choice. SGP4 gives positions and velocities in TEME (km, km/s). The engine rotates them
about the z axis by the Greenwich mean sidereal angle (GMST 1982 of UT1, the AIAA 2006-6753
TEME → PEF rotation, as skyfield does) into Earth-fixed axes, where the targets, their WGS84
normals and the Sun are expressed, and the search for passes runs there (targets do not move).
The orbital frame ("x forward, y right") is built from the *inertial* velocity expressed in the
same axes (the Earth-relative velocity plus ω × r), so that it follows the inertial ground-track
sense of spec section 4. Every angle the engine reports (roll, pitch, off-nadir, incidence,
elevation) is invariant under that common rotation. Polar motion is neglected (≤ 0.5″, under
15 m on the ground, < 0.002° seen from orbit); skyfield's ITRS without polar-motion tables is the
same frame: the accuracy tests find roll and pitch within 1e-4° of skyfield's GCRS geometry.

Times inside the numeric kernels are float seconds since 1970-01-01T00:00Z in the POSIX sense
(86,400 s per UTC day, no leap seconds), the scale TLE epochs and SGP4 use.
"""
from __future__ import annotations

import numpy as np

WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
#: Julian date of the POSIX epoch 1970-01-01T00:00Z.
JD_UNIX_EPOCH = 2440587.5
_JD_J2000 = 2451545.0
_DAY_S = 86400.0


def julian_dates(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Split POSIX seconds ``t`` into (whole Julian day ending in .5, fraction of day) for sgp4."""
    days = np.floor(np.asarray(t, dtype=np.float64) / _DAY_S)
    return JD_UNIX_EPOCH + days, (t - days * _DAY_S) / _DAY_S


def gmst82(t_ut1: np.ndarray) -> np.ndarray:
    """Greenwich mean sidereal angle (radians, IAU 1982) at POSIX-like seconds on the UT1 scale."""
    t_ut1 = np.asarray(t_ut1, dtype=np.float64)
    days = np.floor(t_ut1 / _DAY_S)
    fraction = (t_ut1 - days * _DAY_S) / _DAY_S
    jd_whole = JD_UNIX_EPOCH + days
    centuries = (jd_whole - _JD_J2000 + fraction) / 36525.0
    g = 67310.54841 + (8640184.812866 + (0.093104 + (-6.2e-6) * centuries) * centuries) * centuries
    return ((jd_whole % 1.0) + fraction + (g / _DAY_S) % 1.0) % 1.0 * (2.0 * np.pi)


def rotate_z(vectors: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Express ``vectors`` (..., 3) in axes turned by ``angle`` (radians, broadcast over ``...``)
    about z: TEME → Earth-fixed with the sidereal angle, Earth-fixed → TEME with its negative."""
    c, s = np.cos(angle), np.sin(angle)
    x, y = vectors[..., 0], vectors[..., 1]
    return np.stack((c * x + s * y, c * y - s * x, vectors[..., 2]), axis=-1)


def geodetic_to_ecef(lat_deg: np.ndarray, lon_deg: np.ndarray, alt_m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 Earth-fixed positions (km) of geodetic points and their unit ellipsoid normals
    (the local vertical, pointing up); both (n, 3)."""
    lat = np.radians(np.asarray(lat_deg, dtype=np.float64))
    lon = np.radians(np.asarray(lon_deg, dtype=np.float64))
    alt_km = np.asarray(alt_m, dtype=np.float64) / 1000.0
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    n = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat**2)
    normal = np.stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), sin_lat), axis=-1)
    position = np.stack(((n + alt_km) * cos_lat * np.cos(lon), (n + alt_km) * cos_lat * np.sin(lon),
                         (n * (1.0 - WGS84_E2) + alt_km) * sin_lat), axis=-1)
    return position, normal


def ecef_to_geodetic(r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """WGS84 geodetic latitude, longitude (degrees) and height (km) of Earth-fixed positions
    ``r`` (km, trailing axis of 3); a few fixed-point iterations, sub-millimetre for LEO."""
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    p = np.hypot(x, y)
    lat = np.arctan2(z, p * (1.0 - WGS84_E2))
    for _ in range(4):
        n = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
        height = p / np.maximum(np.cos(lat), 1e-12) - n
        lat = np.arctan2(z, p * (1.0 - WGS84_E2 * n / (n + height)))
    n = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    height = p / np.maximum(np.cos(lat), 1e-12) - n
    return np.degrees(lat), np.degrees(np.arctan2(y, x)), height


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot products of vectors (..., 3), broadcast (component-wise: numpy reductions over an
    axis of length 3 are several times slower)."""
    return a[..., 0] * b[..., 0] + a[..., 1] * b[..., 1] + a[..., 2] * b[..., 2]


def norm(a: np.ndarray) -> np.ndarray:
    """Lengths of vectors (..., 3)."""
    return np.sqrt(dot(a, a))


def unit(vectors: np.ndarray) -> np.ndarray:
    """Vectors (..., 3) scaled to unit length."""
    return vectors / norm(vectors)[..., None]
