"""SQLite runtime failures (locked, disk full, read-only, corrupt) as one line a planner can act on.

The CLI and the window call ``describe_database_error`` on an exception they did not expect; what
comes back replaces a traceback that would print SQL and its parameters.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

#: (fragment of SQLite's message, what to tell the user).
_SQLITE_MESSAGES = (
    ("database is locked", "the database is locked by another program (or another workbench) that is writing; "
                           "try again when it has finished"),
    ("database or disk is full", "the disk holding the database is full; free some space and retry "
                                 "(nothing was written)"),
    ("readonly database", "the database file is read-only; open a writable copy to make changes"),
    ("attempt to write a readonly", "the database file is read-only; open a writable copy to make changes"),
    ("malformed", "the database file is damaged; see README 'Recovering a damaged database'"),
    ("file is not a database", "the file is not a workbench database (or it is damaged)"),
    ("disk i/o error", "the disk reported an input/output error; check the disk and retry"),
    ("unable to open database file", "the database file cannot be opened (missing folder or no permission)"),
)


def describe_database_error(exc: BaseException) -> str | None:
    """A one-line description of a database failure, or None if ``exc`` is not one."""
    if not isinstance(exc, SQLAlchemyError):
        return None
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    text = str(orig if orig is not None else exc).splitlines()[0] if str(orig or exc) else type(exc).__name__
    lowered = text.lower()
    for fragment, message in _SQLITE_MESSAGES:
        if fragment in lowered:
            return f"database: {message}"
    return f"database: {text}"
