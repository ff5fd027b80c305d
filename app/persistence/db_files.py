"""Database files as a user hands them to us: checked before they are opened and written.

* a path in a folder that does not exist is refused (a typo would otherwise become a new, empty
  schedule), unless the caller asks to create it;
* an existing 0-byte file, or another program's SQLite file, is refused unless asked to create
  (our 14 tables would otherwise be added to it silently); a file that is not SQLite at all is
  always refused;
* a file we may not write opens read-only (reading and exporting work, changes are refused);
* ``PRAGMA quick_check`` runs on open: a damaged file opens read-only with the reason and a
  pointer to recovery (README "Recovering a damaged database"), so no commit lands in it.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.domain import ValidationError

#: Tables whose presence marks a file as ours (any schema version).
_OUR_TABLES = {"schema_migrations", "workspaces", "acquisitions"}
RECOVERY_HINT = "see README 'Recovering a damaged database'"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None (in-memory, another database server)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    database = parsed.database
    if database.startswith("file:"):
        database = database[5:].split("?", 1)[0]
    return Path(database)


def database_files(db: Any) -> list[Path]:
    """The open database's file and its companions (-wal, -shm, -journal): never export onto them."""
    path = sqlite_path(str(db.url)) if getattr(db, "url", None) else None
    if path is None:
        return []
    return [path] + [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def check_folder(path: Path, create: bool) -> None:
    """Refuse a database path whose folder is missing, unless ``create`` (then make it)."""
    if path.parent.is_dir():
        return
    if not create:
        raise ValidationError("db", f"folder {path.parent} does not exist (a typo?); "
                                    "give --create to make a new database there")
    path.parent.mkdir(parents=True, exist_ok=True)


def _tables(engine: Engine) -> set[str]:
    # Through the engine's own pool: a separate sqlite3 connection opened and closed in this
    # process would disturb the other connections' view of the file (PRAGMA data_version).
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            return {r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            cursor.close()
    finally:
        raw.close()


def check_tables(engine: Engine, create: bool = False) -> None:
    """Refuse another program's SQLite file, or an empty SQLite database, unless ``create``
    (our tables would otherwise be added to it silently)."""
    path = sqlite_path(str(engine.url))
    if path is None or create:
        return
    try:
        tables = _tables(engine)
    except sqlite3.DatabaseError as exc:
        raise ValidationError("db", f"cannot open {path} as a schedule database: {exc}{disk_hint(path)}") from None
    if tables and not tables & _OUR_TABLES:
        raise ValidationError("db", f"{path} is another program's SQLite database ({len(tables)} tables, none of "
                                    "the workbench's); give --create to add the workbench's tables to it")
    if not tables:
        raise ValidationError("db", f"{path} is an empty SQLite database, not a workbench database; "
                                    "give --create to make it one")


def disk_hint(path: Path) -> str:
    """`` (the disk holding it is full)`` when its folder's file system has no room left: SQLite
    then reports only "disk I/O error" (it cannot grow the WAL index), which says nothing useful."""
    with contextlib.suppress(OSError):
        if shutil.disk_usage(path.parent).free < 64 * 1024:
            return " (the disk holding it is full; free some space and retry)"
    return ""


def create_new_file(url: str) -> None:
    """Create a missing SQLite file atomically, already marked as ours (an empty
    ``schema_migrations`` table): built under a temporary name in the same folder, then linked
    into place. A kill during the first start thus leaves either no file or one we recognise,
    never a 0-byte file that the next start would refuse as foreign."""
    path = sqlite_path(url)
    if path is None or path.exists():
        return
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateTable

    from .models import Base
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
    os.close(fd)
    try:
        con = sqlite3.connect(tmp)
        try:
            ddl = CreateTable(Base.metadata.tables["schema_migrations"]).compile(dialect=sqlite_dialect.dialect())
            con.execute(str(ddl))
            con.commit()
        except sqlite3.Error as exc:  # a full disk, an I/O error: one line, and no file left
            raise ValidationError("db", f"cannot create {path}: {exc}{disk_hint(path)}") from None
        finally:
            con.close()
        try:
            os.link(tmp, path)  # never replaces a file another process created meanwhile
        except FileExistsError:
            pass
        except OSError:  # a file system without hard links
            if not path.exists():
                os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def preflight(url: str, create: bool = False) -> str | None:
    """Checks before an existing SQLite file is opened. Raises ValidationError for a file we must
    not touch; returns a reason when the file can only be read (no write permission), else None."""
    path = sqlite_path(url)
    if path is None or not path.exists():
        return None
    if not path.is_file():
        raise ValidationError("db", f"{path} is not a regular file")
    size = path.stat().st_size
    if size == 0:
        if not create:
            raise ValidationError("db", f"{path} is an empty file, not a workbench database; "
                                        "give --create to make it one")
        return None
    # The header is not read here: opening and closing the file outside SQLite would drop the
    # POSIX locks this process's own connections hold on it. SQLite itself refuses a file that is
    # not a database (check_tables).
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    if not writable:
        return f"{path} is read-only: reading and exporting work, changes are refused"
    return None


def read_only_url(url: str) -> str:
    """The same SQLite file opened read-only (``mode=ro``).

    In a folder we cannot write either, SQLite cannot create the WAL index (``-shm``): the file is
    then opened ``immutable``, which ignores the write-ahead log. That is only right when the log
    holds nothing: committed changes still in a ``-wal`` (a writer killed before its checkpoint)
    are read through the existing ``-shm`` with plain ``mode=ro``, and refused when it is missing,
    rather than showing the schedule as it was before them."""
    path = sqlite_path(url)
    assert path is not None
    immutable = ""
    if not os.access(path.parent, os.W_OK):
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        pending = wal.is_file() and wal.stat().st_size > 0
        if not pending:
            immutable = "&immutable=1"
        elif not shm.is_file():
            raise ValidationError("db", f"{path} has committed changes in {wal.name} that cannot be read in "
                                        f"a read-only folder without {shm.name}; copy the database with its "
                                        f"-wal file to a writable folder and open it there")
    return f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro{immutable}&uri=true"


#: Files already checked by this process (the window opens a ScheduleDB per background job).
_checked: set[tuple[str, int]] = set()


def quick_check(engine: Engine) -> str | None:
    """``PRAGMA quick_check``: None when the file is sound, else SQLite's first complaint. Each file
    is checked once per process (keyed by path and inode)."""
    path = sqlite_path(str(engine.url))
    key = None
    if path is not None and path.exists():
        key = (str(path.resolve()), path.stat().st_ino)
        if key in _checked:
            return None
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        try:
            rows = cursor.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        finally:
            cursor.close()
    finally:
        raw.close()
    if rows and rows[0][0] == "ok":
        if key is not None:
            _checked.add(key)
        return None
    return "; ".join(str(r[0]) for r in rows[:3]) or "no answer"
