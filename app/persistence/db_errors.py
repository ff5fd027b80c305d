"""Database failures as one line a planner can act on: SQLite's (locked, disk full, read-only,
corrupt) and a PostgreSQL server's (unreachable, authentication, lock timeout, disk full …).

The CLI and the window call ``describe_database_error`` on an exception they did not expect; what
comes back replaces a traceback that would print SQL and its parameters.
"""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from app.domain import DomainError


class DatabaseUnavailable(DomainError):
    """The database failed under us (server unreachable, lock timeout, disk full …): one line
    naming it (``location``, password masked) and what to do. Nothing of the call was written."""

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        text = message.removeprefix("database: ")
        super().__init__(f"database {location}: {text}")

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
    server = describe_server_error(exc)
    if server is not None:
        return f"database: {server}"
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    text = str(orig if orig is not None else exc).splitlines()[0] if str(orig or exc) else type(exc).__name__
    lowered = text.lower()
    for fragment, message in _SQLITE_MESSAGES:
        if fragment in lowered:
            return f"database: {message}"
    return f"database: {text}"


# --- server databases (PostgreSQL): what psycopg reports, as one line a planner can act on -------

#: SQLSTATE → what to tell the user (PostgreSQL error codes, appendix A of its manual).
_SQLSTATE_MESSAGES = {
    "28P01": "authentication failed: check the user name and password in the database URL",
    "28000": "the server refused this user: check the user name in the URL and the server's pg_hba.conf",
    "3D000": "the database does not exist on the server: create it (README 'Team mode') or fix the URL",
    "55P03": "another planner holds a lock on these rows for too long (lock timeout); try again in a moment",
    "53100": "the disk of the database server is full; nothing was written — free space on the server and retry",
    "53200": "the database server is out of memory; nothing was written — retry later",
    "53300": "the database server has too many connections; close other workbenches or retry later",
    "57P01": "the database server was shut down or restarted; retry",
    "57P03": "the database server is starting up or shutting down; retry in a moment",
    "40001": "another planner changed the same rows at the same moment (serialization failure); nothing was "
             "written — retry",
    "40P01": "another planner changed the same rows at the same moment (deadlock); nothing was written — retry",
}
#: Fragments of connection failures (no SQLSTATE: the server was never reached).
_CONNECT_MESSAGES = (
    ("connection refused", "cannot reach the database server (connection refused): is PostgreSQL running and "
                           "listening on that host and port?"),
    ("could not translate host name", "unknown database server host name: check the URL"),
    ("name or service not known", "unknown database server host name: check the URL"),
    ("timeout expired", "the database server did not answer in time: check the host, port and network"),
    ("no route to host", "cannot reach the database server (no route to host): check the host and network"),
    ("password authentication failed", "authentication failed: check the user name and password in the database URL"),
    ("no password supplied", "the server asks for a password: put it in the URL (user:password@host)"),
    ("does not exist", "the database or role does not exist on the server: create it (README 'Team mode') or fix "
                       "the URL"),
    ("server closed the connection", "the database server closed the connection (restarted?); retry"),
)


def describe_server_error(exc: BaseException) -> str | None:
    """One line for a PostgreSQL failure (by SQLSTATE, else by the connection error's text), or None."""
    orig = getattr(exc, "orig", None) or exc
    state = getattr(orig, "sqlstate", None)
    if state in _SQLSTATE_MESSAGES:
        return _SQLSTATE_MESSAGES[state]
    text = str(orig).lower()
    if type(orig).__module__.split(".")[0] not in ("psycopg", "psycopg2"):
        return None
    for fragment, message in _CONNECT_MESSAGES:
        if fragment in text:
            return message
    return None
