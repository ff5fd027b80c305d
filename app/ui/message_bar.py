"""The main window's status bar: its messages wrap onto a second line instead of being cut off by
the permanent figures on the right (a refusal with its reasons, a plan's summary on a 1366 px
screen); the whole text is also the message's tooltip."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets


class MessageBar(QtWidgets.QStatusBar):
    """A QStatusBar whose ``showMessage`` / ``currentMessage`` / ``clearMessage`` use a word-wrapped
    label (QStatusBar paints its own message on one line and clips it)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QtWidgets.QLabel()
        self.message.setObjectName("status_message")
        self.message.setWordWrap(True)
        self.message.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.addWidget(self.message, 1)
        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clearMessage)

    def add_first_permanent(self, widget: QtWidgets.QWidget) -> None:
        """``widget`` as the leftmost permanent widget. Qt wants permanent widgets after the normal
        ones, and the message label is the one normal widget: index 0 would be refused (and appended)."""
        self.insertPermanentWidget(1, widget)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        """``text`` until the next message, or for ``timeout`` ms."""
        self.message.setText(text)
        self.message.setToolTip(text)
        if timeout > 0:
            self._timer.start(timeout)
        else:
            self._timer.stop()

    def currentMessage(self) -> str:  # noqa: N802
        return self.message.text()

    def clearMessage(self) -> None:  # noqa: N802
        self._timer.stop()
        self.message.clear()
        self.message.setToolTip("")
