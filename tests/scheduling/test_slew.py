"""The slew model: worked numbers, scalar == vectorised, subadditivity, feasibility."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from app.scheduling.slew import (Agility, axis_time, axis_times, eigen_angle_deg, feasible, manoeuvre_time,
                                 slew_time, slew_times)

AG = Agility(roll_rate_dps=1.0, roll_accel_dps2=0.5, pitch_rate_dps=1.0, pitch_accel_dps2=0.5, settle_time_s=5.0)


def test_worked_trapezoid_and_triangle():
    # Δ=10°, ω=1°/s, α=0.5°/s²: ω²/α = 2° < 10°, so t = 10/1 + 1/0.5 = 12 s.
    assert axis_time(10.0, 1.0, 0.5) == pytest.approx(12.0)
    assert slew_time(AG, 0.0, 0.0, 10.0, 0.0) == pytest.approx(17.0)   # + 5 s settle
    # Δ=1° ≤ 2°: triangle, t = 2·sqrt(1/0.5) = 2.828 s.
    assert axis_time(1.0, 1.0, 0.5) == pytest.approx(2 * math.sqrt(2))
    # At the boundary both branches agree: 2·sqrt(2/0.5) = 4 = 2/1 + 1/0.5.
    assert axis_time(2.0, 1.0, 0.5) == pytest.approx(4.0)
    assert axis_time(-10.0, 2.0, 1.0) == pytest.approx(10 / 2 + 2 / 1)
    assert slew_time(AG, 3.0, 1.0, 3.0, 1.0) == pytest.approx(5.0)  # no motion: settle only


def test_parallel_sequential_and_eigen():
    par = slew_time(AG, 0.0, 0.0, 10.0, 10.0)
    seq = slew_time(Agility(1.0, 0.5, 1.0, 0.5, 5.0, sequential=True), 0.0, 0.0, 10.0, 10.0)
    assert par == pytest.approx(17.0)
    assert seq == pytest.approx(12.0 + 12.0 + 5.0)
    eig = Agility(1.0, 0.5, 1.0, 0.5, 5.0, eigen_axis=True)
    # Pure roll: the angle between the directions is the roll change.
    assert slew_time(eig, 0.0, 0.0, 10.0, 0.0) == pytest.approx(17.0)
    # Combined roll+pitch: one rotation about the eigen axis, shorter than sequential, longer than one axis.
    angle = eigen_angle_deg(0.0, 0.0, 10.0, 10.0)
    assert 10.0 < angle < 20.0
    assert slew_time(eig, 0.0, 0.0, 10.0, 10.0) == pytest.approx(axis_time(angle, 1.0, 0.5) + 5.0)
    # With lines of sight, the inertial angle is used.
    los_a, los_b = (0.0, 0.0, 1.0), (math.sin(math.radians(30)), 0.0, math.cos(math.radians(30)))
    assert slew_time(eig, 0.0, 0.0, 0.0, 0.0, los_a, los_b) == pytest.approx(axis_time(30.0, 1.0, 0.5) + 5.0)


def test_per_axis_limits_differ():
    ag = Agility(roll_rate_dps=2.0, roll_accel_dps2=1.0, pitch_rate_dps=0.5, pitch_accel_dps2=0.25, settle_time_s=0.0)
    assert slew_time(ag, 0, 0, 10, 0) == pytest.approx(10 / 2 + 2 / 1)
    assert slew_time(ag, 0, 0, 0, 10) == pytest.approx(10 / 0.5 + 0.5 / 0.25)


def test_feasibility_is_start_after_end_plus_slew():
    assert feasible(100.0, 17.0, 117.0)
    assert not feasible(100.0, 17.0, 116.99)


angles = st.floats(-60, 60, allow_nan=False)
agilities = st.builds(Agility, st.floats(0.2, 5), st.floats(0.05, 3), st.floats(0.2, 5), st.floats(0.05, 3),
                      st.floats(0, 10), st.booleans(), st.booleans())


@settings(max_examples=60, deadline=None)
@given(agilities, st.lists(st.tuples(angles, angles, angles, angles), min_size=1, max_size=20))
def test_scalar_and_vectorised_agree(ag, rows):
    """The numpy and the math paths agree to rounding: ``np.tan`` and ``math.tan`` may differ in the
    last bit (SIMD kernels), so the tolerance is relative 1e-12, far below any scheduling margin."""
    arr = np.array(rows)
    vec = slew_times(ag, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])
    for k, (ra, pa, rb, pb) in enumerate(rows):
        assert vec[k] == pytest.approx(slew_time(ag, ra, pa, rb, pb), rel=1e-12, abs=1e-12)
    d = arr[:, 0] - arr[:, 2]
    scalar = [axis_time(x, ag.roll_rate_dps, ag.roll_accel_dps2) for x in d]
    assert list(axis_times(d, ag.roll_rate_dps, ag.roll_accel_dps2)) == pytest.approx(
        scalar, rel=1e-12, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(agilities, angles, angles, angles, angles, angles, angles)
def test_manoeuvre_is_subadditive(ag, ra, pa, rb, pb, rc, pc):
    """M(A→C) ≤ M(A→B) + M(B→C): what makes pairwise exclusions exact."""
    ac = manoeuvre_time(ag, ra, pa, rc, pc)
    ab = manoeuvre_time(ag, ra, pa, rb, pb)
    bc = manoeuvre_time(ag, rb, pb, rc, pc)
    assert ac <= ab + bc + 1e-9
