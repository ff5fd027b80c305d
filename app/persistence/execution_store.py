"""Execution reports (completed / failed acquisitions) and closing a horizon (spec §10, §14).

Both run in one transaction. A report's rows are all checked first; a refused row refuses the whole
report (``ReportRefused``) unless ``skip_bad`` keeps the good rows. Order changes are conditional on
the order's version, acquisition changes on the acquisition's (a concurrent edit is refused, never
overwritten).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import Connection, Float, Integer, String, and_, bindparam, select, type_coerce, update

from app.domain import RuleViolation, parse_utc, to_iso, utc_now
from app.domain.enums import AcquisitionState, OrderStatus
from app.domain.clock import check_clock
from app.domain.operations import ExecutionImport, HorizonReport, Outcome, ReportRefused, ReportRow

from .clock_store import KEEP
from .models import ACQUISITIONS, ORDERS, PLAN_ITEMS, WORKSPACES, AcquisitionRow, OrderRow
from .store import _AUDIT_INSERT, StoreBase, bulk_insert, chunks, raise_stale
from .types import format_utc

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode

_ACQ_OUTCOME = (update(ACQUISITIONS)
                .where(ACQUISITIONS.c.id == bindparam("b_id", type_=String()),
                       ACQUISITIONS.c.version == bindparam("b_version", type_=Integer()))
                .values({k: bindparam(k, type_=String()) for k in ("state", "reported_at", "outcome_reason",
                                                                    "updated_at")}
                        | {"cloud_pct": bindparam("cloud_pct", type_=Float()),
                           "version": bindparam("version", type_=Integer())}))
_ORDER_OUTCOME = (update(ORDERS)
                  .where(ORDERS.c.id == bindparam("b_id", type_=String()),
                         ORDERS.c.version == bindparam("b_version", type_=Integer()))
                  .values({k: bindparam(k, type_=String()) for k in ("status", "last_failure_reason", "updated_at")}
                          | {k: bindparam(k, type_=Integer()) for k in ("attempt_count", "version")}))

#: A report naming an acquisition by satellite, target and start matches starts within this (s).
START_MATCH_S = 1.0
_DONE = {AcquisitionState.COMPLETED: Outcome.COMPLETED, AcquisitionState.FAILED: Outcome.FAILED}


class ExecutionStore(StoreBase):

    def record_execution(self, workspace_id: str, reports: Sequence[ReportRow],
                         refused_rows: dict[int, str] | None = None, skip_bad: bool = False,
                         real_now: datetime | None = None) -> ExecutionImport:
        """Apply an execution report to the workspace, in ONE transaction.

        ``refused_rows`` are rows the file parser already refused (row → reason). Completed
        acquisitions complete their orders; a failed one returns its order to ``new`` with the
        reason and one more attempt. Refused per row: an unknown acquisition, another workspace's,
        one that has not started by the workspace clock, an outcome given twice, a contradicting
        outcome. Any refused row → ``ReportRefused`` and nothing written, unless ``skip_bad``.
        Time passing at the workspace clock is applied first (so started acquisitions are executing).
        """
        refused = dict(refused_rows or {})
        with self._write() as s:
            self._lock_schedule(s, [workspace_id])  # outcomes change acquisitions: one writer at a time
            settings = self._workspace_settings(s, workspace_id)
            now = settings.scenario_clock or real_now or utc_now()
            # Time passing first (in this transaction: a refused report rolls it back too), so that
            # every started acquisition is executing and its version is the one updated below.
            self._move_clock(s, workspace_id, KEEP, now)  # type: ignore[attr-defined]
            resolved = self._resolve_rows(s, workspace_id, reports, now, refused)
            if refused and not skip_bad:
                raise ReportRefused(refused)
            if not resolved:
                if refused:
                    raise ReportRefused(refused, "execution report (no good row left)")
                raise RuleViolation("execution report", "the report has no rows")
            result = self._apply_outcomes(s, workspace_id, resolved)
        return ExecutionImport(workspace_id, *result, skipped=dict(sorted(refused.items())))

    def execution_outcome(self, acquisition_id: str) -> tuple[datetime, str | None, float | None] | None:
        """(reported at, reason, observed cloud cover %) of a reported acquisition, else None."""
        t = ACQUISITIONS.c
        with self._read() as s:
            row = s.execute(select(t.reported_at, t.outcome_reason, t.cloud_pct).where(t.id == acquisition_id)).first()
        return None if row is None or row[0] is None else (row[0], row[1], row[2])

    def _resolve_rows(self, s: Connection, workspace_id: str, reports: Sequence[ReportRow], now: datetime,
                      refused: dict[int, str]) -> list[tuple[ReportRow, Any]]:
        """The acquisition row (id, workspace, satellite, target, start, state, version, order) of each
        good row; the refused rows are added to ``refused`` with their reasons."""
        t = ACQUISITIONS.c
        # The start as its stored text (fixed-width UTC: text order is time order): 10,000 rows are not
        # parsed into datetimes just to be compared with the clock.
        cols = (t.id, t.workspace_id, t.satellite_id, t.target_id, type_coerce(t.start_time, String).label("start"),
                t.state, t.version, t.order_id)
        now_text = format_utc(now)
        by_id: dict[str, Any] = {}
        ids = sorted({r.acquisition_id for r in reports if r.acquisition_id})
        for part in chunks(ids):
            by_id.update((r.id, r) for r in s.execute(select(*cols).where(t.id.in_(part))))
        keyed = [r for r in reports if not r.acquisition_id]
        by_key: dict[tuple[str, str], list[Any]] = defaultdict(list)
        if keyed:
            lo = min(r.start_time for r in keyed) - timedelta(seconds=START_MATCH_S)
            hi = max(r.start_time for r in keyed) + timedelta(seconds=START_MATCH_S)
            for r in s.execute(select(*cols).where(t.workspace_id == workspace_id, t.start_time >= lo,
                                                   t.start_time <= hi)):
                by_key[(r.satellite_id, r.target_id)].append(r)
        ws_names = dict(s.execute(select(WORKSPACES.c.id, WORKSPACES.c.name)).all())
        seen: dict[str, ReportRow] = {}
        good: list[tuple[ReportRow, str]] = []
        for rep in reports:
            if rep.row in refused:
                continue
            if rep.acquisition_id:
                acq = by_id.get(rep.acquisition_id)
                if acq is None:
                    refused[rep.row] = f"acquisition_id: no acquisition {rep.acquisition_id!r}"
                    continue
                if acq.workspace_id != workspace_id:
                    refused[rep.row] = (f"acquisition_id: {rep.acquisition_id} belongs to workspace "
                                        f"{ws_names.get(acq.workspace_id, acq.workspace_id)!r}, not {ws_names.get(workspace_id)!r}")
                    continue
            else:
                matches = [a for a in by_key.get((rep.satellite_id, rep.target_id), ())
                           if abs((parse_utc(a.start) - rep.start_time).total_seconds()) <= START_MATCH_S]
                if len(matches) != 1:
                    what = "no acquisition" if not matches else f"{len(matches)} acquisitions"
                    refused[rep.row] = (f"start_time: {what} of {rep.target_id} by {rep.satellite_id} starts "
                                        f"within {START_MATCH_S:g} s of {to_iso(rep.start_time)}")
                    continue
                acq = matches[0]
            aid, state = acq.id, acq.state
            if acq.start > now_text:
                start = parse_utc(acq.start)
                refused[rep.row] = (f"outcome: the acquisition of {acq.target_id} by {acq.satellite_id} starts at {to_iso(start)}, "
                                    f"after the clock ({to_iso(now)}): it has not been executed yet")
                continue
            done = _DONE.get(state)
            if done is not None:
                start = parse_utc(acq.start)
                word = "twice" if done == rep.outcome else f"contradicting the {done.value} outcome"
                refused[rep.row] = (f"outcome: {rep.outcome.value} {word}: the acquisition of {acq.target_id} by "
                                    f"{acq.satellite_id} at {to_iso(start)} was already reported {done.value}")
                continue
            first = seen.get(aid)
            if first is not None:
                if first.outcome == rep.outcome:
                    refused[rep.row] = f"outcome: reported twice in this report (row {first.row})"
                else:
                    why = f"outcome: {rep.outcome.value} contradicts row {first.row} ({first.outcome.value})"
                    refused[rep.row] = why
                    refused[first.row] = (f"outcome: {first.outcome.value} contradicts row {rep.row} "
                                          f"({rep.outcome.value})")
                continue
            seen[aid] = rep
            good.append((rep, acq))
        return [(rep, acq) for rep, acq in good if rep.row not in refused]

    def _apply_outcomes(self, s: Connection, workspace_id: str, resolved: list[tuple[ReportRow, Any]]) -> tuple:
        """Write the outcomes: one driver-level executemany per table, every UPDATE conditional on the
        version read (a 10,000-row report stays well under a second)."""
        at = utc_now()
        stamp = format_utc(at)
        params, audits = [], []
        completed, failed = [], []
        for rep, acq in resolved:
            state = AcquisitionState.COMPLETED if rep.outcome == Outcome.COMPLETED else AcquisitionState.FAILED
            version = acq.version
            params.append({"b_id": acq.id, "b_version": version, "state": state.value, "reported_at": stamp,
                           "outcome_reason": rep.reason, "cloud_pct": rep.cloud_pct, "version": version + 1,
                           "updated_at": stamp})
            (completed if state == AcquisitionState.COMPLETED else failed).append((acq, rep))
            audits.append(self._storage_audit(
                "execution_report", "acquisition", acq.id, {"state": acq.state.value, "version": version},
                {"state": state.value, "reason": rep.reason, "cloud_pct": rep.cloud_pct, "report_row": rep.row,
                 "version": version + 1}, workspace_id, stamp))
        if bulk_insert(s, _ACQ_OUTCOME, params) != len(params):
            raise_stale(s, AcquisitionRow, "acquisition", [(p["b_id"], p["b_version"]) for p in params])
        orders_completed, orders_returned = self._order_outcomes(s, workspace_id, completed, failed, stamp, audits)
        bulk_insert(s, _AUDIT_INSERT, audits)
        return (tuple(a.id for a, _ in completed), tuple(a.id for a, _ in failed), orders_completed,
                orders_returned)

    def _storage_audit(self, action: str, entity: str, entity_id: str, before: dict, after: dict,
                       workspace_id: str, stamp: str) -> dict[str, Any]:
        # Snapshots of plain values only: one shared C encoder (sorted keys, as ``types.dumps``).
        return {"at": stamp, "who": self.user, "action": action, "entity": entity, "entity_id": entity_id,
                "before_json": _ENCODE(before), "after_json": _ENCODE(after), "workspace_id": workspace_id}

    def _order_outcomes(self, s: Connection, workspace_id: str, completed: list, failed: list, stamp: str,
                        audits: list[dict[str, Any]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Completed → order completed; failed → one more attempt, the reason kept, and the order back
        to ``new`` unless another live acquisition still serves it (or it completed in this report)."""
        done_orders = {a.order_id for a, _ in completed if a.order_id}
        fail_by_order: dict[str, list[ReportRow]] = defaultdict(list)
        for a, rep in failed:
            if a.order_id:
                fail_by_order[a.order_id].append(rep)
        o = ORDERS.c
        orders: dict[str, Any] = {}
        for part in chunks(sorted(done_orders | set(fail_by_order))):
            orders.update((r[0], r) for r in s.execute(
                select(o.id, o.status, o.version, o.attempt_count, o.last_failure_reason).where(o.id.in_(part))))
        still_served = set(fail_by_order) - self._orders_without_acquisitions(s, fail_by_order)
        params = []
        completed_ids, returned_ids = [], []
        for oid, (_id, status, version, attempts, last_reason) in sorted(orders.items()):
            values: dict[str, Any] = {"status": status.value, "attempt_count": attempts or 0,
                                      "last_failure_reason": last_reason}
            if oid in fail_by_order:
                reports = fail_by_order[oid]
                values["attempt_count"] = (attempts or 0) + len(reports)
                values["last_failure_reason"] = reports[-1].reason or "no reason given"
            if oid in done_orders and status == OrderStatus.COMMITTED:
                values["status"] = OrderStatus.COMPLETED.value
                completed_ids.append(oid)
            elif oid in fail_by_order and oid not in still_served and status == OrderStatus.COMMITTED:
                values["status"] = OrderStatus.NEW.value
                returned_ids.append(oid)
            params.append({"b_id": oid, "b_version": version, **values, "version": version + 1, "updated_at": stamp})
            audits.append(self._storage_audit(
                "execution_report", "order", oid,
                {"status": status.value, "attempt_count": attempts or 0, "version": version},
                {**values, "version": version + 1}, workspace_id, stamp))
        if bulk_insert(s, _ORDER_OUTCOME, params) != len(params):
            raise_stale(s, OrderRow, "order", [(p["b_id"], p["b_version"]) for p in params])
        return tuple(completed_ids), tuple(returned_ids)

    # --- closing a horizon -------------------------------------------------------------------------

    def close_horizon(self, workspace_id: str, real_now: datetime | None = None) -> HorizonReport:
        """Close the workspace's horizon at its clock, in ONE transaction.

        The closed horizon is [horizon start, now); the next one is [now, now + the same length),
        with the same scenario. Committed and executing acquisitions stay (carried over); completed
        and failed ones, and completed orders, are archived (``archived_at``: kept for reports,
        outside planning and the Inbox). Refused when the clock has not passed the horizon start, or
        when a scenario clock lies further outside the horizon than the clock may (``check_clock``).
        Time passing at the clock is applied first. Value delivered = the sum of the planned values
        of the completed acquisitions (the plan items they were committed from).
        """
        with self._write() as s:
            self._lock_schedule(s, [workspace_id])  # outcomes change acquisitions: one writer at a time
            settings = self._workspace_settings(s, workspace_id)
            now = settings.scenario_clock or real_now or utc_now()
            start, end = settings.horizon_start, settings.horizon_end
            if settings.scenario_clock is not None:  # a clock set before its bounds existed (live UTC is the truth)
                check_clock(now, start, end, field="clock")
            if start is not None and now <= start:
                raise RuleViolation("horizon", f"the clock ({to_iso(now)}) has not passed the horizon start "
                                               f"({to_iso(start)}): there is nothing to close yet")
            self._move_clock(s, workspace_id, KEEP, now)  # type: ignore[attr-defined]
            length = (end - start) if start is not None and end is not None else timedelta(days=7)
            at = utc_now()
            t, i, o = ACQUISITIONS.c, PLAN_ITEMS.c, ORDERS.c
            done = s.execute(
                select(t.id, t.satellite_id, t.state, t.outcome_reason, t.order_id, i.value)
                .select_from(ACQUISITIONS.outerjoin(PLAN_ITEMS, and_(i.plan_id == t.plan_id,
                                                                     i.opportunity_id == t.opportunity_id)))
                .where(t.workspace_id == workspace_id, t.archived_at.is_(None),
                       t.state.in_([AcquisitionState.COMPLETED.value, AcquisitionState.FAILED.value]))).all()
            per_sat: dict[str, Counter] = defaultdict(Counter)
            reasons: Counter = Counter()
            # An acquisition may match several items of its plan (same opportunity): count it once.
            first = {r[0]: r for r in reversed(done)}
            for _aid, sat, state, reason, _oid, _value in first.values():
                per_sat[sat][state.value] += 1
                if state == AcquisitionState.FAILED:
                    reasons[reason or "no reason given"] += 1
            acq_ids = list(first)
            value = sum(float(v or 0.0) for v in {r[0]: r[5] for r in done
                                                   if r[2] == AcquisitionState.COMPLETED}.values())
            served = [r[0] for r in s.execute(select(o.id).where(
                o.workspace_id == workspace_id, o.archived_at.is_(None), o.status == OrderStatus.COMPLETED.value))]
            failed_orders = {r[4] for r in done if r[2] == AcquisitionState.FAILED and r[4]}
            for part in chunks(acq_ids):
                s.execute(update(ACQUISITIONS).where(t.id.in_(part)).values(archived_at=at))
            for part in chunks(served):
                s.execute(update(ORDERS).where(o.id.in_(part)).values(archived_at=at))
            carried = Counter(r[0].value for r in s.execute(select(t.state).where(
                t.workspace_id == workspace_id, t.archived_at.is_(None),
                t.state.in_([AcquisitionState.EXECUTING.value, AcquisitionState.COMMITTED.value,
                             AcquisitionState.LOCKED.value, AcquisitionState.TENTATIVE.value]))))
            data = s.execute(select(WORKSPACES.c.settings_json).where(WORKSPACES.c.id == workspace_id)).scalar_one()
            data = dict(data or {})
            data["horizon_start"], data["horizon_end"] = to_iso(now), to_iso(now + length)
            s.execute(update(WORKSPACES).where(WORKSPACES.c.id == workspace_id)
                      .values(settings_json=data, updated_at=at))
            report = HorizonReport(
                workspace_id, start, now, now, now + length, orders_served=len(served),
                orders_failed=len(failed_orders), failed_by_reason=dict(reasons.most_common()),
                acquisitions_per_satellite={k: dict(v) for k, v in sorted(per_sat.items())},
                value_delivered=round(value, 6), carried_over=dict(carried),
                archived_acquisitions=len(acq_ids), archived_orders=len(served))
            self._audit(s, "close_horizon", "workspace", workspace_id,
                        {"horizon_start": start, "horizon_end": end}, report, workspace_id, at)
        return report
