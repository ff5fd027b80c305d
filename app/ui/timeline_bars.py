"""One batched GraphicsObject drawing every acquisition bar of the timeline.

Coordinates are the ViewBox's data coordinates: x = seconds since the Unix epoch (UTC), y = row
index (row ``r`` spans ``[r, r + 1)``, drawn top-down by the inverted ViewBox). The bars live in
numpy arrays sorted by start time, so ``paint()`` finds the exposed ones with two binary searches
and draws them with one ``drawRects`` per brush: one QGraphicsItem per bar collapses at ~10⁴ bars,
this does not (pyqtgraph's BarGraphItem does the same).

Bars shorter than a few pixels are widened to ``MIN_BAR_PX`` so a 10-second acquisition stays
visible in a week view. When more bars are exposed than there are pixels, bars of one row and
category that fall in the same pixel column are merged first (they would overdraw anyway).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6 import QtCore, QtGui, QtWidgets

from .palette import (BAR_COLOURS, CONFLICT_OUTLINE, GHOST_FILL, GHOST_OUTLINE, HIGHLIGHT_OUTLINE,
                      PREVIEW_OUTLINE, SELECTION_OUTLINE, VALID_OUTLINE, BarCategory, colour)

#: Vertical extent of a bar inside its row (fractions of the row height).
BAR_TOP, BAR_BOTTOM = 0.18, 0.82
#: A bar is never drawn narrower than this many pixels.
MIN_BAR_PX = 3.0
#: Outlines and glyphs appear only when bars are at least this wide on screen.
OUTLINE_MIN_PX = 5.0
GLYPH_MIN_PX = 16.0
LABEL_MIN_PX = 46.0
#: Above this many exposed bars, text labels and glyphs are skipped (they would be unreadable).
MAX_DECORATED = 1500

_EMPTY_F = np.empty(0, dtype=np.float64)
_EMPTY_I = np.empty(0, dtype=np.int32)


class _Rects:
    """A reusable native QRectF array (pyqtgraph's PrimitiveArray: no Python object per rect)."""

    def __init__(self) -> None:
        self._array = internals.PrimitiveArray(QtCore.QRectF, 4)

    def draw(self, painter: QtGui.QPainter, x: np.ndarray, y: np.ndarray, w: np.ndarray,
             h: float | np.ndarray) -> None:
        if len(x) == 0:
            return
        self._array.resize(len(x))
        mem = self._array.ndarray()
        mem[:, 0] = x
        mem[:, 1] = y
        mem[:, 2] = w
        mem[:, 3] = h
        painter.drawRects(*self._array.drawargs())


class TimelineBars(pg.GraphicsObject):
    """All acquisition bars (and candidate-plan ghost bars) of a timeline.

    Data arrays are replaced with :meth:`set_bars` / :meth:`set_ghosts`; the selection, highlight
    and preview are overlays that do not touch the geometry.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._rects = _Rects()
        self.ids: list[str] = []
        self.labels: list[str] = []
        self.start = _EMPTY_F
        self.end = _EMPTY_F
        self.row = _EMPTY_I
        self.category = np.empty(0, dtype=np.int8)
        self.locked = np.empty(0, dtype=bool)
        self.selected = np.empty(0, dtype=bool)
        self.highlighted = np.empty(0, dtype=bool)
        self._index: dict[str, int] = {}
        self._max_duration = 0.0
        self.ghost_ids: list[str] = []
        self.ghost_start = _EMPTY_F
        self.ghost_end = _EMPTY_F
        self.ghost_row = _EMPTY_I
        self.n_rows = 0
        self._preview: tuple[float, float, int] | None = None
        self._bounds: QtCore.QRectF | None = None
        self._brushes = {c: QtGui.QBrush(colour(BAR_COLOURS[c][0])) for c in BarCategory}
        self._pens = {c: _cosmetic(BAR_COLOURS[c][1], 1.0) for c in BarCategory}
        # Lock level by pattern as well as colour (readable in greyscale and for colour-blind
        # planners): soft lock = sparse diagonal lines, hard lock / frozen = cross-hatch.
        # What happened, likewise: executing = horizontal lines (in flight), completed = solid dark
        # (done), failed = a square grid (crossed out).
        Style = QtCore.Qt.BrushStyle
        self._hatches = {BarCategory.SOFT_LOCKED: QtGui.QBrush(QtGui.QColor("#39424d"), Style.BDiagPattern),
                         BarCategory.FROZEN: QtGui.QBrush(QtGui.QColor("#ffffff"), Style.DiagCrossPattern),
                         BarCategory.EXECUTING: QtGui.QBrush(QtGui.QColor("#ffffff"), Style.HorPattern),
                         BarCategory.FAILED: QtGui.QBrush(QtGui.QColor("#ffccbc"), Style.CrossPattern)}
        self._conflict_pen = _cosmetic(CONFLICT_OUTLINE, 2.0)
        self._count_font = QtGui.QFont()
        self._count_font.setPointSizeF(7.0)
        self._count_font.setBold(True)
        self._selection_pen = _cosmetic(SELECTION_OUTLINE, 2.5)
        self._highlight_pen = _cosmetic(HIGHLIGHT_OUTLINE, 3.0)
        self._ghost_brush = QtGui.QBrush(colour(GHOST_FILL, 70))
        self._ghost_pen = _cosmetic(GHOST_OUTLINE, 1.2, QtCore.Qt.PenStyle.DashLine)
        self._preview_pen = _cosmetic(PREVIEW_OUTLINE, 2.0, QtCore.Qt.PenStyle.DashLine)
        self._preview_brush = QtGui.QBrush(colour(PREVIEW_OUTLINE, 50))
        self._preview_style = "preview"
        self._preview_looks = {
            "preview": (self._preview_pen, self._preview_brush),
            "valid": (_cosmetic(VALID_OUTLINE, 2.0, QtCore.Qt.PenStyle.DashLine), QtGui.QBrush(colour(VALID_OUTLINE, 70))),
            "refused": (_cosmetic(CONFLICT_OUTLINE, 2.0, QtCore.Qt.PenStyle.DashLine),
                        QtGui.QBrush(colour(CONFLICT_OUTLINE, 40)))}
        self._label_font = QtGui.QFont()
        self._label_font.setPointSizeF(8.0)
        #: Figures of the last paint (for the benchmark and tests): exposed and drawn rects.
        self.last_paint_stats: dict[str, int] = {}

    # ------------------------------------------------------------------ data
    def set_bars(self, ids: Sequence[str], start: np.ndarray, end: np.ndarray, row: np.ndarray,
                 category: np.ndarray, locked: np.ndarray, labels: Sequence[str], n_rows: int,
                 selected_ids: set[str] | frozenset[str] = frozenset()) -> None:
        """Replace every bar. ``start``/``end`` in epoch seconds, ``row`` ≥ 0, ``category`` BarCategory."""
        start = np.asarray(start, dtype=np.float64)
        order = np.argsort(start, kind="stable")
        self.start = start[order]
        self.end = np.maximum(np.asarray(end, dtype=np.float64)[order], self.start)
        self.row = np.asarray(row, dtype=np.int32)[order]
        self.category = np.asarray(category, dtype=np.int8)[order]
        self.locked = np.asarray(locked, dtype=bool)[order]
        self.ids = [ids[i] for i in order]
        self.labels = [labels[i] for i in order]
        self._index = {a: i for i, a in enumerate(self.ids)}
        self.selected = np.fromiter((a in selected_ids for a in self.ids), dtype=bool, count=len(self.ids))
        self.highlighted = np.zeros(len(self.ids), dtype=bool)
        self._max_duration = float((self.end - self.start).max()) if len(self.ids) else 0.0
        self.n_rows = n_rows
        self._geometry_changed()

    def remove_bars(self, ids: Sequence[str]) -> None:
        """Drop some bars (a delete): the arrays are masked, nothing else is rebuilt."""
        gone = [self._index[i] for i in ids if i in self._index]
        if not gone:
            return
        keep = np.ones(len(self.ids), dtype=bool)
        keep[gone] = False
        for name in ("start", "end", "row", "category", "locked", "selected", "highlighted"):
            setattr(self, name, getattr(self, name)[keep])
        kept = np.flatnonzero(keep)
        self.ids = [self.ids[i] for i in kept]
        self.labels = [self.labels[i] for i in kept]
        self._index = {a: i for i, a in enumerate(self.ids)}
        self._max_duration = float((self.end - self.start).max()) if len(self.ids) else 0.0
        self._geometry_changed()

    def add_bars(self, ids: Sequence[str], start: np.ndarray, end: np.ndarray, row: np.ndarray,
                 category: np.ndarray, locked: np.ndarray, labels: Sequence[str]) -> None:
        """Insert bars (a commit, an undo of a delete): only the new ones are converted; the
        arrays are concatenated and re-sorted by start (selection and highlight kept)."""
        if not len(ids):
            return
        n_new = len(ids)
        start = np.concatenate([self.start, np.asarray(start, dtype=np.float64)])
        order = np.argsort(start, kind="stable")
        self.start = start[order]
        self.end = np.maximum(np.concatenate([self.end, np.asarray(end, dtype=np.float64)])[order], self.start)
        self.row = np.concatenate([self.row, np.asarray(row, dtype=np.int32)])[order]
        self.category = np.concatenate([self.category, np.asarray(category, dtype=np.int8)])[order]
        self.locked = np.concatenate([self.locked, np.asarray(locked, dtype=bool)])[order]
        self.selected = np.concatenate([self.selected, np.zeros(n_new, dtype=bool)])[order]
        self.highlighted = np.concatenate([self.highlighted, np.zeros(n_new, dtype=bool)])[order]
        all_ids, all_labels = self.ids + list(ids), self.labels + list(labels)
        take = order.tolist()  # C-level gathers: 20,000 bars
        self.ids = list(map(all_ids.__getitem__, take))
        self.labels = list(map(all_labels.__getitem__, take))
        self._index = dict(zip(self.ids, range(len(self.ids))))
        self._max_duration = float((self.end - self.start).max()) if len(self.ids) else 0.0
        self._geometry_changed()

    def update_bars(self, indices: np.ndarray, category: np.ndarray, locked: np.ndarray) -> None:
        """New colour and lock glyph for some bars (``indices`` in the current bar order)."""
        self.category[indices] = category
        self.locked[indices] = locked
        self.update()

    def set_categories(self, category: np.ndarray) -> None:
        """New colours for the same bars (``category`` in the current bar order)."""
        self.category = np.asarray(category, dtype=np.int8)
        self.update()

    def set_ghosts(self, ids: Sequence[str], start: np.ndarray, end: np.ndarray, row: np.ndarray) -> None:
        order = np.argsort(np.asarray(start, dtype=np.float64), kind="stable")
        self.ghost_ids = [ids[i] for i in order]
        self.ghost_start = np.asarray(start, dtype=np.float64)[order]
        self.ghost_end = np.maximum(np.asarray(end, dtype=np.float64)[order], self.ghost_start)
        self.ghost_row = np.asarray(row, dtype=np.int32)[order]
        self._geometry_changed()

    def set_rows(self, n_rows: int) -> None:
        self.n_rows = n_rows
        self._geometry_changed()

    def set_selected_ids(self, ids: set[str] | frozenset[str]) -> None:
        self.selected = np.fromiter((a in ids for a in self.ids), dtype=bool, count=len(self.ids))
        self.update()

    def set_selected_mask(self, mask: np.ndarray) -> None:
        self.selected = np.asarray(mask, dtype=bool)
        self.update()

    def set_highlighted_ids(self, ids: set[str] | frozenset[str]) -> None:
        self.highlighted = np.fromiter((a in ids for a in self.ids), dtype=bool, count=len(self.ids))
        self.update()

    def set_preview(self, start: float, end: float, row: int, style: str = "preview") -> None:
        """A dashed outline where a bar would go: ``preview`` (orange: a resolution's move),
        ``valid`` (green: a drag's snapped place) or ``refused`` (red: where it may not go)."""
        self.prepareGeometryChange()
        self._preview = (float(start), float(end), int(row))
        self._preview_style = style
        self._bounds = None
        self.update()

    def clear_preview(self) -> None:
        if self._preview is not None:
            self.prepareGeometryChange()
            self._preview = None
            self._bounds = None
            self.update()

    def hatch_of(self, category: BarCategory | None) -> QtGui.QBrush | None:
        """The lock pattern drawn over bars of a category (None: plain fill)."""
        return self._hatches.get(category) if category is not None else None

    @property
    def preview(self) -> tuple[float, float, int] | None:
        return self._preview

    def index_of(self, acquisition_id: str) -> int | None:
        return self._index.get(acquisition_id)

    def selected_ids(self) -> list[str]:
        return [self.ids[i] for i in np.flatnonzero(self.selected)]

    def _geometry_changed(self) -> None:
        self.prepareGeometryChange()
        self._bounds = None
        self.update()

    # ------------------------------------------------------------ hit tests
    def _first_reaching(self, x0: float, width: float) -> int:
        """Index of the first bar (by start, seconds) that may reach ``x0`` when ``width`` seconds long; the
        caller's exact test decides. Searched from a few float steps before ``x0 - width``: ``s + width >= x0``
        can hold while ``s < x0 - width`` in floats (0.1 + 0.2 reaches 0.30000000000000004, yet
        0.30000000000000004 - 0.2 > 0.1), which dropped a bar ending exactly at ``x0``."""
        slack = 4.0 * float(np.spacing(abs(x0) + width))
        return int(np.searchsorted(self.start, x0 - width - slack, side="left"))

    def indices_in_rect(self, x0: float, x1: float, y0: float, y1: float,
                        min_width: float = 0.0) -> np.ndarray:
        """Indices of bars intersecting the data rectangle (vectorised; bars widened to ``min_width``)."""
        x0, x1 = min(x0, x1), max(x0, x1)
        y0, y1 = min(y0, y1), max(y0, y1)
        if not self.ids:
            return _EMPTY_I
        lo = self._first_reaching(x0, max(self._max_duration, min_width))
        hi = np.searchsorted(self.start, x1, side="right")
        s, e, r = self.start[lo:hi], self.end[lo:hi], self.row[lo:hi]
        e = np.maximum(e, s + min_width)
        mask = (e >= x0) & (s <= x1) & (r + BAR_BOTTOM >= y0) & (r + BAR_TOP <= y1)
        return np.flatnonzero(mask) + lo

    def index_at(self, x: float, y: float, min_width: float = 0.0) -> int | None:
        """The bar under a data point (the one starting last, i.e. drawn on top), or None."""
        row = int(np.floor(y))
        frac = y - row
        if not BAR_TOP <= frac <= BAR_BOTTOM:
            return None
        hits = self.indices_in_rect(x, x, y, y, min_width)
        return int(hits[-1]) if len(hits) else None

    def ghost_index_at(self, x: float, y: float, min_width: float = 0.0) -> int | None:
        if not self.ghost_ids:
            return None
        row = int(np.floor(y))
        if not BAR_TOP <= y - row <= BAR_BOTTOM:
            return None
        e = np.maximum(self.ghost_end, self.ghost_start + min_width)
        hits = np.flatnonzero((self.ghost_row == row) & (self.ghost_start <= x) & (e >= x))
        return int(hits[-1]) if len(hits) else None

    # -------------------------------------------------------------- drawing
    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt API
        if self._bounds is None:
            xs = [a for a in (self.start, self.ghost_start) if len(a)]
            xe = [a for a in (self.end, self.ghost_end) if len(a)]
            if xs:
                x0 = min(float(a.min()) for a in xs)
                x1 = max(float(a.max()) for a in xe)
            else:
                x0 = x1 = 0.0
            if self._preview is not None:
                x0, x1 = min(x0, self._preview[0]), max(x1, self._preview[1])
            self._bounds = QtCore.QRectF(x0, 0.0, max(x1 - x0, 1.0), float(max(self.n_rows, 1)))
        return self._bounds

    def paint(self, painter: QtGui.QPainter, option: QtWidgets.QStyleOptionGraphicsItem,
              widget: QtWidgets.QWidget | None = None) -> None:
        tr = painter.transform()
        sx = abs(tr.m11()) or 1.0  # device pixels per second
        sy = abs(tr.m22()) or 1.0  # device pixels per row
        px = 1.0 / sx
        min_w = MIN_BAR_PX * px
        exposed = self._visible_rect(painter, option)
        x0, x1 = exposed.left(), exposed.right()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        stats = {"exposed": 0, "drawn": 0}

        lo = self._first_reaching(x0, max(self._max_duration, min_w))
        hi = int(np.searchsorted(self.start, x1, side="right"))
        s = self.start[lo:hi]
        e = np.maximum(self.end[lo:hi], s + min_w)
        keep = e >= x0
        idx = np.flatnonzero(keep) + lo
        s, e = s[keep], e[keep]
        r = self.row[idx]
        cat = self.category[idx]
        stats["exposed"] = len(idx)
        h = BAR_BOTTOM - BAR_TOP
        outline = len(idx) and float(np.median(e - s)) * sx >= OUTLINE_MIN_PX

        merged_any = False
        for c in BarCategory:
            m = cat == c
            if not m.any():
                continue
            bs, be, br = s[m], e[m], r[m]
            if not outline and len(bs) > 2 * max(exposed.width() * sx, 1.0):
                bs, be, br, _ = _merge_per_pixel(bs, be, br, x0, px)
                merged_any = True
            painter.setBrush(self._brushes[c])
            painter.setPen(self._pens[c] if outline else QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
            if c == BarCategory.CONFLICT and not merged_any:
                self._paint_conflicts(painter, bs, be, br, h)
                stats["drawn"] += len(bs)
                continue
            self._rects.draw(painter, bs, br + BAR_TOP, be - bs, h)
            hatch = self._hatches.get(c)
            # Not over merged pixel columns: a pattern cannot show in 1-3 px, and skipping it
            # keeps a crowded week's repaint within budget.
            if hatch is not None and not merged_any and sy * h >= 6:
                painter.setBrush(hatch)
                painter.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
                self._rects.draw(painter, bs, br + BAR_TOP, be - bs, h)
            stats["drawn"] += len(bs)

        self._paint_ghosts(painter, x0, x1, min_w)
        self._paint_overlay(painter, idx, s, e, r, self.highlighted, self._highlight_pen, 0.12, 3 * px)
        self._paint_overlay(painter, idx, s, e, r, self.selected, self._selection_pen, 0.07, 2 * px)
        if self._preview is not None:
            ps, pe, prow = self._preview
            pen, brush = self._preview_looks.get(self._preview_style, self._preview_looks["preview"])
            painter.setBrush(brush)
            painter.setPen(pen)
            painter.drawRect(QtCore.QRectF(ps, prow + BAR_TOP, max(pe - ps, min_w), h))
        if 0 < len(idx) <= MAX_DECORATED and sy * h >= 12:
            self._paint_decorations(painter, idx, s, e, r, sx)
            if not outline:
                stats["counted"] = self._paint_counts(painter, s, e, r, x0, px)
        self.last_paint_stats = stats

    def _paint_conflicts(self, painter: QtGui.QPainter, s: np.ndarray, e: np.ndarray, r: np.ndarray,
                         h: float) -> None:
        """Conflicting bars that overlap in one row side by side (upper / lower half), each with a
        red outline, so two clashing acquisitions never look like one."""
        lane = _overlap_lanes(s, e, r)
        clash = lane >= 0
        painter.setPen(self._conflict_pen)
        single = ~clash
        self._rects.draw(painter, s[single], r[single] + BAR_TOP, e[single] - s[single], h)
        if clash.any():
            half = h / 2
            ls = lane[clash].astype(np.float64)
            self._rects.draw(painter, s[clash], r[clash] + BAR_TOP + ls * half, e[clash] - s[clash], half)

    def _paint_counts(self, painter: QtGui.QPainter, s: np.ndarray, e: np.ndarray, r: np.ndarray,
                      x0: float, px: float) -> int:
        """Bars too close to tell apart at this zoom read as one: write how many it holds."""
        cs, ce, cr, count = _merge_per_pixel(s, e, r, x0, px)
        many = np.flatnonzero(count >= 2)
        if not len(many) or len(many) > MAX_DECORATED:
            return 0
        tr = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self._count_font)
        metrics = QtGui.QFontMetrics(self._count_font)
        for k in many:
            text = str(int(count[k]))
            top = tr.map(QtCore.QPointF(ce[k], cr[k] + BAR_TOP))
            w = metrics.horizontalAdvance(text) + 4
            box = QtCore.QRectF(top.x() + 1, top.y() - 2, w, metrics.height())
            painter.setPen(QtCore.Qt.PenStyle.NoPen)
            painter.setBrush(QtGui.QColor(255, 255, 255, 215))
            painter.drawRect(box)
            painter.setPen(QtGui.QColor("#16202b"))
            painter.drawText(box, QtCore.Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()
        return len(many)

    def _visible_rect(self, painter: QtGui.QPainter,
                      option: QtWidgets.QStyleOptionGraphicsItem) -> QtCore.QRectF:
        """Exposed rect ∩ the paint device mapped back to data coordinates: a view passes the
        exposed part, ``scene.render`` may pass the whole item, the device bounds both."""
        exposed = option.exposedRect if not option.exposedRect.isEmpty() else self.boundingRect()
        device = painter.device()
        inverse, ok = painter.transform().inverted()
        if device is not None and ok:
            on_device = inverse.mapRect(QtCore.QRectF(0, 0, device.width(), device.height()))
            exposed = exposed.intersected(on_device)
        return exposed

    def _paint_ghosts(self, painter: QtGui.QPainter, x0: float, x1: float, min_w: float) -> None:
        if not self.ghost_ids:
            return
        ge = np.maximum(self.ghost_end, self.ghost_start + min_w)
        m = (ge >= x0) & (self.ghost_start <= x1)
        if not m.any():
            return
        painter.setBrush(self._ghost_brush)
        painter.setPen(self._ghost_pen)
        gs = self.ghost_start[m]
        self._rects.draw(painter, gs, self.ghost_row[m] + BAR_TOP - 0.06, ge[m] - gs,
                         BAR_BOTTOM - BAR_TOP + 0.12)

    def _paint_overlay(self, painter: QtGui.QPainter, idx: np.ndarray, s: np.ndarray, e: np.ndarray,
                       r: np.ndarray, flags: np.ndarray, pen: QtGui.QPen, grow_y: float,
                       grow_x: float) -> None:
        """Outline flagged bars with a margin (rows, seconds) so their fill colour stays visible."""
        if not len(idx):
            return
        m = flags[idx]
        if not m.any():
            return
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.setPen(pen)
        self._rects.draw(painter, s[m] - grow_x, r[m] + BAR_TOP - grow_y, e[m] - s[m] + 2 * grow_x,
                         BAR_BOTTOM - BAR_TOP + 2 * grow_y)

    def _paint_decorations(self, painter: QtGui.QPainter, idx: np.ndarray, s: np.ndarray,
                           e: np.ndarray, r: np.ndarray, sx: float) -> None:
        """Lock glyphs and target labels, drawn in device pixels so they keep their size."""
        width_px = (e - s) * sx
        wide = width_px >= GLYPH_MIN_PX
        if not wide.any():
            return
        tr = painter.transform()
        painter.save()
        painter.resetTransform()
        metrics = QtGui.QFontMetrics(self._label_font)
        painter.setFont(self._label_font)
        for k in np.flatnonzero(wide):
            i = int(idx[k])
            top_left = tr.map(QtCore.QPointF(s[k], r[k] + BAR_TOP))
            bottom_right = tr.map(QtCore.QPointF(e[k], r[k] + BAR_BOTTOM))
            rect = QtCore.QRectF(top_left, bottom_right).normalized()
            text_left = rect.left() + 3
            if self.locked[i]:
                _draw_padlock(painter, QtCore.QPointF(rect.left() + 3, rect.center().y() - 5))
                text_left += 12
            if width_px[k] >= LABEL_MIN_PX:
                text_rect = QtCore.QRectF(text_left, rect.top(), rect.right() - text_left - 2, rect.height())
                text = metrics.elidedText(self.labels[i], QtCore.Qt.TextElideMode.ElideRight,
                                          int(text_rect.width()))
                if text and text != "…":
                    dark = self.category[i] in (BarCategory.FROZEN, BarCategory.CONFLICT, BarCategory.EXECUTING,
                                                BarCategory.COMPLETED, BarCategory.FAILED)
                    painter.setPen(QtGui.QColor("#ffffff" if dark else "#16202b"))
                    painter.drawText(text_rect, QtCore.Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()


def _overlap_lanes(s: np.ndarray, e: np.ndarray, r: np.ndarray) -> np.ndarray:
    """For bars (any order): −1 for a bar that overlaps no other bar of its row, else its lane
    0 / 1 alternating along a run of overlapping bars (start order)."""
    lane = np.full(len(s), -1, dtype=np.int64)
    if len(s) < 2:
        return lane
    order = np.lexsort((s, r))
    ss, ee, rr = s[order], e[order], r[order]
    prev_max = _running_max_per_row(ee, rr)
    same_row = np.r_[False, rr[1:] == rr[:-1]]
    joins_prev = same_row & np.r_[False, ss[1:] < prev_max[:-1]]
    run_start = ~joins_prev
    run_id = np.cumsum(run_start) - 1
    first = np.flatnonzero(run_start)
    pos = np.arange(len(ss)) - first[run_id]
    size = np.diff(np.r_[first, len(ss)])[run_id]
    out = np.where(size >= 2, pos % 2, -1)
    lane[order] = out
    return lane


def _merge_per_pixel(s: np.ndarray, e: np.ndarray, r: np.ndarray, x0: float,
                     px: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge bars of one row whose pixel columns touch or overlap (their union is what is seen);
    the fourth array is how many bars each merged one holds."""
    col0 = np.floor((s - x0) / px).astype(np.int64)
    col1 = np.floor((e - x0) / px).astype(np.int64)
    order = np.lexsort((col0, r))
    col0, col1, r = col0[order], col1[order], r[order]
    prev_max = _running_max_per_row(col1, r)
    # A run starts where the row changes or a bar begins right of everything before it in its row.
    new_run = np.r_[True, (r[1:] != r[:-1]) | (col0[1:] > prev_max[:-1] + 1)]
    starts = np.flatnonzero(new_run)
    run_max = np.maximum.reduceat(col1, starts)
    counts = np.diff(np.r_[starts, len(col0)])
    return x0 + col0[starts] * px, x0 + (run_max + 1) * px, r[starts], counts


def _running_max_per_row(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Cumulative max of ``values`` restarting at every change of ``rows`` (rows sorted)."""
    out = values.copy()
    if len(values) < 2:
        return out
    # Offset each row block so a plain cumulative max cannot leak across blocks.
    block = np.cumsum(np.r_[0, rows[1:] != rows[:-1]])
    span = int(values.max() - values.min()) + 2
    shifted = values - values.min() + block * span
    return np.maximum.accumulate(shifted) - block * span + values.min()


def _cosmetic(hex_rgb: str, width: float, style: QtCore.Qt.PenStyle = QtCore.Qt.PenStyle.SolidLine) -> QtGui.QPen:
    pen = QtGui.QPen(colour(hex_rgb), width, style)
    pen.setCosmetic(True)
    return pen


def _draw_padlock(painter: QtGui.QPainter, at: QtCore.QPointF) -> None:
    """A 9×10 px padlock whose top-left corner is ``at`` (device pixels)."""
    painter.save()
    painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QtGui.QPen(QtGui.QColor("#1f2933"), 1.4))
    painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
    painter.drawArc(QtCore.QRectF(at.x() + 1.5, at.y(), 6, 7), 0, 180 * 16)
    painter.setPen(QtCore.Qt.PenStyle.NoPen)
    painter.setBrush(QtGui.QColor("#1f2933"))
    painter.drawRect(QtCore.QRectF(at.x(), at.y() + 4, 9, 6))
    painter.restore()
