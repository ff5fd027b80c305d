"""Workspace planning, pure (spec sections 7–10): ``plan(request) -> PlanningOutcome``.

The service gathers the inputs (database, access engine) and persists the outcome; this module
decides. Modes:

* ``from_scratch``: existing acquisitions in the horizon are superseded, except the protected
  ones, which stay fixed: hard-locked, frozen-zone (start < now + freeze_window_hours) and
  executing/completed/failed acquisitions.
* ``incremental``: every existing acquisition is fixed; only orders without one are scheduled.
* ``reshuffle``: re-optimise under a policy (protected acquisitions always fixed):
  ``hard_lock_committed`` – committed (non-tentative) or locked acquisitions fixed, tentative
  ones free; ``soft_lock_windowed`` – soft-locked or committed acquisitions may shift (same
  satellite and target, |shift| ≤ max_shift_minutes, inside the order window) but are never
  dropped, tentative ones free; ``replace_if_better`` – an unlocked acquisition is kept unless an
  option of its order scores ≥ improvement_threshold_pct higher under the score function
  (geometry = quality, priority = priority term, composite = value), soft-locked fixed;
  ``time_based_freeze`` – start < now + freeze_window_hours → fixed, < now + soft_lock_window_hours
  → shiftable as under soft_lock_windowed, later → free (re-applied at each run as ``now`` moves).

New items never start before ``now + freeze_window_hours`` nor outside the horizon.

Outcome semantics for the service: ``items`` is the plan's content (new items, and in reshuffle the
kept/moved/switched existing acquisitions, whose ``replaces_acquisition_id`` says which one to update
in place); ``supersede`` lists existing acquisitions the plan replaces (from_scratch: every
unprotected one; reshuffle: the removed ones); ``fixed`` are the existing acquisitions that stay as
they are. In from_scratch, an item serving the order of a superseded acquisition also names it in
``replaces_acquisition_id`` (for the change list), but the commit creates a new acquisition.
"""
from __future__ import annotations

import hashlib
import json
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import Any

import numpy as np

from app.domain import (Acquisition, AcquisitionState, Algorithm, ChangeType, Conflict, LockLevel, Opportunity,
                        Order, PlanningMode, ReshufflePolicy, Satellite, ScoreFunction, Severity, Target,
                        ValidationError, checks, limits)
from app.domain.enums import parse_enum
from app.domain.edit_rules import EditContext, check_delete, planning_refusals
from app.domain.placement import Placement
from app.domain.orders import inside_window
from app.domain.times import to_epoch, to_iso

from .conflicts import DetectionInput, detect_conflicts, summary
from .exclusions import build_exclusions
from .placements import candidate, epoch_span, fixed_item
from .problem import Candidate, FixedItem, InitialAttitude, Problem, SatelliteSpec
from .progress import Progress
from .slew import slew_time
from .solver import solve_indices
from .value import ValueConfig, ValueModel

REASON_NO_OPPORTUNITY = "no opportunity"
REASON_LOST_TO_CONFLICT = "lost to conflict"
REASON_FILTERED = "filtered by constraint"


@dataclass(frozen=True, slots=True)
class PolicyParams:
    """Reshuffle policy parameters (seed 001 section 4)."""

    max_shift_minutes: float = 30.0
    improvement_threshold_pct: float = 10.0
    score_function: ScoreFunction = ScoreFunction.COMPOSITE

    def __post_init__(self) -> None:
        object.__setattr__(self, "score_function",
                           parse_enum(ScoreFunction, self.score_function, "score_function"))
        # Bounded like every option (issue 14): a shift no longer than the longest horizon, a
        # threshold up to 1000 % (the Plan dialog's range); NaN, text and true refused.
        checks.positive(self.max_shift_minutes, "max_shift_minutes", allow_zero=True,
                        hi=limits.MAX_HORIZON_HOURS * 60.0)
        checks.positive(self.improvement_threshold_pct, "improvement_threshold_pct", allow_zero=True,
                        hi=limits.MAX_IMPROVEMENT_PCT)


@dataclass(frozen=True)
class PlanningRequest:
    """All inputs of one planning run. Times are aware UTC datetimes; intervals (sunlit, contacts)
    are sequences of (start, end) epoch seconds per satellite id; ``initial`` holds each
    satellite's attitude at the end of its last acquisition before the horizon (absent: nadir at
    the horizon start)."""

    mode: PlanningMode
    algorithm: Algorithm
    satellites: Sequence[Satellite]
    orders: Sequence[Order]
    targets: Sequence[Target]
    opportunities: Sequence[Opportunity]
    horizon_start: datetime
    horizon_end: datetime
    now: datetime
    existing: Sequence[Acquisition] = ()
    initial: Mapping[str, InitialAttitude] = field(default_factory=dict)
    value_config: ValueConfig = field(default_factory=ValueConfig)
    freeze_window_hours: float = 2.0
    soft_lock_window_hours: float = 24.0
    policy: ReshufflePolicy | None = None
    policy_params: PolicyParams = field(default_factory=PolicyParams)
    time_limit_s: float = 30.0
    sunlit: Mapping[str, Sequence[tuple[float, float]]] = field(default_factory=dict)
    contacts: Mapping[str, Sequence[tuple[float, float]]] = field(default_factory=dict)
    unserved_reasons: Mapping[str, str] = field(default_factory=dict)
    tle_stale_days: float = 7.0
    workspace_id: str | None = None
    #: Opportunity id → P(clear sky) from a cloud forecast (optical only); values are multiplied by it.
    clear_sky: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One item of the plan. ``maneuver_time_s`` is the slew before it (s), ``slack_time_s`` the
    spare time before it beyond that slew (s)."""

    opportunity: Opportunity
    value: float
    quality: float
    maneuver_time_s: float
    slack_time_s: float
    replaces_acquisition_id: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    type: ChangeType
    order_id: str | None
    target_id: str | None
    acquisition_id: str | None = None
    opportunity_id: str | None = None
    old_start: datetime | None = None
    old_end: datetime | None = None
    new_start: datetime | None = None
    new_end: datetime | None = None
    old_satellite_id: str | None = None
    new_satellite_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": str(self.type)}
        for f in fields(self)[1:]:
            v = getattr(self, f.name)
            out[f.name] = to_iso(v) if isinstance(v, datetime) else v
        if self.old_start and self.new_start:
            out["shift_seconds"] = (self.new_start - self.old_start).total_seconds()
        return out


@dataclass(frozen=True)
class PlanningOutcome:
    items: list[PlannedItem]
    fixed: list[Acquisition]
    supersede: list[str]
    changes: list[Change]
    metrics: dict[str, Any]
    conflicts: list[Conflict]
    unserved: dict[str, str]
    input_hash: str
    status: str
    best_bound: float | None
    gap: float | None


# --------------------------------------------------------------------------- hashing
def _canonical(obj: Any) -> Any:
    if isinstance(obj, datetime):
        return to_iso(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else repr(obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _canonical(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, Mapping):
        return {str(k): _canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple)):
        return [_canonical(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return obj


def _planning_fields_of_order(o: Order) -> dict:
    return {"id": o.id, "target_id": o.target_id, "priority": o.priority, "status": o.status,
            "constraints": o.constraints, "window": [o.requested_window_start, o.requested_window_end]}


def _planning_fields_of_acq(a: Acquisition) -> dict:
    skip = {"created_at", "updated_at", "version"}
    return {f.name: getattr(a, f.name) for f in fields(a) if f.name not in skip}


def input_hash(request: PlanningRequest) -> str:
    """``sha256:`` + sha256 of the canonical JSON of every planning input (order-independent)."""
    doc = {
        "mode": request.mode, "algorithm": request.algorithm, "policy": request.policy,
        "policy_params": request.policy_params, "horizon": [request.horizon_start, request.horizon_end],
        "now": request.now, "freeze_window_hours": request.freeze_window_hours,
        "soft_lock_window_hours": request.soft_lock_window_hours, "value_config": request.value_config.to_dict(),
        "time_limit_s": request.time_limit_s, "tle_stale_days": request.tle_stale_days,
        "satellites": sorted(request.satellites, key=lambda s: s.id),
        "orders": [_planning_fields_of_order(o) for o in sorted(request.orders, key=lambda o: o.id)],
        "targets": sorted(request.targets, key=lambda t: t.id),
        "opportunities": sorted(request.opportunities, key=lambda o: o.id),
        "existing": [_planning_fields_of_acq(a) for a in sorted(request.existing, key=lambda a: a.id)],
        "initial": dict(request.initial),
        "sunlit": {k: [list(map(float, x)) for x in v] for k, v in request.sunlit.items()},
        "contacts": {k: [list(map(float, x)) for x in v] for k, v in request.contacts.items()},
        "unserved_reasons": dict(request.unserved_reasons),
    }
    if request.clear_sky:  # only when a forecast weighs values: plans without one keep their hash
        doc["clear_sky"] = dict(sorted(request.clear_sky.items()))
    digest = hashlib.sha256()
    for chunk in _json_chunks(_canonical(doc)):
        digest.update(chunk.encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def _json_chunks(obj: Any, depth: int = 2) -> Iterator[str]:
    """The canonical JSON text of ``obj`` (sorted keys, no spaces) in pieces: the top levels of
    dicts and lists are walked here so that no single C-level ``json.dumps`` of a week's
    opportunities holds the GIL for a second while the GUI thread waits for it."""
    def dumps(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)

    if depth and isinstance(obj, dict):
        yield "{"
        for k, key in enumerate(sorted(obj)):
            yield ("," if k else "") + dumps(key) + ":"
            yield from _json_chunks(obj[key], depth - 1)
        yield "}"
    elif depth and isinstance(obj, list):
        yield "["
        for k, value in enumerate(obj):
            if k:
                yield ","
            yield from _json_chunks(value, depth - 1)
        yield "]"
    else:
        yield dumps(obj)


# --------------------------------------------------------------------------- validation
def _check_request(r: PlanningRequest) -> None:
    for name in ("horizon_start", "horizon_end", "now"):
        t = getattr(r, name)
        if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
            raise ValidationError(name, f"must be an aware UTC datetime, got {t!r}")
    if r.horizon_end <= r.horizon_start:
        raise ValidationError("horizon_end", "must be after horizon_start")
    if r.freeze_window_hours < 0 or r.soft_lock_window_hours < 0:
        raise ValidationError("freeze_window_hours", "freeze and soft-lock windows must be ≥ 0")
    if r.time_limit_s <= 0:
        raise ValidationError("time_limit_s", f"must be > 0, got {r.time_limit_s}")
    sats = {s.id for s in r.satellites}
    orders = {o.id for o in r.orders}
    for k, o in enumerate(r.opportunities):
        if o.satellite_id not in sats:
            raise ValidationError(f"opportunities[{k}].satellite_id", f"unknown satellite {o.satellite_id!r}")
        if o.order_id not in orders:
            raise ValidationError(f"opportunities[{k}].order_id", f"unknown order {o.order_id!r}")
    for k, a in enumerate(r.existing):
        if a.satellite_id not in sats:
            raise ValidationError(f"existing[{k}].satellite_id", f"unknown satellite {a.satellite_id!r}")


# --------------------------------------------------------------------------- classification
FIXED, FREE, SHIFT, REPLACE = "fixed", "free", "shift", "replace"


def is_protected(a: Acquisition, freeze_cutoff: datetime) -> bool:
    """Hard-locked, frozen-zone (start < freeze cutoff) or executing/completed/failed: never changes
    (the edit rules' ``planning_refusals``: what a committed plan may not touch either)."""
    return bool(planning_refusals(a, check_delete(a, EditContext(freeze_cutoff, freeze_cutoff))))


def classify(request: PlanningRequest, a: Acquisition) -> str:
    """How planning may treat an existing acquisition: fixed, free, shift (never dropped, may move
    within the soft-lock bounds) or replace (kept unless a clearly better option exists)."""
    cutoff = request.now + timedelta(hours=request.freeze_window_hours)
    if is_protected(a, cutoff):
        return FIXED
    mode = request.mode
    if mode == PlanningMode.INCREMENTAL:
        return FIXED
    if mode == PlanningMode.FROM_SCRATCH:
        return FREE
    policy = request.policy or ReshufflePolicy.HARD_LOCK_COMMITTED
    tentative = a.state == AcquisitionState.TENTATIVE and a.lock_level == LockLevel.NONE
    if policy == ReshufflePolicy.HARD_LOCK_COMMITTED:
        return FREE if tentative else FIXED
    if policy == ReshufflePolicy.SOFT_LOCK_WINDOWED:
        return FREE if tentative else SHIFT
    if policy == ReshufflePolicy.REPLACE_IF_BETTER:
        return REPLACE if a.lock_level == LockLevel.NONE else FIXED
    # time_based_freeze: the zone the acquisition is in, or its own lock if stricter.
    soft_cutoff = request.now + timedelta(hours=request.soft_lock_window_hours)
    if a.start < soft_cutoff or a.lock_level == LockLevel.SOFT:
        return SHIFT
    return FREE


# --------------------------------------------------------------------------- planning
def _opportunity_of(a: Acquisition) -> Opportunity:
    """The acquisition as an opportunity (its current position)."""
    return Opportunity(id=a.id, satellite_id=a.satellite_id, target_id=a.target_id, start=a.start,
                       end=a.end, roll_deg=a.roll_deg, pitch_deg=a.pitch_deg,
                       roll_end_deg=a.roll_end_deg, pitch_end_deg=a.pitch_end_deg, variant="max",
                       order_id=a.order_id, incidence_deg=a.incidence_deg, look_side=a.look_side,
                       pass_direction=a.pass_direction, mode=a.mode)


def _score(fn: ScoreFunction, value: float, quality: float, order: Order, model: ValueModel) -> float:
    if fn == ScoreFunction.GEOMETRY:
        return quality
    if fn == ScoreFunction.PRIORITY:
        return model.priority_of(order)
    return value


def _stale_tle_count(request: PlanningRequest) -> int:
    count = 0
    for s in request.satellites:
        try:
            yy = int(s.tle_line1[18:20])
            day = float(s.tle_line1[20:32])
        except ValueError:
            continue
        year = 2000 + yy if yy < 57 else 1900 + yy
        epoch = datetime(year, 1, 1, tzinfo=request.horizon_start.tzinfo) + timedelta(days=day - 1)
        if (request.horizon_start - epoch).total_seconds() > request.tle_stale_days * 86400:
            count += 1
    return count


def plan(request: PlanningRequest, *, progress: Progress | None = None,
         cancel: Callable[[], bool] | None = None) -> PlanningOutcome:
    """Plan the horizon. Pure and deterministic: same request → same items and input_hash.

    See the module docstring for modes, policies and the outcome's meaning. Raises
    ValidationError on inconsistent inputs and Cancelled when ``cancel()`` turns True.
    """
    t0 = time.perf_counter()
    _check_request(request)
    mode = parse_enum(PlanningMode, request.mode, "mode")
    algorithm = parse_enum(Algorithm, request.algorithm, "algorithm")
    if mode == PlanningMode.RESHUFFLE and request.policy is not None:
        parse_enum(ReshufflePolicy, request.policy, "policy")
    request = replace(request, mode=mode, algorithm=algorithm)
    ihash = input_hash(request)
    orders = {o.id: o for o in request.orders}
    targets = {t.id: t for t in request.targets}
    model = ValueModel(request.value_config, orders, targets, request.clear_sky,
                       horizon=(request.horizon_start, request.horizon_end))
    specs = [SatelliteSpec.of(s) for s in sorted(request.satellites, key=lambda s: s.id)]
    sat_ids = {s.id for s in specs}
    cutoff = request.now + timedelta(hours=request.freeze_window_hours)
    params = request.policy_params

    existing = sorted((a for a in request.existing if a.satellite_id in sat_ids), key=lambda a: a.id)
    kind = {a.id: classify(request, a) for a in existing}
    served_existing = defaultdict(list)
    for a in existing:
        if a.order_id:
            served_existing[a.order_id].append(a)

    opps_by_order: dict[str, list[Opportunity]] = defaultdict(list)
    for o in sorted(request.opportunities, key=lambda o: o.id):
        opps_by_order[o.order_id].append(o)
    evaluated: dict[str, tuple[float, float]] = {}

    def evaluate(opp: Opportunity) -> tuple[float, float]:
        if opp.id not in evaluated:
            evaluated[opp.id] = model.evaluate(opp)
        return evaluated[opp.id]

    def schedulable(o: Opportunity) -> bool:
        return o.start >= cutoff and o.start >= request.horizon_start and o.end <= request.horizon_end

    # Which orders to schedule; for reshuffle, each rescheduled order's current acquisition.
    fixed_acqs: list[Acquisition] = []
    current_of: dict[str, Acquisition] = {}
    for a in existing:
        if not a.order_id:
            if kind[a.id] == FIXED or mode != PlanningMode.FROM_SCRATCH:
                fixed_acqs.append(a)
    for oid in sorted(served_existing):
        acqs = sorted(served_existing[oid], key=lambda a: (a.start, a.id))
        fixed_here = [a for a in acqs if kind[a.id] == FIXED]
        movable = [a for a in acqs if kind[a.id] != FIXED]
        if mode == PlanningMode.FROM_SCRATCH:
            fixed_acqs.extend(fixed_here)
            if not fixed_here and movable:
                current_of[oid] = movable[0]  # only to name what the new item replaces
        elif mode == PlanningMode.INCREMENTAL or fixed_here or not movable or oid not in orders:
            fixed_acqs.extend(acqs)  # served by a fixed acquisition: extra copies stay as they are
        else:
            current_of[oid] = movable[0]
            fixed_acqs.extend(movable[1:])
    fixed_ids = {a.id for a in fixed_acqs}
    to_schedule = [oid for oid in sorted(orders) if oid not in served_existing or oid in current_of]

    candidates: list[Candidate] = []
    cand_opp: dict[str, Opportunity] = {}
    required: dict[str, str] = {}
    replaces: dict[str, str] = {}
    for oid in to_schedule:
        order = orders[oid]
        acq = current_of.get(oid)
        opts = [o for o in opps_by_order.get(oid, ()) if schedulable(o)]
        if acq is not None and mode == PlanningMode.RESHUFFLE:
            k = kind[acq.id]
            own = _opportunity_of(acq)
            listed = next((o for o in opps_by_order.get(oid, ()) if o.id == acq.opportunity_id
                           and o.satellite_id == acq.satellite_id and o.start == acq.start), None)
            if listed is not None:
                own = listed
            if k == SHIFT:
                limit = params.max_shift_minutes * 60.0
                opts = [o for o in opts if o.satellite_id == acq.satellite_id and o.target_id == acq.target_id
                        and abs((o.start - acq.start).total_seconds()) <= limit + 1e-9
                        and inside_window(o.start, o.end, order.requested_window_start,
                                          order.requested_window_end)]
            elif k == REPLACE:
                v_own, q_own = evaluate(own)
                base = _score(params.score_function, v_own, q_own, order, model)
                factor = 1.0 + params.improvement_threshold_pct / 100.0
                opts = [o for o in opts
                        if _score(params.score_function, *evaluate(o), order, model) >= base * factor - 1e-12]
            opts = [o for o in opts if o.id != own.id] + [own]
            if k in (SHIFT, REPLACE):
                required[oid] = own.id  # kept or moved, never dropped
            replaces[own.id] = acq.id
        for o in opts:
            value, quality = evaluate(o)
            cand_opp[o.id] = o
            # The current position of an existing acquisition is usable by every algorithm.
            variant = "max" if o.id in replaces else o.variant
            candidates.append(candidate(o, oid, value, variant))
    fixed_items = [fixed_item(a, order_id=a.order_id, los=_los_of(a, request.opportunities)) for a in fixed_acqs]
    initial = {sid: att for sid, att in request.initial.items() if sid in sat_ids}
    for s in specs:
        initial.setdefault(s.id, InitialAttitude(to_epoch(request.horizon_start)))

    def build(required_now: dict[str, str], extra_fixed: list[FixedItem]) -> Problem:
        return Problem.build(specs, candidates, fixed_items + extra_fixed, initial=initial,
                             horizon_start=to_epoch(request.horizon_start), horizon_end=to_epoch(request.horizon_end),
                             sunlit=request.sunlit, contacts=request.contacts, required=required_now)

    problem = build(required, [])
    # A kept acquisition whose current position clashes with fixed items cannot be required
    # (the model would be infeasible): it then stays fixed where it is, and the detector reports it.
    if required:
        n = problem.n_candidates
        blocked = set(build_exclusions(problem, np.arange(n)).blocked.tolist())
        clash = {oid: cid for oid, cid in required.items() if problem.index[cid] in blocked}
        if clash:
            for oid, cid in clash.items():
                acq = current_of.pop(oid)
                fixed_acqs.append(acq)
                fixed_ids.add(acq.id)
                del required[oid]
            candidates = [c for c in candidates if c.order_id not in clash]
            fixed_items = [fixed_item(a, order_id=a.order_id, los=_los_of(a, request.opportunities))
                           for a in fixed_acqs]
            problem = build(required, [])

    selected, status, bound, gap = solve_indices(problem, algorithm, time_limit_s=request.time_limit_s,
                                                 progress=progress, cancel=cancel)

    # ------------------------------------------------------------------ outcome
    items_opps = [cand_opp[problem.ids[i]] for i in selected]
    # Manoeuvre and slack of each item from whatever precedes it on its satellite (fixed or item).
    placed: list[tuple[Placement, str | None]] = [(a.placement, None) for a in fixed_acqs]
    placed += [(o.placement, o.id) for o in items_opps]
    spec_by_id = {s.id: s for s in specs}
    maneuver: dict[str, tuple[float, float]] = {}
    by_sat: dict[str, list[tuple[Placement, str | None]]] = defaultdict(list)
    for p, ref in placed:
        by_sat[p.satellite_id].append((p, ref))
    for sid, rows in by_sat.items():
        rows.sort(key=lambda pr: (pr[0].start, pr[0].end))
        ag = spec_by_id[sid].agility
        att = initial[sid]
        prev_end, prev_roll, prev_pitch, prev_los = att.time, att.roll_deg, att.pitch_deg, att.los
        for p, ref in rows:
            slew = slew_time(ag, prev_roll, prev_pitch, p.roll_deg, p.pitch_deg, prev_los, p.los_start)
            start, end = epoch_span(p)
            if ref is not None:
                maneuver[ref] = (slew, start - prev_end - slew)
            prev_end, prev_roll, prev_pitch, prev_los = end, p.roll_end_deg, p.pitch_end_deg, p.los_end

    items: list[PlannedItem] = []
    for o in sorted(items_opps, key=lambda o: (o.start, o.satellite_id, o.id)):
        value, quality = evaluate(o)
        rep = replaces.get(o.id)
        if rep is None and o.order_id in current_of and current_of[o.order_id].id not in fixed_ids:
            rep = current_of[o.order_id].id
        man, slack = maneuver[o.id]
        items.append(PlannedItem(o, value, quality, round(man, 6), round(slack, 6), rep))

    # Superseded and change list.
    supersede: list[str] = []
    changes: list[Change] = []
    item_by_order = {it.opportunity.order_id: it for it in items}
    for a in existing:
        if a.id in fixed_ids:
            changes.append(Change(ChangeType.UNCHANGED, a.order_id, a.target_id, a.id, a.opportunity_id,
                                  a.start, a.end, a.start, a.end, a.satellite_id, a.satellite_id))
            continue
        it = item_by_order.get(a.order_id) if a.order_id else None
        if it is not None and current_of.get(a.order_id) is not a:
            it = None
        if mode == PlanningMode.FROM_SCRATCH:
            supersede.append(a.id)
        if it is None or it.replaces_acquisition_id != a.id:
            if mode != PlanningMode.FROM_SCRATCH:
                supersede.append(a.id)
            changes.append(Change(ChangeType.REMOVED, a.order_id, a.target_id, a.id, a.opportunity_id,
                                  a.start, a.end, None, None, a.satellite_id, None))
            continue
        o = it.opportunity
        if o.satellite_id != a.satellite_id:
            ctype = ChangeType.SATELLITE_SWITCHED
        elif o.start != a.start or o.end != a.end or o.roll_deg != a.roll_deg:
            ctype = ChangeType.MOVED
        else:
            ctype = ChangeType.UNCHANGED
        changes.append(Change(ctype, a.order_id, a.target_id, a.id, o.id, a.start, a.end, o.start, o.end,
                              a.satellite_id, o.satellite_id))
    for it in items:
        if it.replaces_acquisition_id is None:
            o = it.opportunity
            changes.append(Change(ChangeType.ADDED, o.order_id, o.target_id, None, o.id, None, None, o.start, o.end,
                                  None, o.satellite_id))
    changes.sort(key=lambda c: (str(c.type), c.order_id or "", c.acquisition_id or "", c.opportunity_id or ""))

    # Conflicts of the resulting schedule (fixed acquisitions + items).
    pseudo = [as_acquisition(it, request.workspace_id) for it in items]
    schedule = list(fixed_acqs) + pseudo
    los = {p.id: (it.opportunity.los_start, it.opportunity.los_end) for p, it in zip(pseudo, items)
           if it.opportunity.los_start is not None}
    los.update({a.id: l for a in fixed_acqs if (l := _los_of(a, request.opportunities))[0] is not None})
    conflicts = detect_conflicts(schedule, DetectionInput(
        satellites={s.id: s for s in specs}, horizon_start=request.horizon_start, horizon_end=request.horizon_end,
        initial=initial, sunlit=request.sunlit, contacts=request.contacts, alternatives=dict(opps_by_order),
        orders=orders, los=los, workspace_id=request.workspace_id, with_resolutions=False))

    # Unserved orders and metrics.
    served = {it.opportunity.order_id for it in items} | {a.order_id for a in fixed_acqs if a.order_id}
    unserved: dict[str, str] = {}
    for oid in sorted(orders):
        if oid in served:
            continue
        if oid in request.unserved_reasons:
            unserved[oid] = request.unserved_reasons[oid]
        elif not opps_by_order.get(oid):
            unserved[oid] = REASON_NO_OPPORTUNITY
        elif not any(schedulable(o) for o in opps_by_order[oid]):
            unserved[oid] = REASON_FILTERED
        else:
            unserved[oid] = REASON_LOST_TO_CONFLICT
    metrics = _metrics(request, items, fixed_acqs, orders, unserved, conflicts, specs, gap, status)
    metrics["runtime_ms"] = round((time.perf_counter() - t0) * 1000.0, 3)
    metrics["stale_tle_count"] = _stale_tle_count(request)
    return PlanningOutcome(items, sorted(fixed_acqs, key=lambda a: (a.start, a.id)), sorted(supersede), changes,
                           metrics, conflicts, unserved, ihash, status, bound, gap)


def _los_of(a: Acquisition, opportunities: Sequence[Opportunity]):
    # Lines of sight of an existing acquisition come from its opportunity when it is known
    # and unchanged (same satellite and start); the eigen-axis model then uses them.
    if not a.opportunity_id:
        return (None, None)
    for o in opportunities:
        if o.id == a.opportunity_id and o.satellite_id == a.satellite_id and o.start == a.start:
            return (o.los_start, o.los_end)
    return (None, None)


def as_acquisition(it: PlannedItem, workspace_id: str | None) -> Acquisition:
    """A planned item as the acquisition it would become (id: the acquisition it replaces, else
    ``item:<opportunity id>``), for metrics and conflict detection of a proposed schedule."""
    o = it.opportunity
    return Acquisition(id=it.replaces_acquisition_id or f"item:{o.id}", workspace_id=workspace_id or "",
                       target_id=o.target_id, mode=o.mode, order_id=o.order_id, opportunity_id=o.id,
                       quality_score=it.quality, maneuver_time_s=it.maneuver_time_s, slack_time_s=it.slack_time_s,
                       **o.placement.stored_fields())


def _metrics(request, items, fixed_acqs, orders, unserved, conflicts, specs, gap, status) -> dict[str, Any]:
    n_orders = len(orders)
    served = n_orders - len(unserved)
    inc = [it.opportunity.incidence_deg for it in items if it.opportunity.incidence_deg is not None]
    imaging = sum(it.opportunity.duration_s for it in items)
    man = sum(it.maneuver_time_s for it in items)
    horizon_s = (request.horizon_end - request.horizon_start).total_seconds() * max(1, len(specs))
    reasons: dict[str, int] = defaultdict(int)
    for r in unserved.values():
        reasons[r] += 1
    out = {
        "accepted": len(items),
        "rejected": len(unserved),
        "rejected_by_reason": dict(sorted(reasons.items())),
        "rejected_orders": [{"order_id": k, "reason": v} for k, v in unserved.items()],
        "orders": n_orders,
        "orders_served": served,
        "coverage": served / n_orders if n_orders else 1.0,
        "total_value": float(sum(it.value for it in items)),
        "mean_incidence_deg": float(np.mean(inc)) if inc else None,
        "mean_quality": float(np.mean([it.quality for it in items])) if items else None,
        "total_imaging_time_s": imaging,
        "total_maneuver_time_s": man,
        "utilisation": (imaging + man) / horizon_s if horizon_s > 0 else 0.0,
        "conflicts": len(conflicts),
        "conflicts_summary": summary(conflicts),
        "error_conflicts": sum(1 for c in conflicts if c.severity == Severity.ERROR),
        "fixed_acquisitions": len(fixed_acqs),
        "status": status,
        "algorithm": str(request.algorithm),
        "mode": str(request.mode),
    }
    if request.clear_sky:
        # Values are expected values (× P(clear)); say so, and how many items the forecast weighed.
        weighed = [request.clear_sky[it.opportunity.id] for it in items if it.opportunity.id in request.clear_sky]
        out["expected_value"] = out["total_value"]
        out["cloud_forecast"] = {"items_weighted": len(weighed),
                                 "mean_p_clear": float(np.mean(weighed)) if weighed else None}
    if request.algorithm == Algorithm.OPTIMAL:
        out["optimality_gap"] = gap
    return out
