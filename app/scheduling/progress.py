"""Progress and cancellation hooks of long runs (no Qt: the workers layer adapts them)."""
from __future__ import annotations

from collections.abc import Callable

#: ``progress(done, total, text)``, the signature of ``app.workers.jobs.JobState.progress``.
Progress = Callable[[float, float, str], None]

#: ``cancel()`` → True when the caller wants the run stopped.
CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """Raised inside a run when its cancel check returned True; nothing partial is returned."""
