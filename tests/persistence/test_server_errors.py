"""Errors a person can act on (issue #13): a server database that cannot be used is one line naming
it (password masked), exit 2 from the CLI, never a traceback."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from app.cli.main import main
from app.persistence import ScheduleDB
from app.persistence.db_errors import DatabaseUnavailable, describe_server_error
from app.persistence.location import mask_password

PG_URL = os.environ.get("MPW_TEST_PG_URL")

needs_pg = pytest.mark.skipif(not PG_URL, reason="PostgreSQL not configured: set MPW_TEST_PG_URL (.ci/run does)")


def _one_line_exit_2(capsys, argv: list[str], *fragments: str) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for fragment in fragments:
        assert fragment in err
    return err


def test_unreachable_server_one_line_password_masked(capsys):
    err = _one_line_exit_2(capsys, ["orders", "list", "--workspace", "ops", "--db",
                                    "postgresql+psycopg://planner:s3cret@127.0.0.1:9/plans"],
                           "postgresql+psycopg://planner:***@127.0.0.1:9/plans", "cannot reach the database server")
    assert "s3cret" not in err


def test_missing_driver_one_line_with_the_fix(capsys):
    err = _one_line_exit_2(capsys, ["orders", "list", "--workspace", "ops", "--db",
                                    "postgresql+pg8000://planner:s3cret@127.0.0.1/plans"],
                           "driver for postgresql is not installed", "[postgres]")
    assert "s3cret" not in err


def test_not_a_database_url_never_echoes_the_password(capsys):
    err = _one_line_exit_2(capsys, ["orders", "list", "--workspace", "ops", "--db", "postgresql+psycopg://u:s3cret@h:port/x"],
                           "not a database URL", "u:***@h")
    assert "s3cret" not in err
    assert mask_password("postgresql://a:b@c/d and sqlite:///x") == "postgresql://a:***@c/d and sqlite:///x"


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("server said no")
        self.sqlstate = sqlstate


@pytest.mark.parametrize("state, words", [("28P01", "authentication failed"), ("55P03", "lock timeout"),
                                          ("53100", "disk of the database server is full"),
                                          ("40P01", "deadlock"), ("3D000", "does not exist")])
def test_server_failures_by_sqlstate(state, words):
    assert words in describe_server_error(_PgError(state))


@needs_pg
def test_wrong_password_one_line(capsys):
    from sqlalchemy.engine import make_url
    url = make_url(PG_URL).set(password="definitely-wrong").render_as_string(hide_password=False)
    err = _one_line_exit_2(capsys, ["orders", "list", "--workspace", "ops", "--db", url], "authentication failed")
    assert "definitely-wrong" not in err


@needs_pg
def test_lock_timeout_names_the_database(db_url, monkeypatch):
    if not db_url.startswith("postgresql"):
        pytest.skip("row lock timeouts are PostgreSQL's (SQLite waits on its busy timeout)")
    monkeypatch.setenv("MPW_LOCK_TIMEOUT_MS", "300")
    db = ScheduleDB(db_url, user="alice")
    order = db.create_order("Athens", 3, db.create_workspace("ops").id)
    holder = create_engine(db_url)
    try:
        with holder.connect() as conn:  # another planner holding the order's row
            conn.execute(text("SELECT id FROM orders WHERE id = :id FOR UPDATE"), {"id": order.id})
            with pytest.raises(DatabaseUnavailable, match=r"database postgresql\+psycopg://mpw:\*\*\*@.*lock timeout"):
                db.update_order(order.id, priority=1)
            conn.rollback()
        assert db.get_order(order.id).priority == 3
    finally:
        holder.dispose()
        db.close()


@needs_pg
def test_connections_dropped_by_a_server_restart_are_replaced(db_url):
    if not db_url.startswith("postgresql"):
        pytest.skip("a server restart is PostgreSQL's")
    from sqlalchemy.engine import make_url
    # Only this test's own connections are ended (others may share the server): tagged by name.
    tag = f"mpw-restart-{os.getpid()}"
    db = ScheduleDB(make_url(db_url).update_query_dict({"application_name": tag}).render_as_string(
        hide_password=False), user="alice")
    ws = db.create_workspace("ops")
    killer = create_engine(db_url)
    try:
        with killer.connect() as conn:  # what a restart does to every pooled connection
            ended = conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                      "WHERE application_name = :tag"), {"tag": tag}).all()
            conn.rollback()
        assert any(r[0] for r in ended)
        assert db.create_order("Athens", 3, ws.id).priority == 3  # the first call after it works
    finally:
        killer.dispose()
        db.close()
