"""Live view of the team's changes (issue #13): which rows other planners changed, who changed
them and when, a moment after they committed. Qt-free: the window polls it from a timer.

Every write is audited in the same transaction (``StoreBase._audit_many``), so the audit trail
*is* the change log: the feed reads the entries it has not seen yet. What tells it to look:

* SQLite: ``PRAGMA data_version`` on the feed's own connection changes whenever another
  connection (another process, or another connection of this one) committed;
* PostgreSQL: ``LISTEN mpw_changes``; writers ``NOTIFY`` with the workspace id, delivered on
  commit. Audit ids are drawn before commit, so a later id may become visible first: the feed
  re-reads a window of recent ids and skips the ones it has already reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.domain import AuditEntry

from . import rows
from .models import AuditRow
from .store import CHANGE_CHANNEL

#: How far below the highest id seen the feed looks again (PostgreSQL commit order ≠ id order).
_REREAD_WINDOW = 2000


@dataclass(frozen=True)
class Change:
    """One audited change: ``entity`` (acquisition, order, plan, conflict …) ``entity_id``,
    ``action`` (commit, set_lock_level, delete, move …), ``who`` and ``at`` (UTC), and the
    acquisitions it touched (for a plan commit or a reshuffle: the rows created, moved, deleted)."""

    entry: AuditEntry
    acquisition_ids: tuple[str, ...]

    @property
    def who(self) -> str:
        return self.entry.who

    @property
    def entity(self) -> str:
        return self.entry.entity


def _acquisitions_of(e: AuditEntry) -> tuple[str, ...]:
    if e.entity == "acquisition":
        return (e.entity_id,)
    after: dict[str, Any] = e.after if isinstance(e.after, dict) else {}
    ids: list[str] = [c["id"] for c in after.get("acquisitions_created", ()) if isinstance(c, dict) and "id" in c]
    for key in ("superseded", "updated", "deleted", "created"):
        ids.extend(x for x in after.get(key, ()) or () if isinstance(x, str))
    return tuple(dict.fromkeys(ids))


class ChangeFeed:
    """``ChangeFeed(db, workspace_id=None)``; ``poll(timeout_s=0)`` returns the changes committed
    since the last poll (oldest first), optionally of one workspace; ``close()`` releases its
    connection. Starts after what is in the database when it is made."""

    def __init__(self, db, workspace_id: str | None = None) -> None:
        self._db = db
        self._workspace_id = workspace_id
        self._pg = db.engine.dialect.name == "postgresql"
        with db._read() as s:  # noqa: SLF001 - the feed is part of the persistence package
            self._last = s.execute(select(AuditRow.id).order_by(AuditRow.id.desc()).limit(1)).scalar() or 0
            self._seen = set(s.execute(select(AuditRow.id).where(AuditRow.id > self._last - _REREAD_WINDOW)).scalars())
        if self._pg:
            import psycopg
            url = make_url(db.url).set(drivername="postgresql")
            self._conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self._conn.execute(f"LISTEN {CHANGE_CHANNEL}")
            self._version = None
        else:
            self._raw = db.engine.raw_connection()
            self._version = self._data_version()

    def _data_version(self) -> int:
        cursor = self._raw.cursor()
        try:
            return cursor.execute("PRAGMA data_version").fetchone()[0]
        finally:
            cursor.close()

    def _signalled(self, timeout_s: float) -> bool:
        if self._pg:
            hits = [n for n in self._conn.notifies(timeout=max(timeout_s, 0.0) or 0.001, stop_after=1)]
            # Drain what else is queued without waiting.
            hits += [n for n in self._conn.notifies(timeout=0.001)]
            return any(self._workspace_id is None or n.payload in (self._workspace_id, "") for n in hits)
        version = self._data_version()
        if version == self._version and timeout_s > 0:
            import time
            deadline = time.monotonic() + timeout_s
            while version == self._version and time.monotonic() < deadline:
                time.sleep(min(0.05, timeout_s))
                version = self._data_version()
        changed, self._version = version != self._version, version
        return changed

    def poll(self, timeout_s: float = 0.0) -> list[Change]:
        """Changes committed since the last call (waiting up to ``timeout_s`` for one)."""
        if not self._signalled(timeout_s):
            return []
        stmt = select(*rows.AUDIT_COLUMNS).where(AuditRow.id > self._last - (_REREAD_WINDOW if self._pg else 0))
        if self._workspace_id is not None:
            stmt = stmt.where(AuditRow.workspace_id == self._workspace_id)
        with self._db._read() as s:  # noqa: SLF001
            entries = [rows.audit_entry(r) for r in s.execute(stmt.order_by(AuditRow.id))]
        fresh = [e for e in entries if e.id not in self._seen]
        for e in fresh:
            self._seen.add(e.id)
            self._last = max(self._last, e.id)
        self._seen = {i for i in self._seen if i > self._last - _REREAD_WINDOW}
        return [Change(e, _acquisitions_of(e)) for e in fresh]

    def close(self) -> None:
        if self._pg:
            self._conn.close()
        else:
            self._raw.close()

    def __enter__(self) -> "ChangeFeed":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
