"""The workspace clock and time passing (spec §10), applied in one audited transaction.

The clock is the workspace's ``scenario_clock`` setting (what every "now" of the application reads;
None = live UTC). Moving it promotes acquisitions by ``app.domain.clock.promotion``, turns started
ones ``executing``, and drops candidate plan items whose start has passed. The audit rows name the
clock as the actor. A clock step is history: there is no undo.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Integer, String, and_, bindparam, delete, or_, select, update

from app.domain import NotFoundError, RuleViolation, WorkspaceSettings, to_iso, utc_now
from app.domain.clock import CLOCK_ACTOR, check_clock, promotion, promotion_horizon
from app.domain.enums import IMMUTABLE_STATES, AcquisitionState, LockLevel, OrderStatus, PlanStatus
from app.domain.operations import DroppedItem, TimePassing

from . import rows
from .models import ACQUISITIONS, PLAN_ITEMS, PLANS, WORKSPACES, AcquisitionRow
from .store import _AUDIT_INSERT, StoreBase, bulk_insert, chunks, raise_stale
from .types import format_utc

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_PROMOTE = (update(ACQUISITIONS)
            .where(ACQUISITIONS.c.id == bindparam("b_id", type_=String()),
                   ACQUISITIONS.c.version == bindparam("b_version", type_=Integer()))
            .values(state=bindparam("state", type_=String()), lock_level=bindparam("lock_level", type_=String()),
                    version=bindparam("version", type_=Integer()), updated_at=bindparam("updated_at", type_=String())))

_LIVE_STATES = [s.value for s in AcquisitionState if s not in IMMUTABLE_STATES]
_DONE_STATES = [s.value for s in IMMUTABLE_STATES]
#: Keep the workspace's clock unchanged (``move_clock``'s default).
KEEP = object()


class ClockStore(StoreBase):

    def move_clock(self, workspace_id: str, clock: Any = KEEP, *, real_now: datetime | None = None,
                   field: str = "clock") -> TimePassing:
        """Set the workspace's clock and apply time passing, in ONE transaction.

        ``clock``: an aware datetime (the scenario clock), None (live: follow real UTC), or KEEP
        (leave it; just apply time passing, as opening a workspace does). ``real_now`` stands for
        the real UTC time in live mode (tests). Going back before the start of an acquisition that
        has already executed (executing, completed, failed) is refused; nothing is written then.
        A scenario clock more than ``limits.MAX_CLOCK_OUTSIDE_HORIZON_DAYS`` outside the
        workspace's horizon is refused too (ValidationError naming ``field``); live UTC is not: it
        is the real time, whatever the horizon.
        """
        with self._write() as s:
            self._lock_schedule(s, [workspace_id])  # time passing changes acquisition states
            return self._move_clock(s, workspace_id, clock, real_now or utc_now(), field)

    def _move_clock(self, s: Connection, workspace_id: str, clock: Any, real_now: datetime,
                    field: str = "clock") -> TimePassing:
        ws = WORKSPACES.c
        row = s.execute(select(ws.settings_json, ws.clock_applied_at).where(ws.id == workspace_id)
                        .with_for_update()).first()
        if row is None:
            raise NotFoundError("workspace", workspace_id)
        settings = rows.settings_from_json(row[0])
        before_clock = settings.scenario_clock
        applied = row[1]
        new_clock = before_clock if clock is KEEP else clock
        now = new_clock or real_now
        latest = max((t for t in (applied, before_clock) if t is not None), default=None)
        if new_clock is not None and new_clock != before_clock:
            check_clock(new_clock, settings.horizon_start, settings.horizon_end, latest, field)
        if latest is not None and now < latest:
            self._refuse_backwards(s, workspace_id, now)
        at = utc_now()
        result = self._pass_time(s, workspace_id, settings, now, at)
        values: dict[str, Any] = {"clock_applied_at": now, "updated_at": at}
        if new_clock != before_clock:
            data = dict(row[0] or {})
            data["scenario_clock"] = to_iso(new_clock) if new_clock is not None else None
            values["settings_json"] = data
        s.execute(update(WORKSPACES).where(ws.id == workspace_id).values(values))
        result = TimePassing(workspace_id, applied or before_clock, now, new_clock is None, *result)
        if new_clock != before_clock or result.changed:
            entry = self._audit_row(
                "time_passing", "workspace", workspace_id,
                {"scenario_clock": before_clock, "clock_applied_at": applied},
                {"scenario_clock": new_clock, "clock_applied_at": now, "live": new_clock is None,
                 "executing": len(result.executing), "hard_locked": len(result.hard_locked),
                 "soft_locked": len(result.soft_locked),
                 "dropped_plan_items": [{"id": d.item_id, "order_id": d.order_id, "target_id": d.target_id,
                                         "satellite_id": d.satellite_id, "start": d.start}
                                        for d in result.dropped],
                 "orders_returned_to_new": list(result.orders_returned)}, workspace_id, at)
            entry["who"] = CLOCK_ACTOR
            self._audit_many(s, [entry])
        return result

    @staticmethod
    def _refuse_backwards(s: Connection, workspace_id: str, now: datetime) -> None:
        t = ACQUISITIONS.c
        row = s.execute(select(t.target_id, t.satellite_id, t.start_time, t.state)
                        .where(t.workspace_id == workspace_id, t.state.in_(_DONE_STATES), t.start_time >= now)
                        .order_by(t.start_time.desc()).limit(1)).first()
        if row is not None:
            target, sat, start, state = row
            raise RuleViolation(
                "clock", f"cannot go back to {to_iso(now)}: the acquisition of {target} by {sat} at "
                         f"{to_iso(start)} has already executed ({state.value}); the clock may only go back "
                         f"to a time after {to_iso(start)}")

    def _pass_time(self, s: Connection, workspace_id: str, settings: WorkspaceSettings, now: datetime,
                   at: datetime) -> tuple:
        """Promotions and dropped plan items at ``now``; returns the TimePassing fields after ``live``."""
        freeze, soft = settings.freeze_window_hours, settings.soft_lock_window_hours
        t = ACQUISITIONS.c
        cutoff = now + timedelta(hours=freeze)
        # Only rows the rule may change (started; in the frozen zone and not hard; in the soft window
        # and unlocked): a step that changes little reads little. ``promotion`` decides each of them.
        stmt = (select(*rows.ACQUISITION_COLUMNS)
                .where(t.workspace_id == workspace_id, t.start_time < promotion_horizon(now, freeze, soft),
                       t.state.in_(_LIVE_STATES),
                       or_(t.start_time < now,
                           and_(t.start_time < cutoff, t.lock_level != LockLevel.HARD.value),
                           t.lock_level == LockLevel.NONE.value)))
        params, audits = [], []
        executing, hard, soft_ids = [], [], []
        stamp, clock = format_utc(at), to_iso(now)
        for r in s.execute(stmt):
            a = rows.acquisition(r)
            change = promotion(a, now, freeze, soft)
            if change is None:
                continue
            state, lock = change
            params.append({"b_id": a.id, "b_version": a.version, "state": state.value, "lock_level": lock.value,
                           "version": a.version + 1, "updated_at": stamp})
            if state == AcquisitionState.EXECUTING:
                executing.append(a.id)
            elif lock == LockLevel.HARD:
                hard.append(a.id)
            else:
                soft_ids.append(a.id)
            audits.append({"at": stamp, "who": CLOCK_ACTOR, "action": "promote", "entity": "acquisition",
                           "entity_id": a.id, "workspace_id": workspace_id,
                           "before_json": _ENCODE({"state": a.state.value, "lock_level": a.lock_level.value,
                                                   "version": a.version}),
                           "after_json": _ENCODE({"state": state.value, "lock_level": lock.value,
                                                  "version": a.version + 1, "clock": clock})})
        # One driver-level executemany, each UPDATE conditional on the version read: a concurrent
        # edit makes the row count differ and the whole step is refused (StaleEditError).
        if bulk_insert(s, _PROMOTE, params) != len(params):
            raise_stale(s, AcquisitionRow, "acquisition", [(p["b_id"], p["b_version"]) for p in params])
        bulk_insert(s, _AUDIT_INSERT, audits)
        dropped, returned = self._drop_past_items(s, workspace_id, now, at)
        return tuple(executing), tuple(hard), tuple(soft_ids), dropped, returned

    def _drop_past_items(self, s: Connection, workspace_id: str, now: datetime,
                         at: datetime) -> tuple[tuple[DroppedItem, ...], tuple[str, ...]]:
        """Delete candidate plan items that start before ``now``; their orders, if nothing else
        holds them, go back from ``planned`` to ``new`` (the Inbox)."""
        i, p = PLAN_ITEMS.c, PLANS.c
        found = s.execute(select(i.id, i.plan_id, i.order_id, i.satellite_id, i.target_id, i.start_time)
                          .join(PLANS, p.id == i.plan_id)
                          .where(p.workspace_id == workspace_id, p.status == PlanStatus.CANDIDATE.value,
                                 i.start_time < now).order_by(i.start_time, i.id)).all()
        if not found:
            return (), ()
        dropped = tuple(DroppedItem(*r) for r in found)
        for part in chunks([d.item_id for d in dropped]):
            s.execute(delete(PLAN_ITEMS).where(i.id.in_(part)))
        order_ids = {d.order_id for d in dropped if d.order_id}
        held: set[str] = set()
        for part in chunks(sorted(order_ids)):
            held.update(r[0] for r in s.execute(
                select(i.order_id).join(PLANS, p.id == i.plan_id)
                .where(i.order_id.in_(part),
                       p.status.in_([PlanStatus.CANDIDATE.value, PlanStatus.COMMITTED.value]))))
        free = (order_ids - held) & self._orders_without_acquisitions(s, order_ids)
        orders = self._order_states(s, free)
        targets = {oid: OrderStatus.NEW for oid, o in orders.items() if o.status == OrderStatus.PLANNED}
        returned = self._set_order_statuses(s, orders, targets, at, strict=False)
        return dropped, tuple(returned)
