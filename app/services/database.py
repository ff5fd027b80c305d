"""Opening the ScheduleDB: the one place that knows the default location and first-start demo creation."""
from __future__ import annotations

from app.persistence import ScheduleDB, default_db_url


def open_database(db: str | None = None) -> ScheduleDB:
    """Open (and migrate) the database at ``db`` (path or SQLAlchemy URL); default: the user data directory."""
    return ScheduleDB(db or default_db_url())


def database_url(db: str | None = None) -> str:
    """The URL ``open_database(db)`` would open."""
    return db or default_db_url()
