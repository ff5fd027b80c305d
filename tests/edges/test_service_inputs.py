"""The services the window's forms call (New Order, New Workspace, Plan…) refuse what the command
line refuses: the same checks, the field named, nothing written."""
import pytest

from app.domain import DomainError
from app.persistence import ScheduleDB
from app.services import orders, planning, workspaces

from .conftest import dump

CASES = [
    ("workspace-days-true", lambda db: workspaces.create_workspace(db, "next", "2026-09-01T00:00:00Z", True),
     "horizon_days"),
    ("workspace-days-nan", lambda db: workspaces.create_workspace(db, "next", "2026-09-01T00:00:00Z",
                                                                  float("nan")), "horizon_days"),
    ("workspace-days-365", lambda db: workspaces.create_workspace(db, "next", "2026-09-01T00:00:00Z", 365),
     "horizon_days"),
    ("workspace-name-rlo", lambda db: workspaces.create_workspace(db, "ne\u202ext", "2026-09-01T00:00:00Z", 7),
     "name"),
    ("workspace-start-year-1", lambda db: workspaces.create_workspace(db, "next", "0001-01-01T00:00:00+01:00", 7),
     "horizon_start"),
    ("order-lat-true", lambda db: orders.add_order(db, "ops", "New", 1, lat=True, lon=1.0), "lat"),
    ("order-lon-inf", lambda db: orders.add_order(db, "ops", "New", 1, lat=1.0, lon=float("inf")), "lon"),
    ("order-priority-bool", lambda db: orders.add_order(db, "ops", "Tokyo", True), "priority"),
    ("order-notes-49MB", lambda db: orders.add_order(db, "ops", "Tokyo", 1, notes="x" * 49_000_000), "notes"),
    ("order-duration-1e12", lambda db: orders.add_order(db, "ops", "Tokyo", 1, constraints={"duration_s": 1e12}),
     "duration_s"),
    ("order-sensor-object", lambda db: orders.add_order(db, "ops", "Tokyo", 1, constraints={"sensor_type": {}}),
     "sensor_type"),
    ("order-update-notes-nul", lambda db: orders.update_order(
        db, db.list_orders(workspace_id=db.find_workspace("ops").id)[0].id, notes="a\x00b"), "notes"),
    ("order-sensor-type-no-satellite-has", lambda db: orders.add_order(
        db, "ops", "Tokyo", 1, constraints={"sensor_type": "LIDAR"}), "sensor_type"),
    ("order-sar-mode-text-bidi", lambda db: orders.add_order(
        db, "ops", "Tokyo", 1, constraints={"sar_mode": "SPOT\u202e"}), "sar_mode"),
    ("plan-max-shift-1e300", lambda db: planning.PlanOptions(
        mode="reshuffle", policy="soft_lock_windowed", policy_params={"max_shift_minutes": 1e300}),
     "max_shift_minutes"),
    ("plan-threshold-true", lambda db: planning.PlanOptions(
        mode="reshuffle", policy="replace_if_better", policy_params={"improvement_threshold_pct": True}),
     "improvement_threshold_pct"),
    ("plan-weights-nan", lambda db: planning.PlanOptions(weights={"priority": float("nan")}), "weights.priority"),
    ("plan-time-limit-inf", lambda db: planning.PlanOptions(time_limit_s=float("inf")), "time_limit_s"),
    ("plan-horizon-20-years", lambda db: planning.PlanOptions(horizon_start="2026-01-01T00:00:00Z",
                                                              horizon_end="2046-01-01T00:00:00Z"), "horizon_end"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_form_inputs_refused_nothing_written(case, ops_db):
    _, call, field = case
    before = dump(ops_db)
    db = ScheduleDB(ops_db)
    try:
        with pytest.raises(DomainError) as info:
            call(db)
    finally:
        db.close()
    assert field in str(info.value) and "\n" not in str(info.value)
    assert dump(ops_db) == before
