"""The Lagrangian relaxation behind ``optimal``'s search (relaxation.py): its bound is never below the
best schedule (brute force on tiny instances, CP-SAT's proven optimum on larger ones), its warm start
is feasible, serves each order once and is never below the plain roll-pitch best fit; deterministic
and cancellable."""
import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from app.domain import Algorithm, Severity
from app.scheduling.greedy import greedy
from app.scheduling.optimal import solve_optimal
from app.scheduling.progress import Cancelled
from app.scheduling.relaxation import relax

from .drawn_rng import up_to
from .factories import problem_conflicts
from .instances import TINY, brute_force_best, problems, random_problem, sequence_feasible


def _value(P, sel):
    return sum(P.L_value[i] for i in sel)


def _alive(P):
    alive = np.ones(P.n_candidates, dtype=bool)
    served = P.served_by_fixed()
    if served:
        alive &= ~np.isin(P.order[: P.n_candidates], sorted(served))
    return alive


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(**TINY), st.integers(1, 30))
def test_bound_at_least_the_brute_force_best_and_start_feasible(P, steps):
    assume(sequence_feasible(P, []))  # random fixed items may drain a battery on their own
    rel = relax(P, _alive(P), iterations=steps)
    assert rel.bound >= brute_force_best(P) - 1e-9
    assert rel.value == pytest.approx(_value(P, rel.selected), abs=1e-9)
    assert rel.value >= _value(P, greedy(P, Algorithm.ROLL_PITCH_BEST_FIT, improve_phase=False)) - 1e-9
    assert sequence_feasible(P, rel.selected)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(n_sats=up_to(3), n_passes=up_to(30, 0), n_orders=up_to(12), fixed=up_to(2, 0), span_s=3000.0,
                eigen=st.booleans()))
def test_bound_at_least_the_proven_optimum(P):
    out = solve_optimal(P, time_limit_s=10.0, num_workers=1)
    assume(out.status == "OPTIMAL")
    rel = relax(P, _alive(P), iterations=40)
    optimum = _value(P, out.selected)
    assert rel.bound >= optimum - 1e-9
    assert rel.value <= optimum + 1e-9
    assert [c for c in problem_conflicts(P, rel.selected) if c.severity == Severity.ERROR] == []
    orders = [P.L_order[i] for i in rel.selected]
    assert len(orders) == len(set(orders))


def test_deterministic_and_cancellable():
    # One fixed instance (seed 5): the property is that two runs on it agree.
    P = random_problem(5, n_sats=3, n_passes=40, n_orders=20, span_s=4000.0)
    a = relax(P, _alive(P), iterations=30)
    b = relax(P, _alive(P), iterations=30)
    assert (a.selected, a.bound, a.iterations) == (b.selected, b.bound, b.iterations)
    seen = []
    relax(P, _alive(P), iterations=5, progress=lambda done, total, text: seen.append((done, total)))
    assert seen[0] == (0, 5) and all(total == 5 for _, total in seen)
    with pytest.raises(Cancelled):
        relax(P, _alive(P), iterations=5, cancel=lambda: True)


def test_too_many_pairs_skips_the_relaxation(monkeypatch):
    import app.scheduling.relaxation as relaxation

    P = random_problem(9, n_sats=3, n_passes=40, n_orders=20, span_s=4000.0)  # any instance: a fixed one
    monkeypatch.setattr(relaxation, "MAX_PAIRS", 0)
    rel = relax(P, _alive(P), iterations=10)
    assert rel.iterations == 0 and rel.bound == float("inf")
    assert rel.selected == greedy(P, Algorithm.ROLL_PITCH_BEST_FIT, improve_phase=False)
