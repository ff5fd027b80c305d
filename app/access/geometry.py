"""Look geometry from a satellite to a ground point (spec section 4), vectorised over arrays.

The spacecraft orbital frame "x forward, y right, z down": z = −r/|r| (nadir), y = unit(z × v)
(to the right of the ground track), x = y × z (along-track, close to v). For the unit line of
sight ``los`` from the satellite to the point:

- roll = atan2(los·y, los·z): positive when the point is right of the ground track (look side RIGHT);
- pitch = atan2(los·x, los·z): positive when looking forward, along the velocity;
- off-nadir = angle(los, z);
- elevation = angle of the satellite above the point's horizon (plane normal to the WGS84
  ellipsoid normal), incidence = 90° − elevation: the angle between the ellipsoid normal and the
  direction point → satellite (larger than the off-nadir angle because the Earth is curved).

All angles in degrees; positions in km, r and v in the same axes (see ``frames``).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .frames import dot, norm, unit


class Look(NamedTuple):
    """Geometry of a satellite looking at a ground point; arrays of the broadcast shape."""

    los: np.ndarray          #: unit line of sight satellite → point (..., 3)
    frame: tuple[np.ndarray, np.ndarray, np.ndarray]  #: orbital frame x, y, z unit axes (..., 3)
    roll_deg: np.ndarray
    pitch_deg: np.ndarray
    off_nadir_deg: np.ndarray
    elevation_deg: np.ndarray

    @property
    def incidence_deg(self) -> np.ndarray:
        """Angle (deg) between the point's ellipsoid normal and the direction to the satellite."""
        return 90.0 - self.elevation_deg


def orbital_frame(r: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit axes x (forward), y (right), z (nadir) of the orbital frame, each (..., 3)."""
    z = -unit(r)
    y = unit(np.cross(z, v))
    x = np.cross(y, z)
    return x, y, z


class Sight(NamedTuple):
    """The unit line of sight satellite → point, the orbital frame and the sight's components
    along its axes (lx forward, ly right, lz down)."""

    los: np.ndarray
    frame: tuple[np.ndarray, np.ndarray, np.ndarray]
    lx: np.ndarray
    ly: np.ndarray
    lz: np.ndarray


def sight(r: np.ndarray, v: np.ndarray, point: np.ndarray) -> Sight:
    """Line of sight from a satellite at ``r`` with inertial velocity ``v`` to ``point``."""
    x, y, z = orbital_frame(r, v)
    los = unit(point - r)
    return Sight(los, (x, y, z), dot(los, x), dot(los, y), dot(los, z))


def look(r: np.ndarray, v: np.ndarray, point: np.ndarray, normal: np.ndarray) -> Look:
    """Roll, pitch, off-nadir and elevation of ``point`` (ellipsoid ``normal``) seen from a
    satellite at ``r`` with inertial velocity ``v``; see the module docstring for conventions."""
    s = sight(r, v, point)
    return Look(los=s.los, frame=s.frame,
                roll_deg=np.degrees(np.arctan2(s.ly, s.lz)),
                pitch_deg=np.degrees(np.arctan2(s.lx, s.lz)),
                off_nadir_deg=np.degrees(np.arccos(np.clip(s.lz, -1.0, 1.0))),
                elevation_deg=np.degrees(np.arcsin(np.clip(-dot(s.los, normal), -1.0, 1.0))))


def cos_off_nadir_rate(r: np.ndarray, v: np.ndarray, point: np.ndarray) -> np.ndarray:
    """Time derivative (1/s) of the cosine of the off-nadir angle of the fixed ``point`` seen from
    a satellite at ``r`` moving at ``v`` (km/s, relative to the point): positive while the
    point comes closer to nadir."""
    d = point - r
    s, dd, rr = dot(d, r), norm(d), norm(r)
    s_rate = dot(v, d - r)
    return (-s_rate + s * (-dot(d, v) / dd**2 + dot(r, v) / rr**2)) / (dd * rr)


def sin_elevation(r: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Sine of the satellite's elevation above the horizon of ``point`` (ellipsoid ``normal``)."""
    return dot(unit(r - point), normal)


def sight_margins(r: np.ndarray, point: np.ndarray, normal: np.ndarray, cos_cone: float) -> np.ndarray:
    """min(cos(off-nadir) − ``cos_cone``, sin(elevation)): ≥ 0 exactly when ``point`` is inside
    the cone and above the horizon."""
    d = point - r
    length = norm(d)
    cos_off = -dot(d, r) / (length * norm(r))
    return np.minimum(cos_off - cos_cone, -dot(d, normal) / length)


def sin_elevation_rate(r: np.ndarray, v: np.ndarray, point: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Time derivative (1/s) of ``sin_elevation`` for a satellite moving at ``v`` (km/s) relative
    to the fixed ``point``."""
    e = r - point
    length = norm(e)
    return dot(v, normal) / length - dot(e, normal) * dot(e, v) / length**3


def sun_elevation_deg(sun: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Elevation (deg) of the Sun (unit direction ``sun``) above the horizon of a point with
    ellipsoid ``normal``; the Sun's parallax (≤ 9″) and refraction are neglected."""
    return np.degrees(np.arcsin(np.clip(dot(sun, normal), -1.0, 1.0)))


def boresight(frame: tuple[np.ndarray, np.ndarray, np.ndarray], roll_deg: np.ndarray,
              pitch_deg: np.ndarray) -> np.ndarray:
    """Unit pointing direction (..., 3) of an attitude (roll, pitch) in the orbital ``frame``:
    the inverse of the roll/pitch definitions, ∝ x·tan(pitch) + y·tan(roll) + z."""
    x, y, z = frame
    tr = np.tan(np.radians(roll_deg))[..., None]
    tp = np.tan(np.radians(pitch_deg))[..., None]
    return unit(x * tp + y * tr + z)
