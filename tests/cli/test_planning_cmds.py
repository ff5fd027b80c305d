"""``python -m app plan`` and ``python -m app demo`` on real workspaces."""
import json

from app.cli.main import main
from app.persistence import ScheduleDB
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario


def _small(path, small_scenario) -> str:
    db = ScheduleDB(path)
    import_scenario(db, parse_scenario(small_scenario()), "small")
    db.close()
    return path


def test_plan_prints_metrics_and_commits(db_url, capsys, small_scenario):
    path = _small(db_url, small_scenario)
    assert main(["plan", "--workspace", "small", "--mode", "from_scratch", "--algorithm", "best_fit",
                 "--commit", "--lock-level", "soft", "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["metrics"]["error_conflicts"] == 0
    assert out["commit"]["acquisitions_created"] == out["metrics"]["accepted"] > 0
    db = ScheduleDB(path)
    acqs = db.list_acquisitions(db.find_workspace("small").id)
    assert len(acqs) == out["metrics"]["accepted"] and {a.lock_level for a in acqs} == {"soft"}

    assert main(["plan", "--workspace", "small", "--mode", "reshuffle", "--policy", "hard_lock_committed",
                 "--algorithm", "optimal", "--time-limit", "5", "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["change_counts"]["unchanged"] == len(acqs)
    assert out["status"] in ("OPTIMAL", "FEASIBLE")


def test_plan_bad_input_exits_2(db_url, capsys, small_scenario):
    path = _small(db_url, small_scenario)
    assert main(["plan", "--workspace", "nowhere", "--db", path]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["plan", "--workspace", "small", "--horizon-start", "2026-08-10T05:00:00Z",
                 "--horizon-end", "2026-08-10T01:00:00Z", "--db", path]) == 2
    assert "horizon_end" in capsys.readouterr().err
    assert main(["plan", "--workspace", "small", "--policy", "hard_lock_committed", "--max-shift-minutes", "-3",
                 "--mode", "reshuffle", "--db", path]) == 2
    assert "max_shift_minutes" in capsys.readouterr().err
    db = ScheduleDB(path)
    assert db.list_plans(db.find_workspace("small").id) == []


def test_demo_creates_the_workspace_once(db_url, capsys):
    path = db_url
    assert main(["demo", "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["satellites"], out["ground_stations"], out["orders"], out["inbox"]) == (15, 4, 60, 60)
    assert out["targets"] >= 100 and out["acquisitions"] == 0
    assert main(["demo", "--db", path, "--with-schedule", "--quiet"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["inbox"] == 12 and out["acquisitions"] == 48 and out["hard_locked"] > 0
    assert main(["conflicts", "--workspace", "demo", "--db", path]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["total"] == 0
