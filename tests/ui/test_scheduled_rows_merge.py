"""Rows a commit adds to the Scheduled list are put in their places by binary search
(``scheduled_view._merged``): the same list a sort of the whole group gives."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from app.ui.scheduled_view import _merged

T0 = datetime(2026, 8, 10, tzinfo=timezone.utc)
rows = st.lists(st.tuples(st.integers(0, 50), st.integers(0, 10**6)), unique_by=lambda r: r[1], max_size=40)


def _acq(minute: int, key: int) -> SimpleNamespace:
    return SimpleNamespace(start=T0 + timedelta(minutes=minute), id=f"acq_{key:07d}")


@given(rows, rows)
def test_merged_rows_are_the_sorted_group_and_earlier_rows_keep_their_places(old, new):
    new = [r for r in new if r[1] not in {k for _, k in old}]
    existing = sorted((_acq(*r) for r in old), key=lambda a: (a.start, a.id))
    added = [_acq(*r) for r in new]
    merged, first = _merged(existing, added)
    assert merged == sorted(existing + added, key=lambda a: (a.start, a.id))
    assert merged[:first] == existing[:first]
    if added:
        assert merged[first] in added
