"""What the Inspector lets a planner try on one acquisition, and why not (spec section 10): the
domain's own rules (``app.domain.edit_rules.permissions``), so the Inspector says exactly what the
database would say. The services remain the authority; their refusals are shown as they come."""
from __future__ import annotations

from datetime import datetime

from app.domain import Acquisition, Order
from app.domain.edit_rules import EditContext, EditPermissions
from app.domain.edit_rules import permissions as _permissions
from app.domain.times import UTC

__all__ = ["EditPermissions", "permissions"]

#: No frozen zone known: a cutoff before any acquisition.
_NO_CUTOFF = datetime(1970, 1, 1, tzinfo=UTC)


def permissions(a: Acquisition, order: Order | None = None,
                freeze_cutoff: datetime | None = None) -> EditPermissions:
    """Which edits of ``a`` the planner may try, with a reason in words for each refused one."""
    cutoff = freeze_cutoff or _NO_CUTOFF
    return _permissions(a, EditContext(cutoff, cutoff, order.requested_window_start if order else None,
                                       order.requested_window_end if order else None))
