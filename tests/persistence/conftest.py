"""Fixtures of the persistence tests: a database (a WAL SQLite file like the app, and the same on
PostgreSQL when configured; see ``db_url``) and a workspace."""
from __future__ import annotations

import pytest

from app.domain import WorkspaceSettings
from app.persistence import ScheduleDB

from .helpers import NOW


@pytest.fixture
def db_path(db_url):
    """The database's location (a file path or a URL): ``ScheduleDB(db_path)`` opens it again."""
    return db_url


@pytest.fixture
def db(db_path):
    database = ScheduleDB(db_path, user="tester")
    yield database
    database.close()


@pytest.fixture
def ws(db):
    # The scenario clock is the default "now" of the rules: a fixed day before the test schedule.
    return db.create_workspace("ops", WorkspaceSettings(freeze_window_hours=2.0, scenario_clock=NOW))

