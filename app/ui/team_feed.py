"""Live view of the team's changes in the window (issue 13 item 5): the database's change feed is
polled from a timer; the rows another planner changed are read again (only those), flashed on the
timeline and in the Scheduled list for a moment, and the status bar says who changed what."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6 import QtCore

from app.domain import DomainError
from app.services.commands import Changes

#: How often the window asks whether another planner changed something (ms; budget: seen < 2 s).
TEAM_POLL_MS = 1000
#: How long rows another planner changed stay highlighted (ms).
FLASH_MS = 4000

#: Audit entities whose rows the session reads again one by one; any other (a workspace's
#: settings or clock, targets, satellites) makes the whole workspace read again.
_ROW_ENTITIES = {"acquisition", "order", "orders", "plan", "conflict", "conflicts"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def team_message(changes, differed: Changes | None = None) -> str:
    """"bob changed 3 acquisitions, 1 order at 10:42 UTC" for the status bar: per planner, the
    acquisitions and orders that really changed (``differed``; all the entries name when None);
    empty when there is nothing to say (every change was this planner's own)."""
    if not changes:
        return ""
    by_who: dict[str, dict[str, set]] = {}
    wanted_acqs = None if differed is None else set(differed.acquisitions) | set(differed.removed)
    wanted_orders = None if differed is None else set(differed.orders) | set(differed.removed_orders)
    for c in changes:
        kinds = by_who.setdefault(c.who, {})
        acqs = set(c.acquisition_ids)
        if wanted_acqs is not None:
            acqs &= wanted_acqs
        if acqs:
            kinds.setdefault("acquisition", set()).update(acqs)
        if c.entity in ("order", "orders"):
            ids = _order_ids(c)
            if wanted_orders is not None:
                ids &= wanted_orders
            if ids:
                kinds.setdefault("order", set()).update(ids)
        elif c.entity in ("conflict", "conflicts") and (differed is None or differed.conflicts):
            kinds.setdefault("conflict list", set()).add("conflicts")
        elif not c.acquisition_ids and c.entity not in _ROW_ENTITIES:
            kinds.setdefault(c.entity, set()).add(c.entry.entity_id)
    if differed is not None and wanted_orders:
        # Orders whose status followed an acquisition (served, back in the Inbox): said once.
        said = {i for k in by_who.values() for i in k.get("order", ())}
        rest = wanted_orders - said
        if rest and changes:
            by_who.setdefault(changes[-1].who, {}).setdefault("order", set()).update(rest)
    last = max(c.entry.at for c in changes)
    parts = []
    for who, kinds in by_who.items():
        what = ", ".join(_plural(len(ids), kind) if kind != "conflict list" else "the conflict list"
                         for kind, ids in sorted(kinds.items()) if ids)
        if what:
            parts.append(f"{who} changed {what}")
    return "; ".join(parts) + f" at {last:%H:%M} UTC" if parts else ""


def _order_ids(c) -> set[str]:
    if c.entity == "order":
        return {c.entry.entity_id}
    after = c.entry.after if isinstance(c.entry.after, dict) else {}
    return {i for i in after.get("ids", ()) if isinstance(i, str)}


class TeamFeed:
    """Polls ``window.db``'s change feed of the open workspace every ``TEAM_POLL_MS`` (a PRAGMA or a
    socket check, no query unless something changed)."""

    def __init__(self, window) -> None:
        self.w = window
        try:
            self.feed = window.db.change_feed(window.session.workspace.id)
        except Exception as exc:  # noqa: BLE001 - e.g. a damaged audit table: the window still opens
            self.feed = None
            # The driver's own words, without the SQL statement SQLAlchemy appends.
            reason = " ".join(str(getattr(exc, "orig", exc)).split())
            window.statusBar().showMessage(f"Other planners' changes are not followed: the change log cannot be "
                                           f"read ({reason})", 15000)
        self.timer = QtCore.QTimer(window)
        self.timer.setInterval(TEAM_POLL_MS)
        self.timer.timeout.connect(self.poll)
        if self.feed is not None:
            self.timer.start()
        self._flash_timer = QtCore.QTimer(window)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._end_flash)
        self._flashed: frozenset[str] = frozenset()

    def poll(self) -> Changes:
        """Take in what was committed since the last poll; returns what differed from the session."""
        if self.feed is None:
            return Changes()
        try:
            changes = self.feed.poll()
        except DomainError as exc:
            self.w.statusBar().showMessage(str(exc), 10000)
            return Changes()
        if not changes:
            return Changes()
        return self.take(changes)

    def take(self, changes: Sequence) -> Changes:
        session = self.w.session
        if any(c.entity not in _ROW_ENTITIES for c in changes):
            session.reload()  # the workspace itself changed (clock, settings, satellites)
            message = team_message([c for c in changes if c.who != self.w.db.user])
            if message:
                self.w.statusBar().showMessage(message, 10000)
            return Changes()
        acqs = [i for c in changes for i in c.acquisition_ids]
        orders = [i for c in changes if c.entity in ("order", "orders") for i in sorted(_order_ids(c))]
        differed = session.refresh_rows(acqs, orders, conflicts=any(c.entity in ("conflict", "conflicts")
                                                                     for c in changes),
                                        plan=any(c.entity == "plan" for c in changes))
        if not differed:
            return differed  # this window's own edits: already shown
        self._flash([i for i in differed.acquisitions if i in session.acquisitions])
        message = team_message(changes, differed)
        if message:
            self.w.statusBar().showMessage(message, 10000)
        return differed

    def _flash(self, ids: list[str]) -> None:
        """Outline the changed bars and tint their rows in Scheduled for ``FLASH_MS``."""
        if not ids:
            return
        self._flashed = frozenset(ids)
        self.w.timeline.highlight(self._flashed)
        self.w.scheduled.flash(self._flashed)
        self._flash_timer.start(FLASH_MS)

    def _end_flash(self) -> None:
        # The highlight may since show something else (a conflict the planner selected): leave it.
        if self.w.timeline.highlighted_ids() == self._flashed:
            self.w.views.inspect_live()  # an inspected conflict outlines its own bars again
            if self.w.timeline.highlighted_ids() == self._flashed:
                self.w.timeline.highlight(())
        self.w.scheduled.flash(frozenset())
        self._flashed = frozenset()

    def close(self) -> None:
        self.timer.stop()
        self._flash_timer.stop()
        if self.feed is not None:
            self.feed.close()
