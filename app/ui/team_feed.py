"""Live view of the team's changes in the window (issue 13 item 5): the database's change feed
polled from a timer; what another planner changed is read again and said in the status bar."""
from __future__ import annotations

from PySide6 import QtCore

from app.domain import DomainError

#: How often the window asks whether another planner changed something (ms; budget: seen < 2 s).
TEAM_POLL_MS = 1000


def team_message(changes) -> str:
    """"bob changed 3 acquisitions (lock), 1 order at 10:42 UTC" for the status bar."""
    by_who: dict[str, dict[str, set]] = {}
    for c in changes:
        kinds = by_who.setdefault(c.who, {})
        ids = set(c.acquisition_ids) if c.acquisition_ids else {c.entry.entity_id}
        kinds.setdefault("acquisition" if c.acquisition_ids else c.entity, set()).update(ids)
    last = max(c.entry.at for c in changes)
    parts = []
    for who, kinds in by_who.items():
        what = ", ".join(f"{len(ids)} {kind}{'s' * (len(ids) != 1)}" for kind, ids in sorted(kinds.items()))
        parts.append(f"{who} changed {what}")
    return "; ".join(parts) + f" at {last:%H:%M} UTC"


class TeamFeed:
    """Polls ``window.db``'s change feed of the open workspace every ``TEAM_POLL_MS`` (a PRAGMA or a
    socket check, no query unless something changed)."""

    def __init__(self, window) -> None:
        self.w = window
        self.feed = window.db.change_feed(window.session.workspace.id)
        self.timer = QtCore.QTimer(window)
        self.timer.setInterval(TEAM_POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> None:
        try:
            changes = [c for c in self.feed.poll() if c.who != self.w.db.user]
        except DomainError as exc:
            self.w.statusBar().showMessage(str(exc), 10000)
            return
        if not changes:
            return
        self.w.session.reload()
        self.w.statusBar().showMessage(team_message(changes), 10000)

    def close(self) -> None:
        self.timer.stop()
        self.feed.close()
