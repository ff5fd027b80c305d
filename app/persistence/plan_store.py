"""Plans, plan items, and committing them into acquisitions (spec §12, seed 000 commit API)."""
from __future__ import annotations

import dataclasses
import hashlib
from functools import partial
from operator import itemgetter
from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import Connection, String, bindparam, delete, or_, select, type_coerce, update

from app.domain import (Acquisition, NotFoundError, Plan, PlanItem, RuleViolation, ValidationError, new_id,
                        new_run_id, parse_utc, utc_now)
from app.domain.enums import (AcquisitionSource, AcquisitionState, ChangeType, LockLevel, Mode, OrderStatus,
                              PlanStatus, parse_enum)

from . import rows
from app.domain.edit_rules import (MOVE_FIELDS, BulkEditRefused, EditContext, check_delete, check_metrics, check_move,
                                   decide, planning_refusals)
from .models import (ACQUISITIONS, COLUMN_OF, PLAN_ITEMS, PLANS, AcquisitionRow, OrderRow, PlanItemRow, PlanRow,
                     SatelliteRow, as_columns)
from .plan_items import item_values
from .recheck import RECHECK_MARGIN_S, Clash, CommitRefused, PlacementRow, Recheck
from .store import (MAX_ACQUISITION_S, StoreBase, bulk_insert, chunks, fetch_rows, finite, id_filters, ids_list,
                    new_ids, raise_stale, storage_insert, text_field)
from .types import dumps, format_utc

_TIME_KEYS = ("start", "end")
_ITEM_TO_ACQ = ("satellite_id", "target_id", "start", "end", "roll_deg", "pitch_deg",
                "roll_end_deg", "pitch_end_deg", "incidence_deg", "look_side", "pass_direction",
                "order_id", "opportunity_id", "quality_score", "maneuver_time_s", "slack_time_s")

_NULLABLE = frozenset({"roll_end_deg", "pitch_end_deg", "incidence_deg", "look_side", "pass_direction",
                       "order_id", "opportunity_id", "quality_score", "maneuver_time_s", "slack_time_s"})

#: Plan status changes allowed through ``set_plan_status`` (committing goes through ``commit_plan``).
_PLAN_TRANSITIONS = {
    PlanStatus.CANDIDATE: {PlanStatus.REJECTED, PlanStatus.SUPERSEDED},
    PlanStatus.COMMITTED: {PlanStatus.SUPERSEDED},
    PlanStatus.REJECTED: set(),
    PlanStatus.SUPERSEDED: set(),
}


def input_hash_of(data: Any) -> str:
    """``sha256:`` + sha256 of the canonical JSON of ``data`` (sorted keys, compact)."""
    return "sha256:" + hashlib.sha256(dumps(data, "items").encode("utf-8")).hexdigest()


class PlanStore(StoreBase):

    # --- plans -----------------------------------------------------------------------------------

    def create_plan(self, algorithm: str, config: dict[str, Any], input_hash: str, run_id: str | None,
                    metrics: dict[str, Any], workspace_id: str, score: float | None = None,
                    schedule_version: int | None = None) -> Plan:
        """A candidate plan. ``input_hash`` is ``sha256:…`` of the planning inputs (spec §2);
        ``schedule_version``: the workspace's ``schedule_version()`` read before the planning inputs
        (a commit re-checks the plan when the schedule changed since; None: always re-check)."""
        with self._write() as s:
            plan = self._insert_plan(s, algorithm, config, input_hash, run_id, metrics, workspace_id, score,
                                     schedule_version=schedule_version)
            self._audit(s, "create", "plan", plan.id, None,
                        {"algorithm": plan.algorithm, "input_hash": plan.input_hash, "run_id": plan.run_id},
                        plan.workspace_id, plan.created_at)
        return plan

    def _insert_plan(self, s: Connection, algorithm: Any, config: Any, input_hash: Any, run_id: Any, metrics: Any,
                     workspace_id: Any, score: Any = None, status: PlanStatus = PlanStatus.CANDIDATE,
                     created_at: datetime | None = None, schedule_version: int | None = None) -> Plan:
        ws = self._require_workspace(s, workspace_id)
        algorithm = text_field(algorithm, "algorithm")
        input_hash = text_field(input_hash, "input_hash")
        run_id = text_field(run_id, "run_id", optional=True) or new_run_id()
        for key, value in (("config", config), ("metrics", metrics)):
            if not isinstance(value, dict):
                raise ValidationError(key, f"must be an object (dict), got {type(value).__name__}")
            dumps(value, key)
        if score is not None:
            score = finite(score, "score")
        if schedule_version is not None and (isinstance(schedule_version, bool)
                                             or not isinstance(schedule_version, int)):
            raise ValidationError("schedule_version", f"must be an integer, got {schedule_version!r}")
        plan = Plan(id=new_id("plan"), workspace_id=ws, algorithm=algorithm, config=config,
                    input_hash=input_hash, run_id=run_id, metrics=metrics, score=score, status=status,
                    created_at=created_at or utc_now(), schedule_version=schedule_version)
        s.execute(PLANS.insert(), [{
            "id": plan.id, "created_at": plan.created_at, "algorithm": algorithm, "config_json": config,
            "input_hash": input_hash, "run_id": run_id, "score": score, "metrics_json": metrics,
            "status": status, "workspace_id": ws, "schedule_version": schedule_version}])
        return plan

    def store_candidate_plan(self, algorithm: str, config: dict[str, Any], input_hash: str, run_id: str | None,
                             metrics: dict[str, Any], workspace_id: str, items: Sequence[Any],
                             score: float | None = None,
                             schedule_version: int | None = None) -> tuple[Plan, list[PlanItem]]:
        """Replace the workspace's candidate plans with a new one and its items, in ONE transaction:
        a failure or a kill at any point leaves the earlier candidate (and its orders) as they were,
        never a new plan without its items. Earlier candidates are rejected (their orders return to
        the Inbox unless the new plan takes them). ``schedule_version``: see ``create_plan``."""
        items = list(items)
        with self._write() as s:
            ws = self._require_workspace(s, workspace_id)
            olds = s.execute(select(PlanRow.id).where(PlanRow.workspace_id == ws,
                                                      PlanRow.status == PlanStatus.CANDIDATE.value)).all()
            for (old_id,) in olds:
                s.execute(update(PlanRow).where(PlanRow.id == old_id).values(status=PlanStatus.REJECTED))
                released = self._release_planned_orders(s, old_id)
                self._audit(s, "set_status", "plan", old_id, {"status": PlanStatus.CANDIDATE},
                            {"status": PlanStatus.REJECTED, "orders_returned_to_new": released}, ws)
            plan = self._insert_plan(s, algorithm, config, input_hash, run_id, metrics, ws, score,
                                     schedule_version=schedule_version)
            self._audit(s, "create", "plan", plan.id, None,
                        {"algorithm": plan.algorithm, "input_hash": plan.input_hash, "run_id": plan.run_id},
                        plan.workspace_id, plan.created_at)
            values: list[dict[str, Any]] = []
            if items:
                values = self._insert_items(s, plan, items)
                planned = self._mark_planned(s, values, plan.workspace_id)
                self._audit(s, "add_items", "plan", plan.id, None,
                            {"items": len(values), "orders_planned": planned}, plan.workspace_id)
        return plan, [PlanItem(**{k: v[k] for k in rows.PLAN_ITEM_FIELDS}) for v in values]

    def get_plan(self, plan_id: str) -> Plan | None:
        """The plan with this id, or None."""
        with self._read() as s:
            return self._plan(s, plan_id, required=False)

    @staticmethod
    def _plan(s: Connection, plan_id: str, required: bool = True) -> Plan | None:
        row = s.execute(select(*rows.PLAN_COLUMNS).where(PlanRow.id == plan_id)).first()
        if row is None:
            if required:
                raise NotFoundError("plan", plan_id)
            return None
        return rows.plan(row)

    def list_plans(self, workspace_id: str, status: Any = None) -> list[Plan]:
        """The workspace's plans, newest first; ``status`` one status or a list."""
        stmt = select(*rows.PLAN_COLUMNS).where(PlanRow.workspace_id == workspace_id)
        if status is not None:
            statuses = [status] if isinstance(status, str) else list(status)
            stmt = stmt.where(PlanRow.status.in_([parse_enum(PlanStatus, x, "status").value for x in statuses]))
        with self._read() as s:
            return [rows.plan(r) for r in s.execute(stmt.order_by(PlanRow.created_at.desc(), PlanRow.id))]

    def set_plan_status(self, plan_id: str, status: str | PlanStatus) -> Plan:
        """Reject or supersede a plan. Rejecting returns its ``planned`` orders to ``new`` (back
        to the Inbox) unless another candidate or committed plan still holds them."""
        status = parse_enum(PlanStatus, status, "status")
        with self._write() as s:
            plan = self._plan(s, plan_id)
            if status == plan.status:
                return plan
            if status == PlanStatus.COMMITTED:
                raise RuleViolation("status", "a plan becomes committed only through commit_plan")
            if status not in _PLAN_TRANSITIONS[plan.status]:
                raise RuleViolation("status", f"plan {plan_id} is {plan.status.value}; it cannot become "
                                              f"{status.value}")
            s.execute(update(PlanRow).where(PlanRow.id == plan_id).values(status=status))
            released: list[str] = []
            if status == PlanStatus.REJECTED:
                released = self._release_planned_orders(s, plan_id)
            self._audit(s, "set_status", "plan", plan_id, {"status": plan.status},
                        {"status": status, "orders_returned_to_new": released}, plan.workspace_id)
        return dataclasses.replace(plan, status=status)

    def _release_planned_orders(self, s: Connection, plan_id: str) -> list[str]:
        order_ids = {r[0] for r in s.execute(select(PlanItemRow.order_id).where(
            PlanItemRow.plan_id == plan_id, PlanItemRow.order_id.is_not(None)).distinct())}
        if not order_ids:
            return []
        held: set[str] = set()
        for where in id_filters(s, PlanItemRow.order_id, sorted(order_ids)):
            held.update(r[0] for r in s.execute(
                select(PlanItemRow.order_id).join(PlanRow, PlanRow.id == PlanItemRow.plan_id)
                .where(where, PlanItemRow.plan_id != plan_id,
                       PlanRow.status.in_([PlanStatus.CANDIDATE.value, PlanStatus.COMMITTED.value]))))
        candidates = (order_ids - held) & self._orders_without_acquisitions(s, order_ids)
        orders = self._order_states(s, candidates)
        targets = {oid: OrderStatus.NEW for oid, o in orders.items() if o.status == OrderStatus.PLANNED}
        return self._set_order_statuses(s, orders, targets, utc_now())

    # --- plan items ------------------------------------------------------------------------------

    def create_plan_item(self, plan_id: str, opportunity_id: str, satellite_id: str, target_id: str,
                         start: Any, end: Any, roll_deg: float, pitch_deg: float = 0.0,
                         value: float | None = None, quality_score: float | None = None,
                         maneuver_time_s: float | None = None, slack_time_s: float | None = None,
                         order_id: str | None = None, **extra: Any) -> PlanItem:
        """One plan item (seed 000 signature). ``extra`` may carry ``incidence_deg``,
        ``roll_end_deg``, ``pitch_end_deg``, ``look_side``, ``pass_direction``."""
        item = {"opportunity_id": opportunity_id, "satellite_id": satellite_id, "target_id": target_id,
                "start": start, "end": end, "roll_deg": roll_deg,
                "pitch_deg": pitch_deg, "value": value, "quality_score": quality_score,
                "maneuver_time_s": maneuver_time_s, "slack_time_s": slack_time_s, "order_id": order_id,
                **extra}
        return self.create_plan_items(plan_id, [item])[0]

    def create_plan_items(self, plan_id: str, items: Sequence[Any]) -> list[PlanItem]:
        """Add items (dicts, PlanItems or Opportunities) to a candidate plan in one transaction.

        Every item is validated first (errors name ``items[i].field``). Orders they serve that
        are ``new`` become ``planned`` (they leave the Inbox).
        """
        items = list(items)
        with self._write() as s:
            plan = self._plan(s, plan_id)
            if plan.status != PlanStatus.CANDIDATE:
                raise RuleViolation("plan", f"plan {plan_id} is {plan.status.value}: items can only be "
                                            "added to a candidate plan")
            values = self._insert_items(s, plan, items)
            planned = self._mark_planned(s, values, plan.workspace_id)
            self._audit(s, "add_items", "plan", plan_id, None,
                        {"items": len(values), "orders_planned": planned}, plan.workspace_id)
        return [PlanItem(**{k: v[k] for k in rows.PLAN_ITEM_FIELDS}) for v in values]

    def _insert_items(self, s: Connection, plan: Plan, items: list[Any], key: str = "items") -> list[dict[str, Any]]:
        values = [item_values(item, i, plan.id, key) for i, item in enumerate(items)]
        self._insert_item_values(s, plan, values, key)
        return values

    def _insert_item_values(self, s: Connection, plan: Plan, values: list[dict[str, Any]], key: str) -> None:
        self._check_item_orders(s, values, plan.workspace_id, key)
        bulk_insert(s, _PLAN_ITEM_INSERT, [as_columns({**v, "start": format_utc(v["start"]), "end": format_utc(v["end"]),
                                                       "change_type": v["change_type"].value}) for v in values])

    def _check_item_orders(self, s: Connection, values: list[dict[str, Any]], workspace_id: str, key: str) -> None:
        wanted = {v["order_id"] for v in values if v["order_id"]}
        found: dict[str, str] = {}
        for where in id_filters(s, OrderRow.id, sorted(wanted)):
            found.update(s.execute(select(OrderRow.id, OrderRow.workspace_id).where(where)).all())
        for i, v in enumerate(values):
            oid = v["order_id"]
            if oid is None:
                continue
            if oid not in found:
                raise ValidationError(f"{key}[{i}].order_id", f"unknown order {oid!r}")
            if found[oid] != workspace_id:
                raise ValidationError(f"{key}[{i}].order_id", f"order {oid!r} belongs to another workspace")

    def _mark_planned(self, s: Connection, values: list[dict[str, Any]], workspace_id: str) -> list[str]:
        orders = self._order_states(s, {v["order_id"] for v in values
                                        if v["order_id"] and v["change_type"] != ChangeType.REMOVED})
        targets = {oid: OrderStatus.PLANNED for oid, o in orders.items() if o.status == OrderStatus.NEW}
        return self._set_order_statuses(s, orders, targets, utc_now())

    def get_plan_items(self, plan_id: str, removed: bool = False) -> list[PlanItem]:
        """The plan's items by start time (then satellite, id): the placements it proposes, and with
        ``removed`` also the rows of the acquisitions it removes (``change_type`` removed)."""
        stmt = select(*rows.PLAN_ITEM_COLUMNS).where(PlanItemRow.plan_id == plan_id)
        if not removed:
            stmt = stmt.where(or_(PlanItemRow.change_type.is_(None),
                                  PlanItemRow.change_type != ChangeType.REMOVED.value))
        with self._read() as s:
            result = s.execute(stmt.order_by(PlanItemRow.start, PlanItemRow.satellite_id, PlanItemRow.id))
            return [rows.plan_item(r) for r in result]

    def plan_item_refs(self, plan_id: str) -> list[tuple[str | None, ChangeType, str | None]]:
        """(order id, change type, acquisition it replaces) of every item of the plan, removed ones
        too, in ``get_plan_items``' order: what a command on the plan keeps of its items, without
        building 1,000s of PlanItems."""
        t = PLAN_ITEMS.c
        stmt = (select(t.order_id, t.change_type, t.replaces_acquisition_id).where(t.plan_id == plan_id)
                .order_by(t.start_time, t.satellite_id, t.id))
        out = []
        with self._read() as s:
            for order_id, change, replaces in fetch_rows(s, stmt):
                out.append((order_id, rows.change_type(change, replaces), replaces))
        return out

    def plan_footprint(self, plan_id: str) -> tuple[list[str], list[str]]:
        """(satellites its placed items use, acquisitions its items replace or remove), sorted: what
        a commit needs to know beforehand, without reading the items."""
        t = PLAN_ITEMS.c
        with self._read() as s:
            sats = [r[0] for r in s.execute(select(t.satellite_id).distinct().where(
                t.plan_id == plan_id, or_(t.change_type.is_(None), t.change_type != ChangeType.REMOVED.value)))]
            touched = [r[0] for r in s.execute(select(t.replaces_acquisition_id).where(
                t.plan_id == plan_id, t.replaces_acquisition_id.is_not(None)))]
        return sorted(sats), sorted(touched)

    # --- commit ----------------------------------------------------------------------------------

    def commit_plan(self, plan_id: str, item_ids: Sequence[str] = (), lock_level: str = "none",
                    mode: str | None = None, workspace_id: str | None = None,
                    supersede_acquisition_ids: Sequence[str] = (), now: Any = None,
                    recheck: Recheck | None = None, hard_lock_orders: Sequence[str] = (),
                    source: str = "auto", created_rows: rows.WrittenAcquisitions | None = None) -> dict[str, Any]:
        """Commit a candidate plan (all items, or ``item_ids``) in ONE transaction: the one commit
        path of every planning mode and policy. What each item does is its ``change_type``:
        ``added`` creates an acquisition (state committed, source auto, ``lock_level``);
        ``moved`` / ``satellite_switched`` / ``unchanged`` put the acquisition it replaces on the
        item's placement in place (same id, version + 1, its lock kept; mode from the new
        satellite); ``removed`` deletes the acquisition it replaces (audited as superseded), as do
        ``supersede_acquisition_ids`` (seed 000). ``source``: of the created acquisitions. Removed items are committed even when
        ``item_ids`` picks some of the others.

        Planning never touches hard-locked, frozen-zone or executing/completed/failed
        acquisitions (soft locks bind the planner's policy, which made the plan): a plan that
        would is refused whole, with the reasons (BulkEditRefused).

        The transaction first takes the workspace's schedule lock. When the schedule changed since
        the plan was computed (its ``schedule_version``), the created and moved acquisitions are
        re-checked against the schedule as it is now, inside this transaction: orders already
        served, and ``recheck`` (the caller's feasibility check). Any clash refuses the whole
        commit (CommitRefused). ``mode`` None takes each satellite's mode from the workspace.
        Re-committing a plan, or a plan whose input hash equals a committed plan's, is refused.

        Returns ``{"committed": n (created + placements changed in place), "acquisitions_created": [{"id",
        "plan_item_id"}, …], "acquisitions_updated": [ids changed in place, moves and recomputed
        figures], "orders_updated":
        [order ids], "superseded": [acquisition ids], "plan_id": id}``. ``created_rows``: given, it
        keeps the created acquisitions as written (``WrittenAcquisitions``: what a read of them
        after the commit gives, built only if asked for; a 10,000-item commit need not read back
        what it wrote).
        """
        item_ids = ids_list(item_ids or (), "item_ids")
        supersede = ids_list(supersede_acquisition_ids or (), "supersede_acquisition_ids")
        lock = parse_enum(LockLevel, lock_level, "lock_level")
        mode_ = parse_enum(Mode, mode, "mode") if mode is not None else None
        src = parse_enum(AcquisitionSource, source, "source")
        with self._write() as s:
            plan = self._plan(s, plan_id)
            if workspace_id is not None and plan.workspace_id != workspace_id:
                raise ValidationError("workspace_id", f"plan {plan_id} belongs to workspace {plan.workspace_id}, "
                                                      f"not {workspace_id}")
            items = self._items_to_commit(s, plan, item_ids, allow_empty=bool(supersede))
            written = rows.WrittenAcquisitions()
            result = self._commit(s, plan, items, lock, mode_, supersede, now, src, recheck, written)
            if hard_lock_orders:
                locked = self._hard_lock_created(s, plan, result, set(hard_lock_orders))
                written.change(locked, lock_level=LockLevel.HARD.value)
        if created_rows is not None:  # committed: hand them over
            created_rows.take(written)
        return result

    def _hard_lock_created(self, s: Connection, plan: Plan, result: dict[str, Any], orders: set[str]) -> set[str]:
        """Within the commit's transaction: the new acquisitions serving ``orders`` become
        hard-locked (created so, version 1), so a kill cannot leave the commit without its locks."""
        created = [c["id"] for c in result["acquisitions_created"]]
        t = ACQUISITIONS.c
        locked: list[str] = []
        for where in id_filters(s, t.id, created):
            ids = [r[0] for r in s.execute(select(t.id).where(where, t.order_id.in_(sorted(orders))))]
            if ids:
                s.execute(update(ACQUISITIONS).where(t.id.in_(ids)).values(lock_level=LockLevel.HARD.value))
                locked.extend(ids)
        if locked:
            self._audit(s, "lock", "plan", plan.id, None, {"hard_locked": locked}, plan.workspace_id)
        return set(locked)

    def commit_direct(self, items: Sequence[Any], algorithm: str = "direct", mode: str | None = None,
                      lock_level: str = "none", workspace_id: str | None = None, now: Any = None,
                      config: dict[str, Any] | None = None, metrics: dict[str, Any] | None = None,
                      recheck: Recheck | None = None, source: str = "auto") -> dict[str, Any]:
        """Seed 000 "Direct Commit": commit items without a stored plan. A plan (with its items) is
        recorded for provenance, its input hash taken over the items; all in one transaction,
        always re-checked against the schedule (see ``commit_plan``). ``source``: the new
        acquisitions' source (``manual`` for a planner's placement by hand), also in the audit entry.
        Returns what ``commit_plan`` returns."""
        items = list(items)
        if not items:
            raise ValidationError("items", "nothing to commit")
        lock = parse_enum(LockLevel, lock_level, "lock_level")
        mode_ = parse_enum(Mode, mode, "mode") if mode is not None else None
        src = parse_enum(AcquisitionSource, source, "source")
        with self._write() as s:
            ws = self._require_workspace(s, workspace_id)
            values = [item_values(item, i, "") for i, item in enumerate(items)]
            digest = input_hash_of([{k: v for k, v in p.items() if k not in ("id", "plan_id")} for p in values])
            plan = self._insert_plan(s, algorithm, {"source": "direct", **(config or {})}, digest, None,
                                     metrics or {"accepted": len(items)}, ws)
            for v in values:
                v["plan_id"] = plan.id
            self._insert_item_values(s, plan, values, "items")
            return self._commit(s, plan, values, lock, mode_, [], now, src, recheck)

    def _items_to_commit(self, s: Connection, plan: Plan, item_ids: list[str],
                         allow_empty: bool = False) -> list[dict[str, Any]]:
        # Times are read as their stored text: they go straight into the acquisitions rows.
        t = PLAN_ITEMS.c
        keys = ("id", *_ITEM_TO_ACQ, "change_type", "replaces_acquisition_id")
        cols = [type_coerce(t[COLUMN_OF.get(k, k)], String).label(k) if k in _TIME_KEYS else t[COLUMN_OF.get(k, k)].label(k)
                for k in keys]
        stmt = select(*cols).where(t.plan_id == plan.id).order_by(t.start_time, t.id)
        result = []
        for r in fetch_rows(s, stmt):  # raw: the change type is the one column turned into its enum
            row = dict(zip(keys, r))
            row["change_type"] = rows.change_type(row["change_type"], row["replaces_acquisition_id"])
            result.append(row)
        if item_ids:
            by_id = {r["id"]: r for r in result}
            for i, iid in enumerate(item_ids):
                if iid not in by_id:
                    raise ValidationError(f"item_ids[{i}]", f"{iid!r} is not an item of plan {plan.id}")
            picked = set(item_ids)
            result = [by_id[i] for i in item_ids] + [r for r in result if r["change_type"] == ChangeType.REMOVED
                                                     and r["id"] not in picked]
        if not result and not allow_empty:
            raise ValidationError("item_ids", f"plan {plan.id} has no items to commit")
        return result

    def _commit(self, s: Connection, plan: Plan, items: list[dict[str, Any]], lock: LockLevel, mode: Mode | None,
                supersede: list[str], now: Any, source: AcquisitionSource,
                recheck: Recheck | None = None,
                created_rows: rows.WrittenAcquisitions | None = None) -> dict[str, Any]:
        versions = self._lock_schedule(s, [plan.workspace_id])
        plan = self._plan(s, plan.id) or plan  # re-read under the lock (PostgreSQL: another commit)
        if plan.status != PlanStatus.CANDIDATE:
            raise RuleViolation("plan", f"plan {plan.id} is {plan.status.value}: only a candidate plan can be "
                                        "committed")
        twin = s.execute(select(PlanRow.id).where(
            PlanRow.workspace_id == plan.workspace_id, PlanRow.input_hash == plan.input_hash,
            PlanRow.status == PlanStatus.COMMITTED.value, PlanRow.id != plan.id)).first()
        if twin is not None:
            raise RuleViolation("input_hash", f"plan {twin[0]} with the same inputs ({plan.input_hash}) is "
                                              "already committed; re-committing it would duplicate its acquisitions")
        settings = self._workspace_settings(s, plan.workspace_id)
        clock = self._now(settings, now)
        at = utc_now()
        in_place = [it for it in items if it["change_type"] != ChangeType.REMOVED and it["replaces_acquisition_id"]]
        added = [it for it in items if it["change_type"] != ChangeType.REMOVED and not it["replaces_acquisition_id"]]
        kept = {it["replaces_acquisition_id"] for it in in_place}
        removed = [it["replaces_acquisition_id"] for it in items if it["change_type"] == ChangeType.REMOVED]
        superseded, released = self._supersede(
            s, plan, [a for a in dict.fromkeys([*supersede, *removed]) if a not in kept], settings, clock, at)
        modes: dict[str, Mode] = {}
        if mode is None:
            modes = dict(s.execute(select(SatelliteRow.id, SatelliteRow.mode)
                                   .where(SatelliteRow.workspace_id == plan.workspace_id)).all())
        moved, placements = self._move_in_place(s, plan, in_place, mode, modes, settings, clock, at)
        # Orders already served are checked always (one indexed query); the feasibility check only
        # when the schedule changed since the plan was computed.
        unchanged = plan.schedule_version is not None and versions.get(plan.workspace_id) == plan.schedule_version
        self._recheck(s, plan, added, None if unchanged else recheck, moved=moved)

        orders = self._order_states(s, {it["order_id"] for it in added if it["order_id"]})
        for it in added:
            o = orders.get(it["order_id"]) if it["order_id"] else None
            if o is not None and o.status in (OrderStatus.CANCELLED, OrderStatus.COMPLETED):
                raise RuleViolation("order", f"item {it['id']} serves order {o.id}, which is {o.status.value}: "
                                             "leave it out of the commit")
        created = self._insert_acquisitions(s, plan, added, lock, mode, source, at, modes=modes,
                                            rows_out=created_rows)
        committed_orders = self._set_order_statuses(
            s, orders, {oid: OrderStatus.COMMITTED for oid in orders}, at)
        returned = self._return_orders_to_new(s, set(released) - set(orders), at)
        result = s.execute(update(PlanRow).where(PlanRow.id == plan.id, PlanRow.status == PlanStatus.CANDIDATE.value)
                           .values(status=PlanStatus.COMMITTED))
        if result.rowcount != 1:
            raise RuleViolation("plan", f"plan {plan.id} was committed by someone else meanwhile")
        summary = {"committed": len(created) + placements,
                   "acquisitions_created": [{"id": a, "plan_item_id": p} for a, p in created],
                   "acquisitions_updated": [a.id for a in moved],
                   "orders_updated": committed_orders + returned, "superseded": superseded, "plan_id": plan.id}
        self._audit(s, "commit", "plan", plan.id, {"status": plan.status.value},
                    {"status": PlanStatus.COMMITTED.value, "lock_level": lock.value, "source": source.value,
                     **summary}, plan.workspace_id,
                    at, plain=True)
        return summary

    def _move_in_place(self, s: Connection, plan: Plan, items: list[dict[str, Any]], mode: Mode | None,
                       modes: dict[str, Mode], settings, clock: datetime,
                       at: datetime) -> tuple[list[Acquisition], int]:
        """Put each replaced acquisition on its item's placement (one executemany UPDATE, one audit
        row each); items equal to their acquisition change nothing. Refused whole (BulkEditRefused)
        when one is gone, belongs elsewhere, or planning may not move it. Returns the rows after
        and how many of them changed placement (not only recomputed figures)."""
        if not items:
            return [], 0
        acqs = self._acquisitions_by_id(s, [it["replaces_acquisition_id"] for it in items])
        ctx = EditContext(clock, self._freeze_cutoff(settings, clock))
        refused: dict[str, str] = {}
        after: list[Acquisition] = []
        audit: list[dict[str, Any]] = []
        placements = 0
        for it in items:
            aid = it["replaces_acquisition_id"]
            a = acqs.get(aid)
            missing = _not_in(plan, aid, a)
            if missing:
                refused[aid] = missing
                continue
            new = {k: it[k] for k in _IN_PLACE if it[k] is not None}  # unknown figures stay as they are
            for k in _TIME_KEYS:
                new[k] = parse_utc(new[k], k)
            new["mode"] = mode or modes.get(new["satellite_id"], a.mode)
            changes = {k: v for k, v in new.items() if getattr(a, k) != v}
            if not changes:
                continue
            if set(changes) & MOVE_FIELDS:
                placements += 1
                refusals = check_move(a, ctx, changes.get("start"), changes.get("end"),
                                      changes.get("satellite_id"))
            else:
                refusals = check_metrics(a)
            reason, _ = decide(planning_refusals(a, refusals), override=False)
            if reason:
                refused[aid] = reason
                continue
            moved = dataclasses.replace(a, **changes, version=a.version + 1, updated_at=at)
            after.append(moved)
            before_snap = {k: getattr(a, k) for k in changes} | {"version": a.version}
            after_snap = {k: getattr(moved, k) for k in changes} | {"version": moved.version, "plan_id": plan.id}
            audit.append(self._audit_row("move" if set(changes) & MOVE_FIELDS else "update", "acquisition", aid,
                                         before_snap, after_snap, plan.workspace_id, at))
        if refused:
            raise BulkEditRefused("commit", refused)
        stamp = format_utc(at)
        params = [as_columns({**{k: (format_utc(getattr(m, k)) if k in _TIME_KEYS else getattr(m, k)) for k in _IN_PLACE},
                              "mode": m.mode.value, "version": m.version, "updated_at": stamp,
                              "b_id": m.id, "b_version": m.version - 1}) for m in after]
        if params and bulk_insert(s, _MOVE_UPDATE, params) != len(params):
            raise_stale(s, AcquisitionRow, "acquisition", [(m.id, m.version - 1) for m in after])
        self._audit_many(s, audit)
        return after, placements

    @staticmethod
    def _proposed(plan: Plan, it: dict[str, Any]) -> Acquisition:
        """A plan-item row as the acquisition it would become (id: the item's), named in a refusal."""
        values = {k: it[k] for k in _ITEM_TO_ACQ}
        for k in _TIME_KEYS:
            values[k] = parse_utc(values[k], k)
        return Acquisition(id=it["id"], workspace_id=plan.workspace_id, state=AcquisitionState.COMMITTED,
                           plan_id=plan.id, **{k: v for k, v in values.items() if v is not None or k in _NULLABLE})

    def _recheck(self, s: Connection, plan: Plan, items: list[dict[str, Any]], recheck: Recheck | None,
                 ignore: set[str] = frozenset(), moved: Sequence[Acquisition] = ()) -> None:
        """Refuse (CommitRefused) proposed acquisitions that clash with the workspace's schedule as
        it is now, in this transaction (after the schedule lock): an order already served by a live
        acquisition, or what ``recheck(current, proposed)`` reports (current: the live acquisitions
        around the proposed ones, except ``ignore`` (those the same change moves or removes))."""
        if not items and not moved:
            return
        workspace_id = plan.workspace_id
        clashes: list[Clash] = []
        mine = {it["id"] for it in items} | {a.id for a in moved} | set(ignore)
        by_order = {it["order_id"]: it for it in items if it["order_id"]}
        by_order.update({a.order_id: {"id": a.id} for a in moved if a.order_id})
        for where in id_filters(s, AcquisitionRow.order_id, sorted(by_order)):
            for aid, oid in s.execute(select(AcquisitionRow.id, AcquisitionRow.order_id).where(
                    where, AcquisitionRow.state != AcquisitionState.FAILED.value)):
                if aid not in mine:
                    clashes.append(Clash(by_order[oid]["id"], aid, "its order is already served"))
        mine_items = {it["id"]: it for it in items}
        if recheck is not None:
            # Columns only (no objects): 10,000 proposed against 20,000 current in well under a second.
            proposed = list(map(partial(tuple.__new__, PlacementRow), map(_PLACEMENT_OF_ITEM, items)))
            if any(not isinstance(p.start, str) or not isinstance(p.end, str) for p in proposed):  # direct items
                proposed = [p._replace(start=_text(p.start), end=_text(p.end)) for p in proposed]
            proposed += [PlacementRow(a.id, a.satellite_id, format_utc(a.start), format_utc(a.end),
                                      a.roll_deg, a.pitch_deg, a.roll_end_deg, a.pitch_end_deg)
                         for a in moved]
            lo = parse_utc(min(p.start for p in proposed), "start") - timedelta(
                seconds=MAX_ACQUISITION_S + RECHECK_MARGIN_S)
            hi = parse_utc(max(p.end for p in proposed), "end") + timedelta(seconds=RECHECK_MARGIN_S)
            since = getattr(recheck, "since", None)  # battery/memory tracks need the day's history
            if since is not None:
                lo = min(lo, since - timedelta(seconds=MAX_ACQUISITION_S))
            t = ACQUISITIONS.c
            cols = (t.id, t.satellite_id, type_coerce(t.start_time, String), type_coerce(t.end_time, String),
                    t.roll_angle_deg, t.pitch_angle_deg, t.roll_end_deg, t.pitch_end_deg)
            stmt = (select(*cols).where(t.workspace_id == workspace_id, t.start_time >= lo, t.start_time < hi,
                                        t.state != AcquisitionState.FAILED.value,
                                        t.satellite_id.in_(sorted({p.satellite_id for p in proposed}))))
            # tuple.__new__ through map: PlacementRows with no Python call per row (30,000 of them).
            current = [row for row in map(partial(tuple.__new__, PlacementRow), fetch_rows(s, stmt))
                       if row[0] not in mine]
            if current:
                clashes.extend(recheck(current, proposed))
        if clashes:
            named = {c.item_id for c in clashes}
            shown = {it_id: self._proposed(plan, mine_items[it_id]) for it_id in named if it_id in mine_items}
            shown.update({a.id: a for a in moved if a.id in named})
            raise CommitRefused(clashes, self._changed_by(s, {c.acquisition_id for c in clashes if c.acquisition_id}),
                                shown)

    def _changed_by(self, s: Connection, acquisition_ids: set[str]) -> dict[str, tuple[str | None, str | None]]:
        """id → (who, when) of the last change of each acquisition: its own audit entry, else (a
        commit audits the plan, not each row) its plan's."""
        plans = {}
        for part in chunks(sorted(acquisition_ids)):
            plans.update(s.execute(select(AcquisitionRow.id, AcquisitionRow.plan_id)
                                   .where(AcquisitionRow.id.in_(part))).all())
        out, by_plan = {}, {}
        for aid in sorted(acquisition_ids)[:50]:  # enough to name who and when
            who, at = self._last_change(s, aid)
            if who is None and plans.get(aid):
                if plans[aid] not in by_plan:
                    by_plan[plans[aid]] = self._last_change(s, plans[aid])
                who, at = by_plan[plans[aid]]
            out[aid] = (who, at)
        return out

    def _supersede(self, s: Connection, plan: Plan, ids: list[str], settings, clock: datetime,
                   at: datetime) -> tuple[list[str], list[str]]:
        """Delete the acquisitions a from-scratch plan replaces; planning never removes hard-locked,
        frozen-zone or executing/completed/failed ones (soft-locked ones may be superseded)."""
        if not ids:
            return [], []
        acqs = self._acquisitions_by_id(s, ids)
        refused: dict[str, str] = {}
        cutoff = self._freeze_cutoff(settings, clock)
        for aid in ids:
            a = acqs.get(aid)
            missing = _not_in(plan, aid, a)
            if missing:
                refused[aid] = missing
                continue
            reason, _ = decide(planning_refusals(a, check_delete(a, EditContext(clock, cutoff))), override=False)
            if reason:
                refused[aid] = reason
        if refused:
            raise BulkEditRefused("supersede", refused)
        for where in id_filters(s, AcquisitionRow.id, ids):
            s.execute(delete(AcquisitionRow).where(where))
        self._audit_many(s, [self._audit_row("supersede", "acquisition", aid, acqs[aid],
                                             {"plan_id": plan.id}, plan.workspace_id, at) for aid in ids])
        return ids, [acqs[a].order_id for a in ids if acqs[a].order_id]

    def _return_orders_to_new(self, s: Connection, order_ids: set[str], at: datetime) -> list[str]:
        """Orders whose acquisitions are gone go back to the Inbox (spec §3)."""
        orphans = self._orders_without_acquisitions(s, order_ids)
        orders = self._order_states(s, orphans)
        targets = {oid: OrderStatus.NEW for oid, o in orders.items()
                   if o.status in (OrderStatus.COMMITTED, OrderStatus.PLANNED)}
        return self._set_order_statuses(s, orders, targets, at, strict=False)

    def _insert_acquisitions(self, s: Connection, plan: Plan, items: list[dict[str, Any]], lock: LockLevel,
                             mode: Mode | None, source: AcquisitionSource, at: datetime,
                             state: AcquisitionState = AcquisitionState.COMMITTED,
                             modes: dict[str, Mode] | None = None,
                             rows_out: rows.WrittenAcquisitions | None = None) -> list[tuple[str, str]]:
        """One executemany INSERT of acquisitions built from plan-item rows; returns (acq id, item id)
        and adds to ``rows_out`` the rows as written."""
        if not items:
            return []
        modes = dict(modes or {})
        if mode is None and not modes:
            modes = dict(s.execute(select(SatelliteRow.id, SatelliteRow.mode)
                                   .where(SatelliteRow.workspace_id == plan.workspace_id)).all())
        stamp = format_utc(at)
        fixed = {"created_at": stamp, "updated_at": stamp, "state": state.value, "lock_level": lock.value,
                 "source": source.value, "plan_id": plan.id, "workspace_id": plan.workspace_id, "version": 1,
                 "sar_mode": None, "swath_width_km": None, "scene_length_km": None,
                 # execution outcome and archiving (schema 2.3): set later by operations
                 "reported_at": None, "outcome_reason": None, "cloud_pct": None, "archived_at": None}
        created, values = [], []
        for aid, it in zip(new_ids("acq", len(items)), items):
            row = dict(zip(_ITEM_TO_ACQ, _ACQ_VALUES_OF_ITEM(it)))
            for k in _TIME_KEYS:
                if not isinstance(row[k], str):
                    row[k] = format_utc(row[k])
            row.update(fixed, id=aid, mode=(mode or modes.get(it["satellite_id"], Mode.OPTICAL)).value)
            values.append(as_columns(row))
            created.append((aid, it["id"]))
        bulk_insert(s, _ACQUISITION_INSERT, values)
        if rows_out is not None:
            rows_out.add(values, s.dialect)
        return created


_ACQUISITION_INSERT = storage_insert(ACQUISITIONS)
_ACQ_VALUES_OF_ITEM = itemgetter(*_ITEM_TO_ACQ)


def _not_in(plan: Plan, acquisition_id: str, a: Acquisition | None) -> str:
    """Why a plan cannot act on this acquisition of its workspace, or "" when it can."""
    if a is None:
        return "no such acquisition (removed since the plan was made)"
    if a.workspace_id != plan.workspace_id:
        return f"belongs to workspace {a.workspace_id}"
    return ""


def _text(t: Any) -> str:
    """A time as stored (fixed-width UTC text): plan-item rows read it so, direct items hold datetimes."""
    return t if isinstance(t, str) else format_utc(t)

#: A plan-item row's placement in the order of ``PlacementRow`` (times as stored, or datetimes).
_PLACEMENT_OF_ITEM = itemgetter("id", "satellite_id", "start", "end", "roll_deg", "pitch_deg", "roll_end_deg",
                                "pitch_end_deg")

#: What a plan item sets on the acquisition it replaces in place (its order and target stay).
_IN_PLACE = tuple(k for k in _ITEM_TO_ACQ if k not in ("order_id", "target_id"))
_MOVE_UPDATE = (update(ACQUISITIONS)
                .where(ACQUISITIONS.c.id == bindparam("b_id"), ACQUISITIONS.c.version == bindparam("b_version"))
                .values({c: bindparam(c, type_=String()) if k in (*_TIME_KEYS, "updated_at")
                         else bindparam(c, type_=ACQUISITIONS.c[c].type)
                         for k, c in ((k, COLUMN_OF.get(k, k)) for k in (*_IN_PLACE, "mode", "version", "updated_at"))}))
_PLAN_ITEM_INSERT = storage_insert(PLAN_ITEMS)
