"""A database written by schema 2.5 (before plans carried their meaning in columns) upgrades in
place (migration 2.2), and its candidate plans commit as their config said (issue #10, item 2).

``tests/data/schema_2_5/candidates.sqlite`` was written by the code of main at 0b6f866 with
``make_candidates.py`` (next to it): the demo workspace with a real reshuffle candidate, and two
workspaces with hand-made candidates in the exact config format of that code (reshuffle and
from-scratch), one item of each change type."""
from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from app.domain.enums import PlanStatus
from app.persistence import ScheduleDB
from app.services import commits, planning

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "schema_2_5" / "candidates.sqlite"


@pytest.fixture
def old_db(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    conn = sqlite3.connect(path)
    versions = {v for (v,) in conn.execute("SELECT version FROM schema_migrations")}
    columns = {r[1] for r in conn.execute("PRAGMA table_info(plan_items)")}
    conn.close()
    assert versions == {"2.0", "2.1", "2.3", "2.4", "2.5"} and "change_type" not in columns
    return path


def _candidate(db, name):
    ws = db.find_workspace(name)
    return ws, db.list_plans(ws.id, status="candidate")[0]


def test_upgrade_moves_plan_meaning_into_columns_once(old_db):
    db = ScheduleDB(old_db, user="tester")
    try:
        assert db.applied_migrations == ["2.2"]
        for name in ("legacy-reshuffle", "legacy-scratch"):
            _, plan = _candidate(db, name)
            every = db.get_plan_items(plan.id, removed=True)
            assert Counter(str(i.change_type) for i in every) == {"moved": 1, "satellite_switched": 1,
                                                                  "removed": 1, "added": 1}
            assert not {"replaces", "supersede", "changes"} & set(plan.config)
        _, demo = _candidate(db, "demo")
        kinds = Counter(str(i.change_type) for i in db.get_plan_items(demo.id, removed=True))
        assert kinds == {"unchanged": 45, "added": 12}
        snapshot = {p: db.get_plan_items(p, removed=True) for p in (demo.id,)}
    finally:
        db.close()
    # idempotent: the migration run again (its record removed) changes nothing
    conn = sqlite3.connect(old_db)
    conn.execute("DELETE FROM schema_migrations WHERE version = '2.2'")
    conn.commit()
    conn.close()
    db = ScheduleDB(old_db, user="tester")
    try:
        assert db.applied_migrations == ["2.2"]
        assert {p: db.get_plan_items(p, removed=True) for p in snapshot} == snapshot
    finally:
        db.close()


@pytest.mark.parametrize("name", ["legacy-reshuffle", "legacy-scratch"])
def test_an_upgraded_candidate_commits_what_compare_shows(old_db, name):
    db = ScheduleDB(old_db, user="tester")
    try:
        ws, plan = _candidate(db, name)
        shown = [c for c in planning.compare_plan(db, ws.id, plan.id)["changes"] if c["type"] != "unchanged"]
        before = {a.id: a for a in db.list_acquisitions(ws.id)}
        record = commits.commit_plan(db, ws.id, plan.id)
        after = {a.id: a for a in db.list_acquisitions(ws.id)}
        by_type = {c["type"]: c for c in shown}
        assert sorted(by_type) == ["added", "moved", "removed", "satellite_switched"]
        assert by_type["removed"]["acquisition_id"] not in after
        assert [a.id for a in record.deleted] == [by_type["removed"]["acquisition_id"]]
        for kind in ("moved", "satellite_switched"):
            c = by_type[kind]
            a = after[c["acquisition_id"]]  # changed in place: the same acquisition
            assert planning.to_iso(a.start) == c["new_start"] and a.satellite_id == c["new_satellite_id"]
            assert a.version == before[a.id].version + 1
        switched = after[by_type["satellite_switched"]["acquisition_id"]]
        assert switched.mode == {s.id: s.mode for s in db.list_satellites(ws.id)}[switched.satellite_id]
        assert [a.target_id for a in record.created] == [by_type["added"]["target_id"]]
        assert record.summary["committed"] == 3 and db.get_plan(plan.id).status == PlanStatus.COMMITTED
    finally:
        db.close()
