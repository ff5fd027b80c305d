"""Commit Plan: confirm, choose the lock level, and name every error conflict explicitly."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6 import QtCore, QtWidgets

from app.domain import Conflict
from app.domain.enums import LockLevel, Severity

from ..conflicts_view import TYPE_LABELS
from ..formatting import without_ids
from ..resources import icon
from .validation import ok_cancel

LOCK_HELP = {
    LockLevel.NONE: "none: later planning may move them",
    LockLevel.SOFT: "soft: may move only within their order windows, never dropped",
    LockLevel.HARD: "hard: never moved or deleted until unlocked",
}


class CommitDialog(QtWidgets.QDialog):
    """``result_dict()``: ``{"lock_level", "confirmed_error_conflicts": [ids]}``.

    With error conflicts, the Commit button stays disabled until the planner ticks the box
    that names how many there are (spec §11: an explicit confirmation that names them).
    """

    def __init__(self, item_count: int, conflicts: Sequence[Conflict] = (), plan_label: str = "",
                 default_lock: LockLevel | str = LockLevel.NONE, superseded_count: int = 0,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Commit Plan")
        self.setModal(True)
        self.errors = [c for c in conflicts if c.severity == Severity.ERROR]
        others = [c for c in conflicts if c.severity != Severity.ERROR]

        what = f"Commit {item_count} acquisition{'s' if item_count != 1 else ''}"
        if plan_label:
            what += f" from {plan_label}"
        head = QtWidgets.QLabel(what + "?")
        head.setProperty("role", "title")
        lines = ["They become committed acquisitions and their orders leave the Inbox."]
        if superseded_count:
            lines.append(f"{superseded_count} existing acquisition{'s' if superseded_count != 1 else ''} "
                         "will be superseded (hard-locked ones never are).")
        body = QtWidgets.QLabel(" ".join(lines))
        body.setWordWrap(True)

        self.lock_level = QtWidgets.QComboBox()
        for level in LockLevel:
            self.lock_level.addItem(LOCK_HELP[level], level.value)
        self.lock_level.setCurrentIndex(self.lock_level.findData(str(LockLevel(default_lock))))
        lock_row = QtWidgets.QFormLayout()
        lock_row.addRow("Lock level", self.lock_level)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(body)
        layout.addLayout(lock_row)

        self.error_list = QtWidgets.QListWidget()
        self.confirm = QtWidgets.QCheckBox()
        if self.errors:
            warn = QtWidgets.QLabel(f"<b>This plan has {len(self.errors)} error conflict"
                                    f"{'s' if len(self.errors) != 1 else ''}</b>: committing it schedules "
                                    "acquisitions that cannot all be executed.")
            warn.setWordWrap(True)
            warn.setStyleSheet("color: #b42318;")
            for c in self.errors:
                item = QtWidgets.QListWidgetItem(icon("error"), f"{TYPE_LABELS.get(c.type.value, c.type.value)}: "
                                                 f"{without_ids(c.description, 'an acquisition')}")
                # Ids only in the tooltip (a planner reads names; support staff may need the ids).
                item.setToolTip(f"{c.id}\nacquisitions: {', '.join(c.acquisition_ids)}")
                item.setData(QtCore.Qt.ItemDataRole.UserRole, c.id)
                self.error_list.addItem(item)
            self.error_list.setMaximumHeight(24 * min(len(self.errors), 6) + 8)
            self.confirm.setText(f"Commit anyway, with these {len(self.errors)} error conflict"
                                 f"{'s' if len(self.errors) != 1 else ''}")
            layout.addWidget(warn)
            layout.addWidget(self.error_list)
            layout.addWidget(self.confirm)
        else:
            self.error_list.hide()
            self.confirm.hide()
        if others:
            note = QtWidgets.QLabel(f"{len(others)} warning/info conflict{'s' if len(others) != 1 else ''} "
                                    "will remain listed in Conflicts.")
            note.setProperty("role", "hint")
            layout.addWidget(note)

        self.buttons, self.commit_button = ok_cancel(self, "Commit")
        layout.addWidget(self.buttons)
        self.confirm.toggled.connect(self._update)
        self._update()
        self.setMinimumWidth(520)

    def error_conflict_ids(self) -> list[str]:
        return [c.id for c in self.errors]

    def result_dict(self) -> dict[str, Any]:
        return {"lock_level": self.lock_level.currentData(),
                "confirmed_error_conflicts": self.error_conflict_ids() if self.confirm.isChecked() else []}

    def accept(self) -> None:
        if self.errors and not self.confirm.isChecked():
            return
        super().accept()

    def _update(self, *_args) -> None:
        self.commit_button.setEnabled(not self.errors or self.confirm.isChecked())
