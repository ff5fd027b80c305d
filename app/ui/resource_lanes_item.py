"""Resource lanes drawn inside the timeline's satellite rows, batched like the bars (issue 15).

Inside row ``r`` (data y in [r, r + 1), drawn top-down): a thin strip at the top shows sunlit
(light) and eclipse (dark); a thin strip at the bottom shows ground-station contacts; between
them, behind the bars, the battery state of charge (blue) and the memory fill (orange) are lines
scaled to the row (empty at the bottom, full at the top), solid along the committed schedule and
lighter (a ghost line) along the candidate plan; the battery reserve is a dotted line, and wherever a limit is
broken the row is shaded red.

Everything is held in numpy arrays built once in ``set_lanes``; ``paint`` draws only the exposed
time range with one ``drawRects`` per kind of strip and one ``drawLines`` per kind of line.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

import numpy as np
import pyqtgraph as pg
from pyqtgraph.Qt import internals
from PySide6 import QtCore, QtGui, QtWidgets

from app.domain.wording import day_time, duration
from app.services.resource_lanes import SatelliteLanes

#: Row fractions (from the row's top) of the strips and of the lines' full / empty levels.
SUN_TOP, SUN_BOTTOM = 0.01, 0.07
CONTACT_TOP, CONTACT_BOTTOM = 0.92, 0.99
LINE_FULL, LINE_EMPTY = 0.12, 0.88

SUNLIT_FILL = "#ffe58a"
ECLIPSE_FILL = "#34404c"
CONTACT_FILL = "#7b1fa2"
BATTERY_LINE = "#1565c0"
MEMORY_LINE = "#e65100"
GHOST_BATTERY_LINE = "#90caf9"
GHOST_MEMORY_LINE = "#ffb74d"
RESERVE_LINE = "#c62828"
VIOLATION_FILL = (229, 57, 53, 60)

#: Lines with more corners in view than this many per pixel column are rasterised by numpy.
RASTER_DENSITY = 0.25
#: Drawing order: the candidate's ghost lines first, the schedule's on top.
_LINE_KINDS = ("battery_candidate", "memory_candidate", "battery", "memory")


class _RectSet:
    """Rectangles (x0, x1 in epoch s; y, h in rows) with a visible-range cut and one drawRects."""

    def __init__(self) -> None:
        self.x0 = np.empty(0)
        self.x1 = np.empty(0)
        self.y = np.empty(0)
        self.h = np.empty(0)
        self._array = internals.PrimitiveArray(QtCore.QRectF, 4)

    def set(self, rows: list[tuple[float, float, float, float]]) -> None:
        arr = np.asarray(rows, dtype=np.float64).reshape(-1, 4)
        self.x0, self.x1, self.y, self.h = arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3]

    def draw(self, painter: QtGui.QPainter, a: float, b: float, min_w: float) -> int:
        m = (self.x1 >= a) & (self.x0 <= b)
        n = int(m.sum())
        if not n:
            return 0
        self._array.resize(n)
        mem = self._array.ndarray()
        x0 = self.x0[m]
        mem[:, 0] = x0
        mem[:, 1] = self.y[m]
        mem[:, 2] = np.maximum(self.x1[m] - x0, min_w)
        mem[:, 3] = self.h[m]
        painter.drawRects(*self._array.drawargs())
        return n


class _LineSet:
    """Several polylines (one per satellite) held as one array of corners and drawn as one batch
    of segments: cut to the view and thinned to what each pixel column can show, vectorised
    over all satellites at once (no Python loop per line at paint time)."""

    def __init__(self) -> None:
        self.t = np.empty(0)
        self.y = np.empty(0)
        self.line = np.empty(0, dtype=np.int64)
        self.first = self.last = np.empty(0, dtype=np.int64)
        self._segments = internals.PrimitiveArray(QtCore.QLineF, 4)

    def set(self, lines: list[tuple[np.ndarray, np.ndarray]]) -> None:
        lines = [(t, y) for t, y in lines if len(t) >= 2]
        if not lines:
            self.t, self.y, self.line = np.empty(0), np.empty(0), np.empty(0, dtype=np.int64)
            self.first = self.last = np.empty(0, dtype=np.int64)
            return
        self.t = np.concatenate([np.asarray(t, dtype=np.float64) for t, _ in lines])
        self.y = np.concatenate([np.asarray(y, dtype=np.float64) for _, y in lines])
        self.line = np.repeat(np.arange(len(lines)), [len(t) for t, _ in lines])
        self.first = np.flatnonzero(np.r_[True, self.line[1:] != self.line[:-1]])
        self.last = np.r_[self.first[1:] - 1, len(self.t) - 1]

    def draw(self, painter: QtGui.QPainter, a: float, b: float, px: float = 0.0, sy: float = 1.0) -> int:
        t, y, line = self.t, self.y, self.line
        if len(t) < 2:
            return 0
        same = line[1:] == line[:-1]
        # Corners of segments that touch [a, b] (a segment i → i + 1 within one line).
        seg = same & (t[:-1] <= b) & (t[1:] >= a)
        if not seg.any():
            return 0
        keep = np.zeros(len(t), dtype=bool)
        keep[:-1] |= seg
        keep[1:] |= seg
        t, y, line = t[keep], y[keep], line[keep]
        if px > 0:
            t, y, line = _per_column(t, y, line, a, px, sy)
        ok = line[1:] == line[:-1]
        n = int(ok.sum())
        if not n:
            return 0
        self._segments.resize(n)
        mem = self._segments.ndarray()
        mem[:, 0] = t[:-1][ok]
        mem[:, 1] = y[:-1][ok]
        mem[:, 2] = t[1:][ok]
        mem[:, 3] = y[1:][ok]
        painter.drawLines(*self._segments.drawargs())
        return n

    def corners_in(self, a: float, b: float) -> int:
        return int(np.count_nonzero((self.t >= a) & (self.t <= b)))

    def raster(self, img: np.ndarray, a: float, b: float, sx: float, ox: float, sy: float, oy: float,
               argb: int) -> int:
        """Draw the lines as one-pixel hairlines straight into ``img`` (rows × columns of 32-bit
        ARGB; device x = ``sx``·t + ``ox``, device y = ``sy``·y + ``oy``), downsampled to pixel
        columns: in each column a line fills the pixel rows between the lowest and highest of its
        values at the column's two edges and at its corners inside the column (what a polyline
        through them covers). All lines at once in a few numpy operations over lines × columns,
        instead of ~200k QPainter segments for a week of 200 lines, in colour ``argb``.
        Returns the line × pixel-column cells drawn."""
        if len(self.t) < 2:
            return 0
        h, w = img.shape
        n_lines = len(self.first)
        x = self.t * sx + ox
        yd = self.y * sy + oy
        # Every line's value at every pixel-column edge: one interpolation for all lines (each
        # line's x shifted into its own interval of a common axis); NaN where a line has no value.
        shift = 4.0 * (np.abs(x).max() + w + 1.0)
        edges = np.arange(w + 1, dtype=np.float64)
        y_edge = np.interp((np.arange(n_lines)[:, None] * shift + edges).reshape(-1), self.line * shift + x,
                           yd).reshape(n_lines, w + 1)
        xf, xl = x[self.first], x[self.last]
        part = np.flatnonzero((xf > 0) | (xl < w))  # lines that start or end in view
        if len(part):
            sub = y_edge[part]
            sub[(edges < xf[part][:, None]) | (edges > xl[part][:, None])] = np.nan
            y_edge[part] = sub
        # Column c lies between edges c and c + 1; corners inside it widen its span.
        lo = np.fmin(y_edge[:, :-1], y_edge[:, 1:]).reshape(-1)
        hi = np.fmax(y_edge[:, :-1], y_edge[:, 1:]).reshape(-1)
        inside = (x >= 0) & (x < w)
        cell = self.line[inside] * w + x[inside].astype(np.int64)
        np.fmin.at(lo, cell, yd[inside])
        np.fmax.at(hi, cell, yd[inside])
        drawn = np.flatnonzero(hi >= lo)
        if not len(drawn):
            return 0
        cols = drawn % w
        r0 = np.clip(np.floor(lo[drawn]), 0, h - 1).astype(np.int64)
        r1 = np.clip(np.floor(hi[drawn]), 0, h - 1).astype(np.int64)
        colour = np.uint32(argb)
        img[r0, cols] = colour  # most cells are one pixel: the rest of the taller ones below
        tall = np.flatnonzero(r1 > r0)
        if len(tall):
            m = r1[tall] - r0[tall]
            p = np.repeat(tall, m)
            img[r0[p] + 1 + (np.arange(len(p)) - np.repeat(np.cumsum(m) - m, m)), cols[p]] = colour
        return len(drawn)


def _per_column(t: np.ndarray, y: np.ndarray, line: np.ndarray, a: float, px: float,
                sy: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The corners one pixel column can show, per line: each column's first and last corner,
    and its lowest and highest when they are a pixel or more apart (the 3-4 corners an
    acquisition adds within one column of a week view collapse)."""
    col = np.floor((t - a) / px)
    starts = np.flatnonzero(np.r_[True, (col[1:] != col[:-1]) | (line[1:] != line[:-1])])
    if len(starts) == len(t):
        return t, y, line
    ends = np.r_[starts[1:] - 1, len(t) - 1]
    lo = np.minimum.reduceat(y, starts)
    hi = np.maximum.reduceat(y, starts)
    ts, te = t[starts], t[ends]
    xs = np.column_stack([ts, ts, ts, te])
    ys = np.column_stack([y[starts], lo, hi, y[ends]])
    ls = np.repeat(line[starts][:, None], 4, axis=1)
    keep = np.ones(xs.shape, dtype=bool)
    tall = (hi - lo) * sy >= 1.0
    keep[:, 1] = tall
    keep[:, 2] = tall
    keep[:, 3] = ends > starts
    return xs[keep], ys[keep], ls[keep]


class ResourceLanes(pg.GraphicsObject):
    """The lanes of every satellite row; ``set_lanes`` replaces them, ``set_rows`` moves them."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QtWidgets.QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        # Repaints that do not move the view (hover, selection, a lock) reuse the lanes' pixels;
        # pan and zoom draw them again (figures in bench/README.md).
        self.setCacheMode(QtWidgets.QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.lanes: dict[str, SatelliteLanes] = {}
        self.row_of: dict[str, int] = {}
        self.n_rows = 0
        self._eclipse = _RectSet()
        self._sunlit = _RectSet()
        self._contacts = _RectSet()
        self._violations = _RectSet()
        self._reserve = _LineSet()
        self._lines = {k: _LineSet() for k in _LINE_KINDS}

        self._range = (0.0, 1.0)
        self._brushes = {"eclipse": QtGui.QBrush(QtGui.QColor(ECLIPSE_FILL)),
                         "sunlit": QtGui.QBrush(QtGui.QColor(SUNLIT_FILL)),
                         "contact": QtGui.QBrush(QtGui.QColor(CONTACT_FILL)),
                         "violation": QtGui.QBrush(QtGui.QColor(*VIOLATION_FILL))}
        # One-pixel hairlines (width 0): a wider cosmetic pen takes the raster engine's slow
        # stroker, ten times the cost for a week of 50 satellites' lines.
        # Dashes cost as much again, so the candidate's ghost lines are lighter, like ghost bars.
        self._pens = {"battery": _pen(BATTERY_LINE, 0), "battery_candidate": _pen(GHOST_BATTERY_LINE, 0),
                      "memory": _pen(MEMORY_LINE, 0), "memory_candidate": _pen(GHOST_MEMORY_LINE, 0),
                      "reserve": _pen(RESERVE_LINE, 0, dotted=True)}
        # The lines are rasterised by numpy (``_LineSet.raster``), candidates after the schedule's.
        self._argb = {k: 0xFF000000 | QtGui.QColor(c).rgb() & 0xFFFFFF for k, c in (
            ("battery", BATTERY_LINE), ("battery_candidate", GHOST_BATTERY_LINE), ("memory", MEMORY_LINE),
            ("memory_candidate", GHOST_MEMORY_LINE))}
        self.last_paint_stats: dict[str, int] = {}

    # ------------------------------------------------------------------ data
    def set_lanes(self, lanes: Mapping[str, SatelliteLanes], row_of: Mapping[str, int], n_rows: int) -> None:
        self.lanes = dict(lanes)
        self.row_of = dict(row_of)
        self.n_rows = n_rows
        self._rebuild()

    def set_rows(self, row_of: Mapping[str, int], n_rows: int) -> None:
        self.row_of = dict(row_of)
        self.n_rows = n_rows
        self._rebuild()

    def _rebuild(self) -> None:
        eclipse, sunlit, contacts, violations, reserve = [], [], [], [], []
        lines: dict[str, list] = {k: [] for k in _LINE_KINDS}
        lo, hi = np.inf, -np.inf
        for sid, lane in self.lanes.items():
            r = self.row_of.get(sid)
            if r is None:
                continue
            profiles = {k: getattr(lane, k) for k in _LINE_KINDS}
            span = [p.times for p in profiles.values() if p is not None]
            t0 = min([float(s[0]) for s in span] + [c.start for c in lane.contacts] + [a for a, _ in lane.sunlit]
                     or [np.inf])
            t1 = max([float(s[-1]) for s in span] + [c.end for c in lane.contacts] + [b for _, b in lane.sunlit]
                     or [-np.inf])
            lo, hi = min(lo, t0), max(hi, t1)
            if lane.sunlit or lane.battery is not None:
                eclipse.append((t0, t1, r + SUN_TOP, SUN_BOTTOM - SUN_TOP))
                sunlit.extend((a, b, r + SUN_TOP, SUN_BOTTOM - SUN_TOP) for a, b in lane.sunlit)
            contacts.extend((c.start, c.end, r + CONTACT_TOP, CONTACT_BOTTOM - CONTACT_TOP) for c in lane.contacts)
            for kind, p in profiles.items():
                if p is None:
                    continue
                lines[kind].append((p.times, self._y(r, p.values, p.full_scale)))
                if not kind.endswith("candidate"):
                    violations.extend((a, b, r, 1.0) for a, b in p.violations)
            if lane.battery is not None:
                y = float(self._y(r, np.array([lane.battery.limit]), lane.battery.full_scale)[0])
                reserve.append((np.array([t0, t1]), np.array([y, y])))
        self._eclipse.set(eclipse)
        self._sunlit.set(sunlit)
        self._contacts.set(contacts)
        self._violations.set(violations)
        self._reserve.set(reserve)
        for k in _LINE_KINDS:
            self._lines[k].set(lines[k])

        self.prepareGeometryChange()
        self._range = (lo, hi) if lo < hi else (0.0, 1.0)
        self.update()

    @staticmethod
    def _y(row: int, values: np.ndarray, full: float) -> np.ndarray:
        frac = np.clip(values / full, 0.0, 1.05) if full > 0 else np.zeros_like(values)
        return row + LINE_EMPTY - frac * (LINE_EMPTY - LINE_FULL)

    # -------------------------------------------------------------- queries
    def describe(self, satellite_id: str, t: float, row_frac: float) -> str:
        """Hover text at time ``t`` in a satellite's row (``row_frac`` 0 = top of the row)."""
        lane = self.lanes.get(satellite_id)
        if lane is None:
            return ""
        def when(x: float) -> str:
            return day_time(datetime.fromtimestamp(x, timezone.utc))
        if row_frac >= CONTACT_TOP - 0.02:
            c = lane.contact_at(t)
            if c is not None:
                return (f"Contact with {c.station_id}: {when(c.start)} → {when(c.end)} "
                        f"({duration(c.end - c.start)})")
            return ""
        if row_frac <= SUN_BOTTOM + 0.02 and (lane.sunlit or lane.battery is not None):
            lit = any(a <= t <= b for a, b in lane.sunlit)
            return "Sunlit (charging)" if lit else "Eclipse (on battery)"
        parts = []
        if lane.battery is not None:
            b = lane.battery
            v = b.value_at(t)
            parts.append(f"Battery {v:,.0f} Wh ({v / b.full_scale:.0%}), reserve {b.limit:,.0f} Wh")
            if lane.battery_candidate is not None:
                parts.append(f"with the candidate plan {lane.battery_candidate.value_at(t):,.0f} Wh")
        if lane.memory is not None:
            m = lane.memory
            parts.append(f"Memory {m.value_at(t):,.1f} of {m.limit:,.0f} Gbit")
            if lane.memory_candidate is not None:
                parts.append(f"with the candidate plan {lane.memory_candidate.value_at(t):,.1f} Gbit")
        return "\n".join(parts)

    # -------------------------------------------------------------- drawing
    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 - Qt API
        lo, hi = self._range
        return QtCore.QRectF(lo, 0.0, max(hi - lo, 1.0), float(max(self.n_rows, 1)))

    def paint(self, painter: QtGui.QPainter, option: QtWidgets.QStyleOptionGraphicsItem,
              widget: QtWidgets.QWidget | None = None) -> None:
        tr = painter.transform()
        px = 1.0 / (abs(tr.m11()) or 1.0)
        sy = abs(tr.m22()) or 1.0
        exposed = option.exposedRect if not option.exposedRect.isEmpty() else self.boundingRect()
        device = painter.device()
        inverse, ok = tr.inverted()
        if device is not None and ok:
            exposed = exposed.intersected(inverse.mapRect(QtCore.QRectF(0, 0, device.width(), device.height())))
        a, b = exposed.left(), exposed.right()
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        stats = {}
        for name, rects in (("violation", self._violations), ("eclipse", self._eclipse),
                            ("sunlit", self._sunlit), ("contact", self._contacts)):
            painter.setBrush(self._brushes[name])
            stats[name] = rects.draw(painter, a, b, 2 * px)
        painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
        painter.setPen(self._pens["reserve"])
        stats["reserve"] = self._reserve.draw(painter, a, b)
        stats.update(self._raster_lines(painter, tr, exposed, a, b))
        self.last_paint_stats = stats

    def _line_image(self, width: int, height: int) -> tuple[QtGui.QImage, np.ndarray]:
        """A transparent image of that size and its pixels as a (rows, columns) uint32 array;
        the same image is cleared and reused while the size stays (a pan, a zoom)."""
        cached = getattr(self, "_image", None)
        if cached is None or cached[0].width() != width or cached[0].height() != height:
            image = QtGui.QImage(width, height, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
            pixels = np.frombuffer(image.bits(), dtype=np.uint32).reshape(height, image.bytesPerLine() // 4)
            self._image = cached = (image, pixels[:, :width])
        cached[1][:] = 0
        return cached

    def _raster_lines(self, painter: QtGui.QPainter, tr: QtGui.QTransform, exposed: QtCore.QRectF,
                      a: float, b: float) -> dict[str, int]:
        """Battery and memory lines. When they have more corners in view than a quarter of their
        pixel columns (a week of a busy schedule), they are rasterised by numpy into one image of
        the exposed device rectangle, drawn with one drawImage; sparser ones (a day, an hour) are
        fewer QPainter segments than pixel columns and are drawn as segments. (The view has no
        rotation: x and y scale independently.)"""
        device = painter.device()
        box = tr.mapRect(exposed).toAlignedRect()
        if device is not None:
            box = box.intersected(QtCore.QRect(0, 0, device.width(), device.height()))
        stats = {k: 0 for k in _LINE_KINDS}
        if box.isEmpty():
            return stats
        px = 1.0 / (abs(tr.m11()) or 1.0)
        corners = sum(self._lines[k].corners_in(a, b) for k in _LINE_KINDS)
        if corners <= RASTER_DENSITY * sum(len(self._lines[k].first) for k in _LINE_KINDS) * box.width():
            for kind in _LINE_KINDS:
                painter.setPen(self._pens[kind])
                stats[kind] = self._lines[kind].draw(painter, a, b, px, abs(tr.m22()))
            return stats
        image, pixels = self._line_image(box.width(), box.height())
        # One kind at a time (in drawing order): arrays of one kind's lines × columns stay in the
        # processor's cache; all four at once measured 3× slower.
        stats["raster_columns"] = sum(
            self._lines[k].raster(pixels, a, b, tr.m11(), tr.dx() - box.left(), tr.m22(), tr.dy() - box.top(),
                                  self._argb[k]) for k in _LINE_KINDS)
        painter.save()
        painter.resetTransform()
        painter.drawImage(box.topLeft(), image)
        painter.restore()
        return stats


def _pen(hex_rgb: str, width: float, dashed: bool = False, dotted: bool = False) -> QtGui.QPen:
    pen = QtGui.QPen(QtGui.QColor(hex_rgb), width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(QtCore.Qt.PenStyle.DashLine)
    if dotted:
        pen.setStyle(QtCore.Qt.PenStyle.DotLine)
    return pen
