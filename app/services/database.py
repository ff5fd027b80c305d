"""Opening the ScheduleDB: the one place that knows the default location and first-start demo creation."""
from __future__ import annotations

from app.persistence import ScheduleDB, default_db_url
from app.persistence.location import mask_password, set_password

#: Whether ``open_database`` may create a missing folder or take over an empty / foreign SQLite
#: file (the command line's ``--create``); see ``app.persistence.db_files``.
_policy = {"create": False}


def allow_create(flag: bool) -> None:
    """Set what ``open_database`` does with a missing folder or an empty/foreign file (``--create``)."""
    _policy["create"] = bool(flag)


def open_database(db: str | None = None, create: bool | None = None) -> ScheduleDB:
    """Open (and migrate) the database at ``db`` (path or SQLAlchemy URL); default: the user data directory.

    A missing folder, an empty file or another program's SQLite file is refused unless ``create``
    (default: ``allow_create``'s setting); a damaged or read-only file opens read-only."""
    return ScheduleDB(db or default_db_url(), create=_policy["create"] if create is None else create)


def database_url(db: str | None = None) -> str:
    """The URL ``open_database(db)`` would open."""
    return db or default_db_url()


def masked(text: str) -> str:
    """``text`` (a URL, or a message naming one) with any password shown as ``***``."""
    return mask_password(text)


def with_password(url: str, password: str) -> str:
    """``url`` with its password set to ``password`` (a URL from the recent list is stored masked)."""
    return set_password(url, password)


def needs_password(url: str) -> bool:
    """True when ``url`` names a user whose password was masked (``user:***@``): ask for it."""
    return "://" in url and ":***@" in url
