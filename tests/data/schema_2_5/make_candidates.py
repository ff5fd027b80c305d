"""Writes tests/data/schema_2_5_candidates.sqlite with the code of main at 0b6f866 (schema 2.5):
the demo workspace committed, then a reshuffle candidate and a from-scratch candidate (rejected)."""
import sys, shutil
from pathlib import Path
from app.persistence import ScheduleDB
from app.services.demo import ensure_demo
from app.services.planning import PlanOptions, run_planning
from app.services import edits
out = Path(sys.argv[1])
if out.exists(): out.unlink()
db = ScheduleDB(out, user="fixture", create=True) if 'create' in ScheduleDB.__init__.__code__.co_varnames else ScheduleDB(out, user="fixture")
ws = ensure_demo(db)
# from-scratch candidate (will be replaced/rejected by the reshuffle run)
r1 = run_planning(db, ws.id, PlanOptions(mode="from_scratch", algorithm="best_fit", time_limit_s=5))
r2 = run_planning(db, ws.id, PlanOptions(mode="reshuffle", algorithm="best_fit", policy="replace_if_better",
                                         policy_params={"improvement_threshold_pct": 1.0}, time_limit_s=5))
from collections import Counter
print(r1.plan_id, Counter(c["type"] for c in r1.changes))
print(r2.plan_id, Counter(c["type"] for c in r2.changes), len(r2.items))
print({k: len(v) for k, v in db.get_plan(r2.plan_id).config.items() if isinstance(v, (list, dict))})
db.close()

# Hand-made candidates in the exact config format run_planning wrote at schema 2.5, with every
# change type: a reshuffle (moved, switched, unchanged, removed, added) and a from-scratch plan.
import json
from datetime import timedelta
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario
from app.services.demo import DEMO_SCENARIO
from app.domain import to_iso
db = ScheduleDB(out, user="fixture")
scenario = parse_scenario(json.loads(DEMO_SCENARIO.read_text()))
for name, mode in (("legacy-reshuffle", "reshuffle"), ("legacy-scratch", "from_scratch")):
    w = import_scenario(db, scenario, name)
    sats = [s.id for s in db.list_satellites(w.id)]
    orders = db.list_orders(workspace_id=w.id, limit=None)[:5]
    t0 = w.settings.horizon_start + timedelta(hours=30)
    def it(i, sat, start, order):
        return {"opportunity_id": f"{sat}_{order.target_id}_{start:%Y%m%dT%H%M%S}_max", "satellite_id": sat,
                "target_id": order.target_id, "start_time": start, "end_time": start + timedelta(seconds=12),
                "roll_angle_deg": 5.0 + i, "pitch_angle_deg": 0.0, "value": 0.6, "quality_score": 0.7,
                "order_id": order.id, "incidence_angle_deg": 6.0 + i, "look_side": "RIGHT", "pass_direction": "ASCENDING"}
    res = db.commit_direct([it(i, sats[0], t0 + timedelta(minutes=10 * i), orders[i]) for i in range(3)],
                           algorithm="best_fit", workspace_id=w.id)
    acqs = db.get_acquisitions([c["id"] for c in res["acquisitions_created"]])
    acqs.sort(key=lambda a: a.start_time)
    moved = it(0, sats[0], acqs[0].start_time + timedelta(seconds=90), orders[0])
    switched = it(1, sats[1], acqs[1].start_time + timedelta(seconds=30), orders[1])
    added = it(3, sats[1], t0 + timedelta(hours=2), orders[3])
    items = [moved, switched, added]
    replaces = {moved["opportunity_id"]: acqs[0].id, switched["opportunity_id"]: acqs[1].id}
    def ch(t, a=None, new=None):
        return {"type": t, "order_id": (a.order_id if a else new["order_id"]), "target_id": (a.target_id if a else new["target_id"]),
                "acquisition_id": a.id if a else None, "opportunity_id": new["opportunity_id"] if new else (a.opportunity_id if a else None),
                "old_start": to_iso(a.start_time) if a else None, "old_end": to_iso(a.end_time) if a else None,
                "new_start": to_iso(new["start_time"]) if new else None, "new_end": to_iso(new["end_time"]) if new else None,
                "old_satellite_id": a.satellite_id if a else None, "new_satellite_id": new["satellite_id"] if new else None}
    changes = [ch("moved", acqs[0], moved), ch("satellite_switched", acqs[1], switched), ch("removed", acqs[2]), ch("added", None, added)]
    supersede = [acqs[2].id] if mode == "reshuffle" else [a.id for a in acqs]
    config = {"mode": mode, "algorithm": "best_fit", "policy": "replace_if_better" if mode == "reshuffle" else None,
              "policy_params": {}, "horizon_start": to_iso(w.settings.horizon_start), "horizon_end": to_iso(w.settings.horizon_end),
              "now": to_iso(w.settings.horizon_start), "value_config": {}, "time_limit_s": 5.0,
              "supersede": supersede, "replaces": replaces, "changes": changes, "unserved": {}}
    plan, _ = db.store_candidate_plan("best_fit", config, f"sha256:{name}", None, {"accepted": 3}, w.id, items,
                                      schedule_version=db.schedule_version(w.id))
    print(name, plan.id, [a.id for a in acqs])
db.close()
import sqlite3
c = sqlite3.connect(out); c.execute("PRAGMA journal_mode=DELETE"); c.execute("VACUUM"); c.close()
