"""Acquisitions: the planner's edits under the rules of spec §10 (locks, frozen zone, states),
undo of deletes, and accepting a reshuffle's change set."""
from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, Mapping, Sequence

from sqlalchemy import Connection, bindparam, delete, select, update

from app.domain import (Acquisition, NotFoundError, Order, RuleViolation, StaleEditError, ValidationError,
                        WorkspaceSettings, parse_utc, utc_now)
from app.domain.enums import (AcquisitionSource, AcquisitionState, LockLevel, Mode, OrderStatus,
                              PlanStatus, parse_enum)

from app.domain import edit_rules as rules
from . import rows
from app.domain.edit_rules import BulkEditRefused, EditContext
from .models import ACQUISITIONS, AcquisitionRow, PlanRow, as_columns
from .store import MAX_ACQUISITION_S, StoreBase, chunks, finite, ids_list, raise_stale, text_field

CHECK_ACTIONS = ("move", "delete", "unlock", "lock_soft", "lock_hard")


class _Contexts:
    """Per-workspace clock and frozen-zone cutoff, and per-order windows, for rule checks."""

    def __init__(self, store: "AcquisitionEdits", s: Connection, now: Any) -> None:
        self.store, self.s, self.now = store, s, now
        self.clocks: dict[str | None, tuple[datetime, datetime]] = {}
        self.orders: dict[str, Order] = {}

    def preload_orders(self, acqs: Sequence[Acquisition]) -> None:
        self.orders.update(self.store._orders_by_id(self.s, {a.order_id for a in acqs if a.order_id}))

    def clock(self, workspace_id: str | None) -> tuple[datetime, datetime]:
        """(now, freeze cutoff) of a workspace, computed once per call of the store."""
        if workspace_id not in self.clocks:
            st = self.store._workspace_settings(self.s, workspace_id) if workspace_id else WorkspaceSettings()
            now = self.store._now(st, self.now)
            self.clocks[workspace_id] = (now, self.store._freeze_cutoff(st, now))
        return self.clocks[workspace_id]

    def for_acq(self, a: Acquisition, window: bool = False) -> EditContext:
        """The rule context of ``a``; with ``window`` its order's requested window (soft moves)."""
        now, cutoff = self.clock(a.workspace_id)
        if not window or not a.order_id:
            return EditContext(now, cutoff)
        o = self.orders.get(a.order_id)
        if o is None:
            o = self.store._orders_by_id(self.s, [a.order_id]).get(a.order_id)
        return EditContext(now, cutoff, o.requested_window_start if o else None,
                           o.requested_window_end if o else None)



class AcquisitionEdits(StoreBase):

    # --- rule previews ---------------------------------------------------------------------------

    def check_edit(self, acquisition_ids: Sequence[str], action: str, now: Any = None,
                   override: bool = False) -> dict[str, str]:
        """What an edit would refuse, without writing: ``{acquisition id: reason}`` for the refused
        ones only. ``action`` is move | delete | unlock | lock_soft | lock_hard."""
        if action not in CHECK_ACTIONS:
            raise ValidationError("action", f"must be one of {'|'.join(CHECK_ACTIONS)}, got {action!r}")
        ids = ids_list(acquisition_ids, "acquisition_ids")
        with self._read() as s:
            acqs = self._acquisitions_by_id(s, ids)
            ctxs = _Contexts(self, s, now)
            out: dict[str, str] = {}
            for aid in ids:
                a = acqs.get(aid)
                if a is None:
                    out[aid] = "no such acquisition"
                    continue
                ctx = ctxs.for_acq(a)
                if action == "move":
                    found = rules.check_move(a, ctx)
                elif action == "delete":
                    found = rules.check_delete(a, ctx)
                else:
                    level = {"unlock": LockLevel.NONE, "lock_soft": LockLevel.SOFT, "lock_hard": LockLevel.HARD}[action]
                    found = rules.check_lock(a, ctx, level)
                reason, _ = rules.decide(found, override)
                if reason:
                    out[aid] = reason
        return out

    # --- lock levels -----------------------------------------------------------------------------

    def set_lock_level(self, acquisition_ids: Sequence[str], lock_level: str, override: bool = False,
                       now: Any = None, partial: bool = False,
                       expected_versions: Mapping[str, int] | None = None) -> dict[str, Any]:
        """Lock or unlock acquisitions (spec §10). Unlocking in the frozen zone or while executing
        needs ``override=True`` (recorded in the audit trail). ``partial=False``: all or nothing
        (BulkEditRefused lists every refused id and why); ``partial=True``: the allowed ones are
        changed. Returns ``{"updated": [ids], "refused": {id: reason}, "before": [acquisitions],
        "after": [acquisitions]}`` (before and after: the updated ones, as they were and are now).

        ``expected_versions`` (id → the version the planner saw): a row changed since by someone
        is refused, saying who and when; rows not named are edited as they are now (blind)."""
        level = parse_enum(LockLevel, lock_level, "lock_level")
        ids = ids_list(acquisition_ids, "acquisition_ids")
        with self._write() as s:
            acqs = self._locked_acquisitions(s, ids)
            ctxs = _Contexts(self, s, now)
            refused = self._stale_refusals(s, acqs, expected_versions)
            params, audits, before, after_acqs = [], [], [], []
            at = utc_now()
            for aid in ids:
                a = acqs.get(aid)
                if a is None:
                    refused[aid] = "no such acquisition"
                    continue
                if aid in refused:
                    continue
                reason, overridden = rules.decide(rules.check_lock(a, ctxs.for_acq(a), level), override)
                if reason:
                    refused[aid] = reason
                    continue
                if level == a.lock_level:
                    continue
                state = rules.state_for_lock(a, level)
                params.append({"b_id": aid, "b_version": a.version, "lock_level": level.value,
                               "state": state.value, "version": a.version + 1, "updated_at": at})
                after = {"lock_level": level, "state": state, "version": a.version + 1}
                if overridden:
                    after["override"] = overridden
                audits.append(self._audit_row("override_lock" if overridden else "set_lock_level", "acquisition",
                                              aid, {"lock_level": a.lock_level, "state": a.state, "version": a.version},
                                              after, a.workspace_id, at))
                before.append(a)
                after_acqs.append(dataclasses.replace(a, lock_level=level, state=state, version=a.version + 1,
                                                      updated_at=at))
            if refused and not partial:
                raise BulkEditRefused("lock_level", refused)
            self._bulk_update(s, params, ["lock_level", "state"])
            self._audit_many(s, audits)
        return {"updated": [p["b_id"] for p in params], "refused": refused, "before": before, "after": after_acqs}

    def _stale_refusals(self, s: Connection, acqs: Mapping[str, Acquisition],
                        expected_versions: Mapping[str, int] | None) -> dict[str, str]:
        """id → "changed by … at …" for the rows whose version is not the one the planner saw."""
        if expected_versions is None:
            return {}
        if not isinstance(expected_versions, Mapping):
            raise ValidationError("expected_versions", "expected a mapping of acquisition id to version")
        out: dict[str, str] = {}
        for aid, version in expected_versions.items():
            a = acqs.get(aid)
            if a is not None and a.version != version:
                out[aid] = self._stale(s, "acquisition", aid, version, a.version).args[0]
        return out

    @staticmethod
    def _bulk_update(s: Connection, params: list[dict[str, Any]], fields: list[str]) -> None:
        if not params:
            return
        stmt = (update(ACQUISITIONS)
                .where(ACQUISITIONS.c.id == bindparam("b_id"), ACQUISITIONS.c.version == bindparam("b_version"))
                .values({f: bindparam(f) for f in (*fields, "version", "updated_at")}))
        result = s.execute(stmt, params)
        if result.rowcount != len(params):
            raise_stale(s, AcquisitionRow, "acquisition", [(p["b_id"], p["b_version"]) for p in params])

    # --- deletes ---------------------------------------------------------------------------------

    def delete_acquisitions(self, acquisition_ids: Sequence[str], override: bool = False, now: Any = None,
                            partial: bool = False, expected_versions: Mapping[str, int] | None = None) -> dict[str, Any]:
        """Delete acquisitions (spec §10): hard- or soft-locked, frozen-zone ones need
        ``override=True`` (audited); executing/completed/failed ones never go. Orders left without
        acquisitions return to ``new``. Returns ``{"updated": [ids], "deleted": [ids],
        "refused": {id: reason}, "orders_updated": [ids], "rows": [the deleted Acquisitions as they were]}``; see ``set_lock_level`` for ``partial``
        and ``expected_versions``."""
        ids = ids_list(acquisition_ids, "acquisition_ids")
        with self._write() as s:
            acqs = self._locked_acquisitions(s, ids)
            ctxs = _Contexts(self, s, now)
            stale = self._stale_refusals(s, acqs, expected_versions)
            refused, allowed, overrides = self._check_deletes(ids, acqs, ctxs, override)
            refused.update(stale)
            allowed = [a for a in allowed if a not in stale]
            if refused and not partial:
                raise BulkEditRefused("delete", refused)
            orders_updated = self._delete(s, [acqs[a] for a in allowed], overrides, "delete")
        return {"updated": allowed, "deleted": allowed, "refused": refused, "orders_updated": orders_updated,
                "rows": [acqs[a] for a in allowed]}

    @staticmethod
    def _check_deletes(ids, acqs, ctxs, override):
        refused: dict[str, str] = {}
        allowed: list[str] = []
        overrides: dict[str, str] = {}
        for aid in ids:
            a = acqs.get(aid)
            if a is None:
                refused[aid] = "no such acquisition"
                continue
            reason, overridden = rules.decide(rules.check_delete(a, ctxs.for_acq(a)), override)
            if reason:
                refused[aid] = reason
                continue
            allowed.append(aid)
            if overridden:
                overrides[aid] = overridden
        return refused, allowed, overrides

    def _delete(self, s: Connection, acqs: list[Acquisition], overrides: dict[str, str], action: str) -> list[str]:
        if not acqs:
            return []
        at = utc_now()
        for part in chunks([a.id for a in acqs]):
            s.execute(delete(AcquisitionRow).where(AcquisitionRow.id.in_(part)))
        self._audit_many(s, [self._audit_row(
            f"override_{action}" if a.id in overrides else action, "acquisition", a.id, a,
            {"override": overrides[a.id]} if a.id in overrides else None, a.workspace_id, at) for a in acqs])
        return self._return_orders_to_new(s, {a.order_id for a in acqs if a.order_id}, at)  # type: ignore[attr-defined]

    # --- moves and state changes -----------------------------------------------------------------

    def update_acquisition(self, acquisition_id: str, changes: dict[str, Any], expected_version: int | None = None,
                           override: bool = False, now: Any = None) -> Acquisition:
        """Move an acquisition (start/end time, roll/pitch, satellite, opportunity …), change its
        state or lock level, under spec §10. Giving only ``start`` keeps the duration.

        With ``expected_version``, a row changed meanwhile is refused (StaleEditError); a refused
        rule raises RuleViolation saying which acquisition and why; ``override=True`` forces a
        lock/frozen-zone refusal and records it in the audit trail.
        """
        with self._write() as s:
            a = self._locked_acquisitions(s, [acquisition_id]).get(acquisition_id)
            if a is None:
                raise NotFoundError("acquisition", acquisition_id)
            ctxs = _Contexts(self, s, now)
            updated = self._apply_update(s, a, changes, expected_version, override, ctxs, "changes")
        return updated

    def _apply_update(self, s: Connection, a: Acquisition, changes: Any, expected_version: int | None,
                      override: bool, ctxs: _Contexts, field: str) -> Acquisition:
        if expected_version is not None and expected_version != a.version:
            raise self._stale(s, "acquisition", a.id, expected_version, a.version)
        values = self._validated_changes(a, changes, field)
        ctx = ctxs.for_acq(a, window=a.lock_level == LockLevel.SOFT)
        refusals: list[rules.Refusal] = []
        moved = {k for k in values if k in rules.MOVE_FIELDS}
        if moved:
            refusals += rules.check_move(a, ctx, values.get("start"), values.get("end"),
                                         values.get("satellite_id"))
        elif set(values) & (rules.METRIC_FIELDS | rules.PROVENANCE_FIELDS):
            refusals += rules.check_metrics(a)
        if "lock_level" in values:
            refusals += rules.check_lock(a, ctx, values["lock_level"])
            values.setdefault("state", rules.state_for_lock(a, values["lock_level"]))
        if "state" in values:
            refusals += rules.check_state(a, values["state"])
        reason, overridden = rules.decide(refusals, override)
        if reason:
            raise RuleViolation(refusals[0].rule if len(refusals) == 1 else "edit", reason)
        values = {k: v for k, v in values.items() if getattr(a, k) != v}
        if not values:
            return a
        at = utc_now()
        result = s.execute(update(AcquisitionRow)
                           .where(AcquisitionRow.id == a.id, AcquisitionRow.version == a.version)
                           .values(**values, version=a.version + 1, updated_at=at))
        if result.rowcount != 1:
            raise_stale(s, AcquisitionRow, "acquisition", [(a.id, a.version)])
        fields = {f: getattr(a, f) for f in rows.ACQUISITION_FIELDS}
        fields.update(values, version=a.version + 1, updated_at=at)
        updated = Acquisition(**fields)
        before = {k: getattr(a, k) for k in values} | {"version": a.version}
        after = {k: getattr(updated, k) for k in values} | {"version": updated.version}
        if overridden:
            after["override"] = overridden
        action = "move" if moved else ("set_lock_level" if "lock_level" in values else "update")
        self._audit(s, f"override_{action}" if overridden else action, "acquisition", a.id, before, after,
                    a.workspace_id, at)
        return updated

    @staticmethod
    def _validated_changes(a: Acquisition, changes: Any, field: str) -> dict[str, Any]:
        if not isinstance(changes, dict) or not changes:
            raise ValidationError(field, "expected a non-empty dict of changes")
        unknown = sorted(set(changes) - rules.EDITABLE_FIELDS)
        if unknown:
            raise ValidationError(f"{field}.{unknown[0]}", "not an editable acquisition field; editable: "
                                  + ", ".join(sorted(rules.EDITABLE_FIELDS)))
        out: dict[str, Any] = {}
        for key, value in changes.items():
            f = f"{field}.{key}"
            if key in ("start", "end"):
                out[key] = parse_utc(value, f)
            elif key in ("roll_deg", "pitch_deg", "roll_end_deg", "pitch_end_deg"):
                out[key] = finite(value, f, -180.0, 180.0)
            elif key == "incidence_deg":
                out[key] = finite(value, f, -90.0, 90.0, optional=True)
            elif key in ("quality_score", "maneuver_time_s", "slack_time_s", "swath_width_km", "scene_length_km"):
                out[key] = finite(value, f, optional=True)
            elif key in ("satellite_id", "opportunity_id"):
                out[key] = text_field(value, f)
            elif key in ("look_side", "pass_direction", "sar_mode"):
                out[key] = text_field(value, f, optional=True)
            elif key == "mode":
                out[key] = parse_enum(Mode, value, f)
            elif key == "state":
                out[key] = parse_enum(AcquisitionState, value, f)
            elif key == "lock_level":
                out[key] = parse_enum(LockLevel, value, f)
            elif key == "source":
                out[key] = parse_enum(AcquisitionSource, value, f)
        if "start" in out and "end" not in out:
            out["end"] = out["start"] + (a.end - a.start)
        start, end = out.get("start", a.start), out.get("end", a.end)
        if end < start:
            raise ValidationError(f"{field}.end", "must not be before start")
        if (end - start).total_seconds() > MAX_ACQUISITION_S:
            raise ValidationError(f"{field}.end", f"an acquisition lasts at most {MAX_ACQUISITION_S:g} s")
        return out

    # --- undo support ----------------------------------------------------------------------------

    def restore_acquisitions(self, acquisitions: Sequence[Acquisition]) -> list[str]:
        """Re-insert exactly these acquisition rows (undo of a delete); their orders, if back in
        ``new`` or ``planned``, become ``committed`` again. An id that exists is refused."""
        acqs = list(acquisitions)
        for i, a in enumerate(acqs):
            if not isinstance(a, Acquisition):
                raise ValidationError(f"acquisitions[{i}]", f"expected an Acquisition, got {type(a).__name__}")
        with self._write() as s:
            self._lock_schedule(s, {a.workspace_id for a in acqs})
            existing = self._acquisitions_by_id(s, [a.id for a in acqs])
            for i, a in enumerate(acqs):
                if a.id in existing:
                    raise ValidationError(f"acquisitions[{i}].id", f"{a.id} already exists")
                self._require_workspace(s, a.workspace_id, f"acquisitions[{i}].workspace_id")
            orders = self._order_states(s, {a.order_id for a in acqs if a.order_id})
            for i, a in enumerate(acqs):
                if a.order_id and a.order_id not in orders:
                    raise ValidationError(f"acquisitions[{i}].order_id", f"unknown order {a.order_id!r}")
            self._refuse_served_again(s, acqs)
            if acqs:
                s.execute(ACQUISITIONS.insert(), [as_columns({f: getattr(a, f) for f in rows.ACQUISITION_FIELDS})
                                                  for a in acqs])
            at = utc_now()
            targets = {oid: OrderStatus.COMMITTED for oid, o in orders.items()
                       if o.status in (OrderStatus.NEW, OrderStatus.PLANNED)}
            self._set_order_statuses(s, orders, targets, at, strict=False)
            self._audit_many(s, [self._audit_row("restore", "acquisition", a.id, None, a, a.workspace_id, at)
                                 for a in acqs])
        return [a.id for a in acqs]

    def _refuse_served_again(self, s: Connection, acqs: Sequence[Acquisition]) -> None:
        """Putting back an acquisition whose order another acquisition serves now (someone
        re-planned it meanwhile) would serve it twice: refused, saying by whom and when."""
        live = {a.order_id: a for a in acqs if a.order_id and a.state != AcquisitionState.FAILED}
        for part in chunks(sorted(live)):
            for aid, oid in s.execute(select(AcquisitionRow.id, AcquisitionRow.order_id).where(
                    AcquisitionRow.order_id.in_(part), AcquisitionRow.state != AcquisitionState.FAILED.value)):
                who, at = self._last_change(s, aid)
                raise RuleViolation("order", f"{live[oid].id} cannot come back: its order {oid} is served meanwhile "
                                             f"by {aid} ({'by ' + who if who else 'by someone else'}"
                                             f"{' at ' + at if at else ''})")

    # --- accepting a reshuffle -------------------------------------------------------------------

    def apply_changes(self, workspace_id: str, plan_id: str | None = None, updates: Sequence[dict[str, Any]] = (),
                      deletes: Sequence[str] = (), create_item_ids: Sequence[str] = (), lock_level: str = "none",
                      source: str = "reshuffle", now: Any = None, recheck: Any = None) -> dict[str, Any]:
        """Accept a reshuffle in ONE transaction: ``updates`` = [{"acquisition_id",
        "expected_version", "changes"}], ``deletes`` = acquisition ids, ``create_item_ids`` = items
        of the candidate plan ``plan_id`` to add as acquisitions. Planning never overrides: a
        refused edit (locks, frozen zone, states) or a stale version refuses the whole change set.
        When the schedule changed since the plan was computed, the moved and created acquisitions
        are re-checked against it (see ``commit_plan``; ``recheck`` is the feasibility check).
        Returns ``{"updated", "deleted", "created", "orders_updated", "plan_id"}``."""
        lock = parse_enum(LockLevel, lock_level, "lock_level")
        src = parse_enum(AcquisitionSource, source, "source")
        delete_ids = ids_list(deletes or (), "deletes")
        create_ids = ids_list(create_item_ids or (), "create_item_ids")
        updates = list(updates or ())
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            versions = self._lock_schedule(s, [workspace_id])
            plan = None
            if plan_id is not None:
                plan = self._plan(s, plan_id)  # type: ignore[attr-defined]
                if plan.workspace_id != workspace_id:
                    raise ValidationError("plan_id", f"plan {plan_id} belongs to another workspace")
                if plan.status != PlanStatus.CANDIDATE:
                    raise RuleViolation("plan", f"plan {plan_id} is {plan.status.value}: only a candidate plan "
                                                "can be accepted")
            elif create_ids:
                raise ValidationError("plan_id", "required to create acquisitions from plan items")
            upd_ids = []
            for i, u in enumerate(updates):
                if not isinstance(u, dict) or "acquisition_id" not in u:
                    raise ValidationError(f"updates[{i}]", "expected {acquisition_id, expected_version, changes}")
                upd_ids.append(u["acquisition_id"])
            acqs = self._acquisitions_by_id(s, upd_ids + delete_ids)
            for acq in acqs.values():
                if acq.workspace_id != workspace_id:
                    raise ValidationError("acquisition_id", f"{acq.id} belongs to another workspace")
            ctxs = _Contexts(self, s, now)
            ctxs.preload_orders(list(acqs.values()))
            refused: dict[str, str] = {}
            updated: list[str] = []
            for i, u in enumerate(updates):
                a = acqs.get(u["acquisition_id"])
                if a is None:
                    refused[u["acquisition_id"]] = "no such acquisition"
                    continue
                try:
                    self._apply_update(s, a, u.get("changes"), u.get("expected_version"), False, ctxs,
                                       f"updates[{i}].changes")
                    updated.append(a.id)
                except RuleViolation as exc:
                    refused[a.id] = exc.reason
            d_refused, allowed, _ = self._check_deletes(delete_ids, acqs, ctxs, False)
            refused.update(d_refused)
            if refused:
                raise BulkEditRefused("apply_changes", refused)
            orders_updated = self._delete(s, [acqs[a] for a in allowed], {}, "delete")
            created: list[tuple[str, str]] = []
            if plan is not None:
                items = self._items_to_commit(s, plan, create_ids) if create_ids else []  # type: ignore[attr-defined]
                unchanged = plan.schedule_version is not None and versions.get(workspace_id) == plan.schedule_version
                moved = list(self._acquisitions_by_id(s, updated).values())
                self._recheck(s, plan, items, None if unchanged else recheck, ignore=set(allowed),  # type: ignore[attr-defined]
                              moved=moved)
                if create_ids:
                    orders = self._order_states(s, {it["order_id"] for it in items if it["order_id"]})
                    created = self._insert_acquisitions(s, plan, items, lock, None, src, utc_now())  # type: ignore[attr-defined]
                    orders_updated += self._set_order_statuses(
                        s, orders, {oid: OrderStatus.COMMITTED for oid in orders}, utc_now(), strict=False)
                done = s.execute(update(PlanRow).where(PlanRow.id == plan.id,
                                                       PlanRow.status == PlanStatus.CANDIDATE.value)
                                 .values(status=PlanStatus.COMMITTED))
                if done.rowcount != 1:
                    raise RuleViolation("plan", f"plan {plan.id} was committed by someone else meanwhile")
            summary = {"updated": updated, "deleted": allowed, "created": [a for a, _ in created],
                       "orders_updated": sorted(set(orders_updated)), "plan_id": plan_id}
            self._audit(s, "apply_changes", "plan" if plan_id else "workspace", plan_id or workspace_id, None,
                        summary, workspace_id)
        return summary
