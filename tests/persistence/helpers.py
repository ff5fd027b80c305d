"""Shared constants and helpers of the persistence tests."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from app.persistence import ScheduleDB

T0 = datetime(2026, 8, 7, 9, 0, 0, tzinfo=timezone.utc)
#: The planning clock of the tests: one day before T0, so T0 is well outside the frozen zone.
NOW = T0 - timedelta(days=1)

TABLES = ("workspaces", "orders", "acquisitions", "plans", "plan_items", "conflicts", "satellites",
          "targets", "ground_stations", "satellite_groups", "workspace_blobs", "audit_log")


def counts(db: ScheduleDB) -> dict[str, int]:
    """Rows per table: compared before/after a refused call to prove nothing was written."""
    with db.engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in TABLES}
        conn.rollback()
    return out


def item(i: int, order_id: str | None = None, satellite: str = "SAT-1", start: datetime | None = None,
         duration_s: float = 10.0, roll: float = 10.0, **extra) -> dict:
    """A plan item dict: item i starts i minutes after T0 unless ``start`` is given."""
    t = start or T0 + timedelta(minutes=i)
    return {"opportunity_id": f"{satellite}_T{i}_{t:%Y%m%dT%H%M%S}_max", "satellite_id": satellite,
            "target_id": f"T{i}", "start": t, "end": t + timedelta(seconds=duration_s),
            "roll_deg": roll, "pitch_deg": 0.0, "value": 0.5, "order_id": order_id, **extra}


def committed(db: ScheduleDB, ws_id: str, n: int = 3, lock_level: str = "none", orders: bool = True,
              start: datetime | None = None, satellite: str = "SAT-1"):
    """Commit a plan of ``n`` items (each serving its own order); returns (plan, acquisitions, orders)."""
    made_orders = [db.create_order(f"T{i}", 3, ws_id, requested_window_start=T0 - timedelta(hours=12),
                                   requested_window_end=T0 + timedelta(hours=12)) for i in range(n)] if orders else []
    plan = db.create_plan("best_fit", {"k": 1}, f"sha256:{ws_id}-{n}-{lock_level}-{start}-{satellite}", None,
                          {"accepted": n}, ws_id)
    base = start or T0
    db.create_plan_items(plan.id, [item(i, made_orders[i].id if orders else None, satellite=satellite,
                                        start=base + timedelta(minutes=i)) for i in range(n)])
    result = db.commit_plan(plan.id, [], lock_level, "OPTICAL", ws_id)
    acqs = db.get_acquisitions([a["id"] for a in result["acquisitions_created"]])
    return plan, acqs, made_orders
