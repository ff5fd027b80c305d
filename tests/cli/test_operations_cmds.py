"""``python -m app clock`` / ``execution import`` / ``workspace advance`` / ``forecast import``: arguments,
JSON out, one-line refusals with exit 2."""
import json
from datetime import datetime, timezone

import pytest

from app.cli.main import main
from app.persistence import ScheduleDB
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario


@pytest.fixture
def path(tmp_path, small_scenario) -> str:
    p = str(tmp_path / "w.db")
    db = ScheduleDB(p)
    import_scenario(db, parse_scenario(small_scenario()), "small")
    db.close()
    return p


def test_clock_set_step_back_and_live(path, capsys):
    assert main(["clock", "--workspace", "small", "--set", "2026-08-10T06:00:00Z", "--db", path]) == 0
    assert json.loads(capsys.readouterr().out)["clock"] == "2026-08-10T06:00:00Z"
    assert main(["clock", "--workspace", "small", "--step=-90m", "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["clock"], out["previous"], out["live"]) == ("2026-08-10T04:30:00Z", "2026-08-10T06:00:00Z", False)
    before = datetime.now(timezone.utc)
    assert main(["clock", "--workspace", "small", "--live", "--db", path]) == 0
    out = json.loads(capsys.readouterr().out)
    clock = datetime.fromisoformat(out["clock"].replace("Z", "+00:00"))
    assert out["live"] and abs((clock - before).total_seconds()) < 60


@pytest.mark.parametrize("args, message", [
    (["--set", "2026-08-10T06:00:00Z", "--step", "1h"], "give exactly one of --set TIME, --step DURATION or --live"),
    ([], "give exactly one of"),
    (["--step", "soon"], "step: not a duration: 'soon'"),
    (["--set", "2026-08-10 06:00"], "set: naive time"),
    (["--set", "9999-01-01T00:00:00Z"], "set: year 9999 is outside"),
])
def test_clock_bad_arguments_exit_2(path, capsys, args, message):
    assert main(["clock", "--workspace", "small", *args, "--db", path]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def _clock_state(path: str) -> tuple:
    """What a clock move writes: the workspace's settings and applied clock, and the audit trail."""
    db = ScheduleDB(path)
    try:
        with db.engine.connect() as conn:
            ws = conn.exec_driver_sql("SELECT settings_json, clock_applied_at FROM workspaces").one()
            audit = conn.exec_driver_sql("SELECT COUNT(*) FROM audit_log").scalar()
            conn.rollback()
        return tuple(ws), audit
    finally:
        db.close()


@pytest.mark.parametrize("args, message", [
    # the tester's 174-year jump (the small workspace's horizon is Mon 10 – Tue 11 Aug 2026)
    (["--set", "2200-08-10T00:00:00Z"], "set: Sun 10 Aug 2200 00:00Z is 63,551 days after the workspace's horizon "
                                        "ends (Tue 11 Aug 2026 00:00Z); the clock may be at most 30 days outside "
                                        "the horizon (advance the horizon to go further)"),
    (["--set", "2025-08-10T00:00:00Z"], "set: Sun 10 Aug 2025 00:00Z is 365 days before the workspace's horizon "
                                        "starts (Mon 10 Aug 2026 00:00Z)"),
    (["--step", "31d1m"], "step: Thu 10 Sep 2026 00:01Z is 31 days after the workspace's horizon ends"),
    (["--step=-31d"], "step: Fri 10 Jul 2026 00:00Z is 31 days before the workspace's horizon starts"),
])
def test_clock_far_outside_the_horizon_exit_2_nothing_written(path, capsys, args, message):
    before = _clock_state(path)
    assert main(["clock", "--workspace", "small", *args, "--db", path]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _clock_state(path) == before


def test_clock_within_the_margin_of_the_horizon_is_accepted(path, capsys):
    # 30 days after the end (Tue 11 Aug) is the last accepted instant; the clock was Mon 10 Aug 00:00Z.
    assert main(["clock", "--workspace", "small", "--set", "2026-09-10T00:00:00Z", "--db", path]) == 0
    assert json.loads(capsys.readouterr().out)["clock"] == "2026-09-10T00:00:00Z"
    assert main(["clock", "--workspace", "small", "--step", "1m", "--db", path]) == 2
    assert "step: Thu 10 Sep 2026 00:01Z is 31 days after" in capsys.readouterr().err
    # Advancing moves the horizon to the clock: the clock may then go on.
    assert main(["workspace", "advance", "--workspace", "small", "--db", path]) == 0
    assert json.loads(capsys.readouterr().out)["next_horizon"]["start"] == "2026-09-10T00:00:00Z"
    assert main(["clock", "--workspace", "small", "--step", "20d", "--db", path]) == 0


def test_advance_with_a_clock_far_outside_the_horizon_exit_2_nothing_written(path, capsys):
    # A clock set before the bound existed (or by hand): advancing would open a horizon in 2200.
    db = ScheduleDB(path)
    with db.engine.begin() as conn:
        settings = json.loads(conn.exec_driver_sql("SELECT settings_json FROM workspaces").scalar())
        settings["scenario_clock"] = "2200-08-10T00:00:00Z"
        conn.exec_driver_sql("UPDATE workspaces SET settings_json = ?", (json.dumps(settings),))
    db.close()
    before = _clock_state(path)
    assert main(["workspace", "advance", "--workspace", "small", "--db", path]) == 2
    err = capsys.readouterr().err
    assert "clock: Sun 10 Aug 2200 00:00Z is 63,551 days after the workspace's horizon ends" in err
    assert err.count("\n") == 1
    assert _clock_state(path) == before


def test_advance_before_the_horizon_started_exit_2(path, capsys):
    assert main(["workspace", "advance", "--workspace", "small", "--db", path]) == 2
    assert "has not passed the horizon start" in capsys.readouterr().err


def test_missing_files_exit_2(path, capsys, tmp_path):
    for cmd in (["execution", "import"], ["forecast", "import"]):
        assert main([*cmd, "--workspace", "small", str(tmp_path / "nope.csv"), "--db", path]) == 2
        assert "no such file" in capsys.readouterr().err
