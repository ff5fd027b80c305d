"""The SQLAlchemy engine: SQLite pragmas, explicit transactions, and the write/read bindings.

pysqlite's own transaction handling starts transactions lazily (only before DML), so a
read-check-write unit of work would read outside its transaction. We switch it off and emit
``BEGIN`` ourselves (the SQLAlchemy-documented recipe): ``BEGIN IMMEDIATE`` for writers, which
takes the write lock up front so two app instances serialise instead of failing with
"database is locked" half-way through a commit.
"""
from __future__ import annotations

import hashlib
import sqlite3
import time

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

BUSY_TIMEOUT_MS = 15_000
#: Execution option read by the ``begin`` hook: "IMMEDIATE" for units of work that write.
BEGIN_OPTION = "mpw_sqlite_begin"


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, echo: bool = False) -> Engine:
    """An engine for ``url``; for SQLite with WAL (once ``enable_wal`` is called), foreign keys on,
    ``synchronous=NORMAL`` and a busy timeout."""
    parsed = make_url(url)
    kwargs: dict = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        memory = parsed.database in (None, "", ":memory:")
        if memory:
            # One shared connection, or every pooled connection would see its own empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            kwargs.update(connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
    else:
        kwargs.update(server_engine_options())
    engine = create_engine(parsed, **kwargs)
    if engine.dialect.name == "sqlite":
        _install_sqlite_hooks(engine)
    elif is_postgresql(engine.dialect.name):
        _install_server_hooks(engine)
    return engine


def _install_sqlite_hooks(engine: Engine) -> None:
    # WAL is switched on only after the schema check passed: a database we refuse must not
    # be modified, and journal_mode=WAL rewrites the file header.
    state = {"wal": False}
    engine.mpw_state = state  # type: ignore[attr-defined]

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        if state["wal"]:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        mode = connection.get_execution_options().get(BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def enable_wal(engine: Engine) -> None:
    """Switch the (checked, migrated) database to WAL; later connections repeat the pragma.

    The switch waits up to BUSY_TIMEOUT_MS for another connection's write lock, like every other
    statement here. SQLite itself does not: ``PRAGMA journal_mode=WAL`` on a file still in rollback
    mode reads the header under a shared lock, then upgrades to a write lock, and a lock upgrade
    fails at once with "database is locked" instead of calling the busy handler (that wait could
    deadlock). Two planners opening a fresh team file at the same moment (one switching while the
    other migrates or switches) hit exactly that, so a busy switch is retried here; the failed
    attempt changed nothing. Raises sqlite3.OperationalError if the lock outlasts the timeout.
    """
    if not is_sqlite(engine):
        return
    engine.mpw_state["wal"] = True  # type: ignore[attr-defined]
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.002
    while True:
        # On the DB-API connection: the pragma cannot run inside the transaction SQLAlchemy would begin.
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if not is_busy(exc) or time.monotonic() + pause > deadline:
                    raise
            finally:
                cursor.close()
        finally:
            raw.close()
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def is_busy(exc: sqlite3.Error) -> bool:
    """SQLite's SQLITE_BUSY ("database is locked"), with or without an extended code."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF == sqlite3.SQLITE_BUSY
    return "database is locked" in str(exc)


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions begin with ``BEGIN IMMEDIATE`` on SQLite."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


# --- server databases (PostgreSQL) -----------------------------------------------------------------

#: Seconds to wait for a server that does not answer, and for a row lock another planner holds.
CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_MS = 15_000
#: Advisory-lock key of schema migrations (any constant; "MPW schema" in ASCII).
SCHEMA_LOCK_KEY = 0x4D5057_534348


def lock_timeout_ms() -> int:
    """How long a write waits for a row another planner holds: ``MPW_LOCK_TIMEOUT_MS`` if set
    (an integer), else LOCK_TIMEOUT_MS."""
    import os
    raw = os.environ.get("MPW_LOCK_TIMEOUT_MS", "").strip()
    return int(raw) if raw.isdigit() else LOCK_TIMEOUT_MS


def server_engine_options() -> dict:
    """Engine options for a server database: a pooled connection is pinged before use (a server
    restart costs one reconnect, not a failed call), the connect and lock waits are bounded."""
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": CONNECT_TIMEOUT_S}}


def _install_server_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _session_settings(dbapi_connection, _record) -> None:
        # A row lock held longer than this by another planner ends in one clear message (lock
        # timeout), not an endless wait; set per session so a URL's own options stay untouched.
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {lock_timeout_ms()}")
        cursor.close()
        dbapi_connection.commit()


def is_postgresql(dialect_name: str) -> bool:
    return dialect_name == "postgresql"


def schema_lock(conn) -> None:
    """Serialise schema migrations between processes, inside the migrating transaction
    (PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN IMMEDIATE already did)."""
    if is_postgresql(conn.dialect.name):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK_KEY})")


def workspace_lock_key(workspace_id: str) -> int:
    """A stable signed 64-bit advisory-lock key for a workspace (e.g. conflict replacement)."""
    return int.from_bytes(hashlib.sha256(workspace_id.encode()).digest()[:8], "big", signed=True)


def advisory_lock(conn, key: int) -> None:
    """A transaction-level advisory lock on PostgreSQL (released at commit/rollback); no-op on
    SQLite, whose writers are serialised by BEGIN IMMEDIATE."""
    if is_postgresql(conn.dialect.name):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({int(key)})")
