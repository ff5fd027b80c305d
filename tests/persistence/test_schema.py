"""Schema, engine settings, migrations, the time type, and the database location."""
from __future__ import annotations

import hashlib
import os
import sqlite3
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, text

from app.domain import DomainError, ValidationError
from app.persistence import SCHEMA_VERSION, ScheduleDB, SchemaTooNewError, default_db_url
from app.persistence.migrations import MIGRATIONS
from app.persistence.models import Base
from app.persistence.types import UtcDateTime, format_utc

from .helpers import T0, committed

ALL_VERSIONS = [m.version for m in MIGRATIONS]
SEED_INDEXES = {
    "orders": {"idx_orders_status", "idx_orders_target", "idx_orders_window", "idx_orders_workspace"},
    "acquisitions": {"idx_acq_satellite_time", "idx_acq_target", "idx_acq_state", "idx_acq_time_range",
                     "idx_acq_order", "idx_acq_workspace", "idx_acq_workspace_start"},
    "plans": {"idx_plans_workspace", "idx_plans_status"},
    "plan_items": {"idx_planitems_plan", "idx_planitems_opportunity"},
    "conflicts": {"idx_conflicts_workspace", "idx_conflicts_type"},
}


@pytest.fixture
def db_path(tmp_path):
    """This module inspects the SQLite file itself: SQLite only."""
    return tmp_path / "schedule.db"


def test_all_tables_and_seed_indexes_exist(db):
    insp = inspect(db.engine)
    assert set(Base.metadata.tables) <= set(insp.get_table_names())
    for table, wanted in SEED_INDEXES.items():
        assert wanted <= {ix["name"] for ix in insp.get_indexes(table)}, table
    cols = {c["name"] for c in insp.get_columns("acquisitions")}
    assert {"version", "roll_end_deg", "pitch_end_deg"} <= cols
    assert "version" in {c["name"] for c in insp.get_columns("orders")}
    assert {"look_side", "pass_direction", "incidence_angle_deg"} <= {c["name"] for c in insp.get_columns("plan_items")}


def test_sqlite_pragmas(db):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
        conn.rollback()


def _rollback_mode_file(path) -> None:
    """A schedule database as a file written before WAL (or a legacy one): rollback journal."""
    ScheduleDB(path).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()


def _colleague_writing(path) -> sqlite3.Connection:
    """Another planner's connection inside a write transaction (it holds the write lock)."""
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO audit_log (at, who, action, entity, entity_id) "
                "VALUES ('2026-08-10T00:00:00Z', 'bob', 'note', 'workspace', 'x')")
    return con


def test_opening_waits_for_a_colleague_writing_while_it_switches_to_wal(db_path):
    """The WAL switch upgrades a read lock to a write lock, which SQLite does not wait for (no busy
    handler): opening a rollback-mode file while a colleague was writing failed at once with
    "database is locked" (the flaky two-processes-open test). It now waits, like any write."""
    import threading
    import time
    _rollback_mode_file(db_path)
    colleague = _colleague_writing(db_path)
    threading.Timer(0.4, colleague.execute, ("COMMIT",)).start()
    started = time.monotonic()
    db = ScheduleDB(db_path)
    try:
        assert time.monotonic() - started >= 0.3  # it did wait for the colleague's commit
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("SELECT COUNT(*) FROM audit_log WHERE who = 'bob'").scalar() == 1
            conn.rollback()
    finally:
        db.close()
        colleague.close()


def test_a_write_lock_held_past_the_busy_timeout_is_one_line(db_path, monkeypatch):
    from app.persistence import engine as engine_module
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)
    _rollback_mode_file(db_path)
    colleague = _colleague_writing(db_path)
    try:
        with pytest.raises(ValidationError) as err:
            ScheduleDB(db_path)
        message = str(err.value)
        assert "\n" not in message and str(db_path) in message and "locked by another program" in message
    finally:
        colleague.execute("ROLLBACK")
        colleague.close()
    with sqlite3.connect(db_path) as con:  # nothing was changed: still in rollback mode
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_migrations_recorded_in_order_and_not_rerun(db_path):
    first = ScheduleDB(db_path)
    assert first.applied_migrations == ALL_VERSIONS
    first.close()
    again = ScheduleDB(db_path)
    assert again.applied_migrations == []
    with again.engine.connect() as conn:
        versions = [r[0] for r in conn.execute(text("SELECT version FROM schema_migrations ORDER BY version"))]
        conn.rollback()
    assert versions == ALL_VERSIONS and versions[-1] == SCHEMA_VERSION
    again.close()


def _digest(path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize("wal", [True, False], ids=["wal-file", "rollback-journal-file"])
def test_newer_schema_refused_and_file_unchanged(tmp_path, wal):
    path = tmp_path / "future.db"
    if wal:
        db = ScheduleDB(path)
        db.create_workspace("kept")
        db.close()
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT, "
                 "description TEXT)")
    conn.execute("INSERT INTO schema_migrations VALUES ('3.0', '2031-01-01T00:00:00Z', 'from the future')")
    conn.commit()
    conn.close()
    before = _digest(path)
    files_before = sorted(os.listdir(tmp_path))
    with pytest.raises(SchemaTooNewError, match=r"schema version 3\.0, newer than this application knows") as err:
        ScheduleDB(path)
    assert isinstance(err.value, DomainError)
    assert "Nothing was changed" in str(err.value)
    assert _digest(path) == before
    assert sorted(os.listdir(tmp_path)) == files_before


def test_garbage_file_refused_with_reason(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(os.urandom(4096))
    before = path.read_bytes()
    with pytest.raises(ValidationError, match="db: cannot open .* as a schedule database"):
        ScheduleDB(path)
    assert path.read_bytes() == before


def test_memory_and_url_forms(tmp_path):
    mem = ScheduleDB(":memory:")
    ws = mem.create_workspace("m")
    assert mem.get_workspace(ws.id).name == "m"
    url_db = ScheduleDB(f"sqlite:///{tmp_path / 'via_url.db'}")
    assert url_db.list_workspaces() == []
    assert (tmp_path / "via_url.db").exists()
    with pytest.raises(ValidationError, match="db: .*folder"):
        ScheduleDB(tmp_path)


def test_default_db_url_env_override_and_user_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("MPW_DB", str(tmp_path / "env.db"))
    assert default_db_url() == f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("MPW_DB", "postgresql://u:p@host/db")
    assert default_db_url() == "postgresql://u:p@host/db"
    monkeypatch.delenv("MPW_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    url = default_db_url()
    assert url == f"sqlite:///{tmp_path / 'xdg' / 'mission-planning-workbench' / 'workbench.db'}"
    assert (tmp_path / "xdg" / "mission-planning-workbench").is_dir()


def test_time_type_fixed_width_utc_and_refuses_naive():
    t = UtcDateTime()
    aware = datetime(2026, 8, 7, 11, 15, 26, tzinfo=timezone.utc).astimezone()
    assert t.process_bind_param(datetime(2026, 8, 7, 9, 15, 26, tzinfo=timezone.utc), None) == \
        "2026-08-07T09:15:26.000000Z"
    assert len(t.process_bind_param(aware, None)) == 27
    with pytest.raises(ValidationError, match="naive"):
        t.process_bind_param(datetime(2026, 8, 7, 9, 15, 26), None)
    assert t.process_result_value("2026-08-07T09:15:26.000000Z", None) == \
        datetime(2026, 8, 7, 9, 15, 26, tzinfo=timezone.utc)
    # Text order is time order across offsets and microseconds.
    stamps = [datetime(2026, 8, 7, 9, 0, 0, 999999, tzinfo=timezone.utc),
              datetime(2026, 8, 7, 11, 0, 1, tzinfo=timezone.utc).astimezone(timezone.utc),
              datetime(2026, 8, 7, 9, 0, 0, tzinfo=timezone.utc)]
    assert sorted(stamps) == sorted(stamps, key=format_utc)


def test_stored_times_are_fixed_width_text(db, ws):
    committed(db, ws.id, n=1)
    with db.engine.connect() as conn:
        raw = conn.execute(text("SELECT start_time, created_at FROM acquisitions")).one()
        conn.rollback()
    assert raw[0] == "2026-08-07T09:00:00.000000Z"
    assert len(raw[1]) == 27 and raw[1].endswith("Z")


def test_horizon_query_plan_uses_the_workspace_time_index(db, ws):
    committed(db, ws.id, n=5)
    for include_tentative in (True, False):
        plan = db.explain_horizon(T0, "2026-08-14T00:00:00Z", ws.id, include_tentative)
        assert any("USING INDEX idx_acq_workspace_start" in step for step in plan), plan
        assert not any(step.startswith("SCAN acquisitions") for step in plan), plan
    plan = db.explain_horizon(T0, "2026-08-14T00:00:00Z")
    assert any("USING INDEX" in step for step in plan), plan


def test_fast_iso_matches_domain_to_iso():
    from app.domain import to_iso
    from app.persistence.rows import iso_z
    for dt in (datetime(2026, 8, 7, 9, 15, 26, tzinfo=timezone.utc),
               datetime(2026, 8, 7, 9, 15, 26, 500, tzinfo=timezone.utc),
               datetime(2026, 8, 7, 11, 15, 26, tzinfo=timezone.utc).astimezone()):
        assert iso_z(dt) == to_iso(dt)


def _back_to_2_3(path) -> None:
    """Make a current file look as written before migration 2.4 (team mode)."""
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX uq_acq_live_order")
    conn.execute("ALTER TABLE workspaces DROP COLUMN schedule_version")
    conn.execute("ALTER TABLE plans DROP COLUMN schedule_version")
    conn.execute("DELETE FROM schema_migrations WHERE version = '2.4'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("served_twice", [False, True], ids=["clean", "order-served-twice"])
def test_upgrade_to_2_4_adds_schedule_versions_and_the_live_order_guard(db_path, served_twice):
    db = ScheduleDB(db_path, user="tester")
    ws = db.create_workspace("ops")
    _, acqs, _ = committed(db, ws.id, n=2)
    db.close()
    _back_to_2_3(db_path)
    if served_twice:  # written before the guard existed: kept as it is, shown as a ground conflict
        conn = sqlite3.connect(db_path)
        conn.execute("UPDATE acquisitions SET order_id = (SELECT order_id FROM acquisitions WHERE id = ?) "
                     "WHERE id = ?", (acqs[0].id, acqs[1].id))
        conn.commit()
        conn.close()
    db = ScheduleDB(db_path, user="tester")
    try:
        assert db.applied_migrations == ["2.4"]
        assert db.schedule_version(ws.id) == 0
        indexes = {ix["name"] for ix in inspect(db.engine).get_indexes("acquisitions")}
        assert ("uq_acq_live_order" in indexes) is (not served_twice)
        assert len(db.list_acquisitions(ws.id)) == 2
        db.set_lock_level([acqs[0].id], "hard")
        assert db.schedule_version(ws.id) == 1
    finally:
        db.close()
