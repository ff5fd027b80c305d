"""Persistence layer: the ScheduleDB (SQLAlchemy 2.x, SQLite by default) returning domain objects."""
from app.domain.edit_rules import BulkEditRefused
from .location import default_db_url
from .migrations import SCHEMA_VERSION, SchemaTooNewError
from .recheck import Clash, CommitRefused, Recheck
from .rows import WrittenAcquisitions
from .schedule_db import ScheduleDB
from .store import MAX_ACQUISITION_S

__all__ = ["ScheduleDB", "default_db_url", "SchemaTooNewError", "SCHEMA_VERSION", "BulkEditRefused",
           "MAX_ACQUISITION_S", "Clash", "CommitRefused", "Recheck", "WrittenAcquisitions"]
