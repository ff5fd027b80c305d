"""The one progress/cancel vocabulary of long runs (access, planning, explain, AEOSSP cases): a run
polls a ``CancelCheck`` and raises ``Cancelled`` (nothing partial is returned); it reports either a
fraction in [0, 1] with a message (``FractionProgress``) or done/total with a message
(``CountProgress``, the signature of ``app.workers.jobs.JobState.progress``). No Qt: the workers
layer adapts these to signals."""
from __future__ import annotations

from collections.abc import Callable

#: ``cancel()`` → True when the caller wants the run stopped.
CancelCheck = Callable[[], bool]
#: ``progress(fraction, message)``, fraction in [0, 1].
FractionProgress = Callable[[float, str], None]
#: ``progress(done, total, message)``.
CountProgress = Callable[[float, float, str], None]


class Cancelled(Exception):
    """Raised inside a run when its cancel check returned True; nothing partial is returned."""
