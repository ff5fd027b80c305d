"""Writes tests/data/old_names/moved.sqlite with the code of main at 9115921 (before one placement
naming: acquisitions said ``start_time``, ``roll_angle_deg`` …): a workspace with two committed
acquisitions, one moved (its audit entry holds the old names), one deleted and restored (its audit
entry holds the whole acquisition under the old names). Run: PYTHONPATH=<main at 9115921> python3
make_old_names.py OUT."""
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from app.domain import WorkspaceSettings
from app.persistence import ScheduleDB

out = Path(sys.argv[1])
if out.exists():
    out.unlink()
T0 = datetime(2026, 8, 7, 9, 0, 0, tzinfo=timezone.utc)
db = ScheduleDB(out, user="fixture")
ws = db.create_workspace("old-names", WorkspaceSettings(freeze_window_hours=2.0, scenario_clock=T0 - timedelta(days=1)))
orders = [db.create_order(f"T{i}", 3, ws.id, requested_window_start=T0 - timedelta(hours=12),
                          requested_window_end=T0 + timedelta(hours=12)) for i in range(2)]
items = [{"opportunity_id": f"SAT-1_T{i}_max", "satellite_id": "SAT-1", "target_id": f"T{i}",
          "start_time": T0 + timedelta(minutes=10 * i), "end_time": T0 + timedelta(minutes=10 * i, seconds=10),
          "roll_angle_deg": 10.0 + i, "pitch_angle_deg": 0.0, "incidence_angle_deg": 12.0 + i, "value": 0.5,
          "order_id": orders[i].id, "look_side": "RIGHT", "pass_direction": "ASCENDING"} for i in range(2)]
res = db.commit_direct(items, algorithm="best_fit", workspace_id=ws.id)
first, second = sorted(db.get_acquisitions([c["id"] for c in res["acquisitions_created"]]), key=lambda a: a.start_time)
db.update_acquisition(first.id, {"start_time": first.start_time + timedelta(minutes=3), "roll_angle_deg": -4.0,
                                 "incidence_angle_deg": 5.5})
gone = db.delete_acquisitions([second.id])["rows"]
db.restore_acquisitions(gone)
print(first.id, second.id)
db.close()
c = sqlite3.connect(out)
c.execute("PRAGMA journal_mode=DELETE")
c.execute("VACUUM")
c.close()
