"""A failed or interrupted command changes nothing (or is completed by the next run)."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from app.cli.main import main
from app.persistence import ScheduleDB
from app.services import commits, demo
from app.services.demo import ensure_demo

from .conftest import dump


def _state(path):
    db = ScheduleDB(str(path))
    try:
        ws = db.find_workspace("demo")
        acqs = db.list_acquisitions(ws.id)
        orders = db.list_orders(workspace_id=ws.id, limit=None)
        return {"acquisitions": len(acqs), "hard": sum(a.lock_level == "hard" for a in acqs),
                "inbox": sum(o.status == "new" for o in orders),
                "committed_orders": sum(o.status == "committed" for o in orders),
                "candidates": len(db.list_plans(ws.id, status="candidate")),
                "committed_plans": len(db.list_plans(ws.id, status="committed"))}
    finally:
        db.close()


def _demo_cmd(path):
    return [sys.executable, "-m", "app", "demo", "--with-schedule", "--quiet", "--db", str(path)]


_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


@pytest.fixture(scope="module")
def reference_run(tmp_path_factory):
    """The demo as an uninterrupted ``demo --with-schedule`` leaves it, and how long that took."""
    path = tmp_path_factory.mktemp("ref") / "demo.db"
    started = time.monotonic()
    run = subprocess.run(_demo_cmd(path), env=_ENV, capture_output=True, timeout=300)
    assert run.returncode == 0, run.stderr
    duration = time.monotonic() - started
    state = _state(path)
    assert state["acquisitions"] > 0 and state["hard"] > 0 and state["inbox"] == demo.INBOX_ORDERS
    return state, duration


@pytest.fixture
def reference(reference_run):
    return reference_run[0]


def test_interrupted_between_planning_and_commit_is_completed(tmp_path, reference, monkeypatch):
    """As a kill right after planning: a candidate, no commit. The next start schedules."""
    path = tmp_path / "demo.db"

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(demo, "commit_plan", killed)
    with pytest.raises(KeyboardInterrupt):
        ensure_demo(ScheduleDB(str(path)))
    assert _state(path)["candidates"] == 1 and _state(path)["acquisitions"] == 0
    monkeypatch.setattr(demo, "commit_plan", commits.commit_plan)
    ensure_demo(ScheduleDB(str(path)))
    assert _state(path) == reference


def test_interrupted_after_import_is_completed(tmp_path, reference, monkeypatch):
    path = tmp_path / "demo.db"
    monkeypatch.setattr(demo, "run_planning", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        ensure_demo(ScheduleDB(str(path)))
    monkeypatch.undo()
    ensure_demo(ScheduleDB(str(path)))
    assert _state(path) == reference


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.8, 0.95])
def test_sigkill_during_demo_with_schedule_then_rerun_is_scheduled(tmp_path, reference_run, fraction):
    """A real SIGKILL at several points of ``demo --with-schedule``; the rerun leaves the demo as an
    uninterrupted run does (scheduled, hard locks, 12 orders in the Inbox, no candidate left)."""
    reference, duration = reference_run
    path = tmp_path / "demo.db"
    cmd = _demo_cmd(path)
    env = _ENV
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(duration * fraction)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    rerun = subprocess.run(cmd, env=env, capture_output=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert _state(path) == reference


def test_plan_with_bad_time_limit_keeps_the_candidate(ops_db, capsys):
    """``plan --time-limit inf`` used to reject the existing candidate before refusing."""
    before = dump(ops_db)
    assert main(["plan", "--workspace", "ops", "--time-limit", "inf", "--db", ops_db]) == 2
    assert dump(ops_db) == before


def test_plan_with_nothing_to_plan_stores_no_plan(tmp_path, capsys):
    path = str(tmp_path / "e.db")
    db = ScheduleDB(path)
    from .conftest import small_doc
    from app.services.scenario_file import parse_scenario
    from app.services.workspaces import import_scenario
    doc = small_doc()
    doc["orders"] = []
    import_scenario(db, parse_scenario(doc), "empty")
    db.close()
    before = dump(path)
    assert main(["plan", "--workspace", "empty", "--commit", "--db", path]) == 2
    assert "nothing to plan" in capsys.readouterr().err
    assert dump(path) == before


@pytest.mark.parametrize("mode", ["incremental", "from_scratch"])
def test_plan_when_everything_is_served_stores_no_plan(ops_db, capsys, mode):
    """Every open order already served: incremental has nothing to add (its existing acquisitions
    are only "unchanged"), and a second run exits 2 without storing an empty candidate."""
    assert main(["plan", "--workspace", "ops", "--mode", "incremental", "--commit", "--db", ops_db]) == 0
    capsys.readouterr()
    before = dump(ops_db)
    rc = main(["plan", "--workspace", "ops", "--mode", "incremental", "--commit", "--db", ops_db])
    err = capsys.readouterr().err
    assert rc == 2 and "nothing to plan" in err and err.count("\n") == 1, err
    assert dump(ops_db) == before
    if mode == "from_scratch":  # re-planning what is committed is a real proposal: it is stored
        assert main(["plan", "--workspace", "ops", "--mode", "from_scratch", "--db", ops_db]) == 0
        assert dump(ops_db)[0]["plans"] == before[0]["plans"] + 1


def test_reshuffle_commit_with_nothing_to_change_writes_nothing(ops_db, capsys):
    """A reshuffle that keeps everything is shown (its change list says so), but with --commit
    there is nothing to commit: refused before its candidate is stored."""
    assert main(["plan", "--workspace", "ops", "--mode", "incremental", "--commit", "--db", ops_db]) == 0
    capsys.readouterr()
    before = dump(ops_db)
    argv = ["plan", "--workspace", "ops", "--mode", "reshuffle", "--policy", "hard_lock_committed", "--db", ops_db]
    rc = main(argv + ["--commit"])
    err = capsys.readouterr().err
    assert rc == 2 and "nothing to plan" in err and err.count("\n") == 1, err
    assert dump(ops_db) == before
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out)["change_counts"]["unchanged"] == before[0]["acquisitions"]


def test_plan_and_items_stored_in_one_transaction(ops_db, monkeypatch):
    """A failure while the items are written leaves the earlier candidate as it was."""
    from app.persistence import plan_store
    from app.services import planning
    before = dump(ops_db)

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(plan_store.PlanStore, "_insert_items", broken)
    db = ScheduleDB(ops_db)
    with pytest.raises(RuntimeError):
        planning.run_planning(db, "ops", planning.PlanOptions(mode="incremental", algorithm="first_fit"))
    db.close()
    assert dump(ops_db) == before
