"""The timeline's ViewBox: x zooms and pans, y never moves; left-drag draws a selection rectangle.

Mouse scheme (shown to the planner in the timeline's hint label):

* left drag on a bar (no modifier): move it along its row (``barDragged``; the view snaps it)
* left drag elsewhere: rubber-band select (plain: replace, Shift: add, Ctrl: toggle)
* middle drag, or Alt + left drag: pan in time
* wheel: zoom in time around the cursor; right drag: zoom in time
* click: select one bar (Shift adds, Ctrl toggles); double-click: open it; right click: menu
"""
from __future__ import annotations

import pyqtgraph as pg
from collections.abc import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from .palette import SELECTION_OUTLINE, colour

Mods = QtCore.Qt.KeyboardModifier
Btn = QtCore.Qt.MouseButton


class TimelineViewBox(pg.ViewBox):
    """Emits the planner's gestures in data coordinates (x epoch seconds, y rows)."""

    #: (x0, x1, y0, y1, modifiers): a rubber band was released.
    rubberBandFinished = QtCore.Signal(float, float, float, float, object)
    #: (x, y, modifiers, double)
    clicked = QtCore.Signal(float, float, object, bool)
    #: (x, y, global screen position)
    contextRequested = QtCore.Signal(float, float, QtCore.QPoint)
    #: (press x, press y, x now, phase "start" | "move" | "finish"): a bar is being dragged.
    barDragged = QtCore.Signal(float, float, float, str)

    def __init__(self) -> None:
        super().__init__(enableMenu=False)
        self.setMouseEnabled(x=True, y=False)
        self.invertY(True)
        self._band = QtWidgets.QGraphicsRectItem()
        pen = QtGui.QPen(colour(SELECTION_OUTLINE), 1.0, QtCore.Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self._band.setPen(pen)
        self._band.setBrush(QtGui.QBrush(colour("#2f6fd3", 40)))
        self._band.setZValue(1e9)
        self._band.hide()
        self.addItem(self._band, ignoreBounds=True)
        #: (x, y) → whether a plain left drag starting there moves a bar (set by the view).
        self.bar_at: Callable[[float, float], bool] = lambda _x, _y: False
        self._bar_press: QtCore.QPointF | None = None

    @property
    def band_visible(self) -> bool:
        return self._band.isVisible()

    def mouseDragEvent(self, ev, axis=None):  # noqa: N802 - pyqtgraph API
        button = ev.button()
        mods = ev.modifiers()
        if button == Btn.LeftButton and (self._bar_press is not None or ev.isStart()):
            p0 = self.mapToView(ev.buttonDownPos())
            if ev.isStart() and not (mods & (Mods.AltModifier | Mods.ShiftModifier | Mods.ControlModifier)) \
                    and self.bar_at(p0.x(), p0.y()):
                self._bar_press = p0
            if self._bar_press is not None:
                ev.accept()
                phase = "start" if ev.isStart() else "finish" if ev.isFinish() else "move"
                x = self.mapToView(ev.pos()).x()
                press = self._bar_press
                if ev.isFinish():
                    self._bar_press = None
                self.barDragged.emit(press.x(), press.y(), x, phase)
                return
        if button == Btn.LeftButton and not (mods & Mods.AltModifier):
            ev.accept()
            p0 = self.mapToView(ev.buttonDownPos())
            p1 = self.mapToView(ev.pos())
            rect = QtCore.QRectF(p0, p1).normalized()
            if ev.isFinish():
                self._band.hide()
                self.rubberBandFinished.emit(rect.left(), rect.right(), rect.top(), rect.bottom(), mods)
            else:
                self._band.setRect(rect)
                self._band.show()
            return
        if button == Btn.LeftButton:  # Alt + left: pan in time, like the middle button
            ev.accept()
            delta = self.mapToView(ev.pos()) - self.mapToView(ev.lastPos())
            self.translateBy(x=-delta.x())
            return
        super().mouseDragEvent(ev, axis)

    def mouseClickEvent(self, ev):  # noqa: N802 - pyqtgraph API
        p = self.mapToView(ev.pos())
        if ev.button() == Btn.LeftButton:
            ev.accept()
            self.clicked.emit(p.x(), p.y(), ev.modifiers(), bool(ev.double()))
        elif ev.button() == Btn.RightButton:
            ev.accept()
            self.contextRequested.emit(p.x(), p.y(), ev.screenPos().toPoint())
        else:
            super().mouseClickEvent(ev)
