"""Battery and memory: the simulation's numbers, and schedulers refusing insertions that break them."""
import numpy as np
import pytest

from app.domain import PowerModel
from app.scheduling.exclusions import _pairs_in_sweep, build_exclusions
from app.scheduling.memory import MemoryTrack
from app.scheduling.power import PowerTrack
from app.scheduling.problem import Candidate, Problem, SatelliteSpec
from app.scheduling.slew import Agility
from app.scheduling.solver import solve

from .instances import T0, sequence_feasible

PM = PowerModel(battery_capacity_wh=10.0, initial_battery_wh=6.0, idle_power_w=36.0, imaging_power_w=360.0,
                slew_power_w=180.0, sunlit_charge_power_w=72.0, reserve_wh=1.0)


def test_power_step_numbers():
    track = PowerTrack(PM, [(0.0, 100.0)])
    # 0–100 s sunlit: +36 W net → +1 Wh; slew 100–120 s in eclipse: −216 W → −1.2 Wh;
    # imaging 120–130 s: −396 W → −1.1 Wh.
    soc, low = track.step(6.0, 0.0, 20.0, 120.0, 130.0)
    assert soc == pytest.approx(6.0 + 1.0 - 1.2 - 1.1)
    assert low == pytest.approx(soc)
    # Charge is capped at the capacity.
    soc, _ = PowerTrack(PM, [(0.0, 10000.0)]).step(9.9, 0.0, 0.0, 5000.0, 5001.0)
    assert soc == pytest.approx(10.0 - 324.0 / 3600.0)


def test_memory_step_numbers():
    mem = MemoryTrack(10.0, 4.0, 500.0, [(100.0, 104.0)])
    level = mem.step(0.0, 0.0, 50.0)         # 4 Gbit
    level = mem.step(level, 50.0, 200.0)     # 4 − 0.5·4 = 2, + 4 = 6
    assert level == pytest.approx(6.0)
    assert mem.ok(10.0) and not mem.ok(10.1)


def test_greedy_and_optimal_respect_the_battery():
    sats = [SatelliteSpec("S", Agility(settle_time_s=0.0), power=PM)]
    # Each 10 s image at roll 0 costs (36 + 360)·10/3600 = 1.1 Wh plus idle between; from 6 Wh with
    # a 1 Wh reserve and no sun: 4.9, 3.7, 2.5, 1.3 Wh after each; a fifth would end at 0.1 Wh.
    cands = [Candidate(f"c{k}", "S", f"o{k}", T0 + 20 * k, T0 + 20 * k + 10, 0.0, 0.0, 1.0, "max") for k in range(6)]
    p = Problem.build(sats, cands, horizon_start=T0)
    for alg in ("first_fit", "best_fit", "optimal"):
        res = solve(p, alg, time_limit_s=5)
        assert res.selected == ["c0", "c1", "c2", "c3"], (alg, res.selected)
        assert sequence_feasible(p, [p.index[i] for i in res.selected])
    # In sunlight they all fit.
    p = Problem.build(sats, cands, horizon_start=T0, sunlit={"S": [(T0 - 10, T0 + 1000)]})
    assert len(solve(p, "best_fit").selected) == 6


def test_memory_limits_insertions():
    sats = [SatelliteSpec("S", Agility(settle_time_s=0.0), memory_gbit=10.0, data_per_acquisition_gbit=4.0,
                          downlink_rate_mbps=1000.0)]
    cands = [Candidate(f"c{k}", "S", f"o{k}", T0 + 100 * k, T0 + 100 * k + 10, 0.0, 0.0, 1.0, "max") for k in range(4)]
    assert len(solve(Problem.build(sats, cands, horizon_start=T0), "best_fit").selected) == 2
    p = Problem.build(sats, cands, horizon_start=T0, contacts={"S": [(T0 + 150, T0 + 160)]})
    assert len(solve(p, "best_fit").selected) == 4


def test_sweep_does_not_enumerate_all_pairs():
    s = np.arange(0.0, 1000.0, 10.0)
    I, J = _pairs_in_sweep(s, s + 5.0, 20.0)
    # Each start sees only the next two (s_j < e_i + 20 = s_i + 25).
    assert len(I) == 2 * len(s) - 3
    assert np.all(J > I) and np.all(s[J] < s[I] + 25.0)
    # Cliques cover overlapping items; infeasible non-overlapping pairs come as pairs.
    sats = [SatelliteSpec("S", Agility(1.0, 0.5, 1.0, 0.5, 2.0))]
    cands = [Candidate("a", "S", "o1", T0, T0 + 10, 0.0, 0.0, 1.0, "max"),
             Candidate("b", "S", "o2", T0 + 5, T0 + 15, 0.0, 0.0, 1.0, "max"),
             Candidate("c", "S", "o3", T0 + 20, T0 + 30, 30.0, 0.0, 1.0, "max")]
    ex = build_exclusions(Problem.build(sats, cands), np.arange(3))
    assert ex.cliques == [[0, 1]]
    assert sorted(map(tuple, ex.pairs.tolist())) == [(0, 2), (1, 2)]
