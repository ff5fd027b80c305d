"""Planning a workspace (spec sections 7–12): gather the inputs, compute access, plan, store the
candidate plan; compare it with the current schedule; reject it.

``run_planning`` is what the Plan… / Reshuffle… actions and ``python -m app plan`` call. It never
changes the schedule: the result is a *candidate* plan whose orders leave the Inbox (``planned``)
until the plan is committed (``app.services.commits``) or rejected.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from app.domain import (Acquisition, AcquisitionState, Algorithm, ChangeType, Conflict, Order, OrderStatus, PlanItem,
                        PlanningMode, ReshufflePolicy, ValidationError, checks, limits, new_run_id, parse_utc, to_iso,
                        utc_now)
from app.domain.enums import parse_enum
from app.domain.progress import FractionProgress
from app.domain.scenario import WEIGHT_PRESETS
from app.domain.times import to_epoch
from app.persistence import ScheduleDB
from app.scheduling.planner import as_acquisition
from app.scheduling import (Cancelled, InitialAttitude, PlanningRequest, PolicyParams, ValueConfig, compare_plans,
                            plan, plan_changes)

from . import access_service, conflict_service, forecasts
from .edits import opportunity_changes
from .plan_metrics import schedule_metrics
from .workspaces import resolve_workspace

__all__ = ["Cancelled", "PlanOptions", "PlanResult", "run_planning", "compare_plan", "reject_plan",
           "OPEN_ORDER_STATES"]

Progress = FractionProgress

#: Orders planning considers: not yet served, planned in a candidate, or served by the schedule.
OPEN_ORDER_STATES = (OrderStatus.NEW, OrderStatus.PLANNED, OrderStatus.COMMITTED)
#: Acquisition states that occupy the spacecraft (a failed one no longer does).
_LIVE_STATES = tuple(s.value for s in AcquisitionState if s != AcquisitionState.FAILED)
#: Share of the progress bar taken by the access computation.
_ACCESS_SHARE = 0.6


@dataclass(frozen=True)
class PlanOptions:
    """One planning run. Horizon None = the workspace's; value settings None = the workspace's;
    ``order_ids`` empty = every open order whose requested window meets the horizon. ``weights``
    ({"priority", "geometry", "timing"}) override the preset."""

    mode: str = "from_scratch"
    algorithm: str = "best_fit"
    horizon_start: datetime | None = None
    horizon_end: datetime | None = None
    policy: str | None = None
    policy_params: Mapping[str, Any] = field(default_factory=dict)
    value_source: str | None = None
    weights_preset: str | None = None
    weights: Mapping[str, float] | None = None
    quality_model: str | None = None
    time_limit_s: float = 30.0
    order_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "mode", parse_enum(PlanningMode, self.mode, "mode"))
        object.__setattr__(self, "algorithm", parse_enum(Algorithm, self.algorithm, "algorithm"))
        if self.policy is not None:
            object.__setattr__(self, "policy", parse_enum(ReshufflePolicy, self.policy, "policy"))
        if self.weights_preset is not None and self.weights_preset not in WEIGHT_PRESETS:
            raise ValidationError("weights_preset", f"unknown preset {self.weights_preset!r}; "
                                                    f"known: {', '.join(WEIGHT_PRESETS)}")
        for name in ("horizon_start", "horizon_end"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, parse_utc(value, name))
        checks.positive(self.time_limit_s, "time_limit_s", hi=limits.MAX_TIME_LIMIT_S)
        if self.weights is not None:
            if not isinstance(self.weights, Mapping):
                raise ValidationError("weights", "must map priority/geometry/timing to numbers")
            for key, value in self.weights.items():
                if key not in ("priority", "geometry", "timing"):
                    raise ValidationError(f"weights.{key}", "unknown weight; known: priority, geometry, timing")
                checks.positive(value, f"weights.{key}", allow_zero=True, hi=limits.MAX_WEIGHT)
        if self.horizon_start is not None and self.horizon_end is not None:
            _check_horizon(self.horizon_start, self.horizon_end)
        PolicyParams(**dict(self.policy_params))  # validates names and ranges now, not mid-run

    @classmethod
    def from_dialog(cls, config: Mapping[str, Any]) -> "PlanOptions":
        """Options from the Plan dialog's ``config()`` (unknown keys refused by name)."""
        known = {f for f in cls.__dataclass_fields__}
        unknown = sorted(set(config) - known)
        if unknown:
            raise ValidationError(unknown[0], f"unknown planning option; known: {', '.join(sorted(known))}")
        values = {k: v for k, v in config.items() if v is not None}
        if values.get("weights_preset") in WEIGHT_PRESETS:
            values.pop("weights", None)  # the preset's weights, shown in the dialog for reference
        else:
            values.pop("weights_preset", None)
        return cls(**values)


@dataclass(frozen=True)
class PlanResult:
    """A stored candidate plan and what the planner said about it."""

    plan_id: str
    workspace_id: str
    mode: str
    algorithm: str
    status: str
    metrics: dict[str, Any]
    changes: list[dict[str, Any]]
    items: list[PlanItem]
    unserved: dict[str, str]
    conflicts: list
    input_hash: str
    run_id: str
    best_bound: float | None
    gap: float | None

    def summary(self) -> dict[str, Any]:
        """The JSON the CLI prints: identifiers, status and metrics (without the per-order lists)."""
        m = {k: v for k, v in self.metrics.items() if k not in ("rejected_orders",)}
        return {"plan_id": self.plan_id, "run_id": self.run_id, "mode": self.mode, "algorithm": self.algorithm,
                "status": self.status, "input_hash": self.input_hash, "best_bound": self.best_bound,
                "gap": self.gap, "metrics": m, "unserved": self.unserved,
                "change_counts": _count(c["type"] for c in self.changes)}


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items()))


def _horizon(settings, options: PlanOptions) -> tuple[datetime, datetime]:
    start = options.horizon_start or settings.horizon_start
    end = options.horizon_end or settings.horizon_end
    if start is None or end is None:
        raise ValidationError("horizon", "the workspace has no horizon: give --horizon-start and --horizon-end")
    _check_horizon(start, end)
    return start, end


def _check_horizon(start: datetime, end: datetime) -> None:
    if end <= start:
        raise ValidationError("horizon_end", "must be after horizon_start")
    if end - start > timedelta(days=limits.MAX_HORIZON_DAYS):
        raise ValidationError("horizon_end", f"the horizon is longer than {limits.MAX_HORIZON_DAYS} days")


def _value_config(settings, options: PlanOptions) -> ValueConfig:
    if options.weights is not None:
        weights = tuple(float(options.weights.get(k, 0.0)) for k in ("priority", "geometry", "timing"))
    else:
        weights = WEIGHT_PRESETS[options.weights_preset] if options.weights_preset else settings.weights
    return ValueConfig(value_source=options.value_source or settings.value_source, weights=weights,
                       quality_model=options.quality_model or settings.quality_model,
                       ideal_incidence_deg=settings.ideal_incidence_deg, band_width_deg=settings.band_width_deg)


def _in_horizon(order: Order, start: datetime, end: datetime) -> bool:
    s, e = order.requested_window_start, order.requested_window_end
    return (s is None or s < end) and (e is None or e > start)


def planning_inputs(db: ScheduleDB, workspace: str, options: PlanOptions) -> dict[str, Any]:
    """Everything a run reads from the database, in one place (the GUI shows the same figures)."""
    ws = resolve_workspace(db, workspace)
    start, end = _horizon(ws.settings, options)
    # Read before the acquisitions: a change landing in between makes the commit re-check.
    schedule_version = db.schedule_version(ws.id)
    existing = db.list_acquisitions(ws.id, start_time=start, end_time=end, states=_LIVE_STATES)
    open_orders = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.status in OPEN_ORDER_STATES]
    by_id = {o.id: o for o in open_orders}
    if options.order_ids:
        missing = [oid for oid in options.order_ids if oid not in by_id]
        if missing:
            raise ValidationError("order_ids", f"{missing[0]} is not an open order of workspace {ws.name}")
        wanted = set(options.order_ids) | {a.order_id for a in existing if a.order_id}
        orders = [o for o in open_orders if o.id in wanted]
    else:
        served = {a.order_id for a in existing if a.order_id}
        orders = [o for o in open_orders if o.id in served or _in_horizon(o, start, end)]
    # "planned" only means held by a candidate plan, which this run replaces: to the planner
    # (and the input hash) such an order is as new as it was before that candidate.
    orders = [replace(o, status=OrderStatus.NEW) if o.status == OrderStatus.PLANNED else o for o in orders]
    return {"workspace": ws, "start": start, "end": end, "existing": existing, "orders": orders,
            "schedule_version": schedule_version,
            "satellites": db.list_satellites(ws.id), "targets": db.list_targets(ws.id),
            "stations": db.list_ground_stations(ws.id)}


def _initial_attitudes(db: ScheduleDB, ws_id: str, satellites, start: datetime) -> dict[str, InitialAttitude]:
    out = {}
    for s in satellites:
        last = db.last_acquisition_before(ws_id, s.id, start)
        if last is not None:
            out[s.id] = InitialAttitude(to_epoch(last.end), last.roll_end_deg, last.pitch_end_deg)
    return out


def run_planning(db: ScheduleDB, workspace: str, options: PlanOptions, *, progress: Progress | None = None,
                 cancel: Callable[[], bool] | None = None, now: datetime | None = None,
                 for_commit: bool = False) -> PlanResult:
    """Compute access for the open orders, plan the horizon and store a candidate plan.

    ``now`` defaults to the workspace's scenario clock, else the real time; the frozen zone is
    [now, now + freeze_window_hours). Earlier candidate plans of the workspace are rejected (their
    orders return to the Inbox before this plan takes them). Raises Cancelled when ``cancel()``
    turns True; nothing is written then. ``for_commit``: the plan is to be committed at once, so
    one with nothing to commit is refused before it is stored.
    """
    inputs = planning_inputs(db, workspace, options)
    ws, start, end = inputs["workspace"], inputs["start"], inputs["end"]
    settings = ws.settings
    now = now or settings.scenario_clock or utc_now()

    def access_progress(fraction: float, message: str) -> None:
        if progress is not None:
            progress(_ACCESS_SHARE * fraction, message or "computing access")

    def plan_progress(done: float, total: float, message: str = "") -> None:
        if progress is not None:
            fraction = done / total if total else 1.0
            progress(_ACCESS_SHARE + (1.0 - _ACCESS_SHARE) * fraction, message or "planning")

    access = access_service.order_opportunities(inputs["satellites"], inputs["targets"], inputs["orders"],
                                                start, end, settings, progress=access_progress, cancel=cancel)
    sunlit = access_service.sunlight(inputs["satellites"], start, end)
    needs_contacts = any(s.memory_gbit for s in inputs["satellites"])
    contacts = (access_service.contacts(inputs["satellites"], inputs["stations"], start, end)
                if needs_contacts else {})
    if cancel is not None and cancel():
        raise Cancelled("planning cancelled")
    request = PlanningRequest(
        mode=options.mode, algorithm=options.algorithm, satellites=inputs["satellites"], orders=inputs["orders"],
        targets=inputs["targets"], opportunities=access.all, horizon_start=start, horizon_end=end, now=now,
        existing=inputs["existing"], initial=_initial_attitudes(db, ws.id, inputs["satellites"], start),
        value_config=_value_config(settings, options), freeze_window_hours=settings.freeze_window_hours,
        soft_lock_window_hours=settings.soft_lock_window_hours, policy=options.policy,
        policy_params=PolicyParams(**dict(options.policy_params)), time_limit_s=options.time_limit_s,
        sunlit=sunlit, contacts=contacts, unserved_reasons=access.reasons, tle_stale_days=settings.tle_stale_days,
        workspace_id=ws.id, clear_sky=forecasts.clear_sky(db, ws.id, access.all, inputs["targets"]))
    outcome = plan(request, progress=plan_progress, cancel=cancel)

    items = outcome.items
    proposed = list(outcome.fixed) + [as_acquisition(it, ws.id) for it in items]
    metrics = dict(outcome.metrics)
    metrics["schedule"] = schedule_metrics(proposed, inputs["orders"], inputs["targets"], request.value_config,
                                           outcome.conflicts, horizon=(start, end))
    rows = _item_rows(outcome, inputs["existing"], db)
    config = {"mode": str(options.mode), "algorithm": str(options.algorithm),
              "policy": str(options.policy) if options.policy else None, "policy_params": dict(options.policy_params),
              "horizon_start": to_iso(start), "horizon_end": to_iso(end), "now": to_iso(now),
              "value_config": request.value_config.to_dict(), "time_limit_s": options.time_limit_s,
              "unserved": outcome.unserved}
    only_unchanged = all(c.type == ChangeType.UNCHANGED for c in outcome.changes)
    if not rows and (not outcome.changes or for_commit
                     or (only_unchanged and options.mode == PlanningMode.INCREMENTAL)):
        # Nothing to propose (an incremental run over a schedule that already serves every open
        # order lists its acquisitions as "unchanged"), or nothing to commit: an empty candidate
        # would only replace the current one (and send its orders back to the Inbox) for nothing.
        # A reshuffle that keeps everything is still shown (its change list says so).
        between = f"between {to_iso(start)} and {to_iso(end)}"
        if outcome.unserved or not inputs["orders"]:
            why = f"no open order of {ws.name} can be served {between}" + (
                f" ({len(outcome.unserved)} unserved)" if outcome.unserved else "")
        else:
            why = f"every open order of {ws.name} {between} is already served"
        raise ValidationError("plan", f"nothing to plan: {why}")
    run_id = new_run_id()
    stored, stored_items = db.store_candidate_plan(str(options.algorithm), config, outcome.input_hash, run_id,
                                                   metrics, ws.id, rows, score=metrics.get("total_value"),
                                                   schedule_version=inputs["schedule_version"])
    # The change list is read back from the stored items: the one Compare shows and the commit applies.
    changes = _changes(stored_items, inputs["existing"])
    placed = [it for it in stored_items if it.change_type != ChangeType.REMOVED]
    return PlanResult(stored.id, ws.id, str(options.mode), str(options.algorithm), outcome.status, metrics, changes,
                      placed, outcome.unserved, outcome.conflicts, outcome.input_hash, run_id, outcome.best_bound,
                      outcome.gap)


def _item_rows(outcome, existing: list[Acquisition], db: ScheduleDB) -> list[dict[str, Any]]:
    """The plan's rows: each planned item with what its commit does to the schedule (added, or the
    acquisition it puts in place: moved / satellite_switched / unchanged), and a ``removed`` row
    (the placement it removes) for each superseded acquisition no item replaces."""
    kinds = {c.acquisition_id: c.type for c in outcome.changes if c.acquisition_id}
    rows, in_place = [], set()
    for it in outcome.items:
        rep = it.replaces_acquisition_id
        kind = kinds.get(rep) if rep else None
        if kind is None or kind == ChangeType.REMOVED:  # a new acquisition (the old one, if any, is removed)
            rows.append({**_item_row(it), "change_type": ChangeType.ADDED})
            continue
        in_place.add(rep)
        rows.append({**_item_row(it), "change_type": kind, "replaces_acquisition_id": rep})
    gone = [a for a in outcome.supersede if a not in in_place]
    by_id = {a.id: a for a in existing}
    missing = [a for a in gone if a not in by_id]
    if missing:
        by_id.update({a.id: a for a in db.get_acquisitions(missing)})
    for aid in gone:
        if aid in by_id:
            rows.append(_removed_row(by_id[aid]))
    return rows


def _removed_row(a: Acquisition) -> dict[str, Any]:
    return {**a.placement.stored_fields(), "opportunity_id": a.opportunity_id or a.id, "target_id": a.target_id,
            "order_id": a.order_id, "quality_score": a.quality_score, "maneuver_time_s": a.maneuver_time_s,
            "slack_time_s": a.slack_time_s, "change_type": ChangeType.REMOVED, "replaces_acquisition_id": a.id}


def _changes(items: list[PlanItem], existing: list[Acquisition]) -> list[dict[str, Any]]:
    """The plan's change list from its stored items; the horizon's other acquisitions are unchanged."""
    touched = {it.replaces_acquisition_id for it in items if it.replaces_acquisition_id}
    return plan_changes(items, {a.id: a for a in existing if a.id in touched},
                        [a for a in existing if a.id not in touched])


def _item_row(it) -> dict[str, Any]:
    o = it.opportunity
    return {**opportunity_changes(o), "target_id": o.target_id, "order_id": o.order_id, "value": it.value,
            "quality_score": it.quality, "maneuver_time_s": it.maneuver_time_s, "slack_time_s": it.slack_time_s}


def compare_plan(db: ScheduleDB, workspace: str, plan_id: str,
                 current_conflicts: Sequence[Conflict] | None = None) -> dict[str, Any]:
    """Compare Plans (spec section 12): the current schedule of the plan's horizon, as it is now,
    against the schedule the plan would leave; rows with deltas and ▲/▼, and the change list.

    The current schedule's conflicts are those of ``current_conflicts`` (the stored list the
    Conflicts tab shows, just detected) that involve an acquisition of the horizon; without it
    they are detected the same way (``conflict_service.detect``): one count everywhere."""
    ws = resolve_workspace(db, workspace)
    stored = db.get_plan(plan_id)
    if stored.workspace_id != ws.id:
        raise ValidationError("plan_id", f"plan {plan_id} belongs to another workspace")
    start, end = parse_utc(stored.config["horizon_start"]), parse_utc(stored.config["horizon_end"])
    existing = db.list_acquisitions(ws.id, start_time=start, end_time=end, states=_LIVE_STATES)
    orders = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.status in OPEN_ORDER_STATES]
    orders = [o for o in orders if _in_horizon(o, start, end) or any(a.order_id == o.id for a in existing)]
    if current_conflicts is None:
        current_conflicts = conflict_service.detect(db, ws.id, existing)
    shown = {a.id for a in existing}
    conflicts = [c for c in current_conflicts if shown & set(c.acquisition_ids)]
    current = schedule_metrics(existing, orders, db.list_targets(ws.id), ValueConfig(**stored.config["value_config"]),
                               conflicts, horizon=(start, end))
    proposed = dict(stored.metrics.get("schedule", {}))
    proposed["coverage"] = (proposed.get("orders_served", 0) / len(orders)) if orders else 1.0
    result = compare_plans(current, proposed, stored_changes(db, plan_id, existing))
    result.update({"plan_id": plan_id, "algorithm": stored.algorithm, "mode": stored.config.get("mode"),
                   "current": current, "proposed": proposed, "unserved": stored.config.get("unserved", {})})
    return result


def stored_changes(db: ScheduleDB, plan_id: str, existing: list[Acquisition]) -> list[dict[str, Any]]:
    """The change list of a stored plan (its items' change types; see ``scheduling.plan_changes``),
    against the schedule as it is now: ``existing`` are the live acquisitions of its horizon."""
    items = db.get_plan_items(plan_id, removed=True)
    touched = [it.replaces_acquisition_id for it in items if it.replaces_acquisition_id]
    known = {a.id for a in existing}
    others = db.get_acquisitions([a for a in touched if a not in known]) if set(touched) - known else []
    return _changes(items, [*existing, *others])


def reject_plan(db: ScheduleDB, workspace: str, plan_id: str) -> None:
    """Reject a candidate plan: its orders go back to the Inbox (audited)."""
    ws = resolve_workspace(db, workspace)
    stored = db.get_plan(plan_id)
    if stored.workspace_id != ws.id:
        raise ValidationError("plan_id", f"plan {plan_id} belongs to another workspace")
    db.set_plan_status(plan_id, "rejected")



def stored_candidate(db: ScheduleDB, workspace: str) -> PlanResult | None:
    """The workspace's candidate plan as stored (a plan kept when the workbench was closed comes
    back on reopen), or None. Its conflicts are not stored: the list is empty, the count is in
    ``metrics["error_conflicts"]``."""
    ws = resolve_workspace(db, workspace)
    stored = next(iter(db.list_plans(ws.id, status="candidate")), None)
    if stored is None:
        return None
    c = stored.config
    start, end = parse_utc(c["horizon_start"]), parse_utc(c["horizon_end"])
    existing = db.list_acquisitions(ws.id, start_time=start, end_time=end, states=_LIVE_STATES)
    return PlanResult(stored.id, ws.id, str(c.get("mode", "from_scratch")), stored.algorithm,
                      str(stored.metrics.get("status", "stored")), dict(stored.metrics),
                      stored_changes(db, stored.id, existing), db.get_plan_items(stored.id),
                      dict(c.get("unserved", {})), [], stored.input_hash, stored.run_id, None, None)


def commit_preview(result: PlanResult) -> dict[str, int]:
    """What committing ``result`` will do, counted as the commit counts it (``CommitPlan.committed``),
    from the same change list: ``acquisitions`` added, moved or switched (kept ones are updated in
    place only when they change) and ``removed``."""
    counts: dict[str, int] = {}
    for c in result.changes:
        counts[str(c["type"])] = counts.get(str(c["type"]), 0) + 1
    changed = counts.get("added", 0) + counts.get("moved", 0) + counts.get("satellite_switched", 0)
    return {"acquisitions": changed, "removed": counts.get("removed", 0)}
