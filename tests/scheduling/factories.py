"""Builders of small scheduling instances for the tests (domain objects and Problems)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from app.domain import Acquisition, Opportunity, Order, Satellite, Target
from app.domain.enums import AcquisitionState, LockLevel
from app.domain.times import from_epoch
from app.scheduling.conflicts import DetectionInput, detect_conflicts
from app.scheduling.problem import Problem

UTC = timezone.utc
T0 = datetime(2026, 8, 7, 0, 0, 0, tzinfo=UTC)
TLE1 = "1 43800U 18099AM  26219.50000000  .00000000  00000-0  00000-0 0  9990"
TLE2 = "2 43800  97.7000 100.0000 0010000  90.0000 270.0000 15.00000000    09"


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def satellite(sid: str = "SAT-1", **kw) -> Satellite:
    base = dict(tle_line1=TLE1, tle_line2=TLE2, max_roll_deg=45.0, max_pitch_deg=30.0, max_off_nadir_deg=45.0,
                roll_rate_dps=1.0, roll_accel_dps2=0.5, pitch_rate_dps=1.0, pitch_accel_dps2=0.5,
                settle_time_s=5.0, imaging_time_s=10.0)
    base.update(kw)
    return Satellite(id=sid, **base)


def order(oid: str, target: str = "T1", priority: int = 3, **kw) -> Order:
    return Order(id=oid, workspace_id="ws_test", target_id=target, priority=priority, **kw)


def target(tid: str = "T1", priority: int = 3) -> Target:
    return Target(id=tid, lat=10.0, lon=20.0, priority=priority)


def opportunity(oid: str, sat: str, order_id: str, start: float, dur: float = 10.0, roll: float = 0.0,
                pitch: float = 0.0, target: str = "T1", variant: str = "max", incidence: float = 20.0,
                tca: float | None = None, **kw) -> Opportunity:
    return Opportunity(id=oid, satellite_id=sat, target_id=target, start=at(start), end=at(start + dur),
                       roll_deg=roll, pitch_deg=pitch, variant=variant, order_id=order_id,
                       incidence_deg=incidence, tca=at(tca) if tca is not None else None, **kw)


def acquisition(aid: str, sat: str, start: float, dur: float = 10.0, roll: float = 0.0, pitch: float = 0.0,
                order_id: str | None = None, target: str = "T1", state=AcquisitionState.COMMITTED,
                lock=LockLevel.NONE, opportunity_id: str | None = None, **kw) -> Acquisition:
    return Acquisition(id=aid, workspace_id="ws_test", satellite_id=sat, target_id=target, start=at(start),
                       end=at(start + dur), roll_deg=roll, pitch_deg=pitch, order_id=order_id,
                       state=state, lock_level=lock, opportunity_id=opportunity_id, **kw)


def problem_acquisitions(problem: Problem, selected) -> list[Acquisition]:
    """The selection plus the fixed items as acquisitions (for the conflict detector)."""
    out = []
    for i in list(selected) + list(range(problem.n_candidates, problem.n_items)):
        sat = problem.satellites[problem.L_sat[i]].id
        o = problem.L_order[i]
        out.append(Acquisition(
            id=problem.ids[i], workspace_id="ws", satellite_id=sat, target_id="T",
            start=from_epoch(problem.L_start[i]), end=from_epoch(problem.L_end[i]),
            roll_deg=problem.L_r0[i], pitch_deg=problem.L_p0[i], roll_end_deg=problem.L_r1[i],
            pitch_end_deg=problem.L_p1[i], order_id=problem.order_ids[o] if o >= 0 and i < problem.n_candidates else None))
    return out


def problem_conflicts(problem: Problem, selected, **kw):
    specs = {s.id: s for s in problem.satellites}
    initial = {problem.satellites[s].id: att for s, att in problem.initial.items()}
    return detect_conflicts(problem_acquisitions(problem, selected),
                            DetectionInput(satellites=specs, initial=initial, with_resolutions=False,
                                           horizon_start=from_epoch(problem.horizon_start),
                                           sunlit={problem.satellites[problem.sat_index[k]].id: v for k, v in problem.sunlit.items()},
                                           **kw))
