"""Many planners, one schedule (issue #13): each race of the issue with two (or more) processes,
on SQLite and on PostgreSQL (``db_url``)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.domain import StaleEditError, parse_utc
from app.domain.wording import day_time
from app.persistence import BulkEditRefused, CommitRefused, ScheduleDB
from app.services import commits, edits
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario

WORKER = Path(__file__).with_name("team_worker.py")
T = parse_utc("2026-08-10T06:00:00Z")


@pytest.fixture
def team(db_url, small_scenario):
    """(url, db as alice, workspace id) with the small real scenario (four satellites, 16 orders)."""
    db = ScheduleDB(db_url, user="alice")
    ws = import_scenario(db, parse_scenario(small_scenario()), "small")
    yield db_url, db, ws.id
    db.close()


def run_together(tmp_path, specs: list[dict]) -> list[dict]:
    """Start one process per spec, release them at once, return each one's JSON report."""
    go = tmp_path / f"go-{os.getpid()}-{len(list(tmp_path.iterdir()))}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[2]),
                                                        os.environ.get("PYTHONPATH", "")])}
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(go), json.dumps(s)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env) for s in specs]
    # Release them once every worker has imported and opened its database.
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob(f"{go.name}.ready.*"))) < len(procs) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.write_text("go")
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def _item(order, sat: str, start, seconds: float = 20.0, roll: float = 5.0) -> dict:
    return {"opportunity_id": f"{sat}_{order.target_id}_{start:%Y%m%dT%H%M%S}", "satellite_id": sat,
            "target_id": order.target_id, "start": start, "end": start + timedelta(seconds=seconds),
            "roll_deg": roll, "pitch_deg": 0.0, "roll_end_deg": roll, "pitch_end_deg": 0.0,
            "value": 1.0, "order_id": order.id}


def _plan(db: ScheduleDB, ws_id: str, name: str, items: list[dict], version: int) -> str:
    plan = db.create_plan("best_fit", {"mode": "incremental"}, f"sha256:{name}", None, {}, ws_id,
                          schedule_version=version)
    db.create_plan_items(plan.id, items)
    return plan.id


def _live(db: ScheduleDB, ws_id: str):
    return [a for a in db.list_acquisitions(ws_id) if str(a.state) != "failed"]


def assert_no_double_booking(db: ScheduleDB, ws_id: str) -> None:
    acqs = _live(db, ws_id)
    twice = [o for o, n in Counter(a.order_id for a in acqs if a.order_id).items() if n > 1]
    per_sat = defaultdict(list)
    for a in acqs:
        per_sat[a.satellite_id].append((a.start, a.end))
    overlaps = sum(1 for v in per_sat.values() for x, y in zip(sorted(v), sorted(v)[1:]) if y[0] < x[1])
    assert (twice, overlaps) == ([], 0)


def test_two_concurrent_commits_never_double_serve_or_overlap(team, tmp_path):
    url, db, ws = team
    orders = db.list_orders(workspace_id=ws, limit=None)
    version = db.schedule_version(ws)
    # A and B were both computed against the same schedule; B serves A's first order again and
    # puts an acquisition on top of A's second one on the same satellite.
    a = _plan(db, ws, "A", [_item(orders[0], "PLEIADES-NEO-3", T), _item(orders[1], "WORLDVIEW-3", T)], version)
    b = _plan(db, ws, "B", [_item(orders[0], "ICEYE-X2", T + timedelta(hours=2)),
                            _item(orders[2], "WORLDVIEW-3", T + timedelta(seconds=5))], version)
    reports = run_together(tmp_path, [
        {"url": url, "user": "alice", "action": "commit", "workspace": ws, "plan_id": a},
        {"url": url, "user": "bob", "action": "commit", "workspace": ws, "plan_id": b}])
    assert [r["errors"] for r in reports] == [[], []]
    assert sorted(r["ok"] for r in reports) == [0, 1]
    refusal = next(m for r in reports for m in r["refused"])
    assert "re-plan" in refusal and "Nothing was committed" in refusal
    assert "by alice" in refusal or "by bob" in refusal
    assert len(_live(db, ws)) == 2
    assert_no_double_booking(db, ws)


def test_commit_after_an_unrelated_change_rechecks_and_succeeds(team, tmp_path):
    url, db, ws = team
    orders = db.list_orders(workspace_id=ws, limit=None)
    version = db.schedule_version(ws)
    a = _plan(db, ws, "A", [_item(orders[0], "PLEIADES-NEO-3", T)], version)
    b = _plan(db, ws, "B", [_item(orders[1], "WORLDVIEW-3", T + timedelta(hours=3))], version)
    reports = run_together(tmp_path, [
        {"url": url, "user": "alice", "action": "commit", "workspace": ws, "plan_id": a},
        {"url": url, "user": "bob", "action": "commit", "workspace": ws, "plan_id": b}])
    assert [(r["ok"], r["refused"], r["errors"]) for r in reports] == [(1, [], []), (1, [], [])]
    assert db.schedule_version(ws) == version + 2
    assert_no_double_booking(db, ws)


def test_commit_refused_by_slew_names_it(team):
    _, db, ws = team
    orders = db.list_orders(workspace_id=ws, limit=None)
    version = db.schedule_version(ws)
    late = _plan(db, ws, "late", [_item(orders[1], "PLEIADES-NEO-3", T + timedelta(seconds=22), roll=-40.0)],
                 version)
    first = _plan(db, ws, "first", [_item(orders[0], "PLEIADES-NEO-3", T, roll=40.0)], version)
    commits.commit_plan(db, "small", first)
    with pytest.raises(CommitRefused, match=r"1 item now conflicts .* by alice .*re-plan.*slew") as refused:
        commits.commit_plan(db, "small", late)
    assert len(_live(db, ws)) == 1
    # The item is named as the planner reads it (target · satellite · day and time), not in ISO.
    when = day_time(T + timedelta(seconds=22))
    assert f"{orders[1].target_id} · PLEIADES-NEO-3 · {when}" in str(refused.value)


def test_database_itself_refuses_a_second_live_acquisition_of_an_order(team):
    """The guard below every Python check: the partial unique index."""
    _, db, ws = team
    order = db.list_orders(workspace_id=ws, limit=None)[0]
    commits.commit_plan(db, "small", _plan(db, ws, "A", [_item(order, "PLEIADES-NEO-3", T)], db.schedule_version(ws)))
    acq = _live(db, ws)[0]
    with pytest.raises(IntegrityError):
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE acquisitions SET id = 'copy' WHERE 1 = 0"))
            conn.execute(text(
                "INSERT INTO acquisitions (id, created_at, updated_at, satellite_id, target_id, start_time, end_time, "
                "mode, roll_angle_deg, state, lock_level, source, order_id, workspace_id, version) SELECT 'copy', "
                "created_at, updated_at, satellite_id, target_id, start_time, end_time, mode, roll_angle_deg, state, "
                "lock_level, source, order_id, workspace_id, version FROM acquisitions WHERE id = :id"), {"id": acq.id})
    assert len(_live(db, ws)) == 1


def _committed(db, ws, n=3):
    orders = db.list_orders(workspace_id=ws, limit=None)
    items = [_item(orders[i], "PLEIADES-NEO-3", T + timedelta(minutes=10 * i)) for i in range(n)]
    return commits.commit_plan(db, "small", _plan(db, ws, f"c{n}", items, db.schedule_version(ws)))


def test_stale_lock_change_refused_with_who_and_hard_lock_kept(team):
    url, alice, ws = team
    record = _committed(alice, ws)
    ids = [a.id for a in record.created]
    bob = ScheduleDB(url, user="bob")
    try:
        seen = {a.id: a.version for a in bob.get_acquisitions(ids)}
        alice.set_lock_level(ids, "hard")
        with pytest.raises(BulkEditRefused, match=r"changed by alice at \d{4}-\d\d-\d\d \d\d:\d\d UTC"):
            bob.set_lock_level(ids, "soft", expected_versions=seen)
        assert {str(a.lock_level) for a in alice.get_acquisitions(ids)} == {"hard"}
        # A blind edit (no versions) of rows nobody changed since it read them is never refused.
        fresh = {a.id: a.version for a in bob.get_acquisitions(ids)}
        assert bob.set_lock_level(ids, "hard", expected_versions=fresh)["refused"] == {}
        assert bob.set_lock_level(ids[:1], "soft")["updated"] == ids[:1]
    finally:
        bob.close()


def test_undo_of_a_commit_never_deletes_another_planners_hard_lock(team):
    url, alice, ws = team
    record = _committed(alice, ws)
    bob = ScheduleDB(url, user="bob")
    try:
        bob.set_lock_level([record.created[0].id], "hard")
    finally:
        bob.close()
    with pytest.raises(StaleEditError, match=r"changed by bob at"):
        commits.revert_commit(alice, record)
    assert {a.id for a in _live(alice, ws)} == {a.id for a in record.created}
    assert str(alice.get_acquisition(record.created[0].id).lock_level) == "hard"


def test_undo_of_a_lock_never_overrides_another_planners_lock(team):
    url, alice, ws = team
    record = _committed(alice, ws)
    ids = [a.id for a in record.created]
    done = edits.set_lock(alice, ids, "soft")
    bob = ScheduleDB(url, user="bob")
    try:
        bob.set_lock_level(ids, "hard")
    finally:
        bob.close()
    with pytest.raises(StaleEditError, match="changed by bob"):
        edits.restore_locks(alice, done.done)
    with pytest.raises(BulkEditRefused, match="changed by bob"):
        edits.restore_locks(alice, done.done, {a.id: a.version for a in done.after})
    assert {str(a.lock_level) for a in alice.get_acquisitions(ids)} == {"hard"}


def test_concurrent_resolves_exactly_one_wins(team, tmp_path, force_overlap):
    url, db, ws = team
    record = _committed(db, ws, n=3)
    force_overlap(db, list(record.created))
    from app.services import conflict_service
    conflict_service.detect_and_store(db, "small")
    conflict = next(c for c in db.list_conflicts(ws) if str(c.type) == "temporal_overlap")
    reports = run_together(tmp_path, [{"url": url, "user": f"p{i}", "action": "resolve", "conflict_id": conflict.id}
                                      for i in range(4)])
    assert [r["errors"] for r in reports] == [[]] * 4
    assert sum(r["ok"] for r in reports) == 1
    assert all("already resolved" in m for r in reports for m in r["refused"])
    assert len([e for e in db.list_audit(ws, entity_id=conflict.id) if e.action == "resolve"]) == 1


def test_concurrent_conflict_detection_keeps_one_set(team, tmp_path, force_overlap):
    url, db, ws = team
    record = _committed(db, ws, n=3)
    force_overlap(db, list(record.created))
    from app.services import conflict_service
    expected = len(conflict_service.detect_and_store(db, "small"))
    reports = run_together(tmp_path, [{"url": url, "action": "replace_conflicts", "workspace": "small", "repeat": 5}
                                      for _ in range(2)])
    assert [(r["ok"], r["errors"]) for r in reports] == [(5, []), (5, [])]
    assert len(db.list_conflicts(ws)) == expected


def test_locking_overlapping_selections_at_once_never_deadlocks(team, tmp_path):
    url, db, ws = team
    ids = [a.id for a in _committed(db, ws, n=8).created]
    reports = run_together(tmp_path, [
        {"url": url, "action": "lock", "ids": ids, "level": "hard", "repeat": 15},
        {"url": url, "action": "lock", "ids": ids[::-1], "level": "soft", "repeat": 15},
        {"url": url, "action": "lock", "ids": ids[2:] + ids[:2], "level": "none", "repeat": 15}])
    assert [(r["ok"], r["refused"], r["errors"]) for r in reports] == [(15, [], [])] * 3
    assert len({str(a.lock_level) for a in db.get_acquisitions(ids)}) == 1


def test_blind_order_edits_of_unchanged_rows_never_refused(team, tmp_path):
    url, db, ws = team
    orders = db.list_orders(workspace_id=ws, limit=None)
    reports = run_together(tmp_path, [{"url": url, "action": "order_priority", "order_id": orders[0].id,
                                       "repeat": 40} for _ in range(2)])
    assert [(r["ok"], r["refused"], r["errors"]) for r in reports] == [(40, [], [])] * 2
    assert db.get_order(orders[0].id).version == orders[0].version + 80


def test_two_processes_opening_an_empty_database(db_url, tmp_path):
    reports = run_together(tmp_path, [{"url": db_url, "action": "open"} for _ in range(3)])
    assert [(r["ok"], r["errors"]) for r in reports] == [(1, [])] * 3
