"""Time passing (spec §10): what the clock does to an acquisition when it reaches ``now``.

One rule, used by the store that applies it and by the tests that check it:

* start < now                                   → ``executing`` (and hard-locked: it is in flight);
* now ≤ start < now + freeze_window_hours       → hard lock (the frozen zone);
* now + freeze ≤ start < now + soft_lock_window → at least soft lock;
* anything later, or already executing/completed/failed → unchanged.

Promotion only raises: a lock is never lowered, nothing is moved or deleted.
"""
from __future__ import annotations

import math

import re
from datetime import datetime, timedelta

from .enums import IMMUTABLE_STATES, AcquisitionState, LockLevel
from .errors import ValidationError
from .schedule import Acquisition

_RANK = {LockLevel.NONE: 0, LockLevel.SOFT: 1, LockLevel.HARD: 2}

#: Name of the actor recorded in the audit trail for what time passing changes.
CLOCK_ACTOR = "clock"


def promotion(a: Acquisition, now: datetime, freeze_hours: float,
              soft_hours: float) -> tuple[AcquisitionState, LockLevel] | None:
    """The (state, lock level) ``a`` must have at ``now``, or None when time passing leaves it as it is.

    ``freeze_hours`` and ``soft_hours`` are the workspace's ``freeze_window_hours`` and
    ``soft_lock_window_hours``, both measured from ``now`` (the soft window ends at now + soft_hours).
    """
    if a.state in IMMUTABLE_STATES:
        return None
    if a.start_time < now:
        return AcquisitionState.EXECUTING, LockLevel.HARD
    if a.start_time < now + timedelta(hours=freeze_hours):
        wanted = LockLevel.HARD
    elif a.start_time < now + timedelta(hours=soft_hours):
        wanted = LockLevel.SOFT
    else:
        return None
    if _RANK[a.lock_level] >= _RANK[wanted]:
        return None
    # Locking a tentative acquisition makes it ``locked`` (seed 001 Q2), as a planner's lock does.
    state = AcquisitionState.LOCKED if a.state == AcquisitionState.TENTATIVE else a.state
    return state, wanted


def promotion_horizon(now: datetime, freeze_hours: float, soft_hours: float) -> datetime:
    """Acquisitions starting at or after this instant are never touched by time passing at ``now``."""
    return now + timedelta(hours=max(freeze_hours, soft_hours))


_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([dhms])")
_UNITS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
#: Longest single clock step accepted (a step is an operator's action, not a migration).
MAX_STEP = timedelta(days=366)


def parse_duration(text: object, field: str = "step") -> timedelta:
    """A signed duration like ``6h``, ``90m``, ``1d12h``, ``-3h``, ``45s`` or ISO 8601 ``PT6H``.

    Units: d (days), h (hours), m (minutes), s (seconds). Zero and steps over a year are refused.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValidationError(field, f"a duration like 6h, 90m or 1d12h is required, got {text!r}")
    raw = text.strip().lower()
    sign = 1.0
    if raw[0] in "+-":
        sign = -1.0 if raw[0] == "-" else 1.0
        raw = raw[1:].strip()
    if raw.startswith("p"):  # ISO 8601: P1DT6H30M
        raw = raw[1:].replace("t", "")
    pos, seconds = 0, 0.0
    for m in _PART.finditer(raw):
        if raw[pos:m.start()].strip():
            break
        seconds += float(m.group(1)) * _UNITS[m.group(2)]
        pos = m.end()
    if pos == 0 or raw[pos:].strip():
        raise ValidationError(field, f"not a duration: {text!r} (use e.g. 6h, 90m, 1d12h, -3h)")
    if not math.isfinite(seconds) or seconds > MAX_STEP.total_seconds():
        # checked before timedelta(), which overflows on 1e20d instead of naming the field
        raise ValidationError(field, f"steps of more than {MAX_STEP.days} days are refused, got {text!r}")
    step = timedelta(seconds=sign * seconds)
    if step == timedelta(0):
        raise ValidationError(field, "a step of zero does not move the clock")
    if abs(step) > MAX_STEP:
        raise ValidationError(field, f"steps are limited to {MAX_STEP.days} days, got {text!r}")
    return step
