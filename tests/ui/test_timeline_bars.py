"""The batched bar item: vectorised hit tests agree with a plain loop; merging keeps the union;
paint() draws only what is exposed."""
from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PySide6 import QtCore, QtGui, QtWidgets

from app.ui.palette import BarCategory
from app.ui.timeline_bars import BAR_BOTTOM, BAR_TOP, TimelineBars, _merge_per_pixel

bars_strategy = st.lists(
    st.tuples(st.floats(0, 10_000), st.floats(0, 300), st.integers(0, 5)), min_size=0, max_size=60)


def make(bars):
    item = TimelineBars()
    start = np.array([b[0] for b in bars], dtype=float)
    end = start + np.array([b[1] for b in bars], dtype=float)
    row = np.array([b[2] for b in bars], dtype=np.int32)
    ids = [f"acq_{i}" for i in range(len(bars))]
    item.set_bars(ids, start, end, row, np.zeros(len(bars), dtype=np.int8),
                  np.zeros(len(bars), dtype=bool), ids, 6)
    return item


@settings(max_examples=40, deadline=None)
@given(bars_strategy, st.floats(0, 10_000), st.floats(0, 2_000), st.floats(0, 6), st.floats(0, 3),
       st.floats(0, 50))
# A bar widened to end exactly at x0 (0.1 + 0.2 == 0.30000000000000004 > 0.30000000000000004 - 0.2): the
# vectorised search once started after it. Both sides do the same float operations, so the sets agree exactly.
@example([(0.1, 0.0, 0)], 0.1 + 0.2, 1.0, 0.0, 3.0, 0.2)
def test_rect_hit_test_matches_a_plain_loop(bars, x0, w, y0, h, min_w):
    item = make(bars)
    got = {item.ids[i] for i in item.indices_in_rect(x0, x0 + w, y0, y0 + h, min_w)}
    want = set()
    for i, (s, d, r) in enumerate(bars):
        e = max(s + d, s + min_w)
        if e >= x0 and s <= x0 + w and r + BAR_BOTTOM >= y0 and r + BAR_TOP <= y0 + h:
            want.add(f"acq_{i}")
    assert got == want


def test_point_hit_test_respects_the_bar_height():
    item = make([(100.0, 50.0, 2)])
    assert item.index_at(120.0, 2.5) == 0
    assert item.index_at(120.0, 2.05) is None  # above the bar, inside its row
    assert item.index_at(160.0, 2.5) is None
    assert item.index_at(160.0, 2.5, min_width=70.0) == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 40), st.integers(0, 3)), min_size=1, max_size=80),
       st.floats(0.5, 20))
def test_merge_per_pixel_covers_the_same_pixels(bars, px):
    s = np.array([b[0] for b in bars])
    e = s + np.array([b[1] for b in bars])
    r = np.array([b[2] for b in bars])
    ms, me, mr, counts = _merge_per_pixel(s, e, r, 0.0, px)
    assert counts.sum() == len(s)
    assert len(ms) <= len(s)

    def pixels(starts, ends, rows):
        out = set()
        for a, b, row in zip(starts, ends, rows):
            for c in range(int(np.floor(a / px + 1e-9)), int(np.floor(b / px - 1e-9)) + 1):
                out.add((int(row), c))
        return out

    original = pixels(s, e, r)
    merged = pixels(ms, me, mr)
    assert original <= merged
    # Merging never paints a pixel column that no original bar touched (beyond rounding).
    assert len(merged - original) <= len(ms)


def test_paint_draws_only_the_exposed_range(qapp):
    starts = np.arange(0, 100_000, 100.0)  # 1,000 bars, one every 100 s
    item = TimelineBars()
    ids = [f"a{i}" for i in range(len(starts))]
    item.set_bars(ids, starts, starts + 20, np.zeros(len(starts), dtype=np.int32),
                  np.full(len(starts), BarCategory.COMMITTED, dtype=np.int8),
                  np.zeros(len(starts), dtype=bool), ids, 1)
    scene = QtWidgets.QGraphicsScene()
    scene.addItem(item)
    img = QtGui.QImage(1000, 100, QtGui.QImage.Format.Format_ARGB32)
    img.fill(QtGui.QColor("white"))
    painter = QtGui.QPainter(img)
    # Render seconds 10,000..20,000 of row 0 into the image.
    scene.render(painter, QtCore.QRectF(0, 0, 1000, 100), QtCore.QRectF(10_000, 0, 10_000, 1),
                 QtCore.Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.end()
    assert 99 <= item.last_paint_stats["exposed"] <= 103
    on_bar = QtGui.QColor(img.pixel(11, 50))   # the bar at 10,100..10,120 s → x 10..13 px
    between = QtGui.QColor(img.pixel(56, 50))  # 10,560 s: between two bars
    assert on_bar.green() > on_bar.red() and on_bar != QtGui.QColor("white")
    assert between == QtGui.QColor("white")
