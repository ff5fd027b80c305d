"""Random scheduling instances (a hypothesis strategy, or one fixed instance from a seed), and an
independent brute-force reference."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import strategies as st

from app.domain import PowerModel
from app.scheduling.power import PowerTrack
from app.scheduling.problem import Candidate, FixedItem, InitialAttitude, Problem, SatelliteSpec
from app.scheduling.slew import Agility, feasible, slew_time

from .drawn_rng import DrawnRng, built, drawn, each, up_to

T0 = 1_786_060_800.0  # 2026-08-07T00:00:00Z


#: :func:`problems` parameters for tiny instances (at most 4 passes × 3 pitch variants, 12 candidates)
#: that :func:`brute_force_best` enumerates quickly.
TINY = dict(n_sats=up_to(2), n_passes=up_to(4), n_orders=up_to(3), fixed=up_to(1, 0), power=st.booleans(), variants=3,
            span_s=600.0)


@st.composite
def problems(draw, **params) -> Problem:
    """Random instances for property tests: every choice is drawn by hypothesis, so a failure shrinks
    to fewer satellites, passes, orders and fixed items and to simpler values. ``params`` are those of
    :func:`random_problem`, each a value or a strategy to draw it from (e.g. ``n_passes=up_to(24)``)."""
    return random_problem(DrawnRng(draw), **{k: drawn(draw, v) for k, v in params.items()})


def random_problem(rng: int | np.random.Generator | DrawnRng, n_sats: int = 2, n_passes: int = 6, n_orders: int = 5,
                   span_s: float = 1500.0, fixed: int = 2, power: bool = False, eigen: bool | None = None,
                   variants: int = 3, initial: bool = True) -> Problem:
    """``n_passes`` passes of ``variants`` pitch variants each over ``span_s`` seconds on ``n_sats``
    satellites for ``n_orders`` orders, plus ``fixed`` spaced-out fixed items. ``rng``: a
    :class:`DrawnRng` (property tests, through :func:`problems`), or a seed integer for the tests that
    need one fixed instance (determinism, cancellation, worked figures)."""
    if isinstance(rng, int):
        rng = np.random.default_rng(rng)

    def one_satellite(rng, k: int) -> SatelliteSpec:
        eig = bool(rng.integers(2)) if eigen is None else eigen
        ag = Agility(float(rng.choice([0.5, 1.0, 2.0])), float(rng.choice([0.25, 0.5, 1.0])),
                     float(rng.choice([0.5, 1.0, 2.0])), float(rng.choice([0.25, 0.5, 1.0])),
                     float(rng.choice([0.0, 3.0, 5.0])), eig, bool(rng.integers(2)) and not eig)
        pm = None
        if power:
            pm = PowerModel(battery_capacity_wh=30.0, initial_battery_wh=float(rng.uniform(8, 30)), idle_power_w=20.0,
                            imaging_power_w=400.0, slew_power_w=300.0, sunlit_charge_power_w=150.0,
                            reserve_wh=5.0)
        return SatelliteSpec(f"S{k}", ag, 50.0, 40.0, pm)

    def one_fixed_item(rng, k: int) -> FixedItem:  # spaced out so they are feasible together
        s = int(rng.integers(n_sats))
        t = T0 + 200.0 + k * span_s / max(fixed, 1) + float(rng.uniform(0, 50))
        return FixedItem(f"fix{k}", f"S{s}", t, t + 8.0, float(rng.uniform(-30, 30)), 0.0)

    def one_pass(rng, p: int) -> list[Candidate]:
        s = int(rng.integers(n_sats))
        tca = T0 + float(rng.uniform(60, span_s))
        roll = float(rng.uniform(-40, 40))
        o = int(rng.integers(n_orders))
        dur = float(rng.choice([5.0, 10.0]))
        out = []
        for v in range(variants):
            off = (v - variants // 2) * 30.0
            pitch = float(np.clip(-off / 10.0, -35, 35))
            variant = "max" if off == 0 else (f"early_{int(-off)}" if off < 0 else f"late_{int(off)}")
            out.append(Candidate(f"p{p}_{variant}", f"S{s}", f"o{o}", tca + off, tca + off + dur, roll, pitch,
                                 round(float(rng.uniform(0.1, 1.0)), 3), variant,
                                 roll + float(rng.uniform(-1, 1)), pitch - 0.5 if pitch else 0.0))
        return out

    sats = each(rng, n_sats, one_satellite)
    fixed_items = each(rng, fixed, one_fixed_item)
    cands = [c for pass_cands in each(rng, n_passes, one_pass) for c in pass_cands]
    init = {f"S{k}": InitialAttitude(T0, 0.0, 0.0) for k in range(n_sats)} if initial else None
    sunlit = None
    if power:
        sunlit = {f"S{k}": [(T0 + float(a), T0 + float(a) + 300.0) for a in np.arange(0, span_s + 400, 600.0)]
                  for k in range(n_sats)}
    return built(rng, Problem.build, sats, cands, fixed_items, initial=init, horizon_start=T0, sunlit=sunlit)


def sequence_feasible(problem: Problem, selected) -> bool:
    """Independent check: per satellite, sort by start; every consecutive transition (from the initial
    attitude too) feasible; battery never below reserve (stepping PowerTrack over the sequence)."""
    chosen = list(selected) + list(range(problem.n_candidates, problem.n_items))
    orders = [problem.L_order[i] for i in selected]
    if len(orders) != len(set(orders)) or set(orders) & problem.served_by_fixed():
        return False
    for s, spec in enumerate(problem.satellites):
        items = sorted((i for i in chosen if problem.L_sat[i] == s), key=lambda i: problem.L_start[i])
        ag = spec.agility
        init = problem.initial.get(s)
        prev_t, prev_att = (init.time, (init.roll_deg, init.pitch_deg)) if init else (None, (0.0, 0.0))
        soc = spec.power.initial_battery_wh if spec.power else 0.0
        track = PowerTrack(spec.power, problem.sunlit.get(spec.id)) if spec.power else None
        t_sim = problem.horizon_start
        for i in items:
            slew = slew_time(ag, prev_att[0], prev_att[1], problem.L_r0[i], problem.L_p0[i])
            if prev_t is not None and not feasible(prev_t, slew, problem.L_start[i]):
                return False
            if track is not None:
                soc, low = track.step(soc, t_sim, slew, problem.L_start[i], problem.L_end[i])
                if not track.ok(low):
                    return False
                t_sim = problem.L_end[i]
            prev_t, prev_att = problem.L_end[i], (problem.L_r1[i], problem.L_p1[i])
    return True


def brute_force_best(problem: Problem, pitch_variants: bool = True) -> float:
    """Maximum total value over every subset (tiny instances only)."""
    usable = [i for i in range(problem.n_candidates) if pitch_variants or problem.is_max[i]]
    best = 0.0
    for r in range(1, len(usable) + 1):
        for combo in itertools.combinations(usable, r):
            if sequence_feasible(problem, combo):
                best = max(best, sum(problem.L_value[i] for i in combo))
    return best
