"""Edits from the window (Edit menu, Inspector, Inbox): each one service command run through the
session (undoable on the Edit menu's history), refusals reported in words by name and reason.
Also Find, New Order and Edit Order (their dialogs end in a command)."""
from __future__ import annotations

from datetime import timedelta

from PySide6 import QtWidgets

from app.domain import DomainError
from app.services import commands

from . import undo_commands
from .dialogs.find_dialog import FindDialog
from .dialogs.new_order_dialog import NewOrderDialog
from .formatting import acquisition_name, refusals_text
from .window_part import WindowPart


class EditActions(WindowPart):
    """The window's edits. ``window`` provides session, undo_stack, inspector, timeline and the status bar."""

    # ------------------------------------------------------------------ running a command
    def run(self, command: commands.Command, verb: str) -> bool:
        """Do ``command`` through the session (the views follow its event), keep it on the Edit
        menu's history when it changed something, and report refusals. True when it changed something."""
        w = self.w
        w.inspector.clear_message()  # an earlier refusal says nothing about this edit
        refusal = w.edit_refusal()
        if refusal:  # a read-only database: nothing is tried
            w.inspector.show_message(refusal, error=True)
            self._status(f"{verb} refused: {refusal}", 15000)
            return False
        try:
            self.session.execute(command)
        except DomainError as exc:
            w.inspector.show_message(str(exc), error=True)
            self._status(f"{verb} refused: {exc}", 15000)
            return False
        if command.effective:
            w.undo_stack.push(undo_commands.CommandAdapter(command, self.session, self._step_refused))
            w.worker_views.refresh_resource_lanes()
        if command.refused:
            done = len(getattr(command, "before", ())) or len(getattr(command, "deleted", ()))
            self._report(command.refused, done, verb)
        else:
            self._status(f"{verb}: done", 5000)
        return command.effective

    def _report(self, refused: dict[str, str], done: int, verb: str) -> None:
        def name_of(item_id: str) -> str:
            a = self.session.acquisitions.get(item_id)
            return acquisition_name(a) if a is not None else item_id
        self.w.inspector.show_refusals(refused, name_of)
        # Grouped by reason, items by name: eight items refused for one rule read as one line.
        self._status(f"{verb}: {done} done, {refusals_text(refused, name_of)}", 15000)

    def _step_refused(self, message: str) -> None:
        self.w.inspector.show_message(message, error=True)
        self._status(message, 15000)

    # ------------------------------------------------------------------ acquisitions
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
        self.run(commands.ApplyResolution(self.session.workspace.id, conflict_id, index), "Apply resolution")

    def preview_resolution(self, conflict_id: str, index: int) -> None:
        """A dashed bar where the resolution would put the acquisition (nothing changed yet)."""
        opt = self.session.conflicts[conflict_id].resolution_options[index]
        a = self.session.acquisitions[opt.acquisition_id]
        shift = timedelta(seconds=float(opt.params.get("shift_seconds", 0.0)))
        self.w.timeline.preview(a.id, a.start + shift, a.end + shift)

    def swap(self, acquisition_id: str, opportunity_id: str) -> None:
        self._reposition(commands.Swap(self.session.workspace.id, acquisition_id, opportunity_id), "Swap")

    def move(self, acquisition_id: str, shift) -> None:
        self._reposition(commands.Move(self.session.workspace.id, acquisition_id, shift), "Move")

    def _reposition(self, command: commands.Swap | commands.Move, verb: str) -> None:
        if self.run(command, verb) and command.after is not None:
            self._status(f"{verb}: now {acquisition_name(command.after)}", 8000)

    # ------------------------------------------------------------------ orders
    def order_dialog(self, order=None) -> NewOrderDialog:
        """New Order, or Edit Order when ``order`` is given, on the workspace's targets and satellites."""
        db, ws = self.session.db, self.session.workspace
        satellites = db.list_satellites(ws.id)
        return NewOrderDialog.for_satellites(db.list_targets(ws.id), satellites, order=order, parent=self.w,
                                             now=None if order is not None else self.session.now())

    def new_order(self) -> None:
        dialog = self.order_dialog()
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        command = commands.AddOrder(self.session.workspace.id, **dialog.result_dict())
        if self.run(command, "New order") and command.order is not None:
            self.w.left_tabs.setCurrentWidget(self.w.inbox)
            self._status(f"Order for {command.order.target_id} added to the Inbox", 5000)

    def edit_order(self, order_id: str) -> None:
        """Double-click in the Inbox: edit priority, window, constraints and notes of a new order."""
        order = self.session.orders[order_id]
        dialog = self.order_dialog(order)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        r = dialog.result_dict()
        self.run(commands.EditOrder(order_id, order.version, priority=r["priority"],
                                    requested_window_start=r.get("window_start"),
                                    requested_window_end=r.get("window_end"),
                                    constraints=r.get("constraints") or {}, notes=r.get("notes"),
                                    external_ref=r.get("external_ref")), "Edit order")

    # ------------------------------------------------------------------ finding and selecting
    def find(self) -> None:
        """Ctrl+F: find an order or a target; the result is shown in the Inspector and on the timeline."""
        dialog = FindDialog(self.w)
        dialog.set_items(self.session.orders.values(), self.session.db.list_targets(self.session.workspace.id))
        dialog.orderFound.connect(self.show_order)
        dialog.targetFound.connect(self.show_target)
        dialog.open_find()

    def select(self, ids: list[str]) -> None:
        self.w.views.select(ids)
        self.w.worker_views.refresh_map()

    def show_order(self, order_id: str) -> None:
        ids = [a.id for a in self.session.acquisitions.values() if a.order_id == order_id]
        if ids:
            self.select(ids)
        self.w.views.show_order(order_id)

    def show_target(self, target_id: str) -> None:
        ids = [a.id for a in self.session.acquisitions.values() if a.target_id == target_id]
        self.select(ids)
        if not ids:
            self._status(f"{target_id} has no acquisition", 5000)
