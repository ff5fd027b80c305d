"""Inspector page for one acquisition: every field, the lock controls, move and swap."""
from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime, timedelta

from PySide6 import QtCore, QtWidgets

from app.domain import Acquisition, Order
from app.domain.enums import LockLevel
from app.services.placement_choices import PlacementChoice

from ..formatting import (SIGN_CONVENTION, duration_text, number_text, order_name, pitch_text, roll_text,
                          utc_text, window_text)
from ..palette import state_icon_name
from ..resources import icon
from .edit_rules import EditPermissions, permissions
from .parts import FieldForm, MessageBanner, header_label, reason_label, set_reason

#: Largest shift offered by the editor when the order has no window (seconds).
MAX_FREE_SHIFT_S = 86400.0


class AcquisitionPage(QtWidgets.QWidget):
    lockRequested = QtCore.Signal(list, str)
    deleteRequested = QtCore.Signal(list)
    moveRequested = QtCore.Signal(str, float)
    swapRequested = QtCore.Signal(str, str)
    orderLinkActivated = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.acquisition: Acquisition | None = None
        self.order: Order | None = None
        self.perms: EditPermissions | None = None
        self._alternatives: list[PlacementChoice] = []
        self._refused: list[PlacementChoice] = []
        #: P(clear sky) from the workspace's cloud forecast, by opportunity id and acquisition id.
        self._sky: dict[str, float] = {}

        self.header = header_label()
        self.state_icon = QtWidgets.QLabel()
        self.form = FieldForm()
        f = self.form
        f.add("satellite", "Satellite")
        f.add("target", "Target")
        order_label = f.add("order", "Order")
        order_label.setTextFormat(QtCore.Qt.TextFormat.RichText)
        order_label.linkActivated.connect(self.orderLinkActivated)
        f.add("window", "Order window")
        f.add("start", "Start")
        f.add("end", "End")
        f.add("duration", "Duration")
        f.add("roll", "Roll start / end", SIGN_CONVENTION)
        f.add("pitch", "Pitch start / end", SIGN_CONVENTION)
        f.add("incidence", "Incidence")
        f.add("look_side", "Look side")
        f.add("pass_direction", "Pass direction")
        f.add("mode", "Mode")
        f.add("quality", "Quality")
        f.add("sky", "Clear sky", "Probability of a clear sky from the imported cloud forecast (optical only)")
        f.add("maneuver", "Maneuver / slack")
        f.add("state", "State")
        f.add("outcome", "Execution", "What the execution report said")
        f.add("lock", "Lock")
        f.add("source", "Source")
        f.add("version", "Version")
        f.add("updated", "Created / updated")
        # Raw ids are details for support (last line, and the header's tooltip), not what is read first.
        f.add("id", "Acquisition id")
        self.sign_note = QtWidgets.QLabel(f"Sign convention: {SIGN_CONVENTION}.")
        self.sign_note.setProperty("role", "hint")
        self.sign_note.setWordWrap(True)

        # Lock and delete.
        self.lock_combo = QtWidgets.QComboBox()
        for level in LockLevel:
            self.lock_combo.addItem(level.value, level.value)
        self.lock_combo.setToolTip("none: planning may move it · soft: only within its order window · "
                                   "hard: never moved")
        self.lock_combo.activated.connect(self._on_lock_chosen)
        self.unlock_button = QtWidgets.QPushButton(icon("tentative"), "Unlock")
        self.unlock_button.clicked.connect(lambda: self._emit_lock(LockLevel.NONE.value))
        self.delete_button = QtWidgets.QPushButton("Delete")
        self.delete_button.setProperty("danger", True)
        self.delete_button.clicked.connect(self._on_delete)
        self.lock_reason = reason_label()
        self.delete_reason = reason_label()
        lock_box = QtWidgets.QGroupBox("Lock")
        lock_row = QtWidgets.QHBoxLayout()
        lock_row.addWidget(QtWidgets.QLabel("Level"))
        lock_row.addWidget(self.lock_combo, 1)
        button_row = QtWidgets.QHBoxLayout()
        button_row.addWidget(self.unlock_button)
        button_row.addStretch(1)
        button_row.addWidget(self.delete_button)
        lock_layout = QtWidgets.QVBoxLayout(lock_box)
        lock_layout.addLayout(lock_row)
        lock_layout.addLayout(button_row)
        lock_layout.addWidget(self.lock_reason)
        lock_layout.addWidget(self.delete_reason)

        # Move in time, or swap to another opportunity.
        self.shift_spin = QtWidgets.QDoubleSpinBox()
        self.shift_spin.setDecimals(0)
        self.shift_spin.setSuffix(" s")
        self.shift_spin.setSingleStep(10)
        self.shift_spin.setToolTip("Shift of the start time in seconds (+ = later)")
        self.shift_spin.valueChanged.connect(self._update_new_start)
        self.new_start = QtWidgets.QLabel("—")
        self.new_start.setProperty("role", "hint")
        self.new_start.setWordWrap(True)
        self.move_button = QtWidgets.QPushButton("Move")
        self.move_button.clicked.connect(self._on_move)
        self.swap_combo = QtWidgets.QComboBox()
        self.swap_combo.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.swap_combo.setMinimumContentsLength(8)
        self.swap_button = QtWidgets.QPushButton("Swap")
        self.swap_button.clicked.connect(self._on_swap)
        self.move_reason = reason_label()
        edit_box = QtWidgets.QGroupBox("Reschedule")
        grid = QtWidgets.QGridLayout(edit_box)
        grid.addWidget(QtWidgets.QLabel("Shift"), 0, 0)
        grid.addWidget(self.shift_spin, 0, 1)
        grid.addWidget(self.move_button, 0, 2)
        grid.addWidget(self.new_start, 1, 1, 1, 2)
        swap_label = QtWidgets.QLabel("Swap to")
        swap_label.setToolTip("Another valid opportunity for the same order")
        grid.addWidget(swap_label, 2, 0)
        grid.addWidget(self.swap_combo, 2, 1)
        grid.addWidget(self.swap_button, 2, 2)
        grid.addWidget(self.move_reason, 3, 0, 1, 3)
        grid.setColumnStretch(1, 1)

        self.banner = MessageBanner()
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.state_icon)
        top.addWidget(self.header, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addWidget(self.sign_note)
        layout.addWidget(lock_box)
        layout.addWidget(edit_box)
        layout.addStretch(1)

    # -------------------------------------------------------------------- API
    def show_acquisition(self, a: Acquisition, order: Order | None = None,
                         freeze_cutoff: datetime | None = None, in_conflict: bool = False) -> None:
        same = self.acquisition is not None and self.acquisition.id == a.id
        self.acquisition, self.order = a, order
        self.perms = permissions(a, order, freeze_cutoff)
        self.header.setText(f"{a.target_id} <span style='font-weight:normal;color:#5b6776'>on "
                            f"{a.satellite_id}</span>" + ("  <span style='color:#d32f2f'>● in conflict</span>"
                                                           if in_conflict else ""))
        self.header.setToolTip("\n".join(f"{what} id {value}" for what, value in (
            ("acquisition", a.id), ("order", a.order_id), ("plan", a.plan_id), ("opportunity", a.opportunity_id))
            if value))
        self.state_icon.setPixmap(icon(state_icon_name(a)).pixmap(20, 20))
        f = self.form
        f.set("id", a.id)
        f.set("satellite", a.satellite_id)
        f.set("target", a.target_id)
        f.set("order", f"<a href='{a.order_id}'>{html.escape(order_name(order))}</a>" if a.order_id and order
              else "an order no longer in this workspace" if a.order_id else "— (manual)")
        f.set("window", window_text(order) if order else "—")
        f.set("start", utc_text(a.start))
        f.set("end", utc_text(a.end))
        f.set("duration", duration_text((a.end - a.start).total_seconds()))
        f.set("roll", f"{roll_text(a.roll_deg)} / {roll_text(a.roll_end_deg)}")
        f.set("pitch", f"{pitch_text(a.pitch_deg)} / {pitch_text(a.pitch_end_deg)}")
        f.set("incidence", number_text(a.incidence_deg, ".2f", "°"))
        f.set("look_side", a.look_side or "—")
        f.set("pass_direction", a.pass_direction or "—")
        f.set("mode", a.mode.value + (f" · {a.sar_mode}" if a.sar_mode else ""))
        f.set("quality", number_text(a.quality_score, ".3f"))
        f.set("maneuver", " / ".join("—" if s is None else duration_text(s) for s in (a.maneuver_time_s, a.slack_time_s)))
        f.set("state", a.state.value)
        f.set("lock", a.lock_level.value)
        f.set("source", a.source.value)
        f.set("version", str(a.version))
        f.set("updated", f"{utc_text(a.created_at)} / {utc_text(a.updated_at)}")
        self._apply_permissions()
        if not same:
            self.banner.clear()
            self._alternatives = []
            self._sky = {}
            f.set("outcome", "—")
            self._fill_alternatives()
        f.set("sky", f"{self._sky[a.id]:.0%}" if a.id in self._sky else "—")

    def set_alternatives(self, choices: Iterable[PlacementChoice]) -> None:
        """Other opportunities for the same order, checked (``services.placement_choices``): the
        valid ones fill the swap combo, grouped by pass and by value; the count of refused ones is
        said in the tooltip."""
        self._alternatives = [c for c in choices if c.valid]
        self._refused = [c for c in choices if not c.valid]
        self._fill_alternatives()

    def alternatives(self) -> list[PlacementChoice]:
        """The valid choices offered, in the combo's order."""
        return list(self._alternatives)

    def set_operations(self, sky: dict[str, float], outcome: str | None) -> None:
        """P(clear) of the acquisition and its swap choices (cloud forecast), and its execution outcome."""
        self._sky = dict(sky)
        a = self.acquisition
        if a is not None:
            self.form.set("sky", f"{self._sky[a.id]:.0%}" if a.id in self._sky else "—")
        self.form.set("outcome", outcome or "—")
        self._fill_alternatives()

    # ---------------------------------------------------------------- helpers
    def _apply_permissions(self) -> None:
        a, p = self.acquisition, self.perms
        assert a is not None and p is not None
        with QtCore.QSignalBlocker(self.lock_combo):
            self.lock_combo.setCurrentIndex(self.lock_combo.findData(a.lock_level.value))
        self.lock_combo.setEnabled(p.can_change_lock)
        self.unlock_button.setEnabled(p.can_change_lock and a.lock_level != LockLevel.NONE)
        self.delete_button.setEnabled(p.can_delete)
        set_reason(self.lock_reason, p.lock_reason)
        set_reason(self.delete_reason, "" if p.can_delete or p.delete_reason == p.move_reason
                   else p.delete_reason)
        lo = -MAX_FREE_SHIFT_S if p.min_shift_s is None else min(0.0, p.min_shift_s)
        hi = MAX_FREE_SHIFT_S if p.max_shift_s is None else max(0.0, p.max_shift_s)
        with QtCore.QSignalBlocker(self.shift_spin):
            self.shift_spin.setRange(lo, hi)
            self.shift_spin.setValue(0.0)
        self.shift_spin.setEnabled(p.can_move)
        self.move_button.setEnabled(False)
        set_reason(self.move_reason, p.move_reason)
        self._update_new_start()

    def _fill_alternatives(self) -> None:
        a, p = self.acquisition, self.perms
        self.swap_combo.clear()
        if a is None or p is None:
            return
        allowed = [c for c in self._alternatives if c.opportunity.id != a.opportunity_id
                   and (not p.same_satellite_only or c.opportunity.satellite_id == a.satellite_id)]
        last_pass = None
        for c in allowed:
            o = c.opportunity
            if last_pass is not None and c.pass_key != last_pass:
                self.swap_combo.insertSeparator(self.swap_combo.count())
            last_pass = c.pass_key
            sky = f" · clear {self._sky[o.id]:.0%}" if o.id in self._sky else ""
            self.swap_combo.addItem(f"{o.satellite_id} {utc_text(o.start, seconds=False)} · incidence "
                                    f"{number_text(o.incidence_deg, '.1f', '°')} · quality {c.quality:.2f} · "
                                    f"value {c.value:.2f}{sky}", o.id)
        if not allowed:
            self.swap_combo.addItem("no valid opportunity" if not self._alternatives
                                    else "none allowed by the lock", None)
        refused = len(getattr(self, "_refused", ()))
        self.swap_combo.setToolTip("Valid opportunities of the same order, by pass, best value first"
                                   + (f"; {refused} other{'s' * (refused != 1)} refused (frozen zone, locks, "
                                      "overlaps or neighbours' slews)" if refused else ""))
        ok = p.can_move and bool(allowed)
        self.swap_combo.setEnabled(ok)
        self.swap_button.setEnabled(ok)

    def _update_new_start(self) -> None:
        a = self.acquisition
        if a is None:
            return
        shift = self.shift_spin.value()
        self.move_button.setEnabled(bool(self.perms and self.perms.can_move and shift != 0.0))
        self.new_start.setText(f"new start {utc_text(a.start + timedelta(seconds=shift))}"
                               if shift else "+ = later, − = earlier")

    def _on_lock_chosen(self, index: int) -> None:
        level = self.lock_combo.itemData(index)
        if self.acquisition is not None and level != self.acquisition.lock_level.value:
            self._emit_lock(level)

    def _emit_lock(self, level: str) -> None:
        if self.acquisition is not None:
            self.lockRequested.emit([self.acquisition.id], level)

    def _on_delete(self) -> None:
        if self.acquisition is not None:
            self.deleteRequested.emit([self.acquisition.id])

    def _on_move(self) -> None:
        if self.acquisition is not None and self.shift_spin.value() != 0.0:
            self.moveRequested.emit(self.acquisition.id, float(self.shift_spin.value()))

    def _on_swap(self) -> None:
        opp = self.swap_combo.currentData()
        if self.acquisition is not None and opp:
            self.swapRequested.emit(self.acquisition.id, opp)
