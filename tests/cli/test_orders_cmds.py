"""``python -m app orders add|list|import`` on a real database, including bad input (exit 2, nothing written)."""
import json

import pytest

from app.cli.main import main
from app.persistence import ScheduleDB


@pytest.fixture
def db_path(db_url):
    path = db_url
    ScheduleDB(str(path)).create_workspace("ops")
    return str(path)


def _count(db_path):
    db = ScheduleDB(db_path)
    return len(db.list_orders(workspace_id=db.find_workspace("ops").id, limit=1000))


def test_add_and_list(db_path, capsys):
    rc = main(["orders", "add", "--workspace", "ops", "--target", "Athens", "--lat", "37.98", "--lon", "23.73",
               "--priority", "2", "--window-start", "2026-08-11T00:00:00Z", "--window-end", "2026-08-12T00:00:00Z",
               "--look-side", "LEFT", "--db", db_path])
    order = json.loads(capsys.readouterr().out)
    assert rc == 0 and order["priority"] == 2 and order["status"] == "new"
    assert order["constraints"] == {"look_side": "LEFT"}
    assert order["requested_window_start"] == "2026-08-11T00:00:00Z"
    assert main(["orders", "list", "--workspace", "ops", "--db", db_path]) == 0
    assert [o["id"] for o in json.loads(capsys.readouterr().out)] == [order["id"]]


@pytest.mark.parametrize("extra,message", [
    (["--priority", "9", "--lat", "1", "--lon", "1"], "priority: must be 1..5"),
    (["--priority", "2", "--lat", "123", "--lon", "1"], "lat: must be between -90 and 90, got 123"),
    (["--priority", "2", "--lat", "1", "--lon", "1", "--window-start", "2026-08-12T00:00:00Z",
      "--window-end", "2026-08-11T00:00:00Z"], "window_end: must be after window_start"),
    (["--priority", "2", "--lat", "1", "--lon", "1", "--window-start", "2026-08-12T00:00:00"], "naive time"),
    (["--priority", "2"], "unknown target 'Nowhere'"),
])
def test_add_bad_input_exit_2_nothing_written(db_path, capsys, extra, message):
    rc = main(["orders", "add", "--workspace", "ops", "--target", "Nowhere", "--db", db_path, *extra])
    err = capsys.readouterr().err
    assert rc == 2 and message in err and err.count("\n") == 1
    assert _count(db_path) == 0


def test_import_csv(db_path, tmp_path, capsys):
    f = tmp_path / "o.csv"
    f.write_text("target,priority,lat,lon,window_start,window_end,max_incidence_deg\n"
                 "Rome,1,41.9,12.5,2026-08-11T00:00:00Z,2026-08-13T00:00:00Z,35\n"
                 "Rome,4,,,,,\n", encoding="utf-8")
    assert main(["orders", "import", str(f), "--workspace", "ops", "--db", db_path]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == 2
    assert _count(db_path) == 2


@pytest.mark.parametrize("content,message", [
    (b"target,priority\nRome,1,extra\n", "line 2: more values than header columns"),
    (b"name,priority\nRome,1\n", "line 1.target: required column missing"),
    (b"target,priority,lat,lon\nRome,1,41.9,12.5\nOslo,9,59.9,10.7\n", "line 3.priority: must be 1..5"),
    (b"target,priority,lat,lon\nRome,1,123,12.5\n", "line 2.lat: must be between -90 and 90"),
    (b"target,priority\n\xff\xfeRome,1\n", "not UTF-8"),
    (b"", "empty file"),
])
def test_import_bad_csv_refused_whole(db_path, tmp_path, capsys, content, message):
    f = tmp_path / "o.csv"
    f.write_bytes(content)
    rc = main(["orders", "import", str(f), "--workspace", "ops", "--db", db_path])
    assert rc == 2 and message in capsys.readouterr().err
    assert _count(db_path) == 0


def test_import_json_errors_name_index(db_path, tmp_path, capsys):
    f = tmp_path / "o.json"
    f.write_text(json.dumps({"orders": [{"target": "Rome", "priority": 1, "lat": 41.9, "lon": 12.5},
                                        {"target": "Rome", "priority": 2, "window_start": "2026-08-12T00:00:00Z",
                                         "window_end": "2026-08-11T00:00:00Z"}]}), encoding="utf-8")
    rc = main(["orders", "import", str(f), "--workspace", "ops", "--db", db_path])
    assert rc == 2 and "orders[1].window_end: must be after window_start" in capsys.readouterr().err
    assert _count(db_path) == 0


def test_import_garbage_file_refused(db_path, tmp_path, capsys):
    f = tmp_path / "big.csv"
    f.write_bytes(b"\x00\x17garbage" * (10 * 1024 * 1024 // 9))
    rc = main(["orders", "import", str(f), "--workspace", "ops", "--db", db_path])
    assert rc == 2 and "larger than 5 MiB" in capsys.readouterr().err
