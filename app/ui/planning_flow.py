"""The planning flow of the window: Plan…/Reshuffle… on a worker, the candidate plan's arrival,
Compare, Commit, Reject, F5 conflict detection, and what happens to a candidate when quitting."""
from __future__ import annotations

from datetime import timedelta

from PySide6 import QtWidgets

from app.domain.wording import plural
from app.services import commands, planning

from . import window_layout
from .dialogs.commit_dialog import CommitDialog
from .dialogs.compare_dialog import CompareDialog
from .dialogs.plan_dialog import PlanDialog
from .window_part import WindowPart


def plan_label(candidate: planning.PlanResult) -> str:
    """``the proposed plan (best fit, incremental)``: how dialogs name a candidate (no id)."""
    how = ", ".join(str(x).replace("_", " ") for x in (candidate.algorithm, candidate.mode) if x)
    return f"the proposed plan ({how})" if how else "the proposed plan"


class PlanningFlow(WindowPart):
    # ------------------------------------------------------------------ planning
    def open_plan_dialog(self, mode: str) -> None:
        s = self.session.workspace.settings
        now = self.session.now()
        dialog = PlanDialog(s.horizon_start or now, s.horizon_end or now + timedelta(days=7), s, mode, parent=self.w)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.start_planning(planning.PlanOptions.from_dialog(dialog.config()))

    def start_planning(self, options: planning.PlanOptions) -> None:
        """Run planning on a worker with its own database; the result lands on the GUI thread."""
        refusal = self.w.edit_refusal()
        if refusal:
            self._status(f"Planning refused: {refusal}", 15000)
            return
        ws_id = self.session.workspace.id
        self._status("Planning…")
        self.w.worker_views.on_worker(
            "planning", lambda db, state: planning.run_planning(
                db, ws_id, options, progress=lambda f, m: state.progress(f, 1.0, m), cancel=state.cancelled),
            on_done=self._planning_done, on_error=self._planning_failed,
            on_progress=lambda done, total, text: window_layout.show_progress(self.w, done, total, text),
            on_cancelled=lambda: self._status("Planning cancelled", 5000), long=True)

    def _planning_done(self, result: planning.PlanResult) -> None:
        self.session.planning_done(result)
        self.w.worker_views.refresh_resource_lanes()  # the candidate's ghost lines
        m = result.metrics
        stale = f", {m['stale_tle_count']} stale TLEs" if m.get("stale_tle_count") else ""
        # One line that fits beside the status bar's figures in a 1366 px window (value: in Compare).
        self._status(
            f"Candidate plan: {plural(len(result.items), 'item')}, {m.get('orders_served', 0)}/{m.get('orders', 0)} "
            f"orders served, {plural(m.get('error_conflicts', 0), 'error conflict')}{stale} — Plan ▸ Compare or "
            "Commit", 20000)

    def _planning_failed(self, message: str) -> None:
        QtWidgets.QMessageBox.warning(self.w, "Planning", message)

    # ------------------------------------------------------------------ the candidate plan
    def compare(self) -> bool:
        """Compare Plans; Accept Proposed commits. Returns True when the proposed plan was accepted."""
        candidate = self.session.candidate
        if candidate is None:
            self._status("No candidate plan: run Plan… first", 5000)
            return False
        # F5 first: the current plan's conflicts are the Conflicts tab's list, just detected (one count).
        self.detect_conflicts(show=False)
        comparison = planning.compare_plan(self.session.db, self.session.workspace.id, candidate.plan_id,
                                           list(self.session.conflicts.values()))
        dialog = CompareDialog(comparison, parent=self.w)
        dialog.exec()
        if dialog.choice() == "proposed":
            return self.commit(confirm=False)
        return False

    def commit(self, confirm: bool = True, lock_level: str = "none") -> bool:
        candidate = self.session.candidate
        if candidate is None:
            self._status("No candidate plan: run Plan… first", 5000)
            return False
        if confirm:
            preview = planning.commit_preview(candidate)
            dialog = CommitDialog(preview["acquisitions"], candidate.conflicts, plan_label(candidate),
                                  superseded_count=preview["removed"], parent=self.w)
            if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
                return False
            lock_level = str(dialog.result_dict().get("lock_level", lock_level))
        command = commands.CommitPlan(self.session.workspace.id, candidate.plan_id, lock_level=lock_level)
        if not self.w.edits.run(command, "Commit plan"):
            return False
        r = command.record
        self._status(f"Committed {command.committed} acquisitions ({len(r.created_ids)} added, "
                     f"{len(r.updated_after)} moved, {len(r.deleted)} removed)", 8000)
        return True

    def reject(self) -> None:
        if self.session.candidate is not None:
            self.w.edits.run(commands.RejectPlan(self.session.workspace.id, self.session.candidate.plan_id),
                             "Reject plan")

    def detect_conflicts(self, show: bool = True) -> None:
        """F5: first take in what other planners changed (only those rows), then detect on the
        schedule as stored; only the conflict list and the bars' colours are redrawn. ``show``:
        bring the Conflicts tab forward and say the count."""
        refusal = self.w.edit_refusal()
        if refusal:
            self._status(f"Detect conflicts refused: {refusal}", 15000)
            return
        self.w.team.poll()
        self.session.detect_conflicts()
        if not show:
            return
        self.w.left_tabs.setCurrentWidget(self.w.conflicts_view)
        n = len(self.session.conflicts)
        self._status(f"{n} conflict{'s' * (n != 1)} on the schedule", 8000)

    # ------------------------------------------------------------------ quitting
    def ask_about_candidate(self) -> str:
        """keep | discard | cancel: what to do with the proposed plan when quitting
        (``window.candidate_on_close`` answers in advance)."""
        if self.w.candidate_on_close is not None:
            return self.w.candidate_on_close
        box = QtWidgets.QMessageBox(QtWidgets.QMessageBox.Icon.Question, "Quit",
                                    f"The proposed plan ({len(self.session.candidate.items)} acquisitions) is not "
                                    "committed.", parent=self.w)
        box.setInformativeText("Keep it for next time (its orders stay proposed in the Inbox), or discard it "
                               "(its orders return to the Inbox as new)?")
        keep = box.addButton("Keep for next time", QtWidgets.QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Discard", QtWidgets.QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        return {keep: "keep", discard: "discard"}.get(box.clickedButton(), "cancel")

    def settle_candidate_on_close(self) -> bool:
        """False when the planner cancelled quitting."""
        if self.session.candidate is None:
            return True
        choice = self.ask_about_candidate()
        if choice == "discard":
            self.session.discard_candidate()
        return choice != "cancel"
