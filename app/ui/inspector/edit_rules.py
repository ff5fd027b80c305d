"""What the Inspector lets a planner try on one acquisition, and why not (spec section 10).

This only decides which controls are enabled and the reason shown next to a disabled one; the
services remain the authority and their refusals are shown as they come (``show_message``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.domain import Acquisition, Order
from app.domain.enums import LockLevel

from ..formatting import utc_text


@dataclass(frozen=True, slots=True)
class EditPermissions:
    can_move: bool
    move_reason: str
    can_delete: bool
    delete_reason: str
    can_change_lock: bool
    lock_reason: str
    #: Allowed start shift in seconds (soft lock: inside the order window); None = unbounded.
    min_shift_s: float | None = None
    max_shift_s: float | None = None
    same_satellite_only: bool = False


def permissions(a: Acquisition, order: Order | None = None,
                freeze_cutoff: datetime | None = None) -> EditPermissions:
    """Which edits of ``a`` the planner may try, with a reason in words for each refused one."""
    if a.immutable:
        why = f"{a.state.value}: executing, completed and failed acquisitions never change"
        return EditPermissions(False, why, False, why, False, why)
    if freeze_cutoff is not None and a.start_time < freeze_cutoff:
        why = (f"In the frozen zone (starts before {utc_text(freeze_cutoff, seconds=False)}): "
               "it will not be moved or deleted")
        return EditPermissions(False, why, False, why, True, "")
    if a.lock_level == LockLevel.HARD:
        return EditPermissions(False, "Hard-locked: unlock it first to move it", False,
                               "Hard-locked: unlock it first to delete it", True, "")
    lo = hi = None
    if order is not None:
        if order.requested_window_start is not None:
            lo = (order.requested_window_start - a.start_time).total_seconds()
        if order.requested_window_end is not None:
            hi = (order.requested_window_end - a.end_time).total_seconds()
    if freeze_cutoff is not None:
        earliest = (freeze_cutoff - a.start_time).total_seconds()
        lo = earliest if lo is None else max(lo, earliest)
    if a.lock_level == LockLevel.SOFT:
        return EditPermissions(True, "Soft-locked: may move only inside its order window, same satellite",
                               False, "Soft-locked: unlock it first to delete it", True, "",
                               lo, hi, same_satellite_only=True)
    return EditPermissions(True, "", True, "", True, "", lo, hi)
