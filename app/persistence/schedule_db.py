"""``ScheduleDB``: the embedded schedule database (seed 000's class) on SQLAlchemy 2.x.

One instance per database; thread-safe in the sense that every public method is its own short
unit of work (a Session per call). What comes back are domain objects, never ORM rows.
"""
from __future__ import annotations

import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import sessionmaker

from app.domain import ValidationError

from .acquisition_edits import AcquisitionEdits
from .acquisition_queries import AcquisitionQueries
from .clock_store import ClockStore
from .conflict_store import ConflictStore
from .execution_store import ExecutionStore
from .forecast_store import ForecastStore
from .db_errors import describe_database_error, describe_server_error
from .db_files import (RECOVERY_HINT, check_tables, create_new_file, disk_hint, preflight, quick_check, read_only_url,
                       sqlite_path)
from .engine import enable_wal, make_engine, writer
from .legacy import LegacyMigration
from .location import default_db_url, to_url
from .migrations import SchemaTooNewError, migrate
from .order_store import OrderStore
from .plan_store import PlanStore
from .undo_store import UndoStore
from .workspace_store import WorkspaceStore


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return os.environ.get("USER") or "unknown"


class ScheduleDB(WorkspaceStore, OrderStore, PlanStore, AcquisitionQueries, AcquisitionEdits, ConflictStore,
                 UndoStore, LegacyMigration, ClockStore, ExecutionStore, ForecastStore):
    """The schedule database. ``ScheduleDB(url_or_path)``: a file path, any SQLAlchemy URL, or
    ``":memory:"``; None = ``default_db_url()``. Opening migrates the schema; a database written
    by a newer application is refused (SchemaTooNewError) and left untouched."""

    def __init__(self, url_or_path: str | os.PathLike[str] | None = None, *, user: str | None = None,
                 echo: bool = False, create: bool = False) -> None:
        self.url = to_url(url_or_path, create=create) if url_or_path is not None else default_db_url()
        self.location = self._describe(self.url)
        self.user = user or _os_user()
        #: Why this database only reads (no write permission, failed integrity check), or None.
        self._create = create
        self.read_only_reason = preflight(self.url, create)
        create_new_file(self.url)
        self._engine = self._open_engine(echo)
        try:
            self.applied_migrations = migrate(self._engine, self.location)
        except SchemaTooNewError:
            self._engine.dispose()
            raise
        except (DatabaseError, OperationalError) as exc:
            self._engine.dispose()
            server = describe_server_error(exc)
            if server is not None:
                raise ValidationError("db", f"cannot open {self.location}: {server}") from None
            if self.read_only_reason is not None:  # the schema upgrade is the write that failed
                raise ValidationError("db", f"cannot open {self.location}: it was written by an older version "
                                            f"of the workbench and its upgrade needs write access "
                                            f"({self.read_only_reason}); open a writable copy") from None
            path = sqlite_path(self.url)
            raise ValidationError("db", f"cannot open {self.location} as a schedule database: "
                                        f"{getattr(exc, 'orig', exc)}{disk_hint(path) if path else ''}") from None
        if self.read_only_reason is None:
            try:
                enable_wal(self._engine)
            except sqlite3.OperationalError as exc:  # another program held the write lock past the busy timeout
                self._engine.dispose()
                raise ValidationError("db", f"cannot open {self.location}: "
                                            f"{describe_database_error(OperationalError(None, None, exc)).removeprefix('database: ')}") from None
        self._writer = sessionmaker(bind=writer(self._engine), expire_on_commit=False)
        self._reader = sessionmaker(bind=self._engine, expire_on_commit=False)

    def _make_engine(self, echo: bool, url: str | None = None):
        """The engine, or one line when the URL names a driver that is not installed."""
        try:
            return make_engine(url or self.url, echo=echo)
        except (ImportError, NoSuchModuleError) as exc:
            backend = make_url(self.url).get_backend_name()
            hint = (" — install it with: pip install 'mission-planning-workbench[postgres]' (psycopg 3)"
                    if backend == "postgresql" else "")
            raise ValidationError("db", f"cannot open {self.location}: the database driver for {backend} is not "
                                        f"installed ({exc}){hint}") from None

    def _open_engine(self, echo: bool):
        """The engine; a file failing ``PRAGMA quick_check`` is reopened read-only (db_files).
        A read-only file gets the same checks (another program's file refused, a damaged one
        opened with the damage as its reason) through its read-only engine."""
        read_only = self.read_only_reason is not None
        engine = self._make_engine(echo, read_only_url(self.url) if read_only else None)
        if sqlite_path(self.url) is None:
            return engine
        try:
            check_tables(engine, self._create)
            problem = quick_check(engine)
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            path = sqlite_path(self.url)
            raise ValidationError("db", f"cannot open {self.location} as a schedule database: "
                                        f"{getattr(exc, 'orig', exc)}{disk_hint(path) if path else ''}") from None
        except ValidationError:
            engine.dispose()
            raise
        if problem is None:
            return engine
        self.read_only_reason = (f"{self.location} failed its integrity check ({problem}); opened read-only "
                                 f"so nothing is written into a damaged file: {RECOVERY_HINT}")
        if read_only:
            return engine
        engine.dispose()
        return self._make_engine(echo, read_only_url(self.url))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (StoreBase._write), refused up front on a read-only database."""
        if self.read_only_reason is not None:
            raise ValidationError("db", self.read_only_reason)
        with super()._write() as conn:
            yield conn

    @staticmethod
    def _describe(url: str) -> str:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return parsed.database or ":memory:"
        return parsed.render_as_string(hide_password=True)

    @property
    def engine(self):
        """The SQLAlchemy engine (for tools and benchmarks; application code uses the methods)."""
        return self._engine

    def explain(self, statement) -> list[str]:
        """SQLite's EXPLAIN QUERY PLAN of a Core statement, run with the same bound parameters
        (the detail column of each step, e.g. ``SEARCH acquisitions USING INDEX …``)."""
        compiled = statement.compile(dialect=self._engine.dialect)
        raw = compiled.construct_params()
        params = []
        for name in compiled.positiontup or ():
            processor = compiled.binds[name].type.bind_processor(self._engine.dialect)
            params.append(processor(raw[name]) if processor else raw[name])
        with self._engine.connect() as conn:
            result = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), tuple(params)).all()
            conn.rollback()
        return [row[-1] for row in result]

    def explain_horizon(self, start_time, end_time, workspace_id: str | None = None,
                        include_tentative: bool = True) -> list[str]:
        """The query plan of the horizon query (to show it searches an index, not scans)."""
        return self.explain(self.horizon_statement(start_time, end_time, workspace_id, include_tentative))

    def change_feed(self, workspace_id: str | None = None):
        """A ChangeFeed of what is committed from now on (by anyone), optionally of one workspace."""
        from .change_feed import ChangeFeed
        return ChangeFeed(self, workspace_id)

    def close(self) -> None:
        """Release the connections (the ScheduleDB is unusable afterwards)."""
        self._engine.dispose()

    def __enter__(self) -> "ScheduleDB":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ScheduleDB({self.location!r})"
