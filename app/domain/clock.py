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

from . import limits
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
    if a.start < now:
        return AcquisitionState.EXECUTING, LockLevel.HARD
    if a.start < now + timedelta(hours=freeze_hours):
        wanted = LockLevel.HARD
    elif a.start < now + timedelta(hours=soft_hours):
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


def clock_bounds(horizon_start: datetime | None, horizon_end: datetime | None,
                 previous: datetime | None = None) -> tuple[datetime, datetime] | None:
    """The earliest and latest scenario clock a workspace accepts: its horizon widened by
    ``limits.MAX_CLOCK_OUTSIDE_HORIZON_DAYS`` on each side (a workspace without a horizon: around
    its ``previous`` clock). None when there is nothing to anchor to."""
    lo = horizon_start or horizon_end or previous
    hi = horizon_end or horizon_start or previous
    if lo is None or hi is None:
        return None
    margin = timedelta(days=limits.MAX_CLOCK_OUTSIDE_HORIZON_DAYS)
    return lo - margin, hi + margin


def _date(dt: datetime) -> str:
    return dt.strftime("%a %d %b %Y %H:%MZ")


def check_clock(clock: datetime, horizon_start: datetime | None, horizon_end: datetime | None,
                previous: datetime | None = None, field: str = "clock") -> None:
    """Refuse (ValidationError naming ``field``) a scenario clock outside ``clock_bounds``: one line
    saying how far outside the horizon it is and how to move on (advance the horizon)."""
    bounds = clock_bounds(horizon_start, horizon_end, previous)
    if bounds is None or bounds[0] <= clock <= bounds[1]:
        return
    margin = limits.MAX_CLOCK_OUTSIDE_HORIZON_DAYS
    if clock > bounds[1]:
        edge = horizon_end or horizon_start or previous
        days = math.ceil((clock - edge) / timedelta(days=1))  # type: ignore[operator]
        side, verb = "after", "ends"
    else:
        edge = horizon_start or horizon_end or previous
        days = math.ceil((edge - clock) / timedelta(days=1))  # type: ignore[operator]
        side, verb = "before", "starts"
    if horizon_start or horizon_end:
        where = f"{days:,} days {side} the workspace's horizon {verb} ({_date(edge)})"  # type: ignore[arg-type]
        rule = f"the clock may be at most {margin} days outside the horizon"
        if side == "after":
            rule += " (advance the horizon to go further)"
    else:
        where = f"{days:,} days {side} the workspace's clock ({_date(edge)})"  # type: ignore[arg-type]
        rule = f"the clock may move at most {margin} days from it"
    raise ValidationError(field, f"{_date(clock)} is {where}; {rule}")
