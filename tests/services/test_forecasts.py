"""``forecast import`` and planning with a forecast: optical values × P(clear), expected value in the
metrics, SAR unaffected; bad rows refused by row and field with nothing written."""
from __future__ import annotations

import json

import pytest

from app.cli.main import main
from app.domain.enums import Mode
from app.persistence import ScheduleDB
from app.services.planning import PlanOptions, run_planning
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario


def _forecast(path, rows) -> str:
    path.write_text("lat,lon,time,cloud_pct\n" + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return str(path)


@pytest.fixture
def mixed_db(tmp_path, small_scenario):
    """The small workspace whose even orders ask for an optical image (so optical items exist even
    when clouds make SAR worth more)."""
    doc = small_scenario()
    for k, order in enumerate(doc["orders"]):
        if k % 2 == 0:
            order["constraints"] = {"mode": "OPTICAL"}
    db = ScheduleDB(tmp_path / "mixed.db")
    ws = import_scenario(db, parse_scenario(doc), "small")
    yield db, ws.id
    db.close()


def test_plan_with_forecast_weighs_optical_only(tmp_path, mixed_db, capsys):
    db, ws_id = mixed_db
    base = run_planning(db, ws_id, PlanOptions(algorithm="best_fit"))
    assert "expected_value" not in base.metrics
    targets = db.list_targets(ws_id)
    rows = [f"{t.lat},{t.lon},{h}" for t in targets for h in ("2026-08-10T00:00:00Z,60", "2026-08-11T00:00:00Z,60")]
    assert main(["forecast", "import", "--workspace", "small", _forecast(tmp_path / "f.csv", rows),
                 "--db", str(db.url).removeprefix("sqlite:///")]) == 0
    assert json.loads(capsys.readouterr().out)["points"] == 2 * len(targets)
    result = run_planning(db, ws_id, PlanOptions(algorithm="best_fit"))
    sats = {s.id: s.mode for s in db.list_satellites(ws_id)}
    optical = [it for it in result.items if sats[it.satellite_id] == Mode.OPTICAL]
    assert result.metrics["cloud_forecast"]["items_weighted"] == len(optical) > 0
    assert result.metrics["cloud_forecast"]["mean_p_clear"] == pytest.approx(0.4, abs=1e-9)
    assert result.metrics["expected_value"] == pytest.approx(sum(it.value for it in result.items))
    # The same opportunity is worth 0.4 × its value without forecast; SAR items keep theirs.
    before = {it.opportunity_id: it.value for it in base.items}
    for it in result.items:
        if it.opportunity_id in before:
            factor = 0.4 if sats[it.satellite_id] == Mode.OPTICAL else 1.0
            assert it.value == pytest.approx(factor * before[it.opportunity_id], rel=1e-9)


@pytest.mark.parametrize("row, message", [
    ("123,23.7,2026-08-10T00:00:00Z,10", "row 2.lat: must be between -90 and 90, got 123"),
    ("38,23.7,2026-08-10T00:00:00,10", "row 2.time: naive time"),
    ("38,23.7,2026-08-10T00:00:00Z,101", "row 2.cloud_pct: must be between 0 and 100"),
    ("38,23.7,2026-08-10T00:00:00Z,nan", "row 2.cloud_pct: must be a finite number"),
    ("38,,2026-08-10T00:00:00Z,5", "row 2.lon: required"),
])
def test_bad_forecast_rows_refused_naming_row_and_field(tmp_path, small_db, capsys, db_dump, row, message):
    db, _ws = small_db
    dump = db_dump
    before = dump(db)
    path = _forecast(tmp_path / "bad.csv", ["38,23.7,2026-08-10T00:00:00Z,10", row])
    assert main(["forecast", "import", "--workspace", "small", path, "--db", str(db.url).removeprefix("sqlite:///")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert dump(db) == before


@pytest.mark.parametrize("content, message", [
    ("acquisition_id,outcome,cloud_pct\nacq_1,done,\n", "row 1: outcome: must be one of completed|failed"),
    ("acquisition_id,outcome,cloud_pct\nacq_1,failed,120\n", "row 1: cloud_pct: must be between 0 and 100"),
    ("satellite_id,target_id,start_time,outcome\nS,T,2026-08-10T00:00:00,failed\n", "row 1: start_time: naive time"),
    ("acquisition_id,result\nacq_1,failed\n", "header.result: unknown column"),
    ('{"reports": [{"acquisition_id": "acq_1", "outcome": "failed", "cloud_pct": true}]}', "must be a number, got true/false"),
])
def test_bad_report_rows_exit_2_and_write_nothing(tmp_path, small_db, capsys, db_dump, content, message):
    db, _ws = small_db
    dump = db_dump
    before = dump(db)
    path = tmp_path / ("r.json" if content.startswith("{") else "r.csv")
    path.write_text(content, encoding="utf-8")
    assert main(["execution", "import", "--workspace", "small", str(path), "--db",
                 str(db.url).removeprefix("sqlite:///")]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert dump(db) == before


def test_report_reason_with_a_direction_character_refused(tmp_path, small_db, capsys):
    db, _ws = small_db
    path = tmp_path / "r.csv"
    path.write_text("acquisition_id,outcome,reason\nacq_1,failed,clo\u202euds\n", encoding="utf-8")
    assert main(["execution", "import", "--workspace", "small", str(path), "--db",
                 str(db.url).removeprefix("sqlite:///")]) == 2
    assert "row 1: reason: invisible direction character U+202E" in capsys.readouterr().err


def test_gridded_forecast_and_its_refusals(tmp_path, small_db, db_dump):
    from app.domain import ValidationError
    from app.services.forecasts import import_forecast, parse_forecast_file

    db, ws_id = small_db
    grid = tmp_path / "grid.csv"
    grid.write_text("lat,lon,2026-08-10T00:00:00Z,2026-08-10T12:00:00Z\n38,23.7,80,20\n48.85,2.35,0,5\n",
                    encoding="utf-8")
    points = parse_forecast_file(grid)
    assert len(points) == 4 and points[1][2].hour == 12 and points[1][3] == 20.0
    assert import_forecast(db, ws_id, grid)["locations"] == 2
    before = db_dump(db)
    for content, message in (
            ("lat,lon,2026-08-10T00:00:00\n38,23.7,80\n", "header.2026-08-10T00:00:00: naive time"),
            ("lat,lon,2026-08-10T00:00:00Z\n38,23.7,180\n", "row 1.2026-08-10T00:00:00Z: must be between 0 and 100"),
            ("lat,lon,2026-08-10T00:00:00Z\n123,23.7,18\n", "row 1.lat: must be between -90 and 90"),
            ("lat,lon,when,cloud_pct\n1,2,3,4\n", "header.when: unknown column")):
        grid.write_text(content, encoding="utf-8")
        with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
            import_forecast(db, ws_id, grid)
    assert db_dump(db) == before
