"""What bars say beyond their colour (issue 15): lock level by pattern, overlapping conflicts
side by side with a red outline, close bars with a count."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6 import QtGui
from PySide6.QtTest import QTest

from app.domain import Acquisition
from app.domain.enums import LockLevel
from app.ui.palette import BAR_COLOURS, CONFLICT_OUTLINE, BarCategory
from app.ui.timeline_bars import BAR_BOTTOM, BAR_TOP, _overlap_lanes
from app.ui.timeline_view import TimelineView

UTC = timezone.utc
T0 = datetime(2026, 8, 13, 9, 0, tzinfo=UTC)


def acq(i, sat, minutes, dur=120, lock=LockLevel.NONE):
    start = T0 + timedelta(minutes=minutes)
    return Acquisition(id=f"acq_{i:012d}", workspace_id="ws", satellite_id=sat, target_id=f"T{i}",
                       start=start, end=start + timedelta(seconds=dur), roll_deg=1.0,
                       lock_level=lock)


@pytest.fixture
def view(qtbot):
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(900, 300)
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.set_rows(["A", "B", "C"])
    v.set_acquisitions([acq(1, "A", 10, lock=LockLevel.SOFT), acq(2, "A", 30, lock=LockLevel.HARD),
                        acq(3, "B", 20, dur=300), acq(4, "B", 22, dur=300),
                        acq(5, "C", 0), acq(6, "C", 1), acq(7, "C", 2)],
                       conflict_ids={"acq_000000000003", "acq_000000000004"})
    v.zoom_to(T0, T0 + timedelta(hours=1))
    qtbot.wait(10)
    return v


def _colours_in(view, minutes_from, minutes_to, row, y_frac=0.5):
    img = view.plot.grab().toImage()
    ratio = view.plot.devicePixelRatioF()
    out = set()
    for m in np.linspace(minutes_from, minutes_to, 40):
        p = view.map_to_widget(T0 + timedelta(minutes=float(m)), row + y_frac)
        for dy in range(-3, 4):
            out.add(QtGui.QColor(img.pixel(int(p.x() * ratio), int((p.y() + dy) * ratio))).name())
    return out


def test_lock_level_reads_without_colour(view):
    soft = _colours_in(view, 10.2, 11.8, 0)
    hard = _colours_in(view, 30.2, 31.8, 0)
    # Each lock level carries its pattern's own ink over the fill…
    assert "#39424d" in soft and BAR_COLOURS[BarCategory.SOFT_LOCKED][0] in soft
    assert "#ffffff" in hard and BAR_COLOURS[BarCategory.FROZEN][0] in hard
    # …so in greyscale the two are still told apart: they differ in their set of grey levels.
    grey = lambda names: {QtGui.QColor(n).lightness() // 16 for n in names}  # noqa: E731
    assert grey(soft) != grey(hard)


def test_overlapping_conflicts_are_drawn_side_by_side_with_a_red_outline(view):
    top = _colours_in(view, 21.0, 21.8, 1, y_frac=BAR_TOP + 0.08)
    bottom = _colours_in(view, 23.0, 24.5, 1, y_frac=BAR_BOTTOM - 0.08)
    red = BAR_COLOURS[BarCategory.CONFLICT][0]
    assert red in top and red in bottom
    # The first bar holds the upper half only: below it (before the second starts) is background.
    below_first = _colours_in(view, 20.3, 21.7, 1, y_frac=BAR_BOTTOM - 0.08)
    assert red not in below_first
    outline = _colours_in(view, 20.0, 27.0, 1, y_frac=(BAR_TOP + BAR_BOTTOM) / 2)
    assert CONFLICT_OUTLINE in outline


def test_bars_too_close_to_tell_apart_show_how_many(view, qtbot):
    view.zoom_preset("week")
    view.plot.grab()
    assert view.bars.last_paint_stats.get("counted", 0) >= 2  # the three on C, the two conflicts on B


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(1, 200), st.integers(0, 3)), max_size=40))
def test_overlap_lanes_alternate_within_each_run_of_overlapping_bars(bars):
    s = np.array([b[0] for b in bars], dtype=float)
    e = s + np.array([b[1] for b in bars], dtype=float)
    r = np.array([b[2] for b in bars], dtype=np.int64)
    lane = _overlap_lanes(s, e, r)
    for i in range(len(bars)):
        overlaps = [j for j in range(len(bars)) if j != i and r[j] == r[i] and s[j] < e[i] and s[i] < e[j]]
        if overlaps:
            assert lane[i] in (0, 1)
        else:
            # Alone unless chained into a run through others (then it has a lane too).
            assert lane[i] in (-1, 0, 1)
    # Two bars that overlap only each other never share a lane.
    for i in range(len(bars)):
        for j in range(i + 1, len(bars)):
            if r[i] == r[j] and s[j] < e[i] and s[i] < e[j]:
                others = [k for k in range(len(bars)) if k not in (i, j) and r[k] == r[i]
                          and s[k] < max(e[i], e[j]) and min(s[i], s[j]) < e[k]]
                if not others:
                    assert lane[i] != lane[j]
