"""The one slew model (spec section 5), used by every scheduler, every planning mode and the
conflict detector.

Units: angles in degrees, rates in deg/s, accelerations in deg/s², times in seconds.
Attitudes are (roll, pitch) in the orbital frame "x forward, y right, z down": positive roll
looks right of the ground track, positive pitch looks forward. A slew goes from A's **end**
attitude to B's **start** attitude.

Per axis the manoeuvre is a rest-to-rest trapezoid (bang-coast-bang) with rate limit ω and
acceleration limit α::

    t(Δ) = 2·sqrt(Δ/α)      if Δ ≤ ω²/α   (triangle profile, the rate limit is never reached)
    t(Δ) = Δ/ω + ω/α        otherwise

Roll and pitch slew in parallel (``max``) or, on a sequential spacecraft, one after the other
(``sum``); the eigen-axis model applies one profile (the roll limits) to the angle between the two
pointing directions. ``settle_time_s`` is added once.

Why pairwise exclusions are exact (used by ``optimal`` and by the conflict detector's sweep):
``t`` is increasing and concave with ``t(0) = 0``, hence subadditive, ``t(a + b) ≤ t(a) + t(b)``.
With the triangle inequality of ``|Δ|`` (per axis) or of the angle between directions (eigen
axis), and because a max or a sum of subadditive functions is subadditive, the manoeuvre part
``M`` of the slew obeys ``M(A→C) ≤ M(A→B) + M(B→C)``. So if A→B and B→C are feasible and the
spacecraft can follow B's own tracking motion within its imaging time (``M(B.start→B.end) ≤
duration_B + settle``, true for any real pass), then A→C is feasible too:
``C.start − A.end ≥ M(A→B) + s + dur_B + M(B→C) + s ≥ M(A→C) + s``. A set of acquisitions is
therefore feasible iff every pair is, and excluding infeasible pairs loses no feasible schedule.
``tracking_is_subadditive`` tells whether an item meets that condition; when one does not, the
pairwise model is still feasible by construction but only conservative, and ``optimal`` does
not claim optimality.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from app.domain import Satellite, SlewModel

#: Tolerance of the feasibility test, in seconds: float epoch seconds round-trip through
#: microsecond datetimes, so a transition that is exactly tight must not flip to infeasible.
FEASIBILITY_EPS_S = 1e-6

_RAD2DEG = 180.0 / math.pi


@dataclass(frozen=True, slots=True)
class Agility:
    """Slew limits of one satellite. Rates deg/s, accelerations deg/s², settle time s."""

    roll_rate_dps: float = 1.0
    roll_accel_dps2: float = 0.5
    pitch_rate_dps: float = 1.0
    pitch_accel_dps2: float = 0.5
    settle_time_s: float = 5.0
    eigen_axis: bool = False
    sequential: bool = False

    @classmethod
    def of(cls, satellite: Satellite) -> "Agility":
        return cls(satellite.roll_rate_dps, satellite.roll_accel_dps2, satellite.pitch_rate_dps,
                   satellite.pitch_accel_dps2, satellite.settle_time_s,
                   satellite.slew_model == SlewModel.EIGEN_AXIS, bool(satellite.sequential_slew))


def axis_time(delta_deg: float, rate_dps: float, accel_dps2: float) -> float:
    """Rest-to-rest time (s) of one axis turning ``|delta_deg|`` with the given rate and acceleration limits."""
    d = abs(delta_deg)
    if d <= rate_dps * rate_dps / accel_dps2:
        return 2.0 * math.sqrt(d / accel_dps2)
    return d / rate_dps + rate_dps / accel_dps2


def axis_times(delta_deg: np.ndarray, rate_dps: float, accel_dps2: float) -> np.ndarray:
    """Vectorised :func:`axis_time` (same arithmetic, same results bit for bit)."""
    d = np.abs(np.asarray(delta_deg, dtype=np.float64))
    triangle = 2.0 * np.sqrt(d / accel_dps2)
    trapezoid = d / rate_dps + rate_dps / accel_dps2
    return np.where(d <= rate_dps * rate_dps / accel_dps2, triangle, trapezoid)


def _frame_direction(roll_deg: float, pitch_deg: float) -> tuple[float, float, float]:
    # Orbital frame (x forward, y right, z down): roll = atan2(y, z), pitch = atan2(x, z).
    x, y = math.tan(math.radians(pitch_deg)), math.tan(math.radians(roll_deg))
    n = math.sqrt(x * x + y * y + 1.0)
    return x / n, y / n, 1.0 / n


def _angle_deg(u: tuple[float, float, float], v: tuple[float, float, float]) -> float:
    cx = u[1] * v[2] - u[2] * v[1]
    cy = u[2] * v[0] - u[0] * v[2]
    cz = u[0] * v[1] - u[1] * v[0]
    dot = u[0] * v[0] + u[1] * v[1] + u[2] * v[2]
    return math.atan2(math.sqrt(cx * cx + cy * cy + cz * cz), dot) * _RAD2DEG


def eigen_angle_deg(roll_a: float, pitch_a: float, roll_b: float, pitch_b: float,
                    los_a: tuple[float, float, float] | None = None,
                    los_b: tuple[float, float, float] | None = None) -> float:
    """Angle (deg) between two pointing directions: the inertial lines of sight when both are
    known, else the orbital-frame directions (tan pitch, tan roll, 1)."""
    if los_a is not None and los_b is not None:
        return _angle_deg(_unit(los_a), _unit(los_b))
    return _angle_deg(_frame_direction(roll_a, pitch_a), _frame_direction(roll_b, pitch_b))


def _unit(v) -> tuple[float, float, float]:
    x, y, z = float(v[0]), float(v[1]), float(v[2])
    n = math.sqrt(x * x + y * y + z * z)
    return x / n, y / n, z / n


def manoeuvre_time(ag: Agility, roll_a: float, pitch_a: float, roll_b: float, pitch_b: float,
                   los_a=None, los_b=None) -> float:
    """Slew time (s) without the settle time, from attitude A to attitude B (degrees)."""
    if ag.eigen_axis:
        return axis_time(eigen_angle_deg(roll_a, pitch_a, roll_b, pitch_b, los_a, los_b),
                         ag.roll_rate_dps, ag.roll_accel_dps2)
    tr = axis_time(roll_b - roll_a, ag.roll_rate_dps, ag.roll_accel_dps2)
    tp = axis_time(pitch_b - pitch_a, ag.pitch_rate_dps, ag.pitch_accel_dps2)
    return tr + tp if ag.sequential else max(tr, tp)


def slew_time(ag: Agility, roll_a: float, pitch_a: float, roll_b: float, pitch_b: float,
              los_a=None, los_b=None) -> float:
    """Slew time (s) from A's end attitude (roll_a, pitch_a) to B's start attitude, settle included.

    ``los_a``/``los_b`` are unit inertial lines of sight, used by the eigen-axis model when both
    are given.
    """
    return manoeuvre_time(ag, roll_a, pitch_a, roll_b, pitch_b, los_a, los_b) + ag.settle_time_s


def feasible(a_end_s: float, slew_s: float, b_start_s: float) -> bool:
    """The transition A → B is feasible iff B.start ≥ A.end + slew(A → B) (epoch seconds)."""
    return b_start_s >= a_end_s + slew_s - FEASIBILITY_EPS_S


def _frame_directions(roll_deg: np.ndarray, pitch_deg: np.ndarray) -> np.ndarray:
    x = np.tan(np.radians(pitch_deg))
    y = np.tan(np.radians(roll_deg))
    n = np.sqrt(x * x + y * y + 1.0)
    return np.stack([x / n, y / n, 1.0 / n], axis=-1)


def _angles_deg(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    cx = u[:, 1] * v[:, 2] - u[:, 2] * v[:, 1]
    cy = u[:, 2] * v[:, 0] - u[:, 0] * v[:, 2]
    cz = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
    dot = u[:, 0] * v[:, 0] + u[:, 1] * v[:, 1] + u[:, 2] * v[:, 2]
    return np.arctan2(np.sqrt(cx * cx + cy * cy + cz * cz), dot) * _RAD2DEG


def _units(v: np.ndarray) -> np.ndarray:
    n = np.sqrt(v[:, 0] * v[:, 0] + v[:, 1] * v[:, 1] + v[:, 2] * v[:, 2])
    return v / n[:, None]


def slew_times(ag: Agility, roll_a, pitch_a, roll_b, pitch_b, los_a=None, los_b=None) -> np.ndarray:
    """Vectorised :func:`slew_time` over arrays of transitions (s, settle included).

    ``los_a``/``los_b``: (n, 3) arrays of unit lines of sight, rows of NaN where unknown; the
    eigen-axis model uses a row's lines of sight only when both are known.
    """
    ra = np.asarray(roll_a, dtype=np.float64)
    pa = np.asarray(pitch_a, dtype=np.float64)
    rb = np.asarray(roll_b, dtype=np.float64)
    pb = np.asarray(pitch_b, dtype=np.float64)
    if ag.eigen_axis:
        ua = _frame_directions(np.atleast_1d(ra), np.atleast_1d(pa))
        ub = _frame_directions(np.atleast_1d(rb), np.atleast_1d(pb))
        if los_a is not None and los_b is not None:
            la = np.atleast_2d(np.asarray(los_a, dtype=np.float64))
            lb = np.atleast_2d(np.asarray(los_b, dtype=np.float64))
            both = ~(np.isnan(la).any(axis=1) | np.isnan(lb).any(axis=1))
            if both.any():
                ua = ua.copy()
                ub = ub.copy()
                ua[both] = _units(la[both])
                ub[both] = _units(lb[both])
        angle = _angles_deg(ua, ub).reshape(np.shape(ra))
        man = axis_times(angle, ag.roll_rate_dps, ag.roll_accel_dps2)
    else:
        tr = axis_times(rb - ra, ag.roll_rate_dps, ag.roll_accel_dps2)
        tp = axis_times(pb - pa, ag.pitch_rate_dps, ag.pitch_accel_dps2)
        man = tr + tp if ag.sequential else np.maximum(tr, tp)
    return man + ag.settle_time_s


def max_slew_time(ag: Agility, roll_span_deg: float, pitch_span_deg: float, angle_span_deg: float) -> float:
    """Upper bound (s) of any slew whose roll and pitch changes are at most the given spans and
    whose eigen-axis angle is at most ``angle_span_deg``; used to bound the pairwise sweeps."""
    if ag.eigen_axis:
        return axis_time(angle_span_deg, ag.roll_rate_dps, ag.roll_accel_dps2) + ag.settle_time_s
    tr = axis_time(roll_span_deg, ag.roll_rate_dps, ag.roll_accel_dps2)
    tp = axis_time(pitch_span_deg, ag.pitch_rate_dps, ag.pitch_accel_dps2)
    return (tr + tp if ag.sequential else max(tr, tp)) + ag.settle_time_s


def tracking_is_subadditive(ag: Agility, roll_start: float, pitch_start: float, roll_end: float,
                            pitch_end: float, duration_s: float, los_start=None, los_end=None) -> bool:
    """True when the item's own start→end attitude change fits in its duration plus the settle
    time, the condition under which pairwise feasibility implies sequence feasibility."""
    m = manoeuvre_time(ag, roll_start, pitch_start, roll_end, pitch_end, los_start, los_end)
    return m <= duration_s + ag.settle_time_s + FEASIBILITY_EPS_S
