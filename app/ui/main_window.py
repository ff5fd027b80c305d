"""The workbench: Inbox / Scheduled / Conflicts on the left, the Gantt timeline in the centre, the
Inspector on the right; planning on worker threads; every edit undoable and audited.

The state the planner sees is one ``WorkbenchSession`` (services, no Qt); ``SessionViews`` redraws
only what each session event changed. This window only wires: the furniture is built by
``window_layout``, the menus by ``menus``; behaviour lives in its controllers — ``edits``
(EditActions), ``planning_flow`` (PlanningFlow), ``worker_views`` (WorkerViews: map, swap choices,
lanes, explain) and ``team`` (TeamFeed). It holds one ScheduleDB for the GUI thread; each worker job
opens its own (a Session is not thread-safe). Layout and geometry are in QSettings.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app.services.database import open_database
from app.services.session import WorkbenchSession
from app.workers.jobs import JobRunner

from . import database_actions, drag_actions, menus, operations_actions, window_layout
from .edit_actions import EditActions
from .planning_flow import PlanningFlow
from .session_views import SessionViews
from .team_feed import TeamFeed
from .worker_views import WorkerViews


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, db_url: str, workspace: str, settings: QtCore.QSettings | None = None) -> None:
        super().__init__()
        self.db_url = db_url
        self.db = open_database(db_url)
        self.session = WorkbenchSession(self.db, workspace, load=False)
        self.settings = settings or QtCore.QSettings()
        self.undo_stack = QtGui.QUndoStack(self)
        self.jobs = JobRunner(self)
        #: Quitting with a candidate plan asks keep/discard; "keep" or "discard" answers in advance.
        self.candidate_on_close: str | None = None
        self.edits, self.planning_flow, self.worker_views = EditActions(self), PlanningFlow(self), WorkerViews(self)
        window_layout.build_views(self)
        window_layout.build_status_bar(self)
        menus.build_menus(self)
        self.views = SessionViews(self, self.session, self.worker_views.load_alternatives)
        self._connect()
        self._show_title()
        drag_actions.install(self)  # bars along their rows, Inbox orders onto rows
        self.session.reload()  # after the menus: opening applies time passing at the workspace clock
        self.timeline.zoom_to_horizon()  # the whole planning week first; Ctrl+1/2/3 zoom in
        window_layout.restore_layout(self)
        self.team = TeamFeed(self)
        database_actions.show_read_only(self)
        database_actions.remember(self.settings, db_url)

    def _connect(self) -> None:
        views, edits, inspector = self.views, self.edits, self.inspector
        self.timeline.selectionChanged.connect(views.select)
        self.scheduled.selectionChanged.connect(views.select)
        self.conflicts_view.conflictSelected.connect(views.show_conflict)
        self.inbox.orderSelected.connect(views.show_order)
        self.inbox.orderSelected.connect(self.worker_views.explain_order)
        self.inbox.newOrderRequested.connect(edits.new_order)
        self.inbox.editRequested.connect(edits.edit_order)
        inspector.order_page.explain.applyRequested.connect(self.worker_views.apply_suggestion)
        inspector.lockRequested.connect(edits.lock)
        inspector.deleteRequested.connect(edits.delete)
        inspector.orderLinkActivated.connect(views.show_order)
        inspector.resolutionApplyRequested.connect(edits.apply_resolution)
        inspector.resolutionPreviewRequested.connect(edits.preview_resolution)
        inspector.swapRequested.connect(edits.swap)
        inspector.moveRequested.connect(edits.move)
        inspector.orderEditRequested.connect(edits.edit_order)
        self.centre_tabs.currentChanged.connect(lambda _: self.worker_views.refresh_map())
        self.map.targetClicked.connect(edits.show_target)
        self.map.allTracksChanged.connect(lambda _on: self.worker_views.refresh_map(reframe=False))

    # What the planner sees, read from the one session (views never keep their own copy).
    ws = property(lambda self: self.session.workspace)
    acquisitions = property(lambda self: self.session.acquisitions)
    orders = property(lambda self: self.session.orders)
    conflicts = property(lambda self: self.session.conflicts)
    candidate = property(lambda self: self.session.candidate)

    # The verbs scripts and tests drive the window with (each one controller call).
    def now(self):
        return self.session.now()

    def reload(self) -> None:
        """Read the workspace again and refresh every view (keeps the selection): after an import."""
        self.session.reload()

    def lock(self, ids: list[str], level: str) -> None:
        self.edits.lock(ids, level)

    def delete(self, ids: list[str]) -> None:
        self.edits.delete(ids)

    def start_planning(self, options) -> None:
        self.planning_flow.start_planning(options)

    def commit(self, confirm: bool = True, lock_level: str = "none") -> bool:
        return self.planning_flow.commit(confirm, lock_level)

    def compare(self) -> bool:
        return self.planning_flow.compare()

    def edit_refusal(self) -> str | None:
        """Why this window may not change the database (a read-only file, a failed integrity check), or None."""
        return self.db.read_only_reason

    def _show_title(self) -> None:
        self.setWindowTitle(f"Mission Planning Workbench — {database_actions.short_name(self.db)} — {self.ws.name}")

    def open_workspace(self, name_or_id: str) -> None:
        """Show another workspace of the same database (its own undo history)."""
        self.jobs.cancel()
        self.undo_stack.clear()
        self.session.open(name_or_id)
        self._show_title()
        self.team.close()
        self.team = TeamFeed(self)  # the feed follows one workspace
        operations_actions.on_open(self)  # time passing at the opened workspace's clock
        self.reload()

    def switch_database(self, db, url: str, workspace: str) -> None:
        """Show ``workspace`` of the database ``db`` (opened from ``url``) instead of this one."""
        self.jobs.cancel()
        self.jobs.wait(5000)
        self.team.close()
        database_actions.remember_workspace(self)
        old, self.db, self.db_url = self.db, db, url
        self.undo_stack.clear()
        self.session.switch_database(db, workspace)
        old.close()
        self._show_title()
        self.team = TeamFeed(self)
        database_actions.show_read_only(self)
        operations_actions.on_open(self)
        self.reload()

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt API
        if not getattr(self, "_geometry_restored", False):
            self._geometry_restored = True
            window_layout.restore_geometry(self)
        super().showEvent(event)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt API
        if getattr(self, "_closed", False):
            super().closeEvent(event)
            return
        if not self.planning_flow.settle_candidate_on_close():
            event.ignore()
            return
        self.team.close()
        self.jobs.cancel()
        self.jobs.wait(5000)
        window_layout.save_layout(self)
        database_actions.remember_workspace(self)
        self.db.close()
        self._closed = True
        super().closeEvent(event)
