import json
import os
import secrets
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_scenario.json"
SMALL_SATELLITES = ("PLEIADES-NEO-3", "WORLDVIEW-3", "ICEYE-X2", "CAPELLA-13")


@pytest.fixture
def small_scenario():
    """A factory of small real scenario documents: four demo satellites (two agile optical, two
    SAR), the first ``n_targets`` demo cities, one day, one order without window per city."""
    def build(n_targets: int = 20, n_orders: int = 16) -> dict:
        doc = json.loads(DEMO.read_text(encoding="utf-8"))
        doc["satellites"] = [s for s in doc["satellites"] if s["id"] in SMALL_SATELLITES]
        doc["targets"] = doc["targets"][:n_targets]
        doc["settings"]["horizon_end"] = "2026-08-11T00:00:00Z"
        doc["orders"] = [{"external_ref": f"T-{k:02d}", "target_id": t["id"], "priority": 1 + k % 5,
                          "constraints": {}} for k, t in enumerate(doc["targets"][:n_orders])]
        return doc
    return build


@pytest.fixture
def force_overlap():
    """``force_overlap(db, acquisitions) -> (first, second)``: the second acquisition of the first
    satellite with two is moved onto the first one's start (override, as a planner's forced manual
    move), which makes a temporal overlap for conflict detection."""
    def make(db, acquisitions):
        by_sat: dict[str, list] = {}
        for a in sorted(acquisitions, key=lambda a: a.start):
            by_sat.setdefault(a.satellite_id, []).append(a)
        first, second = next(v for v in by_sat.values() if len(v) >= 2)[:2]
        db.update_acquisition(second.id, {"start": first.start}, override=True)
        return first, second
    return make


@pytest.fixture
def db_dump():
    """``db_dump(db)``: every row of every table, to show a refused call wrote nothing."""
    from sqlalchemy import inspect, text

    def dump(db) -> dict:
        with db.engine.connect() as conn:
            names = inspect(conn).get_table_names()  # SQLite or PostgreSQL (the test schema)
            out = {n: conn.execute(text(f"SELECT * FROM {n} ORDER BY 1")).all() for n in sorted(names)}
            conn.rollback()
        return out
    return dump


#: A PostgreSQL database the tests may use (``.ci/run`` starts a throwaway server and sets it);
#: unset, the PostgreSQL half of ``db_url`` is skipped.
PG_URL = os.environ.get("MPW_TEST_PG_URL")


def _pg_schema_url(schema: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Where a test's schedule database lives, once per backend: a fresh SQLite file, or a fresh
    schema of the PostgreSQL test database (``MPW_TEST_PG_URL``), dropped afterwards."""
    if request.param == "sqlite":
        yield str(tmp_path / "schedule.db")
        return
    if not PG_URL:
        pytest.skip("PostgreSQL not configured: set MPW_TEST_PG_URL (.ci/run does)")
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool
    schema = "t_" + secrets.token_hex(6)
    admin = create_engine(PG_URL, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield _pg_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def is_pg(url) -> bool:
    return str(url).startswith("postgresql")


def damage_sqlite_file(path) -> None:
    """Break the page header of a schedule database's audit_log table (the schema stays readable,
    ``PRAGMA quick_check`` fails): a damaged file for the read-only-on-damage tests."""
    import sqlite3
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    with open(path, "r+b") as f:
        f.seek(page_size * (root - 1) + 3)
        f.write(b"\xff\xff")
