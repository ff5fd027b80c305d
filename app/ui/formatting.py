"""Text shown to planners: UTC times, durations, signed angles with their sign convention."""
from __future__ import annotations

from datetime import datetime

from app.domain import Order
from app.domain.times import UTC
# The planner's words live below the GUI so the CLI says the same; re-exported for the views.
from app.domain.wording import (acquisition_name, day_time, group_refusals, item_name, order_name,  # noqa: F401
                                plural, refusals_text, shift, signed_duration, time_span, without_ids)

#: Spec section 4 sign convention, quoted wherever angles are shown.
SIGN_CONVENTION = "roll + = right of ground track, pitch + = forward"


def utc_text(dt: datetime | None, seconds: bool = True) -> str:
    """``2026-08-07 09:15:26Z`` (or ``—`` for None). Always UTC, whatever the machine's zone."""
    if dt is None:
        return "—"
    fmt = "%Y-%m-%d %H:%M:%SZ" if seconds else "%Y-%m-%d %H:%MZ"
    return dt.astimezone(UTC).strftime(fmt)


def short_utc_text(dt: datetime | None) -> str:
    """``07 Aug 09:15:26`` for dense lists (UTC; the year is the horizon's)."""
    return "—" if dt is None else dt.astimezone(UTC).strftime("%d %b %H:%M:%S")


def duration_text(seconds: float) -> str:
    """``12 s``, ``4 min 05 s``, ``42 h 05 min``, ``5 d 04 h``; negative ones with ``−``."""
    return signed_duration(seconds)


def roll_text(deg: float | None) -> str:
    """``+12.3° (right)``: positive roll looks right of the ground track."""
    if deg is None:
        return "—"
    side = "right" if deg > 0 else "left" if deg < 0 else "nadir"
    return f"{deg:+.2f}° ({side})"


def pitch_text(deg: float | None) -> str:
    """``+5.0° (forward)``: positive pitch looks forward along the velocity."""
    if deg is None:
        return "—"
    way = "forward" if deg > 0 else "backward" if deg < 0 else "nadir"
    return f"{deg:+.2f}° ({way})"


def number_text(value: float | None, fmt: str = ".2f", unit: str = "") -> str:
    return "—" if value is None else f"{value:{fmt}}{unit}"


def window_text(order: Order, compact: bool = False) -> str:
    """An order's requested window: ``ASAP → 2026-08-10 00:00Z``, ``… → no deadline``.
    ``compact`` for dense tables (UTC, the horizon's year): ``07 Aug 09:00 → 09 Aug 18:00``,
    whole days as ``10 Aug → 13 Aug`` (midnight to midnight), within a day ``07 Aug 09:00 → 12:30``,
    ``ASAP → open``."""
    start, end = order.requested_window_start, order.requested_window_end
    if not compact:
        return (f"{utc_text(start, seconds=False) if start else 'ASAP'} → "
                f"{utc_text(end, seconds=False) if end else 'no deadline'}")
    s = start.astimezone(UTC) if start else None
    e = end.astimezone(UTC) if end else None
    if s is not None and e is not None:
        if s.time() == e.time() == datetime.min.time():
            return f"{s:%d %b} → {e:%d %b}"
        if s.date() == e.date():
            return f"{s:%d %b %H:%M} → {e:%H:%M}"
    return f"{f'{s:%d %b %H:%M}' if s else 'ASAP'} → {f'{e:%d %b %H:%M}' if e else 'open'}"


def constraints_text(order: Order) -> str:
    """One line: ``inc ≤ 40°, RIGHT, ASC, ICEYE-X2`` (empty constraints: ``none``)."""
    c = order.constraints
    parts = []
    if c.max_incidence_deg is not None:
        parts.append(f"inc ≤ {c.max_incidence_deg:g}°")
    if c.look_side and str(c.look_side) != "ANY":
        parts.append(f"look {c.look_side}")
    if c.pass_direction and str(c.pass_direction) != "ANY":
        parts.append(f"{str(c.pass_direction)[:4].lower()}")
    if c.preferred_satellite:
        parts.append(f"sat {c.preferred_satellite}")
    if c.mode is not None:
        parts.append(str(c.mode))
    if c.sensor_type:
        parts.append(c.sensor_type)
    if c.min_sun_elevation_deg is not None:
        parts.append(f"sun ≥ {c.min_sun_elevation_deg:g}°")
    if c.duration_s is not None:
        parts.append(f"{c.duration_s:g} s")
    return ", ".join(parts) or "none"


def attempts_text(order: Order) -> str:
    """``1 failed: clouds`` for an order back in the Inbox after a failed acquisition, else empty."""
    if not order.attempt_count:
        return ""
    return f"{order.attempt_count} failed: {order.last_failure_reason or 'no reason given'}"
