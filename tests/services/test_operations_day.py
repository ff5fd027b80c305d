"""A simulated two-day operation of the demo workspace, through the services and the CLI (issue #12):
clock steps every four hours with the promotion rule checked at each step, an overnight execution
report with completed and failed rows, failed orders back in the Inbox with their reason, an
incremental plan re-serving them, and an advance closing the first horizon."""
from __future__ import annotations

import csv
import json
from datetime import timedelta

from app.cli.main import main
from app.domain.clock import promotion
from app.domain.enums import AcquisitionState, LockLevel, OrderStatus
from app.persistence import ScheduleDB
from app.services import clock, execution
from app.services.commits import commit_plan
from app.services.demo import ensure_demo
from app.services.planning import PlanOptions, run_planning


def _check_rule(db: ScheduleDB, ws_id: str) -> dict[str, int]:
    """After a step, no acquisition is left that the rule would still promote; the frozen zone is hard."""
    ws = db.get_workspace(ws_id)
    s = ws.settings
    now = s.scenario_clock
    counts = {"executing": 0, "hard": 0, "soft": 0}
    for a in db.list_acquisitions(ws_id):
        assert promotion(a, now, s.freeze_window_hours, s.soft_lock_window_hours) is None, a
        if a.start < now:
            assert a.state in (AcquisitionState.EXECUTING, AcquisitionState.COMPLETED, AcquisitionState.FAILED)
            counts["executing"] += a.state == AcquisitionState.EXECUTING
        elif a.start < now + timedelta(hours=s.freeze_window_hours):
            assert a.lock_level == LockLevel.HARD
            counts["hard"] += 1
        elif a.start < now + timedelta(hours=s.soft_lock_window_hours):
            assert a.lock_level in (LockLevel.SOFT, LockLevel.HARD)
            counts["soft"] += 1
    return counts


def _report(path, rows) -> str:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["acquisition_id", "outcome", "reason", "cloud_pct"])
        w.writerows(rows)
    return str(path)


def test_two_day_operation(tmp_path, capsys):
    path = str(tmp_path / "ops.db")
    db = ScheduleDB(path)
    ws = ensure_demo(db)
    start = ws.settings.scenario_clock
    seen_executing = 0
    for step in range(1, 7):  # day 1: every 4 h, alternately by the service and the CLI
        if step % 2:
            clock.step_clock(db, ws.id, "4h")
        else:
            assert main(["clock", "--workspace", "demo", "--step", "4h", "--db", path]) == 0
            out = json.loads(capsys.readouterr().out)
            assert out["clock"] == (start + timedelta(hours=4 * step)).strftime("%Y-%m-%dT%H:%M:%SZ")
        counts = _check_rule(db, ws.id)
        assert counts["executing"] >= seen_executing
        seen_executing = counts["executing"]
    assert seen_executing > 4

    # The overnight report: two failed (clouds, anomaly), the rest completed.
    executing = sorted((a for a in db.list_acquisitions(ws.id) if a.state == AcquisitionState.EXECUTING),
                       key=lambda a: a.start)
    failed = executing[:2]
    rows = [(failed[0].id, "failed", "clouds", "92"), (failed[1].id, "failed", "anomaly", "")]
    rows += [(a.id, "completed", "", "10") for a in executing[2:]]
    assert main(["execution", "import", "--workspace", "demo", _report(tmp_path / "night.csv", rows),
                 "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["completed"], out["failed"]) == (len(executing) - 2, 2)
    inbox = {o.id: o for o in db.list_orders(workspace_id=ws.id, status="new", limit=None)}
    for a, reason in zip(failed, ("clouds", "anomaly")):
        assert a.order_id in inbox
        assert inbox[a.order_id].last_failure_reason == reason and inbox[a.order_id].attempt_count == 1
    # The same report again: every row refused (twice), nothing written, exit 2 with one line.
    assert main(["execution", "import", "--workspace", "demo", str(tmp_path / "night.csv"), "--db", path]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "refused, nothing written" in err

    # Re-plan the failures around the schedule (incremental) and commit.
    failed_orders = {a.order_id for a in failed}
    result = run_planning(db, ws.id, PlanOptions(mode="incremental", algorithm="best_fit",
                                                 order_ids=tuple(failed_orders)))
    served = {it.order_id for it in result.items}
    assert served & failed_orders, result.unserved
    assert all(it.start >= start + timedelta(hours=24) for it in result.items)
    commit_plan(db, ws.id, result.plan_id)
    for oid in served & failed_orders:
        assert db.get_order(oid).status == OrderStatus.COMMITTED

    for _ in range(6):  # day 2
        clock.step_clock(db, ws.id, "4h")
        _check_rule(db, ws.id)
    executing = [a for a in db.list_acquisitions(ws.id) if a.state == AcquisitionState.EXECUTING]
    result = execution.import_execution_report(
        db, ws.id, _report(tmp_path / "day2.csv", [(a.id, "completed", "", "") for a in executing]))
    assert len(result.completed) == len(executing)

    assert main(["workspace", "advance", "--workspace", "demo", "--db", path]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["closed_horizon"]["end"] == report["next_horizon"]["start"] == "2026-08-12T00:00:00Z"
    assert report["failed_by_reason"] == {"clouds": 1, "anomaly": 1}
    assert report["orders_served"] == len([o for o in db.list_orders(workspace_id=ws.id, limit=None)
                                          if o.status == OrderStatus.COMPLETED])
    assert report["value_delivered"] > 0 and report["carried_over"].get("committed", 0) > 0
    assert sum(v.get("completed", 0) for v in report["acquisitions_per_satellite"].values()) == \
        report["archived"]["acquisitions"] - 2
    assert db.get_workspace(ws.id).settings.horizon_start.isoformat() == "2026-08-12T00:00:00+00:00"
    db.close()
