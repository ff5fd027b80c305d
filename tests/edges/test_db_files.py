"""Database files as users hand them over: missing folders, empty and foreign files, damaged and
read-only files, SQLite runtime errors, all one line and nothing written."""
import os
import sqlite3

import pytest
from sqlalchemy.exc import OperationalError

from app.cli.main import main
from app.persistence import ScheduleDB
from app.persistence.db_errors import describe_database_error

from .conftest import dump


def test_missing_folder_refused_unless_create(tmp_path, capsys):
    path = tmp_path / "typo" / "w.db"
    assert main(["demo", "--db", str(path)]) == 2
    assert "does not exist" in capsys.readouterr().err and not path.parent.exists()
    assert main(["demo", "--db", str(path), "--create"]) == 0
    assert path.is_file()


def test_zero_byte_file_refused_unless_create(tmp_path, capsys):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert main(["workspace", "list", "--db", str(path)]) == 2
    assert "empty file" in capsys.readouterr().err and path.read_bytes() == b""
    assert main(["workspace", "list", "--db", str(path), "--create"]) == 0


def test_foreign_sqlite_file_refused_unless_create(tmp_path, capsys):
    path = tmp_path / "photos.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    con.commit()
    con.close()
    before = path.read_bytes()
    assert main(["workspace", "list", "--db", str(path)]) == 2
    assert "another program's SQLite database" in capsys.readouterr().err
    assert path.read_bytes() == before


def _damage(path) -> None:
    """Break the page header of the audit_log table (the schema stays readable)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_log'").fetchone()[0]
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    with open(path, "r+b") as f:
        f.seek(page_size * (root - 1) + 3)
        f.write(b"\xff\xff")


def test_damaged_file_opens_read_only_with_reason(ops_db, tmp_path, capsys):
    _damage(ops_db)
    before = open(ops_db, "rb").read()
    assert main(["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1",
                 "--db", ops_db]) == 2
    err = capsys.readouterr().err
    assert "integrity check" in err and "Recovering a damaged database" in err and err.count("\n") == 1
    assert open(ops_db, "rb").read() == before
    # reading and exporting still work
    assert main(["orders", "list", "--workspace", "ops", "--db", ops_db]) == 0
    out = tmp_path / "s.json"
    assert main(["export", "--workspace", "ops", "--format", "json", "--out", str(out), "--db", ops_db]) == 0
    assert out.is_file() and open(ops_db, "rb").read() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_read_only_file_reads_and_exports(ops_db, tmp_path, capsys):
    os.chmod(ops_db, 0o444)
    assert main(["orders", "list", "--workspace", "ops", "--db", ops_db]) == 0
    assert main(["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1",
                 "--db", ops_db]) == 2
    assert "read-only" in capsys.readouterr().err


@pytest.mark.parametrize("message, expected", [
    ("database is locked", "locked by another program"),
    ("database or disk is full", "disk holding the database is full"),
    ("attempt to write a readonly database", "read-only"),
    ("database disk image is malformed", "damaged"),
])
def test_sqlite_runtime_errors_are_one_line(message, expected):
    exc = OperationalError("INSERT INTO orders VALUES (?)", ("secret",), sqlite3.OperationalError(message))
    text = describe_database_error(exc)
    assert text.startswith("database: ") and expected in text and "INSERT" not in text and "\n" not in text


def test_locked_database_is_one_line_from_the_cli(ops_db, capsys, monkeypatch):
    """A writer holding the lock past the busy timeout: one line, exit 2, nothing written."""
    from app.persistence import engine
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 100)
    db = ScheduleDB(ops_db)  # migrated and in WAL before the lock is taken
    db.close()
    holder = sqlite3.connect(ops_db, isolation_level=None, timeout=0.1)
    holder.execute("BEGIN IMMEDIATE")
    try:
        rc = main(["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1", "--db", ops_db])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert rc == 2 and "locked" in err and err.count("\n") == 1
