"""Order files: extra columns kept on the orders, duplicates reported by external_ref; schema 2.5."""
import json
import sqlite3

from app.cli.main import main
from app.persistence import ScheduleDB
from app.persistence.migrations import SCHEMA_VERSION

from .conftest import dump


def _orders(db_path):
    db = ScheduleDB(db_path)
    try:
        return db.list_orders(workspace_id=db.find_workspace("ops").id, limit=None)
    finally:
        db.close()


def test_extra_columns_are_kept(ops_db, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("target,priority,customer,ticket\nTokyo,2,ACME,T-17\nTokyo,3,,\n", encoding="utf-8")
    assert main(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 2 and out["extra_columns"] == ["customer", "ticket"]
    by_id = {o.id: o for o in _orders(ops_db)}
    first, second = (by_id[i] for i in out["ids"])
    assert first.extra == {"customer": "ACME", "ticket": "T-17"} and second.extra is None
    assert main(["orders", "list", "--workspace", "ops", "--db", ops_db]) == 0
    listed = {o["id"]: o for o in json.loads(capsys.readouterr().out)}
    assert listed[first.id]["extra"] == {"customer": "ACME", "ticket": "T-17"}


def test_extra_json_keys_are_kept(ops_db, tmp_path, capsys):
    path = tmp_path / "o.json"
    path.write_text(json.dumps([{"target": "Tokyo", "priority": 1, "customer": "ACME", "budget": 12.5}]))
    assert main(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db]) == 0
    (oid,) = json.loads(capsys.readouterr().out)["ids"]
    assert next(o for o in _orders(ops_db) if o.id == oid).extra == {"budget": "12.5", "customer": "ACME"}


def test_bad_extra_column_refused(ops_db, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("target,priority,note\u202e\nTokyo,2,x\n", encoding="utf-8")
    before = dump(ops_db)
    assert main(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db]) == 2
    assert "line 1" in capsys.readouterr().err and dump(ops_db) == before


def test_duplicates_by_external_ref_reported_not_created(ops_db, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_text("target,priority,external_ref\nTokyo,2,T-00\nTokyo,2,NEW-1\nTokyo,2,NEW-1\n", encoding="utf-8")
    n_before = len(_orders(ops_db))
    assert main(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"] == 1
    assert [(d["row"], d["external_ref"]) for d in out["duplicates"]] == [("line 2", "T-00"), ("line 4", "NEW-1")]
    assert len(_orders(ops_db)) == n_before + 1


def test_a_2_3_database_gains_the_extra_column(ops_db):
    """A database of the previous schema (no orders.extra_json, 2.5 not recorded) upgrades in place."""
    con = sqlite3.connect(ops_db)
    con.execute("ALTER TABLE orders DROP COLUMN extra_json")
    con.execute("DELETE FROM schema_migrations WHERE version = '2.5'")
    con.commit()
    con.close()
    db = ScheduleDB(ops_db)
    assert "2.5" in db.applied_migrations and SCHEMA_VERSION >= "2.5"
    orders = db.list_orders(workspace_id=db.find_workspace("ops").id, limit=None)
    assert orders and all(o.extra is None for o in orders)
    db.close()
    con = sqlite3.connect(ops_db)
    assert "extra_json" in {r[1] for r in con.execute("PRAGMA table_info(orders)")}
    con.close()


def test_every_order_constraint_is_a_column_not_an_extra(ops_db, tmp_path, capsys):
    """mode, sar_mode and min_sun_elevation_deg are constraints (spec section 3): kept as extra text
    they would silently not apply."""
    path = tmp_path / "o.csv"
    path.write_text("target,priority,mode,sar_mode,min_sun_elevation_deg\nTokyo,2,SAR,SPOTLIGHT,\n"
                    "Tokyo,2,OPTICAL,,20\n", encoding="utf-8")
    assert main(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db]) == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    assert out["extra_columns"] == []
    by_id = {o.id: o for o in _orders(ops_db)}
    sar, optical = (by_id[i] for i in out["ids"])
    assert str(sar.constraints.mode) == "SAR" and sar.constraints.sar_mode == "SPOTLIGHT" and sar.extra is None
    assert str(optical.constraints.mode) == "OPTICAL" and optical.constraints.min_sun_elevation_deg == 20.0


def _refused_whole(ops_db, path, capsys) -> str:
    before = dump(ops_db)
    assert main(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and dump(ops_db) == before
    return err


def test_an_order_file_of_too_many_rows_is_refused_before_any_is_validated(ops_db, tmp_path, capsys):
    from app.domain import limits
    n = limits.MAX_ORDER_FILE_ROWS + 1
    path = tmp_path / "huge.csv"
    # The last row is invalid too: the row count is what refuses the file, not that row.
    path.write_text("target,priority\n" + "Tokyo,2\n" * (n - 1) + "Tokyo,9\n", encoding="utf-8")
    err = _refused_whole(ops_db, path, capsys)
    assert f"{path}: 10,001 orders are more than the 10,000 one order file may hold; split it" in err
    path = tmp_path / "huge.json"
    path.write_text(json.dumps({"orders": [{"target": "Tokyo", "priority": 2}] * n}), encoding="utf-8")
    assert "10,001 orders are more than the 10,000" in _refused_whole(ops_db, path, capsys)


def test_an_order_file_over_the_byte_limit_is_refused_unread(ops_db, tmp_path, capsys):
    from app.domain import limits
    path = tmp_path / "big.csv"
    with path.open("wb") as f:  # a sparse file: fast to make, and the size alone refuses it
        f.write(b"target,priority\nTokyo,2\n")
        f.truncate(limits.MAX_ORDER_FILE_BYTES + 1)
    assert "is larger than 5 MiB, the most an order file may have; split it" in _refused_whole(ops_db, path, capsys)
