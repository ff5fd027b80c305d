"""What each part of the main window (edits, the planning flow, the worker views) shares: the window
it works on, the window's session, and a message in its status bar."""
from __future__ import annotations


class WindowPart:
    def __init__(self, window) -> None:
        self.w = window

    @property
    def session(self):
        return self.w.session

    def _status(self, text: str, ms: int = 0) -> None:
        """``text`` in the status bar for ``ms`` milliseconds (0: until the next message)."""
        self.w.statusBar().showMessage(text, ms)
