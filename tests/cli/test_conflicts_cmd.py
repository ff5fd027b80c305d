"""``python -m app conflicts`` finds an overlap and a slew deficit in a committed schedule."""
import json
from pathlib import Path

from app.cli.main import main
from app.domain import Satellite
from app.persistence import ScheduleDB

TLE = (Path(__file__).resolve().parents[2] / "data/tle/sar-constellation.2026-08-10.tle").read_text().splitlines()


def _sat():
    i = next(n for n, line in enumerate(TLE) if line.strip() == "ICEYE-X2")
    return Satellite(id="ICEYE-X2", tle_line1=TLE[i + 1], tle_line2=TLE[i + 2], mode="SAR",
                     roll_rate_dps=1.0, roll_accel_dps2=0.5, settle_time_s=5.0)


def test_conflicts_report(db_url, capsys):
    path = db_url
    db = ScheduleDB(path)
    ws = db.create_workspace("ops")
    db.upsert_satellites(ws.id, [_sat()])
    item = {"satellite_id": "ICEYE-X2", "pitch_deg": 0.0, "value": 1.0}
    # A and B overlap; E starts 10 s after D ends but needs a 30-degree roll.
    items = [
        {**item, "opportunity_id": "a", "target_id": "A", "start": "2026-08-11T10:00:00Z",
         "end": "2026-08-11T10:00:10Z", "roll_deg": 0.0},
        {**item, "opportunity_id": "b", "target_id": "B", "start": "2026-08-11T10:00:05Z",
         "end": "2026-08-11T10:00:15Z", "roll_deg": 0.0},
        {**item, "opportunity_id": "d", "target_id": "D", "start": "2026-08-11T11:00:00Z",
         "end": "2026-08-11T11:00:10Z", "roll_deg": -10.0},
        {**item, "opportunity_id": "e", "target_id": "E", "start": "2026-08-11T11:00:20Z",
         "end": "2026-08-11T11:00:30Z", "roll_deg": 20.0},
    ]
    db.commit_direct(items, algorithm="manual", mode="SAR", workspace_id=ws.id)
    assert main(["conflicts", "--workspace", "ops", "--db", path]) == 0
    report = json.loads(capsys.readouterr().out)
    types = {c["type"]: c for c in report["conflicts"]}
    assert types["temporal_overlap"]["severity"] == "error"
    slew = types["slew_infeasible"]
    # 30 deg at 1 deg/s, 0.5 deg/s2: 30/1 + 1/0.5 = 32 s + 5 s settle = 37 s needed, 10 s available.
    assert "Insufficient slew time: need 37 s, have 10 s" in slew["description"] and slew["severity"] == "error"
    assert report["summary"]["total"] == len(report["conflicts"])
    assert report["summary"]["by_severity"]["error"] >= 2
    assert len(db.list_conflicts(ws.id)) == len(report["conflicts"])


def test_conflicts_unknown_workspace_exit_2(db_url, capsys):
    path = db_url
    ScheduleDB(path)
    assert main(["conflicts", "--workspace", "nope", "--db", path]) == 2
    assert "nope" in capsys.readouterr().err
