"""Inline validation helpers: a red border on the field and the reason right next to it; the
OK / Cancel row whose OK button a dialog enables only while its fields are valid."""
from __future__ import annotations

from PySide6 import QtWidgets


def error_label() -> QtWidgets.QLabel:
    lbl = QtWidgets.QLabel()
    lbl.setProperty("role", "fieldError")
    lbl.setWordWrap(True)
    lbl.hide()
    return lbl


def field_with_error(widget: QtWidgets.QWidget, error: QtWidgets.QLabel,
                     hint: str = "") -> QtWidgets.QWidget:
    """The field, an optional grey hint, then its error line, stacked."""
    box = QtWidgets.QWidget()
    lay = QtWidgets.QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(1)
    lay.addWidget(widget)
    if hint:
        h = QtWidgets.QLabel(hint)
        h.setProperty("role", "hint")
        h.setWordWrap(True)
        lay.addWidget(h)
    lay.addWidget(error)
    return box


def mark(widget: QtWidgets.QWidget, error: QtWidgets.QLabel, message: str) -> None:
    """Show ``message`` under ``widget`` (empty clears) and flag the widget for the style sheet."""
    invalid = bool(message)
    if widget.property("invalid") != invalid:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
    error.setText(message)
    error.setVisible(invalid)


def optional_float(text: str) -> float | str | None:
    """``""`` → None; a number → float; anything else is returned as is for the domain to refuse."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def ok_cancel(dialog: QtWidgets.QDialog, ok_text: str) -> tuple[QtWidgets.QDialogButtonBox, QtWidgets.QPushButton]:
    """The dialog's OK / Cancel buttons wired to accept / reject, OK labelled ``ok_text``."""
    buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Ok
                                         | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
