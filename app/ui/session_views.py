"""The window's views rendering one ``WorkbenchSession``: on each session event only what changed
is redrawn, and the Inspector always shows live objects (it clears itself when its object is gone).

Views keep no copy of a row that can go stale: what they show comes from the session's dicts.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from app.domain.wording import plural
from app.services.session import SessionEvent, WorkbenchSession

from . import operations_actions

if TYPE_CHECKING:
    from .main_window import MainWindow  # noqa: F401


class SessionViews:
    """Timeline, Inbox, Scheduled, Conflicts, the status figures and the Inspector of ``window``
    kept in step with ``session``. ``on_single`` is called when one acquisition is inspected (the
    window loads its swap choices on a worker)."""

    def __init__(self, window: "MainWindow", session: WorkbenchSession,
                 on_single: Callable[[str], None] = lambda _id: None) -> None:
        self.w, self.session, self.on_single = window, session, on_single
        #: What the Inspector shows: ("selection", None), ("conflict", id) or ("order", id).
        self.inspected: tuple[str, str | None] = ("selection", None)
        session.subscribe(self.on_event)

    # ------------------------------------------------------------------ events
    def on_event(self, event: SessionEvent) -> None:
        if event.full:
            self.render_all()
            return
        s, w, c = self.session, self.w, event.changes
        # Only the rows named change: gone ones dropped, new ones inserted, changed ones updated in place.
        if c.removed:
            w.timeline.remove_acquisitions(c.removed)
            w.scheduled.remove_acquisitions(c.removed)
        if c.acquisitions:
            rows = [s.acquisitions[i] for i in c.acquisitions if i in s.acquisitions]
            new = [a for a in rows if w.timeline.bars.index_of(a.id) is None]
            known = [a for a in rows if w.timeline.bars.index_of(a.id) is not None]
            if new:
                w.timeline.add_acquisitions(new)
                w.scheduled.add_acquisitions(new)
            if known:
                w.timeline.update_acquisitions(known)
                w.scheduled.update_acquisitions(known)
        if c.conflicts:
            w.conflicts_view.set_conflicts(list(s.conflicts.values()))
            w.timeline.set_conflict_ids(s.conflict_acquisition_ids())
        if c.orders or c.removed_orders:
            w.inbox.set_orders(s.orders.values())
        if c.plan:
            w.timeline.set_ghost_items(s.candidate.items if s.candidate else [])
        if c.acquisitions or c.removed or c.conflicts:
            w.timeline.clear_preview()  # a preview shows a change not made yet: stale after any edit
        if event.selection:
            self.select(list(s.selection), emit=False)
        elif self._touches_inspector(event):
            self.inspect_live()
        self.update_figures()

    def _touches_inspector(self, event: SessionEvent) -> bool:
        kind, key = self.inspected
        c = event.changes
        if kind == "selection":
            shown = set(self.session.selection)
            return bool(shown & (set(c.acquisitions) | set(c.removed))) or bool(c.orders)
        if kind == "conflict":
            return c.conflicts or bool(c.acquisitions or c.removed)
        return key in c.orders or key in c.removed_orders

    # ------------------------------------------------------------------ rendering
    def render_all(self) -> None:
        s, w = self.session, self.w
        ws = s.workspace
        st = ws.settings
        now = s.now()
        w.timeline.set_rows([sat.id for sat in s.db.list_satellites(ws.id)])
        w.timeline.set_acquisitions(s.acquisitions.values(), s.conflict_acquisition_ids())
        w.timeline.set_ghost_items(s.candidate.items if s.candidate else [])
        w.timeline.set_zones(now, s.freeze_cutoff(), now + timedelta(hours=st.planning_zone_hours),
                             st.horizon_start or now, st.horizon_end or now + timedelta(days=7))
        w.inspector.set_edit_context(s.freeze_cutoff())
        operations_actions.show_clock(w, now)
        w.inbox.set_orders(s.orders.values())
        w.scheduled.set_reference_time(now)
        w.scheduled.set_acquisitions(s.acquisitions.values())
        w.conflicts_view.set_conflicts(list(s.conflicts.values()))
        self.select(list(s.selection), emit=False)
        self.update_figures()

    def update_figures(self) -> None:
        f = self.session.figures()
        # Short, so that a message beside it fits a 1366 px window; the long form is the tooltip.
        text = f"Inbox {f.inbox} · {f.in_horizon} in horizon · {plural(f.conflicts, 'conflict')}"
        tip = (f"{plural(f.inbox, 'order')} in the Inbox · {plural(f.in_horizon, 'acquisition')} in the "
               f"planning horizon · {plural(f.conflicts, 'unresolved conflict')}")
        if f.candidate_items is not None:
            text += f" · candidate {plural(f.candidate_items, 'item')}"
            tip += f" · a candidate plan of {plural(f.candidate_items, 'item')} ({f.proposed} orders proposed)"
        self.w.figures.setText(text)
        self.w.figures.setToolTip(tip)
        for i, (label, count) in enumerate((("Inbox", f.inbox), ("Scheduled", f.acquisitions),
                                            ("Conflicts", f.conflicts))):
            self.w.left_tabs.setTabText(i, f"{label} ({count})")

    # ------------------------------------------------------------------ selection and Inspector
    def select(self, ids: list[str], emit: bool = True) -> None:
        """Select acquisitions in every view and inspect them (``emit``: tell the session)."""
        if emit:
            self.session.set_selection(ids)  # its event comes back here with emit=False
            return
        ids = list(self.session.selection)
        self.w.timeline.set_selection(ids)
        self.w.scheduled.set_selection(ids)
        self.inspected = ("selection", None)
        self.inspect_live()

    def show_conflict(self, conflict_id: str) -> None:
        self.inspected = ("conflict", conflict_id)
        self.inspect_live()

    def show_order(self, order_id: str) -> None:
        self.inspected = ("order", order_id)
        self.inspect_live()

    def inspect_live(self) -> None:
        """Show the inspected object as the session has it now; clear the page when it is gone
        (a deleted acquisition, a solved conflict, an order that left)."""
        s, inspector = self.session, self.w.inspector
        kind, key = self.inspected
        if kind == "conflict":
            c = s.conflicts.get(key or "")
            if c is None:
                inspector.clear()
                self.w.timeline.highlight(())
            else:
                self.w.timeline.highlight(c.acquisition_ids)
                self.w.timeline.reveal(c.acquisition_ids)  # into view, at a zoom where they are bars
                inspector.show_conflict(c, s.acquisitions)
            return
        if kind == "order":
            o = s.orders.get(key or "")
            if o is None:
                inspector.clear()
            else:
                inspector.show_order(o)
            return
        acqs = s.selected()
        if not acqs:
            inspector.clear()
            return
        inspector.show_acquisitions(acqs, s.orders)
        if len(acqs) == 1:
            self.on_single(acqs[0].id)
