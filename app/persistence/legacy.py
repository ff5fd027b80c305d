"""The legacy v1 migration (seed 000 "Backward Compatibility", spec §12).

A v1 workspace kept its accepted schedules as ``AcceptedOrder`` objects (seed 001 §1.3) in the
``orders_state_json`` blob. On first load of a workspace that has no v2 acquisitions, each
AcceptedOrder becomes a committed plan with its plan items and committed acquisitions. The plan's
``run_id`` is ``run_legacy_<AcceptedOrder.order_id>``, which makes the migration idempotent.

v1 wrote times as UTC, sometimes without a zone: those are read as UTC (only here, for legacy
data). v1 schedule rows carry ``droll_deg`` (the roll change from the satellite's previous
acquisition, starting from nadir) rather than the absolute roll; when no absolute roll is
present it is rebuilt as the running sum per satellite, and the plan config says so.
"""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select

from app.domain import ValidationError, new_id, utc_now
from app.domain.enums import AcquisitionSource, AcquisitionState, LockLevel, Mode, PlanStatus

from .models import ACQUISITIONS, PLAN_ITEMS, AcquisitionRow, PlanRow, WorkspaceBlobRow, WorkspaceRow, as_columns
from .plan_items import item_values
from .plan_store import input_hash_of
from .store import StoreBase


def _legacy_time(value: Any, field: str) -> datetime:
    if isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(field, f"not an ISO 8601 time: {value!r}") from None
        return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)
    raise ValidationError(field, f"expected an ISO 8601 time, got {value!r}")


def accepted_orders(blob_text: str | None) -> list[dict[str, Any]]:
    """The AcceptedOrders of a v1 ``orders_state_json`` blob (``{"orders": [...]}`` or a list)."""
    if not blob_text:
        return []
    try:
        data = json.loads(blob_text)
    except json.JSONDecodeError as exc:
        raise ValidationError("orders_state_json", f"not JSON: {exc.msg} at line {exc.lineno}") from None
    orders = data.get("orders") if isinstance(data, dict) else data
    if not isinstance(orders, list):
        return []
    return [o for o in orders if isinstance(o, dict) and isinstance(o.get("schedule"), list)]


class LegacyMigration(StoreBase):

    def _migrate_legacy_orders(self, workspace_id: str) -> dict[str, Any] | None:
        """Run the v1 migration for this workspace if it applies; returns a summary or None."""
        with self._read() as s:
            blob = s.execute(select(WorkspaceBlobRow.orders_state_json)
                             .where(WorkspaceBlobRow.workspace_id == workspace_id)).first()
        if blob is None:
            return None
        legacy = accepted_orders(blob[0])
        if not legacy:
            return None
        with self._write() as s:
            # Checked under the write lock: two instances opening the workspace migrate it once.
            if s.execute(select(func.count()).select_from(AcquisitionRow)
                         .where(AcquisitionRow.workspace_id == workspace_id)).scalar_one():
                return None
            done = {r[0] for r in s.execute(select(PlanRow.run_id).where(
                PlanRow.workspace_id == workspace_id, PlanRow.run_id.like("run_legacy_%")))}
            mission_mode = s.execute(select(WorkspaceRow.mission_mode).where(WorkspaceRow.id == workspace_id)).scalar()
            mode = Mode.SAR if str(mission_mode or "").upper() == "SAR" else Mode.OPTICAL
            at = utc_now()
            plans, acq_count = [], 0
            for n, accepted in enumerate(legacy):
                path = f"orders_state.orders[{n}]"
                run_id = f"run_legacy_{accepted.get('order_id') or n}"
                if run_id in done:
                    continue
                plan_id, created = self._migrate_one(s, workspace_id, accepted, path, run_id, mode, at)
                plans.append(plan_id)
                acq_count += created
            if not plans:
                return None
            summary = {"plans": plans, "acquisitions": acq_count}
            self._audit(s, "legacy_v1_migration", "workspace", workspace_id, None, summary, workspace_id, at)
        return summary

    def _migrate_one(self, s, workspace_id: str, accepted: dict[str, Any], path: str, run_id: str,
                     mode: Mode, at: datetime) -> tuple[str, int]:
        plan_id = new_id("plan")
        schedule = accepted["schedule"]
        rebuilt = False
        items = []
        for i, row in enumerate(schedule):
            f = f"{path}.schedule[{i}]"
            if not isinstance(row, dict):
                raise ValidationError(f, "must be an object")
            roll = row.get("roll_angle_deg", row.get("roll_angle"))
            items.append({
                "opportunity_id": row.get("opportunity_id"), "satellite_id": row.get("satellite_id"),
                "target_id": row.get("target_id"),
                "start_time": _legacy_time(row.get("start_time"), f"{f}.start_time"),
                "end_time": _legacy_time(row.get("end_time"), f"{f}.end_time"),
                "roll_angle_deg": roll, "pitch_angle_deg": row.get("pitch_angle_deg", row.get("pitch_angle", 0.0)),
                "value": row.get("value"), "maneuver_time_s": row.get("t_slew_s"), "slack_time_s": row.get("slack_s"),
                "_droll": row.get("droll_deg"),
            })
        # Absolute roll from v1's per-satellite roll changes, in time order from nadir.
        running: dict[str, float] = defaultdict(float)
        for it in sorted(items, key=lambda x: (str(x["satellite_id"]), x["start_time"])):
            droll = it.pop("_droll")
            if it["roll_angle_deg"] is None:
                rebuilt = True
                try:
                    running[it["satellite_id"]] += float(droll or 0.0)
                except (TypeError, ValueError):
                    raise ValidationError(f"{path}.schedule.droll_deg", f"not a number: {droll!r}") from None
                it["roll_angle_deg"] = max(-180.0, min(180.0, running[it["satellite_id"]]))
            else:
                running[it["satellite_id"]] = float(it["roll_angle_deg"])
        values = [item_values(it, i, plan_id, f"{path}.schedule") for i, it in enumerate(items)]
        created_at = at
        if accepted.get("created_at"):
            try:
                created_at = _legacy_time(accepted["created_at"], f"{path}.created_at")
            except ValidationError:
                created_at = at
        metrics = accepted.get("metrics") if isinstance(accepted.get("metrics"), dict) else {}
        config = {"legacy_v1": {"order_id": accepted.get("order_id"), "name": accepted.get("name"),
                                "roll_rebuilt_from_droll": rebuilt, "naive_times_read_as_utc": True}}
        algorithm = accepted.get("algorithm") or "legacy_v1"
        s.execute(PlanRow.__table__.insert(), [{
            "id": plan_id, "created_at": created_at, "algorithm": str(algorithm), "config_json": config,
            "input_hash": input_hash_of(accepted), "run_id": run_id, "score": None, "metrics_json": metrics,
            "status": PlanStatus.COMMITTED, "workspace_id": workspace_id}])
        if values:
            s.execute(PLAN_ITEMS.insert(), [as_columns(v) for v in values])
            s.execute(ACQUISITIONS.insert(), [{
                "id": new_id("acq"), "created_at": at, "updated_at": at, "satellite_id": v["satellite_id"],
                "target_id": v["target_id"], "start_time": v["start"], "end_time": v["end"], "mode": mode,
                "roll_angle_deg": v["roll_deg"], "pitch_angle_deg": v["pitch_deg"],
                "roll_end_deg": v["roll_end_deg"], "pitch_end_deg": v["pitch_end_deg"],
                "incidence_angle_deg": None, "look_side": None, "pass_direction": None, "sar_mode": None,
                "swath_width_km": None, "scene_length_km": None, "state": AcquisitionState.COMMITTED,
                "lock_level": LockLevel.NONE, "source": AcquisitionSource.AUTO, "order_id": None,
                "plan_id": plan_id, "opportunity_id": v["opportunity_id"], "quality_score": None,
                "maneuver_time_s": v["maneuver_time_s"], "slack_time_s": v["slack_time_s"],
                "workspace_id": workspace_id, "version": 1} for v in values])
        return plan_id, len(values)
