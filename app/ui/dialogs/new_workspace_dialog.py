"""File ▸ New workspace: a name, a horizon, and whether to take the current workspace's
satellites, targets and ground stations (next week's planning) or start empty."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6 import QtWidgets

from app.domain import DomainError, parse_utc
from app.domain.times import to_iso

from .validation import error_label, field_with_error, mark, ok_cancel


class NewWorkspaceDialog(QtWidgets.QDialog):
    """``result_dict()``: ``{"name", "horizon_start", "horizon_days", "copy_from"}`` (copy_from None
    for an empty workspace). Create stays disabled while a field is wrong; the reason shows under it."""

    def __init__(self, taken_names: Sequence[str], current: str, horizon_start: datetime,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Workspace")
        self.setModal(True)
        self._taken = set(taken_names)
        self._current = current
        self.name = QtWidgets.QLineEdit()
        self.name.setPlaceholderText("e.g. week 34")
        self.start = QtWidgets.QLineEdit(to_iso(horizon_start))
        self.days = QtWidgets.QDoubleSpinBox()
        self.days.setRange(0.25, 60.0)
        self.days.setDecimals(2)
        self.days.setValue(7.0)
        self.days.setSuffix(" days")
        self.copy = QtWidgets.QCheckBox(f"Take satellites, targets, ground stations and settings from “{current}”")
        self.copy.setChecked(True)
        self.error_labels = {"name": error_label(), "horizon_start": error_label()}
        form = QtWidgets.QFormLayout()
        form.addRow("Name", field_with_error(self.name, self.error_labels["name"]))
        form.addRow("Horizon start (UTC)", field_with_error(self.start, self.error_labels["horizon_start"],
                                                            "ISO 8601 with Z, e.g. 2026-08-17T00:00:00Z; "
                                                            "also the workspace's clock"))
        form.addRow("Horizon length", self.days)
        form.addRow("", self.copy)
        self.buttons, self.ok_button = ok_cancel(self, "Create Workspace")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._validate)
        self.start.textChanged.connect(self._validate)
        self._validate()

    def errors(self) -> dict[str, str]:
        errors = {}
        name = self.name.text().strip()
        if not name:
            errors["name"] = "a name is required"
        elif name in self._taken:
            errors["name"] = f"a workspace named {name!r} already exists"
        try:
            parse_utc(self.start.text().strip(), "horizon_start")
        except DomainError as exc:
            errors["horizon_start"] = getattr(exc, "reason", str(exc))
        return errors

    def _validate(self) -> None:
        errors = self.errors()
        mark(self.name, self.error_labels["name"], errors.get("name", ""))
        mark(self.start, self.error_labels["horizon_start"], errors.get("horizon_start", ""))
        self.ok_button.setEnabled(not errors)

    def result_dict(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "horizon_start": self.start.text().strip(),
                "horizon_days": self.days.value(), "copy_from": self._current if self.copy.isChecked() else None}
