"""Where an acquisition could go instead (Swap and Move in the Inspector): every other opportunity
of its order, checked as the planner checks an insertion into a satellite's schedule, with the
figures that placement would have.

Checks, in words a planner reads: the edit rules of spec section 10 (states, locks, the frozen
zone, a soft lock's order window: ``domain.edit_rules.check_move``, what the database
enforces), no overlap with the acquisitions before and after it on the target satellite, and the
planner's own insertion check (``scheduling.feasibility``: the slews from the one before and to the
one after, settle included, the battery reserve and the onboard memory where the satellite models
them). Figures: value and quality from the workspace's value model (``scheduling.value``), the
manoeuvre from the acquisition before it and the slack beyond that manoeuvre, all in seconds; and
the figures of the acquisitions that follow the old and the new place, whose predecessor changes.
"""
from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain import Acquisition, AcquisitionState, NotFoundError, Opportunity, RuleViolation, utc_now
from app.domain.enums import IMMUTABLE_STATES
from app.domain.times import to_epoch
from app.persistence import ScheduleDB
from app.domain.edit_rules import EditContext, check_add, check_move
from app.scheduling import ValueModel
from app.scheduling.feasibility import BATTERY, MEMORY, REASONS, insertion_refusals, needs_resources
from app.scheduling.problem import SatelliteSpec
from app.scheduling.slew import feasible, slew_time

from . import access_service, edits
from .planning import PlanOptions, _value_config
from .workspaces import resolve_workspace

_GONE = (AcquisitionState.FAILED,)


@dataclass(frozen=True)
class PlacementChoice:
    """One other opportunity for an acquisition. ``refusal`` is empty when it is a valid choice,
    else the reason in words. ``maneuver_time_s``: slew from the acquisition before it on that
    satellite (s); ``slack_time_s``: spare time before it beyond that slew (s; inf when nothing
    comes before it)."""

    opportunity: Opportunity
    value: float
    quality: float
    maneuver_time_s: float
    slack_time_s: float
    refusal: str = ""
    #: The acquisitions whose predecessor changes with this placement (the one after its old place
    #: and the one after its new place): id → their recomputed {"maneuver_time_s", "slack_time_s"}.
    follow_ups: tuple[tuple[str, dict[str, float | None]], ...] = ()

    @property
    def valid(self) -> bool:
        return not self.refusal

    @property
    def pass_key(self) -> tuple[str, datetime]:
        """(satellite, pass start): choices of one pass share it."""
        o = self.opportunity
        return o.satellite_id, o.pass_start or o.start


def _fmt_s(x: float) -> str:
    return f"{x:.0f} s" if abs(x) >= 10 else f"{x:.1f} s"


class _Neighbours:
    """The live acquisitions of each satellite, start-sorted, without the one being placed."""

    def __init__(self, acquisitions: list[Acquisition], moving: str) -> None:
        self.by_sat: dict[str, list[Acquisition]] = {}
        for a in sorted(acquisitions, key=lambda a: a.start):
            if a.id != moving and a.state not in _GONE:
                self.by_sat.setdefault(a.satellite_id, []).append(a)
        self.starts = {s: [a.start for a in v] for s, v in self.by_sat.items()}

    def around(self, satellite: str, start: datetime) -> tuple[Acquisition | None, Acquisition | None]:
        row = self.by_sat.get(satellite, [])
        i = bisect_left(self.starts.get(satellite, []), start)
        return (row[i - 1] if i > 0 else None), (row[i] if i < len(row) else None)


def placement_choices(db: ScheduleDB, workspace: str, acquisition_id: str,
                      opportunities: list[Opportunity] | None = None) -> list[PlacementChoice]:
    """Every other opportunity of the acquisition's order, each checked and with its figures:
    valid ones first, grouped by pass (the pass with the best value first), by value within a
    pass; then the refused ones with their reason. ``opportunities`` None: computed with the same
    access engine and order constraints as planning (``edits.alternatives``)."""
    ws = resolve_workspace(db, workspace)
    a = db.get_acquisition(acquisition_id)
    if a is None:
        raise NotFoundError("acquisition", acquisition_id)
    opps = edits.alternatives(db, ws.id, acquisition_id) if opportunities is None else opportunities
    if not opps:
        return []
    order = db.get_order(a.order_id) if a.order_id else None
    settings = ws.settings
    now = settings.scenario_clock or utc_now()
    ctx = EditContext(now, now + timedelta(hours=settings.freeze_window_hours),
                      order.requested_window_start if order else None, order.requested_window_end if order else None)
    opps = [o for o in opps if o.id != a.opportunity_id]
    if not opps:
        return []
    near, specs, codes = _schedule_around(db, ws, opps, a.id)
    model = _value_model(db, ws, order, a.target_id)
    out = [_check(o, [r.reason for r in check_move(a, ctx, o.start, o.end, o.satellite_id)], near, specs, model,
                  code, moving=a) for o, code in zip(opps, codes)]
    return _ranked(out)


def _schedule_around(db: ScheduleDB, ws, opps: list[Opportunity],
                     moving: str) -> tuple["_Neighbours", dict[str, SatelliteSpec], list[str | None]]:
    """The neighbours of ``opps`` (without ``moving``), the satellites' specs, and for each
    opportunity the planner's own insertion refusal (``scheduling.feasibility``) or None. With a
    battery or memory model the schedule since the horizon start is read, as planning does."""
    satellites = db.list_satellites(ws.id)
    specs = {s.id: SatelliteSpec.of(s) for s in satellites}
    settings = ws.settings
    lo = min(o.start for o in opps) - timedelta(hours=6)
    hi = max(o.end for o in opps) + timedelta(hours=6)
    start = settings.horizon_start or lo
    sunlit = contacts = None
    used = [s for s in satellites if s.id in {o.satellite_id for o in opps}]
    if needs_resources(specs, [s.id for s in used]):
        lo, hi = min(lo, start), max(hi, settings.horizon_end or hi)
        sunlit = access_service.sunlight(used, lo, hi)
        contacts = access_service.contacts(used, db.list_ground_stations(ws.id), lo, hi) \
            if any(specs[s.id].has_memory_model for s in used) else {}
    near = _neighbours(db, ws.id, opps, moving, lo, hi)
    schedule = [x for row in near.by_sat.values() for x in row]
    codes = insertion_refusals(specs, schedule, opps, horizon_start=start, sunlit=sunlit, contacts=contacts)
    return near, specs, codes


def _neighbours(db: ScheduleDB, workspace_id: str, opps: list[Opportunity], moving: str,
                lo: datetime | None = None, hi: datetime | None = None) -> _Neighbours:
    """The live acquisitions around ``opps`` (6 h either side, or [lo, hi)) on their satellites,
    without ``moving``."""
    lo = lo or min(o.start for o in opps) - timedelta(hours=6)
    hi = hi or max(o.end for o in opps) + timedelta(hours=6)
    nearby = db.list_acquisitions(workspace_id, start_time=lo, end_time=hi)
    # The previous acquisition of each satellite may lie further back: its end attitude sets the
    # manoeuvre into every choice before the first one in the window.
    for sat in sorted({o.satellite_id for o in opps}):
        last = db.last_acquisition_before(workspace_id, sat, lo)
        if last is not None and all(x.id != last.id for x in nearby):
            nearby.append(last)
    return _Neighbours(nearby, moving)


def _value_model(db: ScheduleDB, ws, order, target_id: str) -> ValueModel:
    """The workspace's value model for one order (as planning values it, horizon included)."""
    settings = ws.settings
    targets = {t.id: t for t in db.list_targets(ws.id) if t.id == target_id}
    horizon = (settings.horizon_start, settings.horizon_end) if settings.horizon_start and settings.horizon_end else None
    return ValueModel(_value_config(settings, PlanOptions()), {order.id: order} if order else {}, targets,
                      horizon=horizon)


def _ranked(out: list[PlacementChoice]) -> list[PlacementChoice]:
    best: dict[tuple, float] = {}
    for c in out:
        if c.valid:
            best[c.pass_key] = max(best.get(c.pass_key, -math.inf), c.value)
    return sorted(out, key=lambda c: (not c.valid, -best.get(c.pass_key, -math.inf), c.pass_key, -c.value,
                                      c.opportunity.start))


def order_choices(db: ScheduleDB, workspace: str, order_id: str,
                  opportunities: list[Opportunity] | None = None) -> list[PlacementChoice]:
    """Every opportunity of an Inbox order, each checked as an acquisition added by hand (the
    frozen zone: ``domain.edit_rules.check_add``; overlaps and both neighbours' slews on its
    satellite) with its figures; ranked as ``placement_choices``. ``opportunities`` None: computed
    with the access engine and the order's constraints, as planning does."""
    ws = resolve_workspace(db, workspace)
    order = db.get_order(order_id)
    if order is None or order.workspace_id != ws.id:
        raise NotFoundError("order", order_id)
    opps = edits.order_opportunities(db, ws.id, order) if opportunities is None else opportunities
    if not opps:
        return []
    settings = ws.settings
    now = settings.scenario_clock or utc_now()
    ctx = EditContext(now, now + timedelta(hours=settings.freeze_window_hours),
                      order.requested_window_start, order.requested_window_end)
    near, specs, codes = _schedule_around(db, ws, opps, "")
    model = _value_model(db, ws, order, order.target_id)
    return _ranked([_check(o, [r.reason for r in check_add(o.start, ctx)], near, specs, model, code)
                    for o, code in zip(opps, codes)])


def nearest_valid(choices: list[PlacementChoice], satellite_id: str, at: datetime) -> PlacementChoice | None:
    """The valid choice on ``satellite_id`` whose start is nearest to ``at`` (ties: the earlier)."""
    valid = [c for c in choices if c.valid and c.opportunity.satellite_id == satellite_id]
    return min(valid, key=lambda c: (abs((c.opportunity.start - at).total_seconds()), c.opportunity.start),
               default=None)


def same_pass(choices: list[PlacementChoice], a: Acquisition) -> list[PlacementChoice]:
    """The choices in the pass ``a`` is in (its satellite, a pass spanning its start), by start:
    where a drag along its row may put it."""
    def in_pass(o: Opportunity) -> bool:
        lo = o.pass_start or o.start
        hi = o.pass_end or o.end
        return o.satellite_id == a.satellite_id and lo <= a.start <= hi
    return sorted((c for c in choices if in_pass(c.opportunity)), key=lambda c: c.opportunity.start)


def _check(o: Opportunity, refusals: list[str], near: _Neighbours, specs: dict[str, SatelliteSpec],
           model: ValueModel, code: str | None = None, moving: Acquisition | None = None) -> PlacementChoice:
    """``o`` checked against its neighbours' overlaps and slews, after the edit rule's ``refusals``;
    ``code``: the planner's insertion refusal (battery, memory, slews); ``moving``: the acquisition
    put there (its followers' figures are recomputed)."""
    try:
        value, quality = model.evaluate(o)
    except Exception:  # an order the value model does not know (manual acquisition): no value
        value, quality = 0.0, 1.0
    refusals = list(refusals)
    spec = specs.get(o.satellite_id)
    before, after = near.around(o.satellite_id, o.start)
    maneuver, slack = 0.0, math.inf
    if spec is None:
        refusals.append(f"{o.satellite_id} is not a satellite of this workspace")
    else:
        if before is not None:
            maneuver = slew_time(spec.agility, before.roll_end_deg if before.roll_end_deg is not None
                                 else before.roll_deg, before.pitch_end_deg if before.pitch_end_deg is not None
                                 else before.pitch_deg, o.roll_deg, o.pitch_deg)
            gap = (o.start - before.end).total_seconds()
            slack = gap - maneuver
            if before.end > o.start:
                refusals.append(f"overlaps {before.target_id} on {o.satellite_id} "
                                f"(until {before.end:%H:%M:%S}Z)")
            elif not feasible(to_epoch(before.end), maneuver, to_epoch(o.start)):
                refusals.append(f"too close to {before.target_id} before it on {o.satellite_id}: the slew needs "
                                f"{_fmt_s(maneuver)}, there are {_fmt_s(gap)}")
        if after is not None:
            out_slew = slew_time(spec.agility, o.roll_end_deg, o.pitch_end_deg, after.roll_deg,
                                 after.pitch_deg)
            gap = (after.start - o.end).total_seconds()
            if after.start < o.end:
                refusals.append(f"overlaps {after.target_id} on {o.satellite_id} "
                                f"(from {after.start:%H:%M:%S}Z)")
            elif not feasible(to_epoch(o.end), out_slew, to_epoch(after.start)):
                refusals.append(f"too close to {after.target_id} after it on {o.satellite_id}: the slew needs "
                                f"{_fmt_s(out_slew)}, there are {_fmt_s(gap)}")
        if code is not None and (code in (BATTERY, MEMORY) or not refusals):
            # the planner's check refuses what the neighbour checks above did not name (resources,
            # the initial attitude): its reason in words
            refusals.append(f"on {o.satellite_id}, {REASONS[code]}")
    follow = _follow_ups(moving, o, near, specs) if moving is not None and not refusals else ()
    return PlacementChoice(o, value, quality, maneuver, slack, "; ".join(refusals), follow)


def _figures(spec: SatelliteSpec, before: Acquisition | Opportunity | None, x: Acquisition) -> dict[str, float | None]:
    """Manoeuvre (s) into ``x`` from ``before`` and the slack (s) beyond it; none before: 0 and unknown."""
    if before is None:
        return {"maneuver_time_s": 0.0, "slack_time_s": None}
    if isinstance(before, Opportunity):
        end, roll, pitch = before.end, before.roll_end_deg, before.pitch_end_deg
    else:
        end, roll, pitch = before.end, before.roll_end_deg, before.pitch_end_deg
    slew = slew_time(spec.agility, roll, pitch, x.roll_deg, x.pitch_deg)
    return {"maneuver_time_s": slew, "slack_time_s": (x.start - end).total_seconds() - slew}


def _follow_ups(a: Acquisition, o: Opportunity, near: _Neighbours,
                specs: dict[str, SatelliteSpec]) -> tuple[tuple[str, dict[str, float | None]], ...]:
    """The acquisition after ``a``'s old place (its predecessor becomes ``a``'s) and the one after
    the new place ``o`` (its predecessor becomes ``o``), with their recomputed figures."""
    out: dict[str, dict[str, float | None]] = {}
    old_before, old_after = near.around(a.satellite_id, a.start)
    new_before, new_after = near.around(o.satellite_id, o.start)
    if old_after is not None and old_after.state not in IMMUTABLE_STATES and a.satellite_id in specs:
        prev: Acquisition | Opportunity | None = old_before
        if o.satellite_id == a.satellite_id and o.start < old_after.start and (
                old_before is None or o.start >= old_before.start):
            prev = o  # the new place sits right before it
        out[old_after.id] = _figures(specs[a.satellite_id], prev, old_after)
    if new_after is not None and new_after.state not in IMMUTABLE_STATES and o.satellite_id in specs:
        out[new_after.id] = _figures(specs[o.satellite_id], o, new_after)
    return tuple(sorted(out.items()))


def placement_changes(choice: PlacementChoice) -> dict[str, Any]:
    """The acquisition changes that put it on ``choice``: the placement and every figure derived
    from it (mode, quality, manoeuvre, slack), so nothing of the old placement is kept."""
    o = choice.opportunity
    return {**edits.opportunity_changes(o), "mode": o.mode, "quality_score": choice.quality,
            "maneuver_time_s": choice.maneuver_time_s,
            "slack_time_s": choice.slack_time_s if math.isfinite(choice.slack_time_s) else None}


def require_valid(choices: list[PlacementChoice], opportunity_id: str, acquisition_id: str) -> PlacementChoice:
    """The choice for ``opportunity_id``, refused with its reason when not valid."""
    choice = next((c for c in choices if c.opportunity.id == opportunity_id), None)
    if choice is None:
        raise NotFoundError("opportunity", f"{opportunity_id} (not an alternative of {acquisition_id})")
    if not choice.valid:
        raise RuleViolation("swap", f"{acquisition_id}: {choice.refusal}")
    return choice
