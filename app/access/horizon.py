"""The time span of an access computation."""
from __future__ import annotations

from datetime import datetime

from app.domain.errors import ValidationError
from app.domain.times import parse_utc, to_epoch


def check_horizon(start: datetime, end: datetime) -> tuple[float, float]:
    """POSIX seconds of ``start`` and ``end`` (aware datetimes, ``end`` after ``start``)."""
    t0 = to_epoch(parse_utc(start, "start"))
    t1 = to_epoch(parse_utc(end, "end"))
    if t1 <= t0:
        raise ValidationError("end", "must be after start")
    return t0, t1
