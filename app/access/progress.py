"""Progress reporting and cancellation of long access computations (the GUI shows the former and
may ask for the latter; tests drive both synchronously)."""
from __future__ import annotations

from app.domain.progress import CancelCheck, Cancelled
from app.domain.progress import FractionProgress as ProgressCallback

__all__ = ["CancelCheck", "Cancelled", "Monitor", "ProgressCallback"]


class Monitor:
    """Relays progress as a fraction in [0, 1] that never decreases, and polls the cancel check."""

    def __init__(self, progress: ProgressCallback | None, cancel: CancelCheck | None, task: str) -> None:
        self._progress = progress
        self._cancel = cancel
        self._task = task
        self._last = 0.0

    def check(self) -> None:
        """Raise Cancelled if the caller asked to stop."""
        if self._cancel is not None and self._cancel():
            raise Cancelled(f"{self._task} cancelled")

    def report(self, fraction: float, message: str) -> None:
        """Report ``fraction`` (clamped to [0, 1], never below the last one) with a message."""
        self._last = max(self._last, min(1.0, max(0.0, fraction)))
        if self._progress is not None:
            self._progress(self._last, message)
