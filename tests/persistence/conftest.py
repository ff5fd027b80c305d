"""Fixtures of the persistence tests: a file database (WAL, like the app) and a workspace."""
from __future__ import annotations

import pytest

from app.domain import WorkspaceSettings
from app.persistence import ScheduleDB

from .helpers import NOW


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "schedule.db"


@pytest.fixture
def db(db_path):
    database = ScheduleDB(db_path, user="tester")
    yield database
    database.close()


@pytest.fixture
def ws(db):
    # The scenario clock is the default "now" of the rules: a fixed day before the test schedule.
    return db.create_workspace("ops", WorkspaceSettings(freeze_window_hours=2.0, scenario_clock=NOW))

