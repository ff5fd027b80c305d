"""Random workspace-planning scenarios: satellites, orders, opportunities with pass variants, and
an existing schedule (built by planning, so it is feasible) with random states and locks. Property
tests draw them with :func:`scenarios` (every choice drawn by hypothesis); a seed integer gives one
fixed scenario for the tests that need one."""
from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import strategies as st

from app.domain import Acquisition, LockLevel, PowerModel
from app.domain.enums import AcquisitionState
from app.scheduling.planner import PlanningRequest, plan

from .drawn_rng import DrawnRng, drawn, each
from .factories import T0, at, opportunity, order, satellite, target


@st.composite
def scenarios(draw, fraction: float = 0.7, **params):
    """``(satellites, orders, targets, opportunities, existing)``: a :func:`scenario` and its
    :func:`existing_schedule`, every choice drawn by hypothesis so a failure shrinks to fewer orders,
    satellites and passes. ``params`` are :func:`scenario`'s, each a value or a strategy."""
    rng = DrawnRng(draw)
    sats, orders, targets, opps = scenario(rng, **{k: drawn(draw, v) for k, v in params.items()})
    return sats, orders, targets, opps, existing_schedule(rng, sats, orders, targets, opps, fraction)


def scenario(rng: int | np.random.Generator | DrawnRng, n_orders: int = 10, n_sats: int = 2,
             passes_per_order: int = 2, hours: float = 6.0, power: bool = False):
    """``rng``: a :class:`DrawnRng` (through :func:`scenarios`) or a seed integer for one fixed scenario."""
    if isinstance(rng, int):
        rng = np.random.default_rng(rng)
    span = hours * 3600.0

    def one_satellite(rng, k: int):
        kw = {}
        if power:
            kw["power"] = PowerModel(battery_capacity_wh=40.0, initial_battery_wh=30.0, idle_power_w=10.0,
                                     imaging_power_w=400.0, slew_power_w=200.0, sunlit_charge_power_w=100.0,
                                     reserve_wh=5.0)
        return satellite(f"SAT-{k}", slew_model="eigen_axis" if rng.integers(3) == 0 else "per_axis",
                         roll_rate_dps=float(rng.choice([0.5, 1.0, 2.0])), settle_time_s=float(rng.choice([2, 5])), **kw)

    def one_order(rng, k: int):
        """An order and its opportunities."""
        oid = f"ord_{k:03d}"
        ws = float(rng.uniform(0, span * 0.5))
        the_order = order(oid, target=f"T{k}", priority=int(rng.integers(1, 6)),
                          requested_window_start=at(ws), requested_window_end=at(ws + span * 0.6))
        opps = []
        for p in range(passes_per_order):
            sid = f"SAT-{int(rng.integers(n_sats))}"
            tca = ws + float(rng.uniform(0, span * 0.55))
            roll = float(rng.uniform(-40, 40))
            inc = abs(roll) * 1.1
            for off in (-60, -30, 0, 30, 60):
                variant = "max" if off == 0 else (f"early_{-off}" if off < 0 else f"late_{off}")
                pitch = -off / 5.0
                start = round(tca + off)
                opps.append(opportunity(f"{sid}_T{k}_{p}_{variant}", sid, oid, start, 10.0, roll, pitch,
                                        target=f"T{k}", variant=variant, incidence=inc + abs(pitch) * 0.3,
                                        tca=round(tca)))
        return the_order, opps

    sats = each(rng, n_sats, one_satellite)
    drawn_orders = each(rng, n_orders, one_order)
    orders = [o for o, _ in drawn_orders]
    opps = [opp for _, order_opps in drawn_orders for opp in order_opps]
    targets = [target(f"T{k}") for k in range(n_orders)]
    return sats, orders, targets, opps


def request(sats, orders, targets, opps, *, mode="from_scratch", algorithm="roll_pitch_best_fit", existing=(),
            now=None, hours=8.0, **kw) -> PlanningRequest:
    return PlanningRequest(mode=mode, algorithm=algorithm, satellites=sats, orders=orders, targets=targets,
                           opportunities=opps, horizon_start=T0, horizon_end=T0 + timedelta(hours=hours),
                           now=now or T0, existing=list(existing), time_limit_s=5.0, **kw)


def existing_schedule(rng: int | np.random.Generator | DrawnRng, sats, orders, targets, opps,
                      fraction: float = 0.7) -> list[Acquisition]:
    """Plan a subset of the orders from scratch and turn the items into acquisitions with random
    states and lock levels (a feasible existing schedule). A seed integer gives a stream of its own
    (``seed + 1``), independent of the scenario's."""
    if isinstance(rng, int):
        rng = np.random.default_rng(rng + 1)
    chosen = [o for o in orders if rng.uniform() < fraction]
    ids = {o.id for o in chosen}
    out = plan(request(sats, chosen, targets, [o for o in opps if o.order_id in ids]))
    acqs = []
    states = [AcquisitionState.TENTATIVE, AcquisitionState.COMMITTED, AcquisitionState.LOCKED,
              AcquisitionState.EXECUTING, AcquisitionState.COMPLETED]
    for k, it in enumerate(out.items):
        o = it.opportunity
        state = states[int(rng.integers(len(states)))]
        lock = [LockLevel.NONE, LockLevel.SOFT, LockLevel.HARD][int(rng.integers(3))]
        if state == AcquisitionState.TENTATIVE:
            lock = LockLevel.NONE
        acqs.append(Acquisition(id=f"acq_{k:04d}", workspace_id="ws_test", satellite_id=o.satellite_id,
                                target_id=o.target_id, start=o.start, end=o.end, roll_deg=o.roll_deg,
                                pitch_deg=o.pitch_deg, roll_end_deg=o.roll_end_deg, pitch_end_deg=o.pitch_end_deg,
                                incidence_deg=o.incidence_deg, state=state, lock_level=lock, order_id=o.order_id,
                                opportunity_id=o.id))
    return acqs
