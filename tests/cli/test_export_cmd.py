"""``python -m app export`` on a real database: formats, window filter, bad input."""
import csv
import json

from app.cli.main import main
from app.persistence import ScheduleDB


def _db_with_schedule(path):
    db = ScheduleDB(str(path))
    ws = db.create_workspace("ops")
    items = [{"opportunity_id": f"SAT-1_T{i}_2026081{i}T100000_max", "satellite_id": "SAT-1", "target_id": f"T{i}",
              "start": f"2026-08-1{i}T10:00:00Z", "end": f"2026-08-1{i}T10:00:10Z",
              "roll_deg": 5.0 * i, "pitch_deg": 0.0, "value": 1.0} for i in range(1, 4)]
    db.commit_direct(items, algorithm="test", mode="OPTICAL", lock_level="soft", workspace_id=ws.id)
    return path


def test_export_csv_with_window(db_url, tmp_path, capsys):
    db = _db_with_schedule(db_url)
    out = tmp_path / "s.csv"
    rc = main(["export", "--workspace", "ops", "--format", "csv", "--out", str(out), "--db", str(db),
               "--from", "2026-08-12T00:00:00Z"])
    assert rc == 0
    assert json.loads(capsys.readouterr().out)["acquisitions"] == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["target_id"] for r in rows] == ["T2", "T3"] and rows[0]["lock_level"] == "soft"


def test_export_bad_format_exit_2_nothing_written(db_url, tmp_path, capsys):
    db = _db_with_schedule(db_url)
    out = tmp_path / "s.xlsx"
    rc = main(["export", "--workspace", "ops", "--format", "xlsx", "--out", str(out), "--db", str(db)])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and err.startswith("error: format: must be one of csv|json|ics|kml") and "\n" not in err
    assert not out.exists()


def test_export_unknown_workspace_exit_2(db_url, tmp_path, capsys):
    db = _db_with_schedule(db_url)
    rc = main(["export", "--workspace", "nope", "--format", "json", "--out", str(tmp_path / "x.json"),
               "--db", str(db)])
    assert rc == 2 and "nope" in capsys.readouterr().err
