"""A synthetic, deterministic schedule built from domain objects, for the widget tests,
the GUI tests and the GUI benchmark (no database, no orbit computation).

The figures look like a constellation's week: acquisitions of 8–40 s spread over the horizon,
mostly committed in the planning zone, tentative in the forecast zone, some locked, a few
overlapping pairs reported as conflicts, and a candidate plan of ghost items.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain import (Acquisition, Conflict, Order, OrderConstraints, PlanItem, ResolutionOption,
                        Target)
from app.domain.enums import (AcquisitionSource, AcquisitionState, ConflictType, LockLevel,
                              LookSide, OrderStatus, PassDirection, ResolutionAction, Severity)
from app.domain.times import UTC

CITIES = ("Athens", "Berlin", "Paris", "Rome", "Madrid", "Lisbon", "Vienna", "Prague", "Warsaw",
          "Oslo", "Helsinki", "Dublin", "Cairo", "Nairobi", "Lagos", "Dakar", "Tunis", "Doha",
          "Mumbai", "Delhi", "Dhaka", "Bangkok", "Hanoi", "Manila", "Jakarta", "Perth", "Sydney",
          "Auckland", "Tokyo", "Seoul", "Beijing", "Lima", "Quito", "Bogota", "Santiago", "Denver",
          "Toronto", "Havana", "Mexico", "Anchorage")

WS = "ws_000000000demo"


@dataclass
class SampleSchedule:
    satellite_ids: list[str]
    targets: list[Target]
    orders: list[Order]
    acquisitions: list[Acquisition]
    conflicts: list[Conflict]
    plan_items: list[PlanItem]
    now: datetime
    horizon_start: datetime
    horizon_end: datetime
    freeze_cutoff: datetime
    planning_end: datetime
    by_id: dict[str, Acquisition] = field(default_factory=dict)

    @property
    def conflict_acquisition_ids(self) -> frozenset[str]:
        return frozenset(a for c in self.conflicts for a in c.acquisition_ids)


def sample_schedule(n_satellites: int = 8, n_acquisitions: int = 300, seed: int = 7,
                    now: datetime | None = None, days: float = 7.0, n_orders_new: int = 25,
                    n_conflicts: int = 4, n_ghosts: int = 40) -> SampleSchedule:
    """Build a synthetic schedule; same arguments → same objects (ids included)."""
    rnd = random.Random(seed)
    now = now or datetime(2026, 8, 7, 6, 0, tzinfo=UTC)
    h0 = now - timedelta(hours=6)
    h1 = now + timedelta(days=days)
    freeze = now + timedelta(hours=2)
    planning_end = now + timedelta(hours=48)
    sats = [f"{'ICEYE' if i % 2 else 'SENT'}-{i + 1:02d}" for i in range(n_satellites)]
    targets = [Target(id=c, lat=rnd.uniform(-55, 65), lon=rnd.uniform(-170, 170),
                      priority=rnd.randint(1, 5)) for c in CITIES]
    span = (h1 - h0).total_seconds()
    acqs: list[Acquisition] = []
    orders: list[Order] = []
    for k in range(n_acquisitions):
        sat = sats[k % n_satellites]
        target = targets[rnd.randrange(len(targets))]
        start = h0 + timedelta(seconds=round(rnd.uniform(0, span - 60)))
        dur = rnd.choice((8, 10, 10, 12, 15, 20, 30, 40))
        roll = round(rnd.uniform(-30, 30), 2)
        pitch = round(rnd.choice((0.0, 0.0, rnd.uniform(-15, 15))), 2)
        if start < freeze:
            state, lock = AcquisitionState.COMMITTED, LockLevel.HARD
        elif start < planning_end:
            state = AcquisitionState.COMMITTED
            lock = rnd.choices((LockLevel.NONE, LockLevel.SOFT, LockLevel.HARD), (70, 20, 10))[0]
        else:
            state, lock = AcquisitionState.TENTATIVE, LockLevel.NONE
        if start + timedelta(seconds=dur) < now:
            state = AcquisitionState.COMPLETED
        order_id = f"ord_{k:012x}"
        orders.append(Order(id=order_id, workspace_id=WS, target_id=target.id,
                            priority=target.priority, status=OrderStatus.COMMITTED,
                            requested_window_start=start - timedelta(hours=rnd.randint(2, 24)),
                            requested_window_end=start + timedelta(hours=rnd.randint(2, 48))))
        acqs.append(Acquisition(
            id=f"acq_{k:012x}", workspace_id=WS, satellite_id=sat, target_id=target.id,
            start=start, end=start + timedelta(seconds=dur), roll_deg=roll,
            pitch_deg=pitch, incidence_deg=round(abs(roll) * 1.12 + rnd.uniform(0, 3), 2),
            look_side="RIGHT" if roll > 0 else "LEFT",
            pass_direction=rnd.choice(("ASCENDING", "DESCENDING")), state=state, lock_level=lock,
            source=AcquisitionSource.AUTO, order_id=order_id, plan_id="plan_00000000demo",
            opportunity_id=f"{sat}_{target.id}_{start:%Y%m%dT%H%M%S}_max",
            quality_score=round(rnd.uniform(0.55, 0.98), 3), version=1))
    conflicts = _overlapping_pairs(acqs, rnd, n_conflicts, freeze)
    for i in range(n_orders_new):
        target = targets[rnd.randrange(len(targets))]
        ws = now + timedelta(hours=rnd.randint(0, 72))
        orders.append(Order(
            id=f"ord_new{i:09x}", workspace_id=WS, target_id=target.id, priority=rnd.randint(1, 5),
            status=OrderStatus.NEW,
            constraints=OrderConstraints(
                max_incidence_deg=rnd.choice((None, 30.0, 40.0, 45.0)),
                look_side=rnd.choice((LookSide.ANY, LookSide.ANY, LookSide.LEFT, LookSide.RIGHT)),
                pass_direction=rnd.choice((PassDirection.ANY, PassDirection.ASCENDING))),
            requested_window_start=rnd.choice((None, ws)),
            requested_window_end=rnd.choice((None, ws + timedelta(hours=rnd.randint(6, 96)))),
            external_ref=f"REQ-{1000 + i}"))
    ghosts = []
    for i in range(n_ghosts):
        sat = sats[rnd.randrange(n_satellites)]
        target = targets[rnd.randrange(len(targets))]
        start = freeze + timedelta(seconds=round(rnd.uniform(0, (h1 - freeze).total_seconds() - 60)))
        ghosts.append(PlanItem(
            id=f"planitem_{i:012x}", plan_id="plan_0000candidat", opportunity_id=f"opp{i}",
            satellite_id=sat, target_id=target.id, start=start,
            end=start + timedelta(seconds=15), roll_deg=round(rnd.uniform(-25, 25), 2),
            value=round(rnd.uniform(0.3, 1.0), 3), quality_score=round(rnd.uniform(0.5, 0.95), 3),
            order_id=f"ord_new{i % max(n_orders_new, 1):09x}"))
    schedule = SampleSchedule(sats, targets, orders, acqs, conflicts, ghosts, now, h0, h1, freeze,
                              planning_end)
    schedule.by_id = {a.id: a for a in acqs}
    return schedule


def _overlapping_pairs(acqs: list[Acquisition], rnd: random.Random, n: int,
                       freeze: datetime) -> list[Conflict]:
    """Report ``n`` synthetic conflicts between neighbours on one satellite (after the freeze)."""
    by_sat: dict[str, list[Acquisition]] = {}
    for a in acqs:
        if a.start >= freeze:
            by_sat.setdefault(a.satellite_id, []).append(a)
    pairs = []
    for items in by_sat.values():
        items.sort(key=lambda a: a.start)
        pairs.extend(zip(items, items[1:]))
    pairs.sort(key=lambda p: (p[1].start - p[0].end))
    out = []
    kinds = ((ConflictType.SLEW_INFEASIBLE, Severity.ERROR), (ConflictType.TEMPORAL_OVERLAP, Severity.ERROR),
             (ConflictType.SLEW_INFEASIBLE, Severity.WARNING), (ConflictType.DOWNLINK_WINDOW, Severity.WARNING),
             (ConflictType.SLEW_INFEASIBLE, Severity.INFO))
    for k, (a, b) in enumerate(pairs[:n]):
        ctype, sev = kinds[k % len(kinds)]
        gap = (b.start - a.end).total_seconds()
        need = gap + rnd.randint(6, 40)
        desc = (f"Insufficient slew time: need {need:.0f} s, have {gap:.0f} s"
                if ctype == ConflictType.SLEW_INFEASIBLE else
                f"{a.target_id} and {b.target_id} overlap on {a.satellite_id}"
                if ctype == ConflictType.TEMPORAL_OVERLAP else
                f"No contact window before the end of the horizon for {b.target_id}")
        options = (
            ResolutionOption(ResolutionAction.MOVE_LATER, b.id, f"Move {b.target_id} later by {need - gap + 5:.0f} s",
                             {"shift_seconds": need - gap + 5}),
            ResolutionOption(ResolutionAction.MOVE_EARLIER, a.id, f"Move {a.target_id} earlier by {need - gap + 5:.0f} s",
                             {"shift_seconds": -(need - gap + 5)}),
            ResolutionOption(ResolutionAction.DELETE, b.id, f"Delete {b.target_id} ({b.id})"),
        )
        out.append(Conflict(id=f"conflict_{k:012x}", type=ctype, severity=sev, description=desc,
                            acquisition_ids=(a.id, b.id), resolution_options=options,
                            workspace_id=WS, satellite_id=a.satellite_id))
    return out
