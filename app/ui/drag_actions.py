"""Drag and drop on the timeline, wired to the window's commands (``install(window)``).

* A bar dragged along its row: where it may go is found on a worker (``placement_choices`` of its
  pass, the Inspector's edit permissions for why it cannot move at all); the drop runs the very
  ``Move`` command of the Inspector's Move button (undoable, audited; the acquisition becomes the
  planner's own: source ``manual``).
* An Inbox order dragged onto a satellite's row: its valid opportunities are found on a worker and
  shaded while it is dragged; the drop runs ``PlaceOrder`` (the manual add: the valid opportunity
  of that satellite nearest to the drop time, source ``manual``, undoable).

Refusals are shown in the Inspector's banner and the status bar, in words; nothing changes.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from app.services import commands
from app.services.placement_choices import order_choices, placement_choices, same_pass

from .formatting import order_name
from .inspector.edit_rules import permissions
from .timeline_drag import DragChoices

if TYPE_CHECKING:
    from .main_window import MainWindow


def install(window: "MainWindow") -> "DragActions":
    """Connect the timeline's and the Inbox's drag gestures of ``window`` to its commands."""
    window.drag_actions = DragActions(window)
    return window.drag_actions


class DragActions:
    def __init__(self, window: "MainWindow") -> None:
        self.w = window
        t, inbox = window.timeline, window.inbox
        t.barDragStarted.connect(self.bar_drag_started)
        t.moveDropped.connect(self.move_dropped)
        t.dropRefused.connect(lambda _aid, why: self.refused("Move", why))
        t.orderDropped.connect(self.order_dropped)
        inbox.orderDragStarted.connect(self.order_drag_started)
        inbox.orderDragMoved.connect(t.order_drag_move)
        inbox.orderDragFinished.connect(t.order_drag_drop)
        inbox.orderDragCancelled.connect(t.cancel_order_drag)

    # ------------------------------------------------------------------ a bar along its row
    def bar_drag_started(self, acquisition_id: str) -> None:
        w = self.w
        a = w.session.acquisitions.get(acquisition_id)
        if a is None:
            return
        order = w.session.orders.get(a.order_id) if a.order_id else None
        perms = permissions(a, order, w.session.freeze_cutoff())
        if not perms.can_move:
            w.timeline.set_drag_choices(acquisition_id, DragChoices(blocked=perms.move_reason))
            return
        ws_id = w.ws.id
        here = (a.start.timestamp(), a.end.timestamp())

        def find(db, state):
            return same_pass(placement_choices(db, ws_id, acquisition_id), a)

        def done(choices):
            valid = [here] + [(c.opportunity.start.timestamp(), c.opportunity.end.timestamp())
                              for c in choices if c.valid]
            refused = [(c.opportunity.start.timestamp(), c.opportunity.end.timestamp(), c.refusal)
                       for c in choices if not c.valid]
            w.timeline.set_drag_choices(acquisition_id, DragChoices(valid, refused))

        def failed(message):
            w.timeline.set_drag_choices(acquisition_id, DragChoices(blocked=f"could not check where it may go: "
                                                                              f"{message}"))
        w.worker_views.on_worker("drag", find, on_done=done, on_error=failed)

    def move_dropped(self, acquisition_id: str, shift_s: float) -> None:
        self.w.edits.move(acquisition_id, shift_s)  # exactly the Inspector's Move

    def refused(self, verb: str, why: str) -> None:
        self.w.inspector.show_message(f"{verb} refused: {why}", error=True)
        self.w.statusBar().showMessage(f"{verb} refused: {why}", 15000)

    # ------------------------------------------------------------------ an Inbox order onto a row
    def order_drag_started(self, order_id: str) -> None:
        w = self.w
        order = w.session.orders.get(order_id)
        if order is None:
            return
        w.timeline.begin_order_drag(order_id, order_name(order))
        ws_id = w.ws.id

        def find(db, state):
            slots: dict[str, list[tuple[float, float]]] = {}
            for c in order_choices(db, ws_id, order_id):
                if c.valid:
                    o = c.opportunity
                    slots.setdefault(o.satellite_id, []).append((o.start.timestamp(), o.end.timestamp()))
            return slots
        w.worker_views.on_worker("order_drag", find, on_done=lambda slots: w.timeline.set_order_drag_slots(order_id, slots),
                     on_error=lambda msg: w.statusBar().showMessage(f"Opportunities: {msg}", 10000))

    def order_dropped(self, order_id: str, satellite_id: str, t: float) -> None:
        w = self.w
        command = commands.PlaceOrder(w.ws.id, order_id, satellite_id, datetime.fromtimestamp(t, UTC))
        if w.edits.run(command, "Place order") and command.acquisition is not None:
            a = command.acquisition
            w.views.select([a.id])
            w.statusBar().showMessage(f"Placed {a.target_id} on {a.satellite_id} at {a.start:%a %d %b %H:%M:%S}Z",
                                      8000)
