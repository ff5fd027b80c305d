"""Views the window fills from a worker thread (each job opens its own ScheduleDB: a Session is
not thread-safe): the map's tracks and footprints, one acquisition's swap choices, the resource
lanes, and an Inbox order's "why not, and what would make it fit" with its Apply."""
from __future__ import annotations

from datetime import UTC, datetime

from app.services import commands, execution, explain, forecasts, map_service, planning, resource_lanes
from app.services.database import open_database
from app.services.placement_choices import placement_choices

from .window_part import WindowPart


class WorkerViews(WindowPart):
    def on_worker(self, kind: str, fn, **slots) -> None:
        """Run ``fn(db, state)`` on a worker with its own ScheduleDB; ``slots`` (on_done, on_error, …)
        run on the GUI thread. A new job of a kind cancels the running one of that kind."""
        url = self.w.db_url

        def work(state):
            db = open_database(url)
            try:
                return fn(db, state)
            finally:
                db.close()
        self.w.jobs.start(kind, work, **slots)

    # ------------------------------------------------------------------ map
    def refresh_map(self, reframe: bool = True) -> None:
        """When the map tab shows: target statuses now, tracks and footprints on a worker (the
        selection's satellites around its time, or every satellite at the centre of the timeline;
        every satellite's with the map's "All tracks" box)."""
        w, s = self.w, self.session
        if w.centre_tabs.currentWidget() is not w.map:
            return
        w.map.set_targets(s.db.list_targets(s.workspace.id),
                          map_service.target_statuses(s.orders.values(), s.acquisitions.values()))
        acqs = s.selected()
        lo, hi = w.timeline.x_range()
        moment = None if acqs else datetime.fromtimestamp((lo + hi) / 2.0, UTC)

        def done(layers):
            w.map.set_layers(layers)
            if acqs and reframe:
                w.map.zoom_to_footprints(layers)
        ws_id = s.workspace.id
        every = w.map.all_tracks()  # the map's "All tracks" box
        self.on_worker("map", lambda db, state: map_service.map_layers(db, ws_id, acqs, moment, all_tracks=every),
                       on_done=done,
                       on_error=lambda msg: self._status(f"Map: {msg}", 10000))

    # ------------------------------------------------------------------ swap choices
    def load_alternatives(self, acquisition_id: str) -> None:
        """The swap choices of one acquisition, computed on a worker (access may take a moment)."""
        w = self.w

        def done(found):
            if self.session.selection == (acquisition_id,):
                opps, sky, outcome = found
                w.inspector.set_alternatives(opps)
                w.inspector.acquisition_page.set_operations(sky, outcome)
        ws_id = self.session.workspace.id

        def choices(db, state):
            opps, sky = forecasts.swap_choices(db, ws_id, acquisition_id)
            return placement_choices(db, ws_id, acquisition_id, opps), sky, execution.outcome_text(db, acquisition_id)
        self.on_worker("alternatives", choices, on_done=done)

    # ------------------------------------------------------------------ resource lanes
    def toggle_resource_lanes(self, checked: bool | None = None) -> None:
        """View ▸ Resource lanes: computed on a worker (cached per schedule state), then drawn."""
        on = self.w.action_lanes.isChecked() if checked is None else bool(checked)
        self.w.timeline.show_resource_lanes(on)
        if on:
            self.refresh_resource_lanes()

    def refresh_resource_lanes(self) -> None:
        if not self.w.timeline.resource_lanes_visible():
            return
        ws_id = self.session.workspace.id
        plan_id = self.session.candidate.plan_id if self.session.candidate is not None else None
        self.on_worker("lanes", lambda db, state: resource_lanes.workspace_lanes(db, ws_id, plan_id),
                       on_done=self.w.timeline.set_resource_lanes,
                       on_error=lambda msg: self._status(f"Resource lanes: {msg}", 10000))

    # ------------------------------------------------------------------ why not, and what would fit
    def explain_order(self, order_id: str) -> None:
        """Fill the Inspector's "why not" section of an Inbox order, on a worker."""
        order = self.session.orders.get(order_id)
        if order is None or order.status.value != "new":
            return
        page = self.w.inspector.order_page
        ws_id = self.session.workspace.id

        def done(e):
            if page.order is not None and page.order.id == order_id:
                page.explain.set_explanation(e)

        def failed(message):
            if page.order is not None and page.order.id == order_id:
                page.explain.reason.setText(f"Could not check it: {message}")
        self.on_worker("explain", lambda db, state: explain.explain(db, ws_id, order_id), on_done=done,
                       on_error=failed)

    def apply_suggestion(self, suggestion) -> None:
        """Apply: the change as undoable commands (the order's fields; or unlock, then move or
        delete the acquisition in the way), then plan the order incrementally."""
        page = self.w.inspector.order_page
        if page.order is None:
            return
        run = self.w.edits.run
        order_id = page.order.id
        change = suggestion.change
        if change.order_changes:
            order = self.session.orders[order_id]
            fields = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in change.order_changes.items()}
            if not run(commands.EditOrder(order_id, order.version, **fields), "Change order"):
                return
        if change.acquisition_id:
            if change.unlock and not run(commands.SetLock([change.acquisition_id], "none"), "Unlock"):
                return
            if change.kind == "move_acquisition" and change.move_to is not None:
                if not run(commands.Swap(self.session.workspace.id, change.acquisition_id,
                                         change.move_to.id), "Move"):
                    return
            elif change.kind == "remove_acquisition" and not run(commands.Delete([change.acquisition_id]), "Delete"):
                return
        self.w.planning_flow.start_planning(planning.PlanOptions(mode="incremental", order_ids=(order_id,)))
