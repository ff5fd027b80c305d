"""Direct manipulation on the timeline: a bar dragged along its row, an Inbox order dragged onto a
satellite's row. What is drawn while dragging and what a drop means; no service is called here.

A bar drag is told where the bar may go (``DragChoices``: the valid starts of its pass, the
refused ones with their reason, or why it cannot move at all). While dragging, the span of the
valid starts is shaded in its row with a slot per valid start, the preview snaps to the nearest
valid start, and a label says where it would go (or why not). A drop on a valid start other than
the current one asks for a move (``moveDropped``: the Inspector's Move, by that shift); any other
drop is refused with the reason (``dropRefused``) and nothing moves. Dropped before the choices
are known, the drop waits for them.

An order drag shades the valid opportunities of the order in each row and previews the one
nearest to the pointer in the row under it; a drop on a row asks to place the order there
(``orderDropped``: satellite and time; the command picks the same nearest valid opportunity).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from .formatting import shift
from .palette import VALID_OUTLINE, colour
from .timeline_bars import BAR_BOTTOM, BAR_TOP

#: A drop this close to a valid start (seconds, or pixels on screen: the larger) snaps to it.
SNAP_S = 15.0
SNAP_PX = 8.0
VALID_FILL = VALID_OUTLINE
#: The drag label wraps beyond this width (pixels).
LABEL_MAX_PX = 300


@dataclass(frozen=True)
class DragChoices:
    """Where a dragged bar may go, in epoch seconds: ``valid`` (start, end) placements of its pass
    (its own included), ``refused`` (start, end, reason) ones, or ``blocked``: why it cannot move."""

    valid: Sequence[tuple[float, float]] = ()
    refused: Sequence[tuple[float, float, str]] = ()
    blocked: str = ""


@dataclass
class _BarDrag:
    acquisition_id: str
    row: int
    start: float
    end: float
    satellite: str
    choices: DragChoices | None = None
    #: Where the bar was dropped while the choices were still being found (its start).
    pending_drop: float | None = None


@dataclass
class _OrderDrag:
    order_id: str
    text: str
    slots: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    loaded: bool = False


def _when(x: float, same_day_as: float | None = None) -> str:
    """``Thu 13 Aug 09:33:30Z`` (valid starts are seconds apart, so the seconds are shown); only
    ``09:33:30Z`` when it is the same UTC day as ``same_day_as``."""
    t = datetime.fromtimestamp(x, UTC)
    if same_day_as is not None and datetime.fromtimestamp(same_day_as, UTC).date() == t.date():
        return t.strftime("%H:%M:%SZ")
    return t.strftime("%a %d %b %H:%M:%SZ")


class DragLayer:
    """The drag overlay of one ``TimelineView``: shading, slots, preview and label items in its
    ViewBox, and the rules of a drop. The view forwards its mouse gestures here."""

    def __init__(self, view) -> None:
        self.view = view
        vb = view.viewbox
        self.range_item = QtWidgets.QGraphicsRectItem()
        self.range_item.setBrush(QtGui.QBrush(colour(VALID_FILL, 45)))
        pen = QtGui.QPen(colour(VALID_FILL), 1.0, QtCore.Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.range_item.setPen(pen)
        self.slots_item = QtWidgets.QGraphicsPathItem()
        self.slots_item.setBrush(QtGui.QBrush(colour(VALID_FILL, 110)))
        self.slots_item.setPen(QtGui.QPen(QtCore.Qt.PenStyle.NoPen))
        self.label = pg.TextItem("", color="#16202b", fill=pg.mkBrush(255, 255, 255, 230),
                                 border=pg.mkPen("#8a94a3"), anchor=(0, 1))
        for z, item in ((8, self.range_item), (9, self.slots_item), (60, self.label)):
            item.setZValue(z)
            item.hide()
            vb.addItem(item, ignoreBounds=True)
        self.bar: _BarDrag | None = None
        self.order: _OrderDrag | None = None
        #: The last drop's outcome (for the view's caller and tests): ("move", shift) / ("refused", reason).
        self.last_outcome: tuple[str, object] | None = None

    # ------------------------------------------------------------------ bar drag
    def start_bar(self, acquisition_id: str, row: int, start: float, end: float, satellite: str) -> None:
        self.bar = _BarDrag(acquisition_id, row, start, end, satellite)
        self._shade([], row)
        self._show_label(start, row, "finding valid starts…")

    def set_choices(self, acquisition_id: str, choices: DragChoices) -> None:
        d = self.bar
        if d is None or d.acquisition_id != acquisition_id:
            return
        d.choices = choices
        self._shade(list(choices.valid), d.row)
        if d.pending_drop is not None:
            self._finish(d.pending_drop)

    def move_bar(self, wanted_start: float) -> None:
        d = self.bar
        if d is None:
            return
        kind, at, text = self._resolve(wanted_start)
        length = d.end - d.start
        self.view.bars.set_preview(at, at + length, d.row, "refused" if kind == "refused" else "valid")
        self._show_label(at, d.row, text)

    def finish_bar(self, wanted_start: float) -> None:
        d = self.bar
        if d is None:
            return
        if d.choices is None:
            d.pending_drop = wanted_start
            self._show_label(wanted_start, d.row, "checking where it may go…")
            return
        self._finish(wanted_start)

    def _finish(self, wanted_start: float) -> None:
        d = self.bar
        assert d is not None
        kind, at, text = self._resolve(wanted_start)
        self.clear()
        if kind == "valid" and abs(at - d.start) > 1e-6:
            self.last_outcome = ("move", at - d.start)
            self.view.moveDropped.emit(d.acquisition_id, at - d.start)
        elif kind == "refused":
            self.last_outcome = ("refused", text)
            self.view.dropRefused.emit(d.acquisition_id, text)
        else:
            self.last_outcome = ("unchanged", 0.0)

    def _resolve(self, wanted: float) -> tuple[str, float, str]:
        """("valid", snapped start, label) / ("refused", start, reason) / ("loading", start, label)."""
        d = self.bar
        assert d is not None
        c = d.choices
        if c is None:
            return "loading", wanted, "finding valid starts…"
        if c.blocked:
            return "refused", wanted, c.blocked
        px = self.view.viewbox.viewPixelSize()[0]
        tol = max(SNAP_S, SNAP_PX * px) if px == px else SNAP_S
        places = [(s, "") for s, _e in c.valid] + [(s, why) for s, _e, why in c.refused]
        if not places:
            return "refused", wanted, "no valid start in its pass"
        s, why = min(places, key=lambda p: (abs(p[0] - wanted), p[1] != ""))
        if abs(s - wanted) > tol and not (min(p[0] for p in places) <= wanted <= max(p[0] for p in places)):
            valid = sorted(v for v, _ in c.valid)
            if len(valid) <= 1:
                return "refused", wanted, (f"no other valid start in its pass on {d.satellite} "
                                           "(Swap in the Inspector offers other passes)")
            return "refused", wanted, (f"outside its pass: on {d.satellite} it can start from "
                                       f"{_when(valid[0])} to {_when(valid[-1], valid[0])}")
        if why:
            return "refused", s, why
        if abs(s - d.start) < 1e-6:
            return "valid", s, f"{_when(s)} (where it is)"
        return "valid", s, f"{_when(s)} ({shift(round(s - d.start, 3))})"

    # ------------------------------------------------------------------ order drag
    def start_order(self, order_id: str, text: str) -> None:
        self.order = _OrderDrag(order_id, text)

    def set_order_slots(self, order_id: str, slots: Mapping[str, Sequence[tuple[float, float]]]) -> None:
        if self.order is None or self.order.order_id != order_id:
            return
        self.order.slots = {k: sorted(v) for k, v in slots.items()}
        self.order.loaded = True

    def move_order(self, satellite: str | None, row: int, t: float) -> None:
        o = self.order
        if o is None:
            return
        if satellite is None:
            self.view.bars.clear_preview()
            self._hide_shading()
            self.label.hide()
            return
        slots = o.slots.get(satellite, [])
        self._shade(slots, row, span=False)
        if not o.loaded:
            self._show_label(t, row, f"{o.text} on {satellite}: finding opportunities…")
            self.view.bars.clear_preview()
            return
        if not slots:
            self._show_label(t, row, f"{o.text}: {satellite} has no valid opportunity")
            self.view.bars.clear_preview()
            return
        s, e = min(slots, key=lambda p: (abs(p[0] - t), p[0]))
        self.view.bars.set_preview(s, e, row, "valid")
        self._show_label(s, row, f"Place {o.text} on {satellite} at {_when(s)}")

    def end_order(self) -> None:
        self.order = None
        self.clear()

    # ------------------------------------------------------------------ drawing
    def _shade(self, places: list[tuple[float, float]], row: int, span: bool = True) -> None:
        y0 = row + BAR_TOP - 0.1
        h = BAR_BOTTOM - BAR_TOP + 0.2
        if places and span:
            lo = min(s for s, _ in places)
            hi = max(e for _, e in places)
            self.range_item.setRect(QtCore.QRectF(lo, y0, max(hi - lo, 1.0), h))
            self.range_item.show()
        else:
            self.range_item.hide()
        path = QtGui.QPainterPath()
        for s, e in places:
            path.addRect(QtCore.QRectF(s, row + BAR_BOTTOM + 0.02, max(e - s, 1.0), 0.1))
        self.slots_item.setPath(path)
        self.slots_item.setVisible(bool(places))

    def _hide_shading(self) -> None:
        self.range_item.hide()
        self.slots_item.hide()

    def _show_label(self, x: float, row: int, text: str) -> None:
        # Left of the point in the right half of the view, so a long reason is never cut at the edge.
        x0, x1 = self.view.x_range()
        self.label.setAnchor((1, 1) if x > (x0 + x1) / 2 else (0, 1))
        self.label.setText(text)
        # A long reason wraps (at most LABEL_MAX_PX wide) rather than running off the view.
        wide = QtGui.QFontMetrics(self.label.textItem.font()).horizontalAdvance(text) > LABEL_MAX_PX
        self.label.setTextWidth(LABEL_MAX_PX if wide else -1)
        self.label.setPos(x, row + BAR_TOP - 0.02)
        self.label.show()

    def shaded_range(self) -> tuple[float, float] | None:
        """The shaded span of valid starts (epoch seconds), or None."""
        if not self.range_item.isVisible():
            return None
        r = self.range_item.rect()
        return r.left(), r.right()

    def label_text(self) -> str:
        return self.label.textItem.toPlainText() if self.label.isVisible() else ""

    def clear(self) -> None:
        self.bar = None
        self._hide_shading()
        self.label.hide()
        self.view.bars.clear_preview()
