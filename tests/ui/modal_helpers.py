"""Answering the modal dialogs a main-window test opens (shared by the window tests), and never
leaving one open.

A modal dialog's ``exec()`` runs its own event loop until someone answers it. A dialog nobody
answers — its handler failed, an unexpected prompt appeared, or a window closed during teardown
after a failure asks about its candidate plan — would block the whole test run forever. So a
handler that raises closes the dialog before re-raising (pytest-qt then fails the test with it),
a pending answer gives up after a timeout instead of answering some later, unrelated dialog, and
``ModalGuard`` (the ``no_stuck_modal`` fixture) closes any modal left unanswered and fails the test.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6 import QtCore, QtWidgets


class ModalAnswer:
    """What became of one ``answer_modal`` call: ``done`` once the handler ran without error."""

    def __init__(self) -> None:
        self.done = False
        self.title: str | None = None


def close_modals() -> list[str]:
    """Reject every open modal dialog, innermost first, so each ``exec()`` returns; their titles."""
    closed: list[str] = []
    for _ in range(10):  # bounded: a widget that refuses to close must not loop for ever
        widget = QtWidgets.QApplication.activeModalWidget()
        if widget is None:
            break
        closed.append(widget.windowTitle() or type(widget).__name__)
        if isinstance(widget, QtWidgets.QDialog):
            widget.reject()
        else:
            widget.close()
    return closed


def answer_modal(handle: Callable[[QtWidgets.QWidget], object], timeout: float = 30.0) -> ModalAnswer:
    """Run ``handle(dialog)`` on the next modal dialog as soon as it is shown.

    ``timeout`` (seconds): polling stops when no modal dialog appeared by then. When ``handle``
    raises, or returns with the dialog still the active modal, the dialog is closed and the error
    raised from the event loop (pytest-qt fails the test with it)."""
    answer = ModalAnswer()
    deadline = time.monotonic() + timeout

    def poll() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        if dialog is None:
            if time.monotonic() < deadline:
                QtCore.QTimer.singleShot(20, poll)
            return
        answer.title = dialog.windowTitle()
        try:
            handle(dialog)
        except BaseException:
            close_modals()
            raise
        if QtWidgets.QApplication.activeModalWidget() is dialog:
            close_modals()
            raise AssertionError(f"the handler left the dialog “{answer.title}” open; it was closed")
        answer.done = True
    QtCore.QTimer.singleShot(20, poll)
    return answer


class ModalGuard:
    """Closes any modal dialog that stays the active one for ``limit`` seconds (nobody is answering
    it) and remembers its title, so the test fails instead of waiting forever."""

    def __init__(self, limit: float = 15.0) -> None:
        self.limit = limit
        self.closed: list[str] = []
        self._current: QtWidgets.QWidget | None = None
        self._since = 0.0
        self._timer = QtCore.QTimer()
        self._timer.setInterval(250)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def _check(self) -> None:
        widget = QtWidgets.QApplication.activeModalWidget()
        if widget is not self._current:
            self._current, self._since = widget, time.monotonic()
            return
        if widget is not None and time.monotonic() - self._since > self.limit:
            self.closed += close_modals()
            self._current = None

    def stop(self) -> None:
        self._timer.stop()
