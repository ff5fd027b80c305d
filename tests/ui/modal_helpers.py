"""Answering the modal dialogs a main-window test opens (shared by the window tests)."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


def answer_modal(handle) -> None:
    """Run ``handle(dialog)`` on the next modal dialog as soon as it is shown."""
    def poll():
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            QtCore.QTimer.singleShot(20, poll)
            return
        handle(dialog)
    QtCore.QTimer.singleShot(20, poll)
