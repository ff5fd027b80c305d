"""Why an order is not served, and the smallest checked changes that would serve it (issue 15).

``explain(db, workspace, order_id)`` answers in the planner's words:

* the reason: not planned yet (it fits), no pass of any satellite in the horizon, which constraint
  filtered which opportunities, all passes out of reach (frozen zone, horizon edges), or which
  scheduled acquisitions it lost to;
* suggestions, each **verified by re-planning incrementally** (the pure planner on the schedule as
  it is, with the one change applied): widen the requested window by X, relax the incidence limit
  to Y°, allow satellite Z (or another sensor, look side, pass direction, Sun elevation), or move
  (unlocking first if needed) / remove a scheduled acquisition W. Each names the acquisition it
  would produce. Numeric relaxations are tried from the smallest upwards, so the first that
  serves the order is the smallest on the opportunity grid.

``apply_suggestion`` writes a suggestion's change (the order's fields, or W's unlock and move /
removal) and returns what is needed to undo it; the caller then re-plans (Plan ▸ Plan…,
incremental), which serves the order as the check did.

Times are aware UTC datetimes; windows are widened to whole minutes; angles in degrees.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from app.access import filter_for_order
from app.domain.progress import FractionProgress
from app.domain import (Acquisition, AcquisitionState, LockLevel, Opportunity, Order,
                        OrderStatus, Placement, PlanningMode, ValidationError, to_iso, utc_now)
from app.domain.edit_rules import (EditContext, Refusal, check_add, check_delete, check_lock, check_move, decide,
                                   state_for_lock)
from app.domain.enums import LookSide, PassDirection
from app.domain.wording import acquisition_name, day_time, duration, item_name, order_name, plain_reason
from app.persistence import ScheduleDB
from app.scheduling import PlanningRequest, plan

from . import access_service, edits
from .orders import update_order
from .planning import OPEN_ORDER_STATES, PlanOptions, _initial_attitudes, _value_config, planning_inputs
from .workspaces import resolve_workspace

__all__ = ["Change", "Suggestion", "Explanation", "explain", "apply_suggestion", "find_order",
           "AppliedChange", "undo_suggestion"]

#: How far (s) around an opportunity a scheduled acquisition on the same satellite can block it
#: (an overlap, or a gap shorter than the slew between them; agile slews take well under 5 min).
_BLOCK_MARGIN_S = 300.0
#: Re-planning checks per kind of change (the smallest candidates first).
_CHECKS_PER_KIND = 4
#: Scheduled acquisitions tried as the one to move or remove.
_BLOCKERS_TRIED = 4


def placement_json(p: Placement, target_id: str, opportunity_id: str) -> dict[str, Any]:
    """A placement as the CLI's JSON shows an acquisition (spec: ``explain --format json``):
    ``satellite_id, target_id, start_time, end_time`` (ISO Z), ``roll_deg, pitch_deg`` at the start
    and ``incidence_deg`` (degrees, spec §4 signs), ``look_side, pass_direction, opportunity_id, name``."""
    return {"satellite_id": p.satellite_id, "target_id": target_id,
            "start_time": to_iso(p.start), "end_time": to_iso(p.end),
            "roll_deg": round(p.roll_deg, 3), "pitch_deg": round(p.pitch_deg, 3),
            "incidence_deg": None if p.incidence_deg is None else round(p.incidence_deg, 2),
            "look_side": str(p.look_side) if p.look_side else None,
            "pass_direction": str(p.pass_direction) if p.pass_direction else None,
            "opportunity_id": opportunity_id, "name": item_name(target_id, p.satellite_id, p.start)}


@dataclass(frozen=True)
class Change:
    """One change to the inputs. ``kind``: plan (nothing to change: plan it), widen_window,
    relax_incidence, allow_satellite, allow_sensor, allow_look_side, allow_pass_direction,
    lower_sun_elevation, move_acquisition, remove_acquisition. ``order_changes`` are the order's
    fields to write (``constraints`` whole); ``acquisition_id`` the scheduled acquisition to move
    (swapped onto the opportunity ``move_to``) or remove, unlocked first when ``unlock`` (the edit
    rules allow the move or removal only once it is unlocked)."""

    kind: str
    text: str
    order_changes: Mapping[str, Any] = field(default_factory=dict)
    acquisition_id: str | None = None
    unlock: bool = False
    move_to: Opportunity | None = None
    amount: float | None = None  # seconds widened, or the new limit in degrees

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "text": self.text}
        if self.order_changes:
            out["order"] = {k: (to_iso(v) if isinstance(v, datetime) else v) for k, v in self.order_changes.items()}
        if self.acquisition_id:
            out["acquisition_id"] = self.acquisition_id
            out["unlock"] = self.unlock
        if self.move_to is not None:
            m = self.move_to
            out["move_to"] = placement_json(m.placement, m.target_id, m.id)
        if self.amount is not None:
            out["amount"] = self.amount
        return out


@dataclass(frozen=True)
class Suggestion:
    """A change and the acquisition that re-planning with it produced for the order: where it
    would be (``acquisition``, the one placement type), of which target, on which opportunity."""

    change: Change
    acquisition: Placement
    target_id: str
    opportunity_id: str

    @classmethod
    def placed(cls, change: Change, o: Opportunity) -> "Suggestion":
        """The suggestion whose check placed the order on ``o``."""
        return cls(change, o.placement, o.target_id, o.id)

    @property
    def name(self) -> str:
        """``Luanda · WORLDVIEW-3 · Thu 13 Aug 09:33Z``: the acquisition it would produce."""
        return item_name(self.target_id, self.acquisition.satellite_id, self.acquisition.start)

    @property
    def text(self) -> str:
        return f"{self.change.text} → {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change.to_dict(),
                "acquisition": placement_json(self.acquisition, self.target_id, self.opportunity_id),
                "text": self.text}


@dataclass(frozen=True)
class Explanation:
    """``kind``: served, planned, not_planned, no_pass, filtered, out_of_reach, lost;
    ``reason`` one plain sentence; ``details`` supporting lines (counts per constraint, blockers)."""

    order_id: str
    order: str
    kind: str
    reason: str
    details: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    blockers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"order_id": self.order_id, "order": self.order, "kind": self.kind, "reason": self.reason,
                "details": list(self.details), "blockers": list(self.blockers),
                "suggestions": [s.to_dict() for s in self.suggestions]}


def find_order(db: ScheduleDB, workspace: str, key: str) -> Order:
    """The order with id ``key``, or whose external reference is ``key``, in the workspace."""
    ws = resolve_workspace(db, workspace)
    order = db.get_order(key)
    if order is not None and order.workspace_id == ws.id:
        return order
    for o in db.list_orders(workspace_id=ws.id, limit=None):
        if o.external_ref == key:
            return o
    raise ValidationError("order", f"no order with id or reference {key!r} in workspace {ws.name}")


# --------------------------------------------------------------------------- constraints
def _relaxed(order: Order, name: str) -> Order:
    """``order`` without one constraint (``window`` = the requested window)."""
    c = order.constraints
    if name == "window":
        return replace(order, requested_window_start=None, requested_window_end=None)
    if name == "satellite":
        return replace(order, constraints=replace(c, preferred_satellite=None))
    if name == "sensor":
        return replace(order, constraints=replace(c, sensor_type=None, mode=None, sar_mode=None))
    if name == "incidence":
        return replace(order, constraints=replace(c, max_incidence_deg=None))
    if name == "look_side":
        return replace(order, constraints=replace(c, look_side=LookSide.ANY))
    if name == "pass_direction":
        return replace(order, constraints=replace(c, pass_direction=PassDirection.ANY))
    if name == "sun":
        return replace(order, constraints=replace(c, min_sun_elevation_deg=None))
    raise ValueError(name)


def _constraint_labels(order: Order) -> dict[str, str]:
    """The order's set constraints, by name, in words."""
    c = order.constraints
    out: dict[str, str] = {}
    if order.requested_window_start or order.requested_window_end:
        out["window"] = (f"the requested window ({day_time(order.requested_window_start) if order.requested_window_start else 'ASAP'}"
                         f" → {day_time(order.requested_window_end) if order.requested_window_end else 'no deadline'})")
    if c.preferred_satellite:
        out["satellite"] = f"satellite {c.preferred_satellite} only"
    if c.sensor_type or c.mode is not None or c.sar_mode:
        bits = [b for b in (c.sensor_type, str(c.mode) if c.mode is not None else None, c.sar_mode) if b]
        out["sensor"] = "sensor " + "/".join(bits)
    if c.max_incidence_deg is not None:
        out["incidence"] = f"incidence ≤ {c.max_incidence_deg:g}°"
    if str(c.look_side) != "ANY":
        out["look_side"] = f"{str(c.look_side).lower()}-looking only"
    if str(c.pass_direction) != "ANY":
        out["pass_direction"] = f"{str(c.pass_direction).lower()} passes only"
    if c.min_sun_elevation_deg is not None:
        out["sun"] = f"Sun ≥ {c.min_sun_elevation_deg:g}°"
    return out


def _floor_minute(t: datetime) -> datetime:
    return t.replace(second=0, microsecond=0)


def _ceil_minute(t: datetime) -> datetime:
    f = _floor_minute(t)
    return f if f == t else f + timedelta(minutes=1)


# --------------------------------------------------------------------------- the checks
class _Workspace:
    """The schedule as planning sees it, and one incremental re-plan per check."""

    def __init__(self, db: ScheduleDB, workspace: str, order: Order, now: datetime | None) -> None:
        inputs = planning_inputs(db, workspace, PlanOptions(mode="incremental", order_ids=(order.id,)))
        self.db = db
        self.ws = inputs["workspace"]
        self.start, self.end = inputs["start"], inputs["end"]
        self.existing: list[Acquisition] = inputs["existing"]
        self.orders: list[Order] = inputs["orders"]
        self.satellites = inputs["satellites"]
        self.sats_by_id = {s.id: s for s in self.satellites}
        self.targets = inputs["targets"]
        settings = self.ws.settings
        self.now = now or settings.scenario_clock or utc_now()
        self.cutoff = self.now + timedelta(hours=settings.freeze_window_hours)
        self.value_config = _value_config(settings, PlanOptions())
        self.initial = _initial_attitudes(db, self.ws.id, self.satellites, self.start)
        self.sunlit = access_service.sunlight(self.satellites, self.start, self.end)
        self.contacts = (access_service.contacts(self.satellites, inputs["stations"], self.start, self.end)
                         if any(s.memory_gbit for s in self.satellites) else {})
        self.checks = 0

    def raw(self, order: Order) -> list[Opportunity]:
        """Every opportunity of the order's target in the horizon, for the order's duration, on any
        satellite (no constraint applied)."""
        target = next((t for t in self.targets if t.id == order.target_id), None)
        if target is None:
            return []
        return access_service.target_opportunities(self.satellites, target, self.start, self.end,
                                                   self.ws.settings, order.constraints.duration_s)

    def kept(self, raw: Sequence[Opportunity], order: Order) -> list[Opportunity]:
        return [replace(o, id=f"{o.id}@{order.id}") for o in filter_for_order(raw, order, self.sats_by_id)]

    def context(self, a: Acquisition | None = None) -> EditContext:
        """The edit rules' context the database uses: the clock, its frozen-zone cutoff and, for
        ``a``, its order's requested window (a soft-locked move stays inside it)."""
        order = None
        if a is not None and a.order_id:
            order = next((o for o in self.orders if o.id == a.order_id), None) or self.db.get_order(a.order_id)
        return EditContext(self.now, self.cutoff, order.requested_window_start if order else None,
                           order.requested_window_end if order else None)

    def schedulable(self, o: Opportunity) -> bool:
        """Inside the horizon, and where the edit rules let a new acquisition be (not in the frozen zone)."""
        return not check_add(o.start, self.context()) and o.start >= self.start and o.end <= self.end

    def place(self, order: Order, opportunities: Sequence[Opportunity], existing: Sequence[Acquisition] | None = None,
              ) -> Opportunity | None:
        """The opportunity an incremental plan gives ``order`` with these inputs, or None."""
        self.checks += 1
        existing = self.existing if existing is None else list(existing)
        served = {a.order_id for a in existing if a.order_id}
        orders = [o for o in self.orders if o.id in served and o.id != order.id] + [order]
        request = PlanningRequest(
            mode=PlanningMode.INCREMENTAL, algorithm="best_fit", satellites=self.satellites, orders=orders,
            targets=self.targets, opportunities=list(opportunities), horizon_start=self.start,
            horizon_end=self.end, now=self.now, existing=existing, initial=self.initial,
            value_config=self.value_config, freeze_window_hours=self.ws.settings.freeze_window_hours,
            soft_lock_window_hours=self.ws.settings.soft_lock_window_hours, sunlit=self.sunlit,
            contacts=self.contacts, tle_stale_days=self.ws.settings.tle_stale_days, workspace_id=self.ws.id)
        outcome = plan(request)
        return next((it.opportunity for it in outcome.items if it.opportunity.order_id == order.id), None)


def explain(db: ScheduleDB, workspace: str, order_id: str, *, now: datetime | None = None) -> Explanation:
    """Why the order is not served and what would serve it (see the module docstring).

    ``now`` defaults to the workspace's scenario clock (else the real time), as for planning.
    Raises NotFoundError for an unknown order and ValidationError for a closed one.
    """
    order = find_order(db, workspace, order_id)
    name = order_name(order)
    if order.status not in OPEN_ORDER_STATES:
        raise ValidationError("order", f"{name} is {order.status.value}: there is nothing to schedule")
    ws = resolve_workspace(db, workspace)
    live = [a for a in db.list_acquisitions(ws.id) if a.order_id == order.id and a.state != AcquisitionState.FAILED]
    if live:
        return Explanation(order.id, name, "served", f"Served by {acquisition_name(live[0])}.")
    if order.status == OrderStatus.PLANNED:
        return Explanation(order.id, name, "planned",
                           "Held by the candidate plan: commit the plan (Plan ▸ Commit Plan…) to schedule it.")
    w = _Workspace(db, ws.id, order, now)
    raw = w.raw(order)
    if not raw:
        return Explanation(order.id, name, "no_pass",
                           f"No pass: no satellite sees {order.target_id} between {day_time(w.start)} and "
                           f"{day_time(w.end)} (the planning horizon) with a {_duration_of(order, w)} image.")
    kept = w.kept(raw, order)
    if kept:
        return _explain_reachable(w, order, name, raw, kept)
    return _explain_filtered(w, order, name, raw)


def _duration_of(order: Order, w: _Workspace) -> str:
    if order.constraints.duration_s is not None:
        return duration(order.constraints.duration_s)
    return "default-length"


def _explain_filtered(w: _Workspace, order: Order, name: str, raw: list[Opportunity]) -> Explanation:
    labels = _constraint_labels(order)
    sats = len({o.satellite_id for o in raw})
    details = []
    for key, label in labels.items():
        only = w.kept(raw, _only(order, key))
        details.append(f"{label} leaves {len(only)} of {len(raw)} opportunities")
    reason = (f"Filtered by its constraints: {len(raw)} opportunities of {sats} satellite{'s' if sats != 1 else ''} "
              f"see {order.target_id} in the horizon, but none meets every constraint "
              f"({', '.join(labels.values()) or 'duration'}).")
    suggestions = _relaxations(w, order, raw, labels)
    return Explanation(order.id, name, "filtered", reason, tuple(details), tuple(suggestions))


def _only(order: Order, key: str) -> Order:
    """``order`` with only the constraint ``key`` (and its target and duration)."""
    bare = replace(order, requested_window_start=None, requested_window_end=None,
                   constraints=type(order.constraints)(duration_s=order.constraints.duration_s))
    c, b = order.constraints, bare.constraints
    if key == "window":
        return replace(bare, requested_window_start=order.requested_window_start,
                       requested_window_end=order.requested_window_end)
    fields_of = {"satellite": ("preferred_satellite",), "sensor": ("sensor_type", "mode", "sar_mode"),
                 "incidence": ("max_incidence_deg",), "look_side": ("look_side",),
                 "pass_direction": ("pass_direction",), "sun": ("min_sun_elevation_deg",)}[key]
    return replace(bare, constraints=replace(b, **{f: getattr(c, f) for f in fields_of}))


def _explain_reachable(w: _Workspace, order: Order, name: str, raw, kept) -> Explanation:
    reachable = [o for o in kept if w.schedulable(o)]
    if not reachable:
        frozen = sum(1 for o in kept if check_add(o.start, w.context()))
        reason = (f"Out of reach: its {len(kept)} opportunit{'ies' if len(kept) != 1 else 'y'} "
                  + (f"are in the frozen zone (before {day_time(w.cutoff)})" if frozen == len(kept)
                     else "lie in the frozen zone or at the horizon's edges") + ".")
        suggestions = _relaxations(w, order, raw, _constraint_labels(order))
        return Explanation(order.id, name, "out_of_reach", reason, (), tuple(suggestions))
    placed = w.place(order, kept)
    if placed is not None:
        s = Suggestion.placed(Change("plan", "Plan it (Plan ▸ Plan…, incremental): nothing needs to change"),
                              placed)
        return Explanation(order.id, name, "not_planned",
                           f"Not planned yet: it fits as {acquisition_name(placed)}.", (), (s,))
    blockers = _blockers(w, reachable)
    by_id = {a.id: a for a in w.existing}
    if blockers:
        shown = [acquisition_name(by_id[b]) + _rule_note(w, by_id[b]) for b in blockers[:3]]
        more = f" and {len(blockers) - 3} more" if len(blockers) > 3 else ""
        n = len(reachable)
        reason = (f"Lost to conflicts: its {n} reachable opportunit{'ies clash' if n != 1 else 'y clashes'} "
                  f"with {len(blockers)} scheduled acquisition{'s' if len(blockers) != 1 else ''}: "
                  f"{'; '.join(shown)}{more}.")
    else:
        reason = (f"Lost to the schedule's limits: none of its {len(reachable)} reachable opportunities fits "
                  "between the scheduled acquisitions (slew time, battery or memory).")
    suggestions = _moves(w, order, kept, blockers) + _relaxations(w, order, raw, _constraint_labels(order))
    details = tuple(f"{acquisition_name(by_id[b])}{_rule_note(w, by_id[b])}" for b in blockers)
    return Explanation(order.id, name, "lost", reason, details, tuple(suggestions), tuple(blockers))


def _refused(a: Acquisition, refusals: list[Refusal]) -> str:
    """The database's refusal of an edit of ``a`` without override, in its words without ids
    (as the Inspector shows it: ``Hard-locked and cannot be moved: unlock it first``); "" = allowed."""
    reason, _ = decide(refusals, override=False)
    return plain_reason(a.id, reason) if reason else ""


def _rule_note(w: _Workspace, a: Acquisition) -> str:
    """`` (hard-locked and cannot be moved: unlock it first)``: why the edit rules keep a blocker
    where it is (nothing when a plain move is allowed)."""
    why = _refused(a, check_move(a, w.context(a)))
    return f" ({why[:1].lower()}{why[1:]})" if why else ""


def _unlock_needed(w: _Workspace, a: Acquisition, refusals_of) -> bool | None:
    """Whether the edit ``refusals_of`` checks (a move or a deletion) is allowed on ``a`` as it is
    (False), only once unlocked (True: the unlock and then the edit are both allowed without
    override, as the database would decide them), or not at all (None: frozen zone, a state)."""
    ctx = w.context(a)
    if not _refused(a, refusals_of(a, ctx)):
        return False
    if a.lock_level == LockLevel.NONE or _refused(a, check_lock(a, ctx, LockLevel.NONE)):
        return None
    free = replace(a, lock_level=LockLevel.NONE, state=state_for_lock(a, LockLevel.NONE))
    return None if _refused(free, refusals_of(free, ctx)) else True


def _blockers(w: _Workspace, reachable: Sequence[Opportunity]) -> list[str]:
    """Scheduled acquisitions near the reachable opportunities on their satellites, the ones near
    the most opportunities first."""
    by_sat: dict[str, list[Acquisition]] = defaultdict(list)
    for a in w.existing:
        by_sat[a.satellite_id].append(a)
    margin = timedelta(seconds=_BLOCK_MARGIN_S)
    counts: Counter[str] = Counter()
    first: dict[str, datetime] = {}
    for o in reachable:
        for a in by_sat.get(o.satellite_id, ()):
            if a.start < o.end + margin and a.end > o.start - margin:
                counts[a.id] += 1
                first.setdefault(a.id, a.start)
    return sorted(counts, key=lambda aid: (-counts[aid], first[aid], aid))


def _pseudo(o: Opportunity, ws_id: str) -> Acquisition:
    return Acquisition(id=f"item:{o.id}", workspace_id=ws_id, target_id=o.target_id, mode=o.mode,
                       order_id=o.order_id, **edits.opportunity_changes(o))


def _moves(w: _Workspace, order: Order, kept, blockers: Sequence[str]) -> list[Suggestion]:
    """Move (or, failing that, remove) one blocking acquisition: each checked by re-planning the
    order without it, then re-placing the blocker's own order around the new item. The edit rules
    decide, as the database will when the suggestion is applied, whether the blocker may be moved
    there or removed, and whether only once unlocked: a frozen or executing blocker is never
    suggested, a hard-locked one only with "Unlock and …"."""
    out: list[Suggestion] = []
    by_id = {a.id: a for a in w.existing}
    orders = {o.id: o for o in w.orders}
    tried = 0
    for bid in blockers:
        a = by_id[bid]
        removal = _unlock_needed(w, a, check_delete)
        if (removal is None and _unlock_needed(w, a, check_move) is None) or tried >= _BLOCKERS_TRIED:
            continue
        tried += 1
        without = [x for x in w.existing if x.id != bid]
        placed = w.place(order, kept, without)
        if placed is None:
            continue
        other = orders.get(a.order_id) if a.order_id else None
        moved, unlock = None, removal
        if other is not None:
            found = access_service.order_opportunities(w.satellites, w.targets, [other], w.start, w.end,
                                                       w.ws.settings)
            alts = [o for o in found.by_order.get(other.id, []) if o.id != a.opportunity_id]
            need = {o.id: _unlock_needed(w, a, lambda x, ctx, o=o: check_move(x, ctx, o.start, o.end, o.satellite_id))
                    for o in alts}
            others = [x for x in without if x.order_id != other.id] + [_pseudo(placed, w.ws.id)]
            for unlocked in (False, True):  # a move the lock allows as it is first
                allowed = [o for o in alts if need[o.id] is unlocked]
                moved = w.place(other, allowed, others) if allowed else None
                if moved is not None:
                    unlock = unlocked
                    break
        if moved is not None:
            verb = "Unlock and move" if unlock else "Move"
            text = (f"{verb} {acquisition_name(a)} to {day_time(moved.start)}"
                    + ("" if moved.satellite_id == a.satellite_id else f" on {moved.satellite_id}"))
            change = Change("move_acquisition", text, acquisition_id=bid, unlock=unlock, move_to=moved)
        elif removal is not None:
            lead = "Unlock and remove" if removal else "Remove"
            text = f"{lead} {acquisition_name(a)} (its order returns to the Inbox)"
            change = Change("remove_acquisition", text, acquisition_id=bid, unlock=removal)
        else:
            continue
        out.append(Suggestion.placed(change, placed))
    out.sort(key=lambda s: (s.change.kind != "move_acquisition", s.change.unlock))
    return out


def _relaxations(w: _Workspace, order: Order, raw, labels: Mapping[str, str]) -> list[Suggestion]:
    """One suggestion per constraint that alone keeps the order from a reachable opportunity, each
    the smallest relaxation (of up to ``_CHECKS_PER_KIND`` tried) that re-planning confirms."""
    strict = {o.id.split("@")[0] for o in w.kept(raw, order)}
    out: list[Suggestion] = []
    for key in labels:
        freed = [o for o in w.kept(raw, _relaxed(order, key))
                 if o.id.split("@")[0] not in strict and w.schedulable(o)]
        if not freed:
            continue
        for variant, change in _candidates(order, key, freed)[:_CHECKS_PER_KIND]:
            placed = w.place(variant, w.kept(raw, variant))
            if placed is not None:
                out.append(Suggestion.placed(change, placed))
                break
    return out


def _candidates(order: Order, key: str, freed: Sequence[Opportunity]) -> list[tuple[Order, Change]]:
    """Relaxed orders for constraint ``key``, smallest change first, with the change in words."""
    c = order.constraints
    out: list[tuple[Order, Change]] = []
    if key == "window":
        seen = set()
        options = []
        for o in freed:
            s0, e0 = order.requested_window_start, order.requested_window_end
            s1 = min(s0, _floor_minute(o.start)) if s0 is not None else None
            e1 = max(e0, _ceil_minute(o.end)) if e0 is not None else None
            widened = ((s0 - s1).total_seconds() if s0 else 0.0) + ((e1 - e0).total_seconds() if e0 else 0.0)
            if (s1, e1) not in seen:
                seen.add((s1, e1))
                options.append((widened, s1, e1))
        for widened, s1, e1 in sorted(options, key=lambda x: (x[0], x[1] or x[2])):
            moves = []
            if order.requested_window_start and s1 != order.requested_window_start:
                moves.append(f"start {day_time(s1)}")
            if order.requested_window_end and e1 != order.requested_window_end:
                moves.append(f"end {day_time(e1)}")
            text = f"Widen the requested window by {duration(widened)} ({', '.join(moves)})"
            out.append((replace(order, requested_window_start=s1, requested_window_end=e1),
                        Change("widen_window", text, {"requested_window_start": s1, "requested_window_end": e1},
                               amount=widened)))
    elif key == "incidence":
        limits = sorted({math.ceil(abs(o.incidence_deg) * 10) / 10 for o in freed if o.incidence_deg is not None})
        for limit in limits:
            variant = replace(order, constraints=replace(c, max_incidence_deg=limit))
            out.append((variant, Change("relax_incidence",
                                        f"Relax the incidence limit to {limit:g}° (now {c.max_incidence_deg:g}°)",
                                        {"constraints": variant.constraints.to_dict()}, amount=limit)))
    elif key in ("satellite", "sensor"):
        firsts: dict[str, datetime] = {}
        for o in sorted(freed, key=lambda o: o.start):
            firsts.setdefault(o.satellite_id, o.start)
        for sat in sorted(firsts, key=lambda s: (firsts[s], s)):
            if key == "satellite":
                variant = replace(order, constraints=replace(c, preferred_satellite=sat))
                text = f"Allow {sat} (now {c.preferred_satellite} only)"
                kind = "allow_satellite"
            else:
                variant = replace(order, constraints=replace(c, sensor_type=None, mode=None, sar_mode=None,
                                                             preferred_satellite=sat))
                text = f"Accept any sensor and take it with {sat} (now {_constraint_labels(order)['sensor']})"
                kind = "allow_sensor"
            out.append((variant, Change(kind, text, {"constraints": variant.constraints.to_dict()})))
    elif key in ("look_side", "pass_direction"):
        variant = _relaxed(order, key)
        what = "look side" if key == "look_side" else "pass direction"
        out.append((variant, Change(f"allow_{key}", f"Allow either {what} (now {_constraint_labels(order)[key]})",
                                    {"constraints": variant.constraints.to_dict()})))
    elif key == "sun":
        limits = sorted({math.floor(o.sun_elevation_deg) for o in freed if o.sun_elevation_deg is not None},
                        reverse=True)
        for limit in limits:
            variant = replace(order, constraints=replace(c, min_sun_elevation_deg=float(limit)))
            out.append((variant, Change("lower_sun_elevation",
                                        f"Lower the minimum Sun elevation to {limit:g}° (now {c.min_sun_elevation_deg:g}°)",
                                        {"constraints": variant.constraints.to_dict()}, amount=float(limit))))
    return out


# --------------------------------------------------------------------------- applying
@dataclass(frozen=True)
class AppliedChange:
    """What ``apply_suggestion`` wrote, for undo: the order as it was, and the acquisition as it
    was before an unlock/move/removal (None when untouched)."""

    order_before: Order | None
    acquisition_before: Acquisition | None
    removed: bool = False


def apply_suggestion(db: ScheduleDB, workspace: str, order_id: str, change: Change) -> AppliedChange:
    """Write the change (the caller then re-plans, e.g. ``run_planning`` incremental for the order).

    Order changes go through ``update_order`` (validated, versioned); an acquisition is unlocked
    (audited) before it is moved to ``move_to`` (``edits.swap``) or deleted. A refused step raises
    and leaves what it refused unwritten.
    """
    ws = resolve_workspace(db, workspace)
    order = find_order(db, ws.id, order_id)
    order_before = None
    acq_before = None
    if change.order_changes:
        order_before = order
        update_order(db, order.id, expected_version=order.version, **dict(change.order_changes))
    if change.acquisition_id:
        acq_before = db.get_acquisition(change.acquisition_id)
        if change.unlock and acq_before.lock_level != LockLevel.NONE:
            result = edits.set_lock(db, [acq_before.id], "none")
            if result.refused:
                raise ValidationError("acquisition", next(iter(result.refused.values())))
        if change.kind == "move_acquisition" and change.move_to is not None:
            edits.swap(db, ws.id, acq_before.id, change.move_to.id)
        elif change.kind == "remove_acquisition":
            result = edits.delete(db, [acq_before.id])
            if result.refused:
                raise ValidationError("acquisition", next(iter(result.refused.values())))
            return AppliedChange(order_before, acq_before, removed=True)
    return AppliedChange(order_before, acq_before)


def undo_suggestion(db: ScheduleDB, applied: AppliedChange) -> None:
    """Put back what ``apply_suggestion`` changed (audited overrides, like every undo)."""
    if applied.acquisition_before is not None:
        a = applied.acquisition_before
        if applied.removed:
            edits.restore(db, [a])
        else:
            edits.put_back(db, [a])
            edits.restore_locks(db, [a])
    if applied.order_before is not None:
        o = applied.order_before
        current = db.get_order(o.id)
        update_order(db, o.id, expected_version=current.version, requested_window_start=o.requested_window_start,
                     requested_window_end=o.requested_window_end, constraints=o.constraints.to_dict())


def explain_all(db: ScheduleDB, workspace: str, *, now: datetime | None = None,
                progress: FractionProgress | None = None) -> list[Explanation]:
    """``explain`` for every order in the Inbox (status new) of the workspace."""
    ws = resolve_workspace(db, workspace)
    inbox = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.status == OrderStatus.NEW]
    out = []
    for k, o in enumerate(inbox):
        if progress is not None:
            progress(k / max(1, len(inbox)), order_name(o))
        out.append(explain(db, ws.id, o.id, now=now))
    return out
