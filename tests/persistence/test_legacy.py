"""The legacy v1 migration: a v1 database file (seed 001 §1.5) with AcceptedOrders in its blob."""
from __future__ import annotations

import json
import sqlite3

import pytest

from app.domain import ValidationError
from app.domain.enums import AcquisitionState, Mode, PlanStatus
from app.persistence.migrations import MIGRATIONS
from app.persistence import ScheduleDB

from .helpers import counts

V1_SCHEMA = """
CREATE TABLE workspaces (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT, updated_at TEXT,
    schema_version TEXT DEFAULT '1.0', app_version TEXT, mission_mode TEXT, time_window_start TEXT,
    time_window_end TEXT, satellites_count INTEGER DEFAULT 0, targets_count INTEGER DEFAULT 0,
    last_run_status TEXT, last_run_timestamp TEXT);
CREATE TABLE workspace_blobs (id INTEGER PRIMARY KEY AUTOINCREMENT, workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    scenario_config_json TEXT, analysis_state_json TEXT, planning_state_json TEXT, orders_state_json TEXT,
    ui_state_json TEXT, czml_blob BLOB, config_hash TEXT, UNIQUE(workspace_id));
"""


@pytest.fixture
def db_path(tmp_path):
    """This module inspects the SQLite file itself: SQLite only."""
    return tmp_path / "schedule.db"


def _accepted(order_id, sat="ICEYE-X44", start_hour=14):
    return {
        "order_id": order_id, "name": f"roll_pitch_best_fit-{order_id}", "created_at": "2026-01-22T10:00:00",
        "algorithm": "roll_pitch_best_fit",
        "metrics": {"accepted": 2, "rejected": 0, "total_value": 1.8, "mean_incidence_deg": 20.0,
                    "imaging_time_s": 10.0, "maneuver_time_s": 30.0, "utilization": 0.1, "runtime_ms": 5.0},
        "schedule": [
            {"opportunity_id": f"{sat}_Athens_0_max", "satellite_id": sat, "target_id": "Athens",
             "start_time": f"2026-01-23T{start_hour}:30:00Z", "end_time": f"2026-01-23T{start_hour}:30:05Z",
             "droll_deg": 12.5, "t_slew_s": 15.0, "slack_s": 100.0, "value": 1.0, "density": "inf"},
            {"opportunity_id": f"{sat}_Rome_1_max", "satellite_id": sat, "target_id": "Rome",
             "start_time": f"2026-01-23T{start_hour}:35:00", "end_time": f"2026-01-23T{start_hour}:35:05",
             "droll_deg": -20.0, "t_slew_s": 20.0, "slack_s": 50.0, "value": 0.8, "density": 0.04},
        ],
        "satellites_involved": [sat], "targets_covered": ["Athens", "Rome"],
    }


@pytest.fixture
def v1_file(tmp_path):
    path = tmp_path / "workspaces.db"
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO workspaces (id, name, created_at, updated_at, mission_mode) VALUES "
                 "('0b5e7c1a-uuid', 'legacy', '2026-01-22T09:00:00', '2026-01-22T09:30:00.123456', 'SAR')")
    conn.execute("INSERT INTO workspace_blobs (workspace_id, orders_state_json) VALUES (?, ?)",
                 ("0b5e7c1a-uuid", json.dumps({"orders": [_accepted("order_1"), _accepted("order_2", "ICEYE-X45", 16)]})))
    conn.commit()
    conn.close()
    return path


def test_v1_file_upgrades_and_migrates_once(v1_file):
    db = ScheduleDB(v1_file)
    assert db.applied_migrations == [m.version for m in MIGRATIONS]
    ws = db.get_workspace("0b5e7c1a-uuid")
    assert ws.name == "legacy" and ws.created_at.isoformat() == "2026-01-22T09:00:00+00:00"
    assert db.list_acquisitions(ws.id) == []  # get_workspace does not migrate; load/find do
    loaded = db.find_workspace("legacy")
    assert loaded.id == ws.id
    plans = db.list_plans(ws.id)
    assert len(plans) == 2 and {p.status for p in plans} == {PlanStatus.COMMITTED}
    assert {p.run_id for p in plans} == {"run_legacy_order_1", "run_legacy_order_2"}
    assert plans[0].config["legacy_v1"]["roll_rebuilt_from_droll"] is True
    acqs = db.list_acquisitions(ws.id)
    assert len(acqs) == 4 and {a.state for a in acqs} == {AcquisitionState.COMMITTED} and {a.mode for a in acqs} == {Mode.SAR}
    x44 = [a for a in acqs if a.satellite_id == "ICEYE-X44"]
    assert [a.roll_deg for a in x44] == [12.5, -7.5]  # running sum of v1's roll changes
    assert x44[1].start.isoformat() == "2026-01-23T14:35:00+00:00"  # zone-less v1 time read as UTC
    assert sum(len(db.get_plan_items(p.id)) for p in plans) == 4
    assert db.list_audit(workspace_id=ws.id, limit=1)[0].action == "legacy_v1_migration"
    snapshot = counts(db)
    db.load_workspace(ws.id)
    db.close()
    again = ScheduleDB(v1_file)
    again.find_workspace("legacy")
    assert counts(again) == snapshot  # idempotent: nothing created the second time
    again.close()


def test_workspace_with_acquisitions_is_not_migrated(db, ws):
    from .helpers import committed
    committed(db, ws.id, n=1)
    db.put_workspace_blob(ws.id, orders_state_json={"orders": [_accepted("order_9")]})
    before = counts(db)
    db.load_workspace(ws.id)
    assert counts(db) == before


def test_bad_legacy_blob_refused_with_path_and_nothing_written(db, ws):
    bad = _accepted("order_bad")
    bad["schedule"][1]["start_time"] = "yesterday"
    db.put_workspace_blob(ws.id, orders_state_json={"orders": [_accepted("order_ok"), bad]})
    before = counts(db)
    with pytest.raises(ValidationError, match=r"orders_state\.orders\[1\]\.schedule\[1\]\.start_time: not an ISO 8601"):
        db.load_workspace(ws.id)
    assert counts(db) == before
