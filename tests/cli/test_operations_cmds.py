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


def test_advance_before_the_horizon_started_exit_2(path, capsys):
    assert main(["workspace", "advance", "--workspace", "small", "--db", path]) == 2
    assert "has not passed the horizon start" in capsys.readouterr().err


def test_missing_files_exit_2(path, capsys, tmp_path):
    for cmd in (["execution", "import"], ["forecast", "import"]):
        assert main([*cmd, "--workspace", "small", str(tmp_path / "nope.csv"), "--db", path]) == 2
        assert "no such file" in capsys.readouterr().err
