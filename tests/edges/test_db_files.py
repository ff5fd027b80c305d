"""Database files as users hand them over: missing folders, empty and foreign files, damaged and
read-only files, SQLite runtime errors, all one line and nothing written."""
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from app.cli.main import main
from app.persistence import ScheduleDB
from app.persistence.db_errors import describe_database_error

from tests.conftest import damage_sqlite_file

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


def test_damaged_file_opens_read_only_with_reason(ops_db, tmp_path, capsys):
    damage_sqlite_file(ops_db)
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


def _run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def _sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _unmount(view) -> None:
    # lazy: a connection this process still holds must not leave the mount behind
    subprocess.run(["umount", "-l", str(view)], capture_output=True)


def _mount_read_only(folder, tmp_path):
    """A read-only bind mount of ``folder`` (what a read-only share or medium looks like; root
    only: root ignores permission bits, not a read-only file system)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a read-only mount needs root")
    view = tmp_path / "ro_view"
    view.mkdir(parents=True)
    for cmd in (["mount", "--bind", str(folder), str(view)], ["mount", "-o", "remount,ro,bind", str(view)]):
        done = subprocess.run(cmd, capture_output=True)
        if done.returncode != 0:
            _unmount(view)
            pytest.skip(f"cannot mount read-only here: {done.stderr.decode().strip()}")
    return view


@pytest.fixture(params=["read-only-mount", "immutable-file", "no-write-permission"])
def read_only_db(request, ops_db, tmp_path):
    """The ops database made read-only three ways; yields (the path to open, the file itself)."""
    path = Path(ops_db)
    kind = request.param
    if kind == "read-only-mount":
        view = _mount_read_only(path.parent, tmp_path / "mnt")
        yield str(view / path.name), str(path)
        _unmount(view)
    elif kind == "immutable-file":
        if os.geteuid() != 0 or shutil.which("chattr") is None:
            pytest.skip("chattr +i needs root")
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        yield str(path), str(path)
        subprocess.run(["chattr", "-i", str(path)], capture_output=True)
    else:
        if os.geteuid() == 0:
            pytest.skip("root ignores permission bits (the two other kinds cover root)")
        os.chmod(path, 0o444)
        yield str(path), str(path)
        os.chmod(path, 0o644)


def test_read_only_file_reads_and_exports(read_only_db, tmp_path, capsys):
    """Read-only files open read-only: listing and exporting work, every change is one line,
    exit 2, and the file is byte-for-byte as it was."""
    read_only_db, real = read_only_db
    before_sha, before = _sha(real), dump(real)
    rc, out, err = _run(["orders", "list", "--workspace", "ops", "--limit", "100", "--db", read_only_db], capsys)
    assert rc == 0, err
    assert len(json.loads(out)) == before[0]["orders"]
    export = tmp_path / "s.json"
    rc, out, err = _run(["export", "--workspace", "ops", "--format", "json", "--out", str(export),
                         "--db", read_only_db], capsys)
    assert rc == 0, err
    assert len(json.loads(export.read_text())["acquisitions"]) == before[0]["acquisitions"] > 0
    rc, out, err = _run(["workspace", "export", "ops", "--out", "-", "--db", read_only_db], capsys)
    assert rc == 0 and json.loads(out)["name"] == "ops"
    for argv in (["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1"],
                 ["plan", "--workspace", "ops", "--mode", "incremental"],
                 ["workspace", "advance", "--workspace", "ops"]):
        rc, out, err = _run(argv + ["--db", read_only_db], capsys)
        assert rc == 2 and "read-only" in err and err.count("\n") == 1 and "Traceback" not in err, (argv, err)
    assert _sha(real) == before_sha and dump(real) == before


def _commit_then_die(path) -> None:
    """A writer that commits a change and is SIGKILLed before any checkpoint: the change lives
    only in the -wal file (with its -shm index)."""
    code = ("import os, signal, sqlite3, sys\n"
            "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "con.execute('PRAGMA wal_autocheckpoint=0')\n"
            "con.execute(\"UPDATE orders SET notes = 'only in the WAL' WHERE rowid = (SELECT min(rowid) FROM orders)\")\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", code, str(path)])
    assert done.returncode == -signal.SIGKILL
    assert os.path.getsize(f"{path}-wal") > 0


def test_read_only_folder_still_reads_the_last_commit(ops_db, tmp_path, capsys):
    """Opening a read-only folder's database ``immutable`` would ignore committed changes still in
    its -wal (a writer killed before its checkpoint) and show an older schedule."""
    db = ScheduleDB(ops_db)  # in WAL mode
    db.close()
    _commit_then_die(ops_db)
    view = _mount_read_only(Path(ops_db).parent, tmp_path)
    try:
        rc, out, err = _run(["orders", "list", "--workspace", "ops", "--limit", "100",
                             "--db", str(view / "ops.db")], capsys)
        assert rc == 0, err
        assert [o["notes"] for o in json.loads(out)].count("only in the WAL") == 1
    finally:
        _unmount(view)
    # Without its -shm index the log cannot be read in a read-only folder: refused, not stale.
    os.unlink(f"{ops_db}-shm")
    view = _mount_read_only(Path(ops_db).parent, tmp_path / "again")
    try:
        rc, out, err = _run(["orders", "list", "--workspace", "ops", "--db", str(view / "ops.db")], capsys)
        assert rc == 2 and "ops.db-wal" in err and err.count("\n") == 1, err
    finally:
        _unmount(view)


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


@pytest.fixture
def full_disk(tmp_path):
    """A 1 MiB tmpfs (root only), filled up by the test."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root")
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


def _fill(folder) -> None:
    with (folder / "filler").open("wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass


def test_full_disk_when_creating_or_opening_is_one_line(ops_db, full_disk, capsys):
    """SQLite says "database or disk is full" or, failing to grow its WAL index, only "disk I/O
    error": either way one line that says the disk is full, and no file is left half-made."""
    shutil.copy(ops_db, full_disk / "ops.db")
    _fill(full_disk)
    before = _sha(full_disk / "ops.db")
    rc, out, err = _run(["demo", "--db", str(full_disk / "new.db"), "--create"], capsys)
    assert rc == 2 and "full" in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler", "ops.db"]
    rc, out, err = _run(["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1",
                         "--db", str(full_disk / "ops.db")], capsys)
    assert rc == 2 and "full" in err and err.count("\n") == 1, err
    assert _sha(full_disk / "ops.db") == before


@pytest.fixture
def freeze():
    """``freeze(path)`` makes a file read-only (chattr +i as root, who ignores permission bits;
    chmod 444 otherwise), undone afterwards."""
    frozen = []

    def make(path):
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        else:
            os.chmod(path, 0o444)
        frozen.append(path)
        return str(path)
    yield make
    for path in frozen:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], capture_output=True)
        else:
            os.chmod(path, 0o644)


def test_read_only_files_get_the_same_checks(ops_db, tmp_path, capsys, freeze):
    """A read-only file is not spared the checks on open: another program's file is refused as
    such (not "attempt to write a readonly database"), a damaged one says it is damaged."""
    foreign = tmp_path / "photos.sqlite"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    rc, out, err = _run(["workspace", "list", "--db", freeze(foreign)], capsys)
    assert rc == 2 and "another program's SQLite database" in err and err.count("\n") == 1, err
    damage_sqlite_file(ops_db)
    before = _sha(ops_db)
    path = freeze(ops_db)
    rc, out, err = _run(["orders", "list", "--workspace", "ops", "--db", path], capsys)
    assert rc == 0, err  # still readable
    rc, out, err = _run(["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1",
                         "--db", path], capsys)
    assert rc == 2 and "integrity check" in err and "Recovering a damaged database" in err, err
    assert _sha(ops_db) == before


def test_read_only_file_of_an_older_schema_says_it_needs_an_upgrade(tmp_path, capsys):
    """A read-only database written by an older version cannot be upgraded in place: one line
    saying so (not SQLite's "attempt to write a readonly database"), exit 2, the file unchanged."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("chattr +i needs root")
    old = tmp_path / "old.db"
    shutil.copy(Path(__file__).resolve().parents[1] / "data" / "schema_2_5" / "candidates.sqlite", old)
    before = _sha(old)
    if subprocess.run(["chattr", "+i", str(old)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        rc, out, err = _run(["workspace", "list", "--db", str(old)], capsys)
    finally:
        subprocess.run(["chattr", "-i", str(old)], capture_output=True)
    assert rc == 2 and out == "" and err.count("\n") == 1
    assert "older version" in err and "write access" in err and "readonly database" not in err
    assert _sha(old) == before
