"""Each rule once (issue #10 item 3): the Inspector's preview (``domain.edit_rules.permissions``)
says exactly what the database says when the edit is tried, and the one order-window check."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import RuleViolation, ValidationError
from app.domain.edit_rules import EditContext, permissions
from app.domain.orders import inside_window
from app.domain.wording import plain_reason
from app.persistence import BulkEditRefused

from .helpers import NOW, T0, committed


@pytest.mark.parametrize("lock, frozen", [("none", False), ("soft", False), ("hard", False), ("none", True),
                                          ("hard", True)])
def test_the_preview_says_what_the_database_says(db, ws, lock, frozen):
    start = NOW + timedelta(hours=1) if frozen else T0  # the fixture's frozen zone: 2 h from NOW
    _, acqs, _ = committed(db, ws.id, n=1, lock_level=lock, start=start)
    a = acqs[0]
    cutoff = NOW + timedelta(hours=ws.settings.freeze_window_hours)
    perms = permissions(a, EditContext(NOW, cutoff))
    try:
        db.update_acquisition(a.id, {"roll_deg": a.roll_deg + 1.0}, expected_version=a.version)
        said = ""
    except (RuleViolation, ValidationError) as exc:
        said = plain_reason(a.id, exc.reason)
    assert perms.move_reason == said and perms.can_move == (not said)
    try:
        db.delete_acquisitions([a.id])
        said = ""
    except BulkEditRefused as exc:
        said = plain_reason(a.id, exc.refused[a.id])
    assert perms.delete_reason == said and perms.can_delete == (not said)


_times = st.datetimes(min_value=T0.replace(tzinfo=None), max_value=(T0 + timedelta(days=2)).replace(tzinfo=None))


@given(_times, st.integers(0, 3600), st.one_of(st.none(), _times), st.one_of(st.none(), _times))
def test_one_order_window_check(start, length, lo, hi):
    utc = T0.tzinfo
    s, e = start.replace(tzinfo=utc), start.replace(tzinfo=utc) + timedelta(seconds=length)
    lo = lo.replace(tzinfo=utc) if lo else None
    hi = hi.replace(tzinfo=utc) if hi else None
    assert inside_window(s, e, lo, hi) == ((lo is None or s >= lo) and (hi is None or e <= hi))
