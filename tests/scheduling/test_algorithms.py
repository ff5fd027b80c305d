"""The five algorithms: feasibility (by the conflict detector and an independent check),
optimal ≥ greedy, optimal == brute force on tiny instances, determinism, variants, fixed items."""
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from app.domain import Severity
from app.scheduling.problem import Candidate, FixedItem, InitialAttitude, Problem, SatelliteSpec
from app.scheduling.slew import Agility
from app.scheduling.solver import solve, solve_indices

from .drawn_rng import up_to
from .factories import problem_conflicts
from .instances import T0, TINY, brute_force_best, problems, random_problem, sequence_feasible

GREEDY = ("first_fit", "best_fit", "roll_pitch_first_fit", "roll_pitch_best_fit")
ALL = GREEDY + ("optimal",)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(problems(n_sats=up_to(3), n_passes=up_to(14, 0), n_orders=up_to(9), fixed=up_to(3, 0), power=st.booleans(),
                eigen=st.booleans()))
def test_no_algorithm_outputs_an_error_conflict(problem):
    values = {}
    for alg in ALL:
        selected, status, bound, gap = solve_indices(problem, alg, time_limit_s=5)
        assert sequence_feasible(problem, selected), alg
        errors = [c for c in problem_conflicts(problem, selected) if c.severity == Severity.ERROR]
        assert errors == [], (alg, errors)
        # Each order at most once; fixed items untouched (they are not candidates).
        orders = [problem.L_order[i] for i in selected]
        assert len(orders) == len(set(orders))
        values[alg] = sum(problem.L_value[i] for i in selected)
    for alg in GREEDY:
        assert values["optimal"] >= values[alg] - 1e-9, (alg, values)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(**TINY))
def test_optimal_equals_brute_force_on_tiny_instances(problem):
    power = any(s.power is not None for s in problem.satellites)
    selected, status, bound, gap = solve_indices(problem, "optimal", time_limit_s=5)
    value = sum(problem.L_value[i] for i in selected)
    best = brute_force_best(problem)
    assert value <= best + 1e-9
    if status == "OPTIMAL":
        assert value == pytest.approx(best, abs=1e-6)
        assert gap == 0.0
    else:
        # Not proven only with a battery model or when an item's own tracking breaks subadditivity.
        assert power or problem.non_subadditive_items()
    # Roll-only greedy never beats the optimum over max variants either.
    assert brute_force_best(problem, pitch_variants=False) <= best + 1e-9


def test_determinism_and_tie_break_by_id():
    # One fixed, fairly large instance (seed 7): the property is that two runs on it agree.
    problem = random_problem(7, n_sats=3, n_passes=30, n_orders=12, fixed=2)
    for alg in ALL:
        runs = {tuple(solve(problem, alg, time_limit_s=5).selected) for _ in range(2)}
        assert len(runs) == 1, alg
    sats = [SatelliteSpec("S", Agility())]
    # Two equal-value, mutually exclusive candidates: the smaller id wins.
    cands = [Candidate("b", "S", "o1", T0, T0 + 10, 0.0, 0.0, 1.0, "max"),
             Candidate("a", "S", "o2", T0 + 5, T0 + 15, 0.0, 0.0, 1.0, "max")]
    assert solve(Problem.build(sats, cands), "best_fit").selected == ["a"]


def test_best_fit_checks_both_neighbours_and_fixed_items():
    sats = [SatelliteSpec("S", Agility(1.0, 0.5, 1.0, 0.5, 5.0))]
    # A fixed item at 100 s with roll −20; a candidate at 80 s with roll +20 ending at 90 s would need
    # 40 + 2 + 5 = 47 s to reach it: infeasible although nothing precedes it.
    fixed = [FixedItem("f", "S", T0 + 100, T0 + 110, -20.0)]
    cands = [Candidate("c1", "S", "o1", T0 + 80, T0 + 90, 20.0, 0.0, 1.0, "max"),
             Candidate("c2", "S", "o2", T0 + 200, T0 + 210, 20.0, 0.0, 0.5, "max")]
    for alg in ALL:
        res = solve(Problem.build(sats, cands, fixed), alg)
        assert res.selected == ["c2"], alg


def test_initial_attitude_must_reach_the_first_item():
    sats = [SatelliteSpec("S", Agility(1.0, 0.5, 1.0, 0.5, 5.0))]
    cands = [Candidate("c1", "S", "o1", T0 + 10, T0 + 20, 30.0, 0.0, 1.0, "max"),
             Candidate("c2", "S", "o2", T0 + 60, T0 + 70, 30.0, 0.0, 0.5, "max")]
    p = Problem.build(sats, cands, initial={"S": InitialAttitude(T0, 0.0, 0.0)})
    for alg in ALL:
        assert solve(p, alg).selected == ["c2"], alg   # c1 needs 30 + 2 + 5 = 37 s, has 10 s


def test_roll_only_algorithms_use_only_max_variants():
    sats = [SatelliteSpec("S", Agility())]
    cands = [Candidate("e", "S", "o1", T0, T0 + 10, 0.0, 10.0, 1.0, "early_30"),
             Candidate("m", "S", "o1", T0 + 30, T0 + 40, 0.0, 0.0, 0.5, "max"),
             Candidate("n", "S", "o2", T0 + 500, T0 + 510, 0.0, 5.0, 0.9)]  # no variant: pitched → not max
    p = Problem.build(sats, cands)
    assert solve(p, "best_fit").selected == ["m"]
    assert solve(p, "first_fit").selected == ["m"]
    assert solve(p, "roll_pitch_best_fit").selected == ["e", "n"]
    assert solve(p, "optimal").selected == ["e", "n"]


def test_roll_pitch_best_fit_prefers_smaller_pitch_on_equal_value():
    sats = [SatelliteSpec("S", Agility())]
    cands = [Candidate("a_early", "S", "o1", T0, T0 + 10, 0.0, 12.0, 1.0, "early_30"),
             Candidate("b_late", "S", "o1", T0 + 60, T0 + 70, 0.0, -3.0, 1.0, "late_30")]
    assert solve(Problem.build(sats, cands), "roll_pitch_best_fit").selected == ["b_late"]


def test_optimal_reports_value_bound_and_gap():
    # One fixed instance (seed 3) that CP-SAT proves optimal within the limit.
    problem = random_problem(3, n_sats=2, n_passes=20, n_orders=10, fixed=2)
    res = solve(problem, "optimal", time_limit_s=10)
    assert res.status == "OPTIMAL" and res.gap == 0.0
    assert res.best_bound == pytest.approx(res.total_value)
    assert res.total_value == pytest.approx(sum(problem.L_value[problem.index[i]] for i in res.selected))
    assert res.runtime_ms > 0


def test_cancel_and_progress():
    from app.scheduling.progress import Cancelled

    problem = random_problem(5, n_sats=2, n_passes=20, n_orders=10)  # any instance: a fixed one (seed 5)
    calls = []
    solve(problem, "best_fit", progress=lambda d, t, s: calls.append((d, t)))
    assert calls and calls[-1][0] == calls[-1][1]
    with pytest.raises(Cancelled):
        solve(problem, "best_fit", cancel=lambda: True)
    with pytest.raises(Cancelled):
        solve(problem, "optimal", cancel=lambda: True)
