"""The workbench: Inbox / Scheduled / Conflicts on the left, the Gantt timeline in the centre, the
Inspector on the right; planning on worker threads; every edit undoable and audited.

The state the planner sees is one ``WorkbenchSession`` (services, no Qt); every edit is a service
command run through it; ``SessionViews`` redraws only what each command changed. The window builds
the widgets, wires actions to commands and runs jobs. It holds one ScheduleDB for the GUI thread;
each worker job opens its own (a Session is not thread-safe). Layout and geometry are in QSettings.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import DomainError
from app.services import (commands, execution, explain, export_service, forecasts, map_service, planning,
                          resource_lanes)
from app.services.database import open_database
from app.services.placement_choices import placement_choices
from app.services.session import WorkbenchSession
from app.workers.jobs import JobRunner

from . import file_actions, operations_actions, undo_commands
from .conflicts_view import ConflictsView
from .dialogs.about_dialog import AboutDialog
from .dialogs.commit_dialog import CommitDialog
from .dialogs.compare_dialog import CompareDialog
from .dialogs.find_dialog import FindDialog
from .dialogs.new_order_dialog import DEFAULT_SENSOR_TYPES, NewOrderDialog
from .dialogs.plan_dialog import PlanDialog
from .inbox_view import InboxView
from .inspector_panel import InspectorPanel
from .map_view import MapView
from .scheduled_view import ScheduledView
from .formatting import acquisition_name, refusals_text
from .screen_fit import dock_widths, fit_main_window, text_width
from .session_views import SessionViews
from .timeline_view import TimelineView

EXPORT_FILTERS = {"csv": "CSV (*.csv)", "json": "JSON (*.json)", "ics": "iCalendar (*.ics)", "kml": "KML (*.kml)",
                  "aeossp-solution": "AEOSSP benchmark solution (*.json)"}


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


class MainWindow(QtWidgets.QMainWindow):
    def __init__(self, db_url: str, workspace: str, settings: QtCore.QSettings | None = None) -> None:
        super().__init__()
        self.db_url = db_url
        self.db = open_database(db_url)
        self.session = WorkbenchSession(self.db, workspace, load=False)
        self.settings = settings or QtCore.QSettings()
        self.setWindowTitle(f"Mission Planning Workbench — {self.ws.name}")
        self.undo_stack = QtGui.QUndoStack(self)
        self.jobs = JobRunner(self)
        #: Quitting with a candidate plan asks keep/discard; "keep" or "discard" answers in advance.
        self.candidate_on_close: str | None = None
        self._build_views()
        self._build_status_bar()
        self._build_menus()
        self.views = SessionViews(self, self.session, self._load_alternatives)
        self._connect()
        self.session.reload()  # after the menus: opening applies time passing at the workspace clock
        self.timeline.zoom_to_horizon()  # the whole planning week first; Ctrl+1/2/3 zoom in
        self._restore_layout()
        self._watch_team()

    # ------------------------------------------------------------------ construction
    def _build_views(self) -> None:
        self.timeline = TimelineView()
        self.map = MapView()
        self.centre_tabs = QtWidgets.QTabWidget()
        self.centre_tabs.setDocumentMode(True)
        self.centre_tabs.addTab(self.timeline, "Timeline")
        self.centre_tabs.addTab(self.map, "Map")
        self.setCentralWidget(self.centre_tabs)
        self.inbox = InboxView()
        self.scheduled = ScheduledView()
        self.conflicts_view = ConflictsView()
        self.left_tabs = QtWidgets.QTabWidget()
        self.left_tabs.addTab(self.inbox, "Inbox")
        self.left_tabs.addTab(self.scheduled, "Scheduled")
        self.left_tabs.addTab(self.conflicts_view, "Conflicts")
        self.inspector = InspectorPanel()
        for name, title, widget, area in (("left", "Orders and schedule", self.left_tabs,
                                           QtCore.Qt.DockWidgetArea.LeftDockWidgetArea),
                                          ("inspector", "Inspector", self.inspector,
                                           QtCore.Qt.DockWidgetArea.RightDockWidgetArea)):
            dock = QtWidgets.QDockWidget(title, self)
            dock.setObjectName(f"dock_{name}")
            dock.setWidget(widget)
            self.addDockWidget(area, dock)
            setattr(self, f"{name}_dock", dock)
        rect = fit_main_window(self)  # never larger than the screen it opens on
        self.resizeDocks([self.left_dock, self.inspector_dock], list(self._dock_widths(rect.width())),
                         QtCore.Qt.Orientation.Horizontal)

    def _dock_widths(self, window_width: int) -> tuple[int, int]:
        """The left panel wide enough for full satellite names and times, the Inspector for its
        labels and values, the timeline keeping the rest."""
        font = self.font()
        names = [s.id for s in self.db.list_satellites(self.ws.id)] if self.session.workspace else []
        left = (text_width(font, names or ["PLEIADES-NEO-3"]) + text_width(font, ["Thu 13 Aug 09:33Z"])
                + text_width(font, ["4 min 05 s", "committed", "hard", "+12.5°"]) * 3 + 60)
        return dock_widths(window_width, left, 360)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.figures = QtWidgets.QLabel()
        self.progress = QtWidgets.QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setRange(0, 1000)
        self.cancel_button = QtWidgets.QPushButton("Cancel")
        self.cancel_button.clicked.connect(lambda: self.jobs.cancel())
        bar.addPermanentWidget(self.figures)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        self._set_busy(False)
        self.jobs.busyChanged.connect(self._set_busy)

    def _action(self, menu: QtWidgets.QMenu, text: str, slot, shortcut: str | QtGui.QKeySequence | None = None,
                name: str | None = None) -> QtGui.QAction:
        action = menu.addAction(text)
        action.triggered.connect(lambda _=False: slot())
        if shortcut is not None:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        if name:
            action.setObjectName(name)
            setattr(self, f"action_{name}", action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "New workspace…", lambda: file_actions.new_workspace(self), None, "new_workspace")
        self._action(file_menu, "Open workspace…", lambda: file_actions.choose_workspace(self),
                     QtGui.QKeySequence.StandardKey.Open)
        import_menu = file_menu.addMenu("Import")
        for kind, (text, _, _) in file_actions.IMPORTS.items():
            self._action(import_menu, text, lambda k=kind: file_actions.import_file(self, k), name=f"import_{kind}")
        export = file_menu.addMenu("Export Schedule")
        for fmt, label in EXPORT_FILTERS.items():
            self._action(export, label.split(" (")[0] + "…", lambda f=fmt: self.export_schedule(f), name=f"export_{fmt}")
        operations_actions.install(self, file_menu)  # clock, Advance Horizon; time passing on open
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, QtGui.QKeySequence.StandardKey.Quit)

        edit = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QtGui.QKeySequence("Ctrl+Z"))
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QtGui.QKeySequence("Ctrl+Shift+Z"))
        edit.addAction(undo)
        edit.addAction(redo)
        self.action_undo, self.action_redo = undo, redo
        edit.addSeparator()
        self._action(edit, "Find order or target…", self.find, QtGui.QKeySequence.StandardKey.Find)
        self._action(edit, "Select all in view", self.timeline.select_all_in_view, "Ctrl+A")
        self._action(edit, "Lock soft", lambda: self.lock_selection("soft"), "Ctrl+L", "lock_soft")
        self._action(edit, "Lock hard", lambda: self.lock_selection("hard"), "Ctrl+Shift+L", "lock_hard")
        self._action(edit, "Unlock", lambda: self.lock_selection("none"), "Ctrl+U", "unlock")
        self._action(edit, "Delete", self.delete_selection, QtGui.QKeySequence.StandardKey.Delete, "delete")

        view = bar.addMenu("&View")
        for key, preset in (("1", "hour"), ("2", "day"), ("3", "week")):
            self._action(view, f"Zoom to {preset}", lambda p=preset: self.timeline.zoom_preset(p), f"Ctrl+{key}")
        self._action(view, "Whole horizon", self.timeline.zoom_to_horizon, "Ctrl+0")
        self._action(view, "Go to now", self.timeline.scroll_to_now, "Ctrl+N")
        view.addSeparator()
        self.action_lanes = self._action(view, "Resource lanes", self.toggle_resource_lanes, "Ctrl+L")
        self.action_lanes.setCheckable(True)
        self.action_lanes.setToolTip("Contacts, sunlight, battery and memory under each satellite's bars")

        plan = bar.addMenu("&Plan")
        self._action(plan, "New Order…", self.new_order, "Ctrl+Shift+N", "new_order")
        self._action(plan, "Plan…", lambda: self.open_plan_dialog("incremental"), "Ctrl+P", "plan")
        self._action(plan, "Reshuffle…", lambda: self.open_plan_dialog("reshuffle"), "Ctrl+R", "reshuffle")
        self._action(plan, "Compare Plans…", self.compare, "Ctrl+K", "compare")
        self._action(plan, "Commit Plan…", self.commit, "Ctrl+Return", "commit")
        self._action(plan, "Reject Plan", self.reject, None, "reject")
        plan.addSeparator()
        self._action(plan, "Detect conflicts", self.detect_conflicts, "F5", "detect")

        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "About", lambda: AboutDialog(self).exec())

    # What the planner sees, read from the one session (views never keep their own copy).
    @property
    def ws(self):
        return self.session.workspace

    @property
    def acquisitions(self):
        return self.session.acquisitions

    @property
    def orders(self):
        return self.session.orders

    @property
    def conflicts(self):
        return self.session.conflicts

    @property
    def candidate(self) -> planning.PlanResult | None:
        return self.session.candidate

    def _connect(self) -> None:
        self.timeline.selectionChanged.connect(self.views.select)
        self.scheduled.selectionChanged.connect(self.views.select)
        self.conflicts_view.conflictSelected.connect(self.views.show_conflict)
        self.inbox.orderSelected.connect(self.views.show_order)
        self.inbox.orderSelected.connect(self.explain_order)
        self.inspector.order_page.explain.applyRequested.connect(self.apply_suggestion)
        self.inbox.newOrderRequested.connect(self.new_order)
        self.inspector.lockRequested.connect(lambda ids, level: self.lock(ids, level))
        self.inspector.deleteRequested.connect(self.delete)
        self.inspector.orderLinkActivated.connect(self.views.show_order)
        self.inspector.resolutionApplyRequested.connect(self.apply_resolution)
        self.inspector.resolutionPreviewRequested.connect(self._preview_resolution)
        self.inspector.swapRequested.connect(
            lambda aid, oid: self._reposition(commands.Swap(self.ws.id, aid, oid), "Swap"))
        self.inspector.moveRequested.connect(
            lambda aid, shift: self._reposition(commands.Move(self.ws.id, aid, shift), "Move"))
        self.inbox.editRequested.connect(self.edit_order)
        self.inspector.orderEditRequested.connect(self.edit_order)
        self.centre_tabs.currentChanged.connect(lambda _: self._refresh_map())
        self.map.targetClicked.connect(self._show_target)

    def open_workspace(self, name_or_id: str) -> None:
        """Show another workspace of the same database (its own undo history)."""
        self.jobs.cancel()
        self.undo_stack.clear()
        self.session.open(name_or_id)
        self.setWindowTitle(f"Mission Planning Workbench — {self.ws.name}")
        operations_actions.on_open(self)  # time passing at the opened workspace's clock
        self.reload()

    def find(self) -> None:
        """Ctrl+F: find an order or a target; the result is shown in the Inspector and on the timeline."""
        dialog = FindDialog(self)
        dialog.set_items(self.orders.values(), self.db.list_targets(self.ws.id))
        dialog.orderFound.connect(self._show_order)
        dialog.targetFound.connect(self._show_target)
        dialog.open_find()

    def _show_order(self, order_id: str) -> None:
        ids = [a.id for a in self.acquisitions.values() if a.order_id == order_id]
        if ids:
            self._select(ids)
        self.views.show_order(order_id)

    def _show_target(self, target_id: str) -> None:
        ids = [a.id for a in self.acquisitions.values() if a.target_id == target_id]
        self._select(ids)
        if not ids:
            self.statusBar().showMessage(f"{target_id} has no acquisition", 5000)

    # ------------------------------------------------------------------ state
    def now(self):
        return self.session.now()

    def reload(self) -> None:
        """Read the workspace again and refresh every view (keeps the selection): after an import."""
        self.session.reload()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        if not busy:
            self.progress.setValue(0)

    # ------------------------------------------------------------------ selection
    def _select(self, ids: list[str]) -> None:
        self.views.select(ids)
        self._refresh_map()

    def _refresh_map(self) -> None:
        """When the map tab shows: target statuses now, tracks and footprints on a worker (the
        selection's satellites around its time, or every satellite at the centre of the timeline)."""
        if self.centre_tabs.currentWidget() is not self.map:
            return
        self.map.set_targets(self.db.list_targets(self.ws.id),
                             map_service.target_statuses(self.orders.values(), self.acquisitions.values()))
        acqs = self.session.selected()
        lo, hi = self.timeline.x_range()
        moment = None if acqs else datetime.fromtimestamp((lo + hi) / 2.0, UTC)

        def done(layers):
            self.map.set_layers(layers)
            if acqs:
                self.map.zoom_to_footprints(layers)
        ws_id = self.ws.id
        self._on_worker("map", lambda db, state: map_service.map_layers(db, ws_id, acqs, moment), on_done=done,
                        on_error=lambda msg: self.statusBar().showMessage(f"Map: {msg}", 10000))

    def _load_alternatives(self, acquisition_id: str) -> None:
        """The swap choices of one acquisition, computed on a worker (access may take a moment)."""
        def done(found):
            if self.session.selection == (acquisition_id,):
                opps, sky, outcome = found
                self.inspector.set_alternatives(opps)
                self.inspector.acquisition_page.set_operations(sky, outcome)
        ws_id = self.ws.id

        def choices(db, state):
            opps, sky = forecasts.swap_choices(db, ws_id, acquisition_id)
            return placement_choices(db, ws_id, acquisition_id, opps), sky, execution.outcome_text(db, acquisition_id)
        self._on_worker("alternatives", choices, on_done=done)

    def _on_worker(self, kind: str, fn, **slots) -> None:
        """Run ``fn(db, state)`` on a worker with its own ScheduleDB (a Session is not thread-safe);
        ``slots`` (on_done, on_error, …) run on the GUI thread."""
        url = self.db_url

        def work(state):
            db = open_database(url)
            try:
                return fn(db, state)
            finally:
                db.close()
        self.jobs.start(kind, work, **slots)

    def _preview_resolution(self, conflict_id: str, index: int) -> None:
        opt = self.conflicts[conflict_id].resolution_options[index]
        a = self.acquisitions[opt.acquisition_id]
        shift = timedelta(seconds=float(opt.params.get("shift_seconds", 0.0)))
        self.timeline.preview(a.id, a.start_time + shift, a.end_time + shift)

    # ------------------------------------------------------------------ edits
    def _report(self, refused: dict[str, str], done: int, verb: str) -> None:
        if refused:
            def name_of(item_id: str) -> str:
                a = self.acquisitions.get(item_id)
                return acquisition_name(a) if a is not None else item_id
            self.inspector.show_refusals(refused)
            # Grouped by reason, items by name: eight items refused for one rule read as one line.
            self.statusBar().showMessage(f"{verb}: {done} done, {refusals_text(refused, name_of)}", 15000)
        else:
            self.statusBar().showMessage(f"{verb}: {done} done", 5000)

    def run(self, command: commands.Command, verb: str) -> bool:
        """Do ``command`` through the session (the views follow its event), keep it on the Edit
        menu's history when it changed something, and report refusals."""
        self.inspector.clear_message()  # an earlier refusal says nothing about this edit
        try:
            self.session.execute(command)
        except DomainError as exc:
            self.inspector.show_message(str(exc), error=True)
            self.statusBar().showMessage(f"{verb} refused: {exc}", 15000)
            return False
        if command.effective:
            self.undo_stack.push(undo_commands.CommandAdapter(command, self.session, self._step_refused))
            self.refresh_resource_lanes()
        if command.refused:
            self._report(command.refused, len(getattr(command, "before", ())) or len(getattr(command, "deleted", ())),
                         verb)
        else:
            self.statusBar().showMessage(f"{verb}: done", 5000)
        return command.effective

    def _step_refused(self, message: str) -> None:
        self.inspector.show_message(message, error=True)
        self.statusBar().showMessage(message, 15000)

    def lock_selection(self, level: str) -> None:
        self.lock(list(self.session.selection), level)

    def lock(self, ids: list[str], level: str) -> None:
        if ids:
            self.run(commands.SetLock(ids, level), "Unlock" if level == "none" else f"Lock {level}")

    def delete_selection(self) -> None:
        self.delete(list(self.session.selection))

    def delete(self, ids: list[str]) -> None:
        if ids:
            self.run(commands.Delete(ids), "Delete")

    def apply_resolution(self, conflict_id: str, index: int) -> None:
        self.run(commands.ApplyResolution(self.ws.id, conflict_id, index), "Apply resolution")

    def _reposition(self, command: commands.Swap | commands.Move, verb: str) -> None:
        if self.run(command, verb) and command.after is not None:
            after = command.after
            self.statusBar().showMessage(f"{verb}: {after.id} now {after.start_time:%d %b %H:%M:%S}Z "
                                         f"on {after.satellite_id}", 8000)

    def edit_order(self, order_id: str) -> None:
        """Double-click in the Inbox: edit priority, window, constraints and notes of a new order."""
        order = self.orders[order_id]
        dialog = self._order_dialog(order)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        r = dialog.result_dict()
        self.run(commands.EditOrder(order_id, order.version, priority=r["priority"],
                                    requested_window_start=r.get("window_start"),
                                    requested_window_end=r.get("window_end"),
                                    constraints=r.get("constraints") or {}, notes=r.get("notes"),
                                    external_ref=r.get("external_ref")), "Edit order")

    def _order_dialog(self, order=None) -> NewOrderDialog:
        """New Order, or Edit Order when ``order`` is given, on the workspace's targets and satellites."""
        satellites = self.db.list_satellites(self.ws.id)
        return NewOrderDialog(self.db.list_targets(self.ws.id), [s.id for s in satellites], order=order, parent=self,
                              now=None if order is not None else self.now(),
                              sensor_types=sorted({s.sensor_type for s in satellites}) or DEFAULT_SENSOR_TYPES)

    def new_order(self) -> None:
        dialog = self._order_dialog()
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        command = commands.AddOrder(self.ws.id, **dialog.result_dict())
        if self.run(command, "New order") and command.order is not None:
            self.left_tabs.setCurrentWidget(self.inbox)
            self.statusBar().showMessage(f"Order for {command.order.target_id} added to the Inbox", 5000)

    # ------------------------------------------------------------------ why not, and what would fit
    def explain_order(self, order_id: str) -> None:
        """Fill the Inspector's "why not" section of an Inbox order, on a worker."""
        order = self.orders.get(order_id)
        if order is None or order.status.value != "new":
            return
        page = self.inspector.order_page
        ws_id = self.ws.id

        def done(e):
            if page.order is not None and page.order.id == order_id:
                page.explain.set_explanation(e)

        def failed(message):
            if page.order is not None and page.order.id == order_id:
                page.explain.reason.setText(f"Could not check it: {message}")
        self._on_worker("explain", lambda db, state: explain.explain(db, ws_id, order_id), on_done=done,
                        on_error=failed)

    def apply_suggestion(self, suggestion) -> None:
        """Apply: the change as undoable commands (the order's fields; or unlock, then move or
        delete the acquisition in the way), then plan the order incrementally."""
        page = self.inspector.order_page
        if page.order is None:
            return
        order_id = page.order.id
        change = suggestion.change
        if change.order_changes:
            order = self.orders[order_id]
            fields = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in change.order_changes.items()}
            if not self.run(commands.EditOrder(order_id, order.version, **fields), "Change order"):
                return
        if change.acquisition_id:
            if change.unlock and not self.run(commands.SetLock([change.acquisition_id], "none"), "Unlock"):
                return
            if change.kind == "move_acquisition" and change.move_to is not None:
                if not self.run(commands.Swap(self.ws.id, change.acquisition_id, change.move_to.opportunity_id),
                                "Move"):
                    return
            elif change.kind == "remove_acquisition" and not self.run(commands.Delete([change.acquisition_id]),
                                                                       "Delete"):
                return
        self.start_planning(planning.PlanOptions(mode="incremental", order_ids=(order_id,)))

    # ------------------------------------------------------------------ resource lanes
    def toggle_resource_lanes(self, checked: bool | None = None) -> None:
        """View ▸ Resource lanes: computed on a worker (cached per schedule state), then drawn."""
        on = self.action_lanes.isChecked() if checked is None else bool(checked)
        self.timeline.show_resource_lanes(on)
        if on:
            self.refresh_resource_lanes()

    def refresh_resource_lanes(self) -> None:
        if not self.timeline.resource_lanes_visible():
            return
        ws_id = self.ws.id
        plan_id = self.candidate.plan_id if self.candidate is not None else None
        self._on_worker("lanes", lambda db, state: resource_lanes.workspace_lanes(db, ws_id, plan_id),
                        on_done=self.timeline.set_resource_lanes,
                        on_error=lambda msg: self.statusBar().showMessage(f"Resource lanes: {msg}", 10000))

    # ------------------------------------------------------------------ planning
    def open_plan_dialog(self, mode: str) -> None:
        s = self.ws.settings
        now = self.now()
        dialog = PlanDialog(s.horizon_start or now, s.horizon_end or now + timedelta(days=7), s, mode, parent=self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.start_planning(planning.PlanOptions.from_dialog(dialog.config()))

    def start_planning(self, options: planning.PlanOptions) -> None:
        """Run planning on a worker with its own database; the result lands on the GUI thread."""
        ws_id = self.ws.id
        self.statusBar().showMessage("Planning…")
        self._on_worker("planning", lambda db, state: planning.run_planning(
            db, ws_id, options, progress=lambda f, m: state.progress(f, 1.0, m), cancel=state.cancelled),
            on_done=self._planning_done, on_error=self._planning_failed, on_progress=self._on_progress,
            on_cancelled=lambda: self.statusBar().showMessage("Planning cancelled", 5000), long=True)

    def _on_progress(self, done: float, total: float, text: str) -> None:
        self.progress.setValue(int(1000 * done / total) if total else 0)
        self.progress.setFormat(f"{text} %p%")

    def _planning_done(self, result: planning.PlanResult) -> None:
        self.session.planning_done(result)
        self.refresh_resource_lanes()  # the candidate's ghost lines
        m = result.metrics
        stale = f", {m['stale_tle_count']} satellites with stale TLEs" if m.get("stale_tle_count") else ""
        self.statusBar().showMessage(
            f"Candidate plan: {len(result.items)} items, {m.get('orders_served', 0)}/{m.get('orders', 0)} orders "
            f"served, value {m.get('total_value', 0):.2f}, {m.get('error_conflicts', 0)} error conflicts "
            f"({result.algorithm}, {result.status}){stale}. Compare or commit it from the Plan menu.", 20000)

    def _planning_failed(self, message: str) -> None:
        QtWidgets.QMessageBox.warning(self, "Planning", message)

    def compare(self) -> bool:
        """Compare Plans; Accept Proposed commits. Returns True when the proposed plan was accepted."""
        if self.candidate is None:
            self.statusBar().showMessage("No candidate plan: run Plan… first", 5000)
            return False
        dialog = CompareDialog(planning.compare_plan(self.db, self.ws.id, self.candidate.plan_id), parent=self)
        dialog.exec()
        if dialog.choice() == "proposed":
            return self.commit(confirm=False)
        return False

    def commit(self, confirm: bool = True, lock_level: str = "none") -> bool:
        if self.candidate is None:
            self.statusBar().showMessage("No candidate plan: run Plan… first", 5000)
            return False
        if confirm:
            preview = planning.commit_preview(self.candidate)
            dialog = CommitDialog(preview["acquisitions"], self.candidate.conflicts, self.candidate.plan_id,
                                  superseded_count=preview["removed"], parent=self)
            if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return False
            lock_level = str(dialog.result_dict().get("lock_level", lock_level))
        command = commands.CommitPlan(self.ws.id, self.candidate.plan_id, lock_level=lock_level)
        if not self.run(command, "Commit plan"):
            return False
        r = command.record
        self.statusBar().showMessage(f"Committed {command.committed} acquisitions ({len(r.created)} added, "
                                     f"{len(r.updated_after)} moved, {len(r.deleted)} removed)", 8000)
        return True

    def reject(self) -> None:
        if self.candidate is not None:
            self.run(commands.RejectPlan(self.ws.id, self.candidate.plan_id), "Reject plan")

    def detect_conflicts(self) -> None:
        self.session.detect_conflicts()
        self.left_tabs.setCurrentWidget(self.conflicts_view)

    # ------------------------------------------------------------------ export and layout
    def export_schedule(self, fmt: str, path: str | None = None) -> dict | None:
        if path is None:
            path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export Schedule", f"{self.ws.name}.{fmt}",
                                                            EXPORT_FILTERS[fmt])
            if not path:
                return None
        result = export_service.export_schedule(self.db, self.ws.id, fmt, path)
        self.statusBar().showMessage(f"Exported to {path}", 8000)
        return result

    def _restore_layout(self) -> None:
        state = self.settings.value("main_window/state")
        if state is not None:
            self.restoreState(state)
        self.centre_tabs.setCurrentIndex(int(self.settings.value("main_window/centre_tab", 0)))

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt API
        # Geometry is restored once the window exists on a screen (before, Qt may re-place it).
        if not getattr(self, "_geometry_restored", False):
            self._geometry_restored = True
            geometry = self.settings.value("main_window/geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)
                # Saved on a bigger screen (or before a resolution change): back inside this one.
                fit_main_window(self, saved=self.geometry())
        super().showEvent(event)

    # ------------------------------------------------------------------ team mode
    def _watch_team(self) -> None:
        """Other planners' commits show up within a second: the feed is polled from a timer (a
        PRAGMA or a socket check, no query unless something changed)."""
        self.team_feed = self.db.change_feed(self.ws.id)
        self.team_timer = QtCore.QTimer(self)
        self.team_timer.setInterval(TEAM_POLL_MS)
        self.team_timer.timeout.connect(self._poll_team)
        self.team_timer.start()

    def _poll_team(self) -> None:
        try:
            changes = [c for c in self.team_feed.poll() if c.who != self.db.user]
        except DomainError as exc:
            self.statusBar().showMessage(str(exc), 10000)
            return
        if not changes:
            return
        self.reload()
        self.statusBar().showMessage(team_message(changes), 10000)

    def _ask_about_candidate(self) -> str:
        """keep | discard | cancel: what to do with the proposed plan when quitting."""
        if self.candidate_on_close is not None:
            return self.candidate_on_close
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, "Quit",
                                    f"The proposed plan ({len(self.candidate.items)} acquisitions) is not committed.",
                                    parent=self)
        box.setInformativeText("Keep it for next time (its orders stay proposed in the Inbox), or discard it "
                               "(its orders return to the Inbox as new)?")
        keep = box.addButton("Keep for next time", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        return {keep: "keep", discard: "discard"}.get(box.clickedButton(), "cancel")

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt API
        if getattr(self, "_closed", False):
            super().closeEvent(event)
            return
        if self.candidate is not None:
            choice = self._ask_about_candidate()
            if choice == "cancel":
                event.ignore()
                return
            if choice == "discard":
                self.session.discard_candidate()
        self.team_timer.stop()
        self.team_feed.close()
        self.jobs.cancel()
        self.jobs.wait(5000)
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue("main_window/centre_tab", self.centre_tabs.currentIndex())
        self.settings.setValue("main_window/workspace", self.ws.name)
        self.settings.sync()
        self.db.close()
        self._closed = True
        super().closeEvent(event)
