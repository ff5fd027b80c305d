"""The Gantt timeline: one row per satellite, acquisitions as bars on a UTC time axis.

The view is driven by ``set_...`` calls with domain objects and reports every planner intent
with a signal; it never talks to a service. Selection changes made by code (``set_selection``)
emit nothing, so a main window can keep the lists, the timeline and the inspector in sync
without loops.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import Acquisition, PlanItem

from .formatting import (SIGN_CONVENTION, acquisition_name, duration_text, number_text, pitch_text, roll_text,
                         utc_text)
from .palette import (BAR_COLOURS, CATEGORY_LABELS, GHOST_FILL, NOW_LINE, ZONE_FILLS, BarCategory,
                      bar_category, colour, is_locked)
from .resource_lanes_item import ResourceLanes
from .time_axis import TwoLevelTimeAxis
from .timeline_bars import MIN_BAR_PX, TimelineBars
from .timeline_drag import DragChoices, DragLayer
from .timeline_viewbox import Mods, TimelineViewBox

pg.setConfigOptions(antialias=False)

#: Zoom presets: name → visible span in seconds.
ZOOM_PRESETS: dict[str, float] = {"hour": 3600.0, "day": 86400.0, "week": 7 * 86400.0}
#: The narrowest and widest time spans the view may show.
MIN_SPAN_S = 60.0
MAX_SPAN_S = 31 * 86400.0

MOUSE_HINT = ("Drag a bar: move it · Drag: select · Shift+drag: add · Ctrl+drag: toggle · Wheel: zoom · "
              "Alt+drag: pan · Double-click: open · Inbox order onto a row: place it")


class TimelineView(QtWidgets.QWidget):
    """Gantt timeline of acquisitions (rows = satellites, x = UTC)."""

    #: Acquisition ids now selected (after a click or a rubber band; not after ``set_selection``).
    selectionChanged = QtCore.Signal(list)
    #: Double-click on a bar: the acquisition id (or a plan-item id for a ghost bar).
    activated = QtCore.Signal(str)
    #: Right click: (selected acquisition ids after the click, global position) for a context menu.
    contextMenuRequested = QtCore.Signal(list, QtCore.QPoint)
    #: The visible time range changed: (start, end) epoch seconds.
    rangeChanged = QtCore.Signal(float, float)
    #: A bar is being dragged: its acquisition id (answer with ``set_drag_choices``).
    barDragStarted = QtCore.Signal(str)
    #: A bar was dropped on a valid start of its pass: (acquisition id, shift in seconds, + = later).
    moveDropped = QtCore.Signal(str, float)
    #: A drop was refused: (acquisition id, the reason in words); nothing moved.
    dropRefused = QtCore.Signal(str, str)
    #: An Inbox order was dropped on a row: (order id, satellite id, time under the pointer, epoch s).
    orderDropped = QtCore.Signal(str, str, float)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[str] = []
        self._row_of: dict[str, int] = {}
        self._acqs: dict[str, Acquisition] = {}
        self._ghosts: dict[str, PlanItem] = {}
        self._conflict_ids: frozenset[str] = frozenset()
        self._zones: tuple[float, float, float, float, float] | None = None
        self._freeze_cutoff: datetime | None = None
        self._hover_text = ""
        self._highlighted: frozenset[str] = frozenset()

        self.viewbox = TimelineViewBox()
        self.viewbox.disableAutoRange()
        self.time_axis = TwoLevelTimeAxis()
        self.row_axis = pg.AxisItem(orientation="left")
        self.plot = pg.PlotWidget(viewBox=self.viewbox,
                                  axisItems={"bottom": self.time_axis, "left": self.row_axis})
        self.plot.setBackground("#ffffff")
        self.plot.setMouseTracking(True)
        item = self.plot.getPlotItem()
        item.hideButtons()
        item.setMenuEnabled(False)
        item.showGrid(x=True, y=False, alpha=0.25)
        for axis in (self.time_axis, self.row_axis):
            axis.setPen(pg.mkPen("#6b7785"))
            axis.setTextPen(pg.mkPen("#1f2933"))
        self.row_axis.setWidth(86)
        self.row_axis.setStyle(tickLength=0)

        self._zone_items: dict[str, pg.LinearRegionItem] = {}
        self._zone_labels: dict[str, pg.TextItem] = {}
        for name, rgba in ZONE_FILLS.items():
            region = pg.LinearRegionItem(movable=False, brush=pg.mkBrush(*rgba),
                                         pen=pg.mkPen(None))
            region.setZValue(-20)
            region.hide()
            self.viewbox.addItem(region, ignoreBounds=True)
            self._zone_items[name] = region
            label = pg.TextItem(name.upper(), color="#5b6776", anchor=(0, 0))
            label.setFont(_font(7.5, bold=True))
            label.setZValue(-10)
            label.hide()
            self.viewbox.addItem(label, ignoreBounds=True)
            self._zone_labels[name] = label
        self.now_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(NOW_LINE, width=2),
                                        label="now", labelOpts={"position": 0.97, "color": NOW_LINE,
                                                                "fill": (255, 255, 255, 200)})
        self.now_line.setZValue(50)
        self.now_line.hide()
        self.viewbox.addItem(self.now_line, ignoreBounds=True)

        self.bars = TimelineBars()
        self.bars.setZValue(10)
        self.viewbox.addItem(self.bars)
        # Resource lanes behind the bars, off until asked for (View ▸ Resource lanes).
        self.lanes = ResourceLanes()
        self.lanes.setZValue(5)
        self.lanes.hide()
        self.viewbox.addItem(self.lanes, ignoreBounds=True)

        self.drag = DragLayer(self)
        self.viewbox.bar_at = self._draggable_at
        self.viewbox.barDragged.connect(self._on_bar_drag)
        self.viewbox.rubberBandFinished.connect(self._on_rubber_band)
        self.viewbox.clicked.connect(self._on_click)
        self.viewbox.contextRequested.connect(self._on_context)
        self.viewbox.sigXRangeChanged.connect(self._on_x_range)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.hint = QtWidgets.QLabel(MOUSE_HINT)
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)  # two lines in a narrow window rather than a wider window
        self.hint.setToolTip(MOUSE_HINT.replace(" · ", "\n"))
        self._build_layout()
        self.set_rows([])

    # ----------------------------------------------------------------- layout
    def _build_layout(self) -> None:
        bar = QtWidgets.QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.setSpacing(4)
        self.preset_buttons: dict[str, QtWidgets.QToolButton] = {}
        for name, tip in (("hour", "Show one hour (Ctrl+1)"), ("day", "Show one day (Ctrl+2)"),
                          ("week", "Show one week (Ctrl+3)")):
            b = QtWidgets.QToolButton()
            b.setText(name.capitalize())
            b.setToolTip(tip)
            b.setCheckable(True)
            b.clicked.connect(lambda _=False, n=name: self.zoom_preset(n))
            bar.addWidget(b)
            self.preset_buttons[name] = b
        self.fit_button = QtWidgets.QToolButton()
        self.fit_button.setText("Horizon")
        self.fit_button.setToolTip("Show the whole planning horizon")
        self.fit_button.clicked.connect(self.zoom_to_horizon)
        bar.addWidget(self.fit_button)
        self.now_button = QtWidgets.QToolButton()
        self.now_button.setText("Now")
        self.now_button.setToolTip("Scroll to the current time, keeping the zoom")
        self.now_button.clicked.connect(self.scroll_to_now)
        bar.addWidget(self.now_button)
        bar.addSpacing(12)
        # The legend goes beside the buttons when the window is wide and under them when it is
        # not, so the timeline never forces the window wider than a 1366 px screen.
        self.legend = self._legend()
        bar.addWidget(self.legend)
        bar.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        self._legend_row_box = QtWidgets.QWidget()
        self._legend_row = QtWidgets.QHBoxLayout(self._legend_row_box)
        self._legend_row.setContentsMargins(4, 0, 4, 0)
        self._legend_row.addStretch(1)
        self._legend_row_box.hide()
        layout.addWidget(self._legend_row_box)
        layout.addWidget(self.plot, 1)
        foot = QtWidgets.QHBoxLayout()
        foot.setContentsMargins(0, 0, 0, 0)
        foot.addWidget(self.hint, 1)
        self.lanes_legend = self._lanes_legend()
        self.lanes_legend.hide()
        foot.addWidget(self.lanes_legend)
        layout.addLayout(foot)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._place_legend()

    def _place_legend(self) -> None:
        buttons = sum(b.sizeHint().width() + 4 for b in self.preset_buttons.values()) \
            + self.fit_button.sizeHint().width() + self.now_button.sizeHint().width() + 24
        beside = self.width() >= buttons + self.legend.sizeHint().width() + 8
        top = self.layout().itemAt(0).layout()
        if beside and self.legend.parent() is not None and top.indexOf(self.legend) < 0:
            self._legend_row.removeWidget(self.legend)
            top.insertWidget(top.count() - 1, self.legend)
        elif not beside and top.indexOf(self.legend) >= 0:
            top.removeWidget(self.legend)
            self._legend_row.insertWidget(0, self.legend)
        self._legend_row_box.setVisible(not beside)

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        return QtCore.QSize(min(hint.width(), self.legend.sizeHint().width() + 8), hint.height())

    def _lanes_legend(self) -> QtWidgets.QWidget:
        from .resource_lanes_item import (BATTERY_LINE, CONTACT_FILL, ECLIPSE_FILL, MEMORY_LINE, RESERVE_LINE,
                                          SUNLIT_FILL)
        w = QtWidgets.QWidget()
        lay = QtWidgets.QHBoxLayout(w)
        lay.setContentsMargins(0, 0, 4, 0)
        lay.setSpacing(6)
        for fill, text, line in ((SUNLIT_FILL, "sunlit", False), (ECLIPSE_FILL, "eclipse", False),
                                 (CONTACT_FILL, "contact", False), (BATTERY_LINE, "battery", True),
                                 (MEMORY_LINE, "memory (dashed: candidate)", True), (RESERVE_LINE, "reserve", True)):
            swatch = QtWidgets.QLabel()
            swatch.setPixmap(_line_swatch(fill) if line else _swatch(fill, fill, False))
            lay.addWidget(swatch)
            t = QtWidgets.QLabel(text)
            t.setProperty("role", "hint")
            lay.addWidget(t)
        return w

    def _legend(self) -> QtWidgets.QWidget:
        """Two rows: what is planned (plan states, locks, conflicts, the candidate), then what
        happened (executing, completed, failed), so it fits beside the buttons at 1366 px."""
        w = QtWidgets.QWidget()
        rows = QtWidgets.QVBoxLayout(w)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(1)
        history = (BarCategory.EXECUTING, BarCategory.COMPLETED, BarCategory.FAILED)
        planned = [(BAR_COLOURS[c][0], BAR_COLOURS[c][1], CATEGORY_LABELS[c], False, c)
                   for c in BarCategory if c not in history]
        planned.append((GHOST_FILL, GHOST_FILL, "candidate", True, None))
        happened = [(BAR_COLOURS[c][0], BAR_COLOURS[c][1], CATEGORY_LABELS[c], False, c) for c in history]
        for entries in (planned, happened):
            lay = QtWidgets.QHBoxLayout()
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(10)
            for fill, edge, text, dashed, category in entries:
                lbl = QtWidgets.QLabel()
                lbl.setPixmap(_swatch(fill, edge, dashed, self.bars.hatch_of(category)))
                lay.addWidget(lbl)
                t = QtWidgets.QLabel(text)
                t.setProperty("role", "hint")
                lay.addWidget(t)
                lay.addSpacing(2)
            lay.addStretch(1)
            rows.addLayout(lay)
        return w

    # -------------------------------------------------------------------- API
    def set_rows(self, satellite_ids: Sequence[str]) -> None:
        """One row per satellite, top-down in the given order."""
        self._rows = list(dict.fromkeys(satellite_ids))
        self._row_of = {s: i for i, s in enumerate(self._rows)}
        # pyqtgraph drops tick labels wider than the axis: size it to the longest name.
        metrics = QtGui.QFontMetrics(self.row_axis.style.get("tickFont") or self.font())
        widest = max((metrics.horizontalAdvance(r) for r in self._rows), default=0)
        self.row_axis.setWidth(max(86, widest + 16))
        self._apply_rows()
        if self._acqs:
            self._rebuild_bars()
        if self._ghosts:
            self._rebuild_ghosts()

    def rows(self) -> list[str]:
        return list(self._rows)

    def set_resource_lanes(self, lanes) -> None:
        """Contacts, sunlit/eclipse, battery and memory per satellite (``SatelliteLanes`` by
        satellite id, from ``app.services.resource_lanes``); drawn in the rows when shown."""
        self.lanes.set_lanes(lanes or {}, self._row_of, len(self._rows))

    def show_resource_lanes(self, visible: bool) -> None:
        self.lanes.setVisible(bool(visible))
        self.lanes_legend.setVisible(bool(visible))
        # The mouse hint gives way to the lanes' legend (it stays in the hint's tooltip).
        self.hint.setVisible(not visible)

    def resource_lanes_visible(self) -> bool:
        return self.lanes.isVisible()

    def set_acquisitions(self, acqs: Iterable[Acquisition], conflict_ids: Iterable[str] = frozenset()) -> None:
        """Show these acquisitions; those in ``conflict_ids`` are drawn red. Keeps the selection
        of acquisitions still present. A satellite without a row gets one at the bottom."""
        self._acqs = {a.id: a for a in acqs}
        self._conflict_ids = frozenset(conflict_ids)
        missing = [s for s in dict.fromkeys(a.satellite_id for a in self._acqs.values()) if s not in self._row_of]
        if missing:
            self._rows.extend(missing)
            self._row_of = {s: i for i, s in enumerate(self._rows)}
            self._apply_rows()
        self._rebuild_bars()

    def update_acquisitions(self, changed: Iterable[Acquisition]) -> None:
        """New versions of shown acquisitions (a lock, a state change): colours and lock glyphs
        updated in place; a bar whose time or satellite changed (or an unknown id) is dropped
        and inserted again — only those, the others are not rebuilt."""
        changed = list(changed)

        def place(a: Acquisition | None) -> tuple | None:
            return None if a is None else (a.start, a.end, a.satellite_id)
        moved = [a for a in changed if place(self._acqs.get(a.id)) != place(a)]
        if moved:
            selected = {a.id for a in moved} & set(self.bars.selected_ids())
            self.remove_acquisitions([a.id for a in moved])
            self.add_acquisitions(moved)
            if selected:
                self.bars.set_selected_ids(set(self.bars.selected_ids()) | selected)
            moved_ids = {a.id for a in moved}
            changed = [a for a in changed if a.id not in moved_ids]
        if not changed:
            return
        self._acqs.update((a.id, a) for a in changed)
        ids = [a.id for a in changed]
        self.bars.update_bars(np.array([self.bars.index_of(i) for i in ids], dtype=np.int64), self._categories(ids),
                              np.fromiter((is_locked(a) for a in changed), dtype=bool, count=len(changed)))

    def add_acquisitions(self, added: Iterable[Acquisition]) -> None:
        """Acquisitions new to the view (a commit, an undo of a delete): their bars are inserted;
        the others are not rebuilt. A satellite without a row gets one at the bottom."""
        acqs = [a for a in added if a.id not in self._acqs]
        if not acqs:
            return
        self._acqs.update((a.id, a) for a in acqs)
        missing = [s for s in dict.fromkeys(a.satellite_id for a in acqs) if s not in self._row_of]
        if missing:
            self._rows.extend(missing)
            self._row_of = {s: i for i, s in enumerate(self._rows)}
            self._apply_rows()
        ids = [a.id for a in acqs]
        n = len(acqs)
        self.bars.add_bars(ids, np.fromiter((a.start.timestamp() for a in acqs), dtype=np.float64, count=n),
                           np.fromiter((a.end.timestamp() for a in acqs), dtype=np.float64, count=n),
                           np.fromiter((self._row_of[a.satellite_id] for a in acqs), dtype=np.int32, count=n),
                           self._categories(ids), np.fromiter((is_locked(a) for a in acqs), dtype=bool, count=n),
                           [a.target_id for a in acqs])
        if self._highlighted & set(ids):
            self.bars.set_highlighted_ids(self._highlighted)

    def remove_acquisitions(self, ids: Iterable[str]) -> None:
        """Acquisitions gone (a delete): their bars are dropped in place, the rest is not rebuilt."""
        ids = [i for i in ids if self._acqs.pop(i, None) is not None]
        self.bars.remove_bars(ids)

    def acquisitions(self) -> list[Acquisition]:
        return list(self._acqs.values())

    def set_conflict_ids(self, conflict_ids: Iterable[str]) -> None:
        self._conflict_ids = frozenset(conflict_ids)
        self._recolour()

    def set_ghost_items(self, plan_items: Iterable[PlanItem]) -> None:
        """Candidate-plan items drawn translucent and dashed in their satellite's row (empty: none)."""
        self._ghosts = {p.id: p for p in plan_items}
        missing = [s for s in dict.fromkeys(p.satellite_id for p in self._ghosts.values()) if s not in self._row_of]
        if missing:
            self._rows.extend(missing)
            self._row_of = {s: i for i, s in enumerate(self._rows)}
            self._apply_rows()
            self._rebuild_bars()
        self._rebuild_ghosts()

    def set_zones(self, now: datetime, freeze_cutoff: datetime, planning_end: datetime,
                  horizon_start: datetime, horizon_end: datetime) -> None:
        """Shade frozen [now, freeze_cutoff), planning [freeze_cutoff, planning_end) and forecast
        [planning_end, horizon_end); draw the "now" line. Bars before ``freeze_cutoff`` turn grey.
        The view's x limits become the horizon plus a margin."""
        t = [x.timestamp() for x in (now, freeze_cutoff, planning_end, horizon_start, horizon_end)]
        self._zones = (t[0], t[1], t[2], t[3], t[4])
        self._freeze_cutoff = freeze_cutoff
        spans = {"frozen": (t[0], t[1]), "planning": (t[1], t[2]), "forecast": (t[2], t[4])}
        for name, (a, b) in spans.items():
            region = self._zone_items[name]
            region.setRegion((a, b))
            region.setVisible(b > a)
        self.now_line.setValue(t[0])
        self.now_line.show()
        self._apply_limits()
        self._place_zone_labels()
        self._recolour()

    def set_selection(self, ids: Iterable[str]) -> None:
        """Select exactly these acquisitions; emits nothing (the caller already knows)."""
        self.bars.set_selected_ids(frozenset(ids))

    def selected_ids(self) -> list[str]:
        return self.bars.selected_ids()

    def highlight(self, ids: Iterable[str]) -> None:
        """Outline these acquisitions in orange (e.g. the ones of a conflict); empty clears."""
        self._highlighted = frozenset(ids)
        self.bars.set_highlighted_ids(self._highlighted)

    def highlighted_ids(self) -> frozenset[str]:
        return self._highlighted

    def preview(self, acquisition_id: str, new_start: datetime, new_end: datetime,
                new_satellite: str | None = None) -> None:
        """Draw where an acquisition would go (dashed orange) without changing it."""
        acq = self._acqs.get(acquisition_id)
        sat = new_satellite or (acq.satellite_id if acq else None)
        if sat is None or sat not in self._row_of:
            raise KeyError(f"preview: unknown acquisition {acquisition_id!r} or satellite {sat!r}")
        self.bars.set_preview(new_start.timestamp(), new_end.timestamp(), self._row_of[sat])

    def clear_preview(self) -> None:
        self.bars.clear_preview()

    def zoom_to(self, start: datetime | float, end: datetime | float) -> None:
        """Show [start, end] (datetimes or epoch seconds); y never changes."""
        a = start.timestamp() if isinstance(start, datetime) else float(start)
        b = end.timestamp() if isinstance(end, datetime) else float(end)
        if b <= a:
            raise ValueError(f"zoom_to: end must be after start ({b} ≤ {a})")
        self.viewbox.setXRange(a, b, padding=0.0)

    def zoom_preset(self, name: str) -> None:
        """``hour`` / ``day`` / ``week``: that span around the selection when there is one (its
        first bars in view), else starting just before "now" when now is in view (planners look
        ahead), else centred on the current view."""
        if name not in ZOOM_PRESETS:
            raise ValueError(f"zoom preset: unknown {name!r}; known: {', '.join(ZOOM_PRESETS)}")
        span = ZOOM_PRESETS[name]
        x0, x1 = self.x_range()
        selected = self._selected_span()
        now = self._zones[0] if self._zones else None
        outside = self._zones is not None and not (x0 < self._zones[4] and x1 > self._zones[3])
        if selected is not None:
            s0, s1 = selected
            # The whole selection when it fits, else its beginning with a little lead.
            a = (s0 + s1) / 2 - span / 2 if s1 - s0 <= 0.9 * span else s0 - 0.05 * span
        elif now is not None and (x0 <= now <= x1 or outside):
            a = now - 0.05 * span
        else:
            a = (x0 + x1) / 2 - span / 2
        self.zoom_to(a, a + span)

    def reveal(self, ids: Iterable[str], min_span_s: float = 2 * 3600.0) -> None:
        """Bring these acquisitions (or candidate items) into view at a zoom where they are bars,
        not slivers: unchanged when all are visible already; else centred on them, with a span of
        at least ``min_span_s`` and at most the current one unless they need more."""
        span_of = self._span_of(ids)
        if span_of is None:
            return
        s0, s1 = span_of
        x0, x1 = self.x_range()
        need = (s1 - s0) * 1.3 + 60.0
        if x0 <= s0 and s1 <= x1 and (x1 - x0) <= max(2 * 86400.0, 1.5 * need):
            return
        span = max(min_span_s, need, min(x1 - x0, max(need, min_span_s)))
        span = min(span, max(need, 2 * 86400.0))
        mid = (s0 + s1) / 2
        self.zoom_to(mid - span / 2, mid + span / 2)

    def zoom_to_horizon(self) -> None:
        if self._zones:
            self.zoom_to(self._zones[3], self._zones[4])
        elif len(self.bars.start):
            self.zoom_to(float(self.bars.start.min()), float(self.bars.end.max()) + 60.0)

    def scroll_to_now(self) -> None:
        if not self._zones:
            return
        x0, x1 = self.x_range()
        span = x1 - x0
        self.zoom_to(self._zones[0] - 0.05 * span, self._zones[0] + 0.95 * span)

    def x_range(self) -> tuple[float, float]:
        (x0, x1), _ = self.viewbox.viewRange()
        return float(x0), float(x1)

    def y_range(self) -> tuple[float, float]:
        _, (y0, y1) = self.viewbox.viewRange()
        return float(y0), float(y1)

    def select_all_in_view(self) -> list[str]:
        """Select every bar in the visible time range (all rows); emits ``selectionChanged``."""
        x0, x1 = self.x_range()
        hits = self.bars.indices_in_rect(x0, x1, 0.0, float(len(self._rows)), self._min_width())
        mask = np.zeros(len(self.bars.ids), dtype=bool)
        mask[hits] = True
        return self._apply_selection(mask)

    def select_in_rect(self, x0: float, x1: float, y0: float, y1: float,
                       modifiers: QtCore.Qt.KeyboardModifier = Mods.NoModifier) -> list[str]:
        """Select the bars intersecting a data rectangle as a rubber band would; emits the signal."""
        hits = self.bars.indices_in_rect(x0, x1, y0, y1, self._min_width())
        return self._combine(hits, modifiers)

    def tooltip_for(self, item_id: str) -> str:
        """The hover text of an acquisition or ghost plan item (HTML)."""
        if item_id in self._acqs:
            return _acquisition_tooltip(self._acqs[item_id], item_id in self._conflict_ids,
                                        self._freeze_cutoff)
        if item_id in self._ghosts:
            return _ghost_tooltip(self._ghosts[item_id])
        raise KeyError(f"tooltip: unknown id {item_id!r}")

    def hover_text(self) -> str:
        """The tooltip currently set by hovering (empty when over no bar)."""
        return self._hover_text

    def item_at(self, x: float, y: float) -> str | None:
        """The acquisition (or else ghost item) id at a data point, or None."""
        i = self.bars.index_at(x, y, self._min_width())
        if i is not None:
            return self.bars.ids[i]
        g = self.bars.ghost_index_at(x, y, self._min_width())
        return self.bars.ghost_ids[g] if g is not None else None

    # ------------------------------------------------------------ drag and drop
    def set_drag_choices(self, acquisition_id: str, choices: DragChoices) -> None:
        """Where the bar being dragged may go (see ``timeline_drag``); ignored when it is not the
        one being dragged any more."""
        self.drag.set_choices(acquisition_id, choices)

    def begin_order_drag(self, order_id: str, text: str) -> None:
        """An Inbox order is being dragged (``text``: how it is named on the preview label)."""
        self.drag.start_order(order_id, text)

    def set_order_drag_slots(self, order_id: str, slots) -> None:
        """The order's valid opportunities: satellite id → [(start, end) epoch seconds]."""
        self.drag.set_order_slots(order_id, slots)

    def order_drag_move(self, global_pos: QtCore.QPoint) -> None:
        sat, row, t = self._row_at_global(global_pos)
        self.drag.move_order(sat, row, t)

    def order_drag_drop(self, global_pos: QtCore.QPoint) -> bool:
        """The order was released at ``global_pos``: over a row, ``orderDropped`` is emitted."""
        order = self.drag.order
        sat, _row, t = self._row_at_global(global_pos)
        self.drag.end_order()
        if order is None or sat is None:
            return False
        self.orderDropped.emit(order.order_id, sat, t)
        return True

    def cancel_order_drag(self) -> None:
        self.drag.end_order()

    def _row_at_global(self, global_pos: QtCore.QPoint) -> tuple[str | None, int, float]:
        local = self.plot.mapFromGlobal(global_pos)
        if not self.plot.rect().contains(local):
            return None, -1, 0.0
        scene = self.plot.mapToScene(local)
        if not self.viewbox.sceneBoundingRect().contains(scene):
            return None, -1, 0.0
        p = self.viewbox.mapSceneToView(scene)
        row = int(np.floor(p.y()))
        if not 0 <= row < len(self._rows):
            return None, -1, p.x()
        return self._rows[row], row, p.x()

    def _draggable_at(self, x: float, y: float) -> bool:
        return self.bars.index_at(x, y, self._min_width()) is not None

    def _on_bar_drag(self, x0: float, y0: float, x: float, phase: str) -> None:
        if phase == "start":
            i = self.bars.index_at(x0, y0, self._min_width())
            if i is None:
                return
            a = self._acqs[self.bars.ids[i]]
            self.drag.start_bar(a.id, self._row_of[a.satellite_id], a.start.timestamp(),
                                a.end.timestamp(), a.satellite_id)
            self.barDragStarted.emit(a.id)
        d = self.drag.bar
        if d is None:
            return
        wanted = d.start + (x - x0)
        if phase == "finish":
            self.drag.finish_bar(wanted)
        else:
            self.drag.move_bar(wanted)

    def map_to_widget(self, t: datetime | float, row_y: float) -> QtCore.QPoint:
        """Viewport pixel of a data point (for tests, drag and drop, popups)."""
        x = t.timestamp() if isinstance(t, datetime) else float(t)
        scene = self.viewbox.mapViewToScene(QtCore.QPointF(x, row_y))
        return self.plot.mapFromScene(scene)

    def row_center(self, satellite_id: str) -> float:
        return self._row_of[satellite_id] + 0.5

    # ---------------------------------------------------------------- helpers
    def _selected_span(self) -> tuple[float, float] | None:
        return self._span_of(self.bars.selected_ids())

    def _span_of(self, ids: Iterable[str]) -> tuple[float, float] | None:
        starts, ends = [], []
        for i in ids:
            if i in self._acqs:
                a = self._acqs[i]
                starts.append(a.start.timestamp())
                ends.append(a.end.timestamp())
            elif i in self._ghosts:
                g = self._ghosts[i]
                starts.append(g.start.timestamp())
                ends.append(g.end.timestamp())
        if not starts:
            return None
        return min(starts), max(ends)

    def _apply_rows(self) -> None:
        n = len(self._rows)
        self.lanes.set_rows(self._row_of, n)
        self.row_axis.setTicks([[(i + 0.5, s) for i, s in enumerate(self._rows)], []])
        self.bars.set_rows(n)
        height = float(max(n, 1))
        self.viewbox.setLimits(yMin=0.0, yMax=height, minYRange=height, maxYRange=height)
        self.viewbox.setYRange(0.0, height, padding=0.0)
        self._apply_limits()

    def _apply_limits(self) -> None:
        if self._zones:
            h0, h1 = self._zones[3], self._zones[4]
            margin = 0.05 * (h1 - h0)
            self.viewbox.setLimits(xMin=h0 - margin, xMax=h1 + margin, minXRange=MIN_SPAN_S,
                                   maxXRange=min(MAX_SPAN_S, h1 - h0 + 2 * margin))
        else:
            self.viewbox.setLimits(xMin=None, xMax=None, minXRange=MIN_SPAN_S, maxXRange=MAX_SPAN_S)

    def _categories(self, ids: Sequence[str]) -> np.ndarray:
        return np.fromiter((bar_category(self._acqs[a], a in self._conflict_ids, self._freeze_cutoff)
                            for a in ids), dtype=np.int8, count=len(ids))

    def _rebuild_bars(self) -> None:
        acqs = list(self._acqs.values())
        ids = [a.id for a in acqs]
        n = len(acqs)
        start = np.fromiter((a.start.timestamp() for a in acqs), dtype=np.float64, count=n)
        end = np.fromiter((a.end.timestamp() for a in acqs), dtype=np.float64, count=n)
        row = np.fromiter((self._row_of[a.satellite_id] for a in acqs), dtype=np.int32, count=n)
        locked = np.fromiter((is_locked(a) for a in acqs), dtype=bool, count=n)
        selected = frozenset(self.bars.selected_ids())
        self.bars.set_bars(ids, start, end, row, self._categories(ids), locked,
                           [a.target_id for a in acqs], len(self._rows), selected)
        self.bars.set_highlighted_ids(self._highlighted)

    def _rebuild_ghosts(self) -> None:
        items = list(self._ghosts.values())
        self.bars.set_ghosts([p.id for p in items],
                             np.array([p.start.timestamp() for p in items], dtype=np.float64),
                             np.array([p.end.timestamp() for p in items], dtype=np.float64),
                             np.array([self._row_of[p.satellite_id] for p in items], dtype=np.int32))

    def _recolour(self) -> None:
        if self.bars.ids:
            self.bars.set_categories(self._categories(self.bars.ids))

    def _min_width(self) -> float:
        """Data width of ``MIN_BAR_PX`` pixels at the current zoom (what the bars are drawn at)."""
        px = self.viewbox.viewPixelSize()[0]
        return MIN_BAR_PX * px if np.isfinite(px) else 0.0

    def _combine(self, hits: np.ndarray, modifiers) -> list[str]:
        current = self.bars.selected
        mask = np.zeros(len(self.bars.ids), dtype=bool)
        mask[hits] = True
        if modifiers & Mods.ControlModifier:
            mask = current ^ mask
        elif modifiers & Mods.ShiftModifier:
            mask = current | mask
        return self._apply_selection(mask)

    def _apply_selection(self, mask: np.ndarray) -> list[str]:
        changed = not np.array_equal(mask, self.bars.selected)
        self.bars.set_selected_mask(mask)
        ids = self.bars.selected_ids()
        if changed:
            self.selectionChanged.emit(ids)
        return ids

    # ------------------------------------------------------------ mouse slots
    def _on_rubber_band(self, x0: float, x1: float, y0: float, y1: float, modifiers) -> None:
        self.select_in_rect(x0, x1, y0, y1, modifiers)

    def _on_click(self, x: float, y: float, modifiers, double: bool) -> None:
        item = self.item_at(x, y)
        if double:
            if item is not None:
                self.activated.emit(item)
            return
        i = self.bars.index_at(x, y, self._min_width())
        hits = np.array([i] if i is not None else [], dtype=np.int64)
        if i is None and modifiers & (Mods.ShiftModifier | Mods.ControlModifier):
            return  # a modified click on empty space keeps the selection
        self._combine(hits, modifiers)

    def _on_context(self, x: float, y: float, global_pos: QtCore.QPoint) -> None:
        i = self.bars.index_at(x, y, self._min_width())
        if i is not None and not self.bars.selected[i]:
            mask = np.zeros(len(self.bars.ids), dtype=bool)
            mask[i] = True
            self._apply_selection(mask)
        self.contextMenuRequested.emit(self.bars.selected_ids(), global_pos)

    def _on_mouse_moved(self, scene_pos: QtCore.QPointF) -> None:
        if not self.viewbox.sceneBoundingRect().contains(scene_pos):
            text = ""
        else:
            p = self.viewbox.mapSceneToView(scene_pos)
            item = self.item_at(p.x(), p.y())
            text = self.tooltip_for(item) if item else self._lane_text(p.x(), p.y())
        if text != self._hover_text:
            self._hover_text = text
            self.bars.setToolTip(text)

    def _lane_text(self, x: float, y: float) -> str:
        if not self.lanes.isVisible() or not 0 <= y < len(self._rows):
            return ""
        row = int(y)
        return self.lanes.describe(self._rows[row], x, y - row)

    def _on_x_range(self, _vb, rng) -> None:
        x0, x1 = float(rng[0]), float(rng[1])
        for name, button in self.preset_buttons.items():
            button.setChecked(abs((x1 - x0) - ZOOM_PRESETS[name]) < 0.01 * ZOOM_PRESETS[name])
        self._place_zone_labels()
        self.rangeChanged.emit(x0, x1)

    def _place_zone_labels(self) -> None:
        """Show a zone's name only where the zone is wide enough on screen to hold it, and keep
        it at the left edge of the visible part of the zone."""
        if not self._zones:
            return
        x0, x1 = self.x_range()
        px = self.viewbox.viewPixelSize()[0]
        now, cut, plan_end, _, h1 = self._zones
        for name, (a, b) in {"frozen": (now, cut), "planning": (cut, plan_end),
                             "forecast": (plan_end, h1)}.items():
            a_vis, b_vis = max(a, x0), min(b, x1)
            label = self._zone_labels[name]
            wide = np.isfinite(px) and (b_vis - a_vis) / px >= 56
            label.setVisible(bool(wide))
            if wide:
                label.setPos(a_vis, 0.0)


def _acquisition_tooltip(a: Acquisition, in_conflict: bool, freeze_cutoff: datetime | None) -> str:
    cat = bar_category(a, in_conflict, freeze_cutoff)
    rows = [
        ("Satellite", a.satellite_id),
        ("Start", utc_text(a.start)),
        ("End", f"{utc_text(a.end)} ({duration_text((a.end - a.start).total_seconds())})"),
        ("Roll", roll_text(a.roll_deg)),
        ("Pitch", pitch_text(a.pitch_deg)),
        ("Incidence", number_text(a.incidence_deg, ".1f", "°")),
        ("Quality", number_text(a.quality_score, ".2f")),
        ("State", a.state.value),
        ("Lock", a.lock_level.value),
    ]
    if in_conflict:
        rows.append(("Conflict", "yes: see the Conflicts list"))
    elif cat == BarCategory.FROZEN and freeze_cutoff is not None and a.start < freeze_cutoff:
        rows.append(("Zone", "frozen: will not change"))
    return _tooltip_html(acquisition_name(a), a.id, rows)


def _ghost_tooltip(p: PlanItem) -> str:
    rows = [
        ("Satellite", p.satellite_id),
        ("Start", utc_text(p.start)),
        ("End", f"{utc_text(p.end)} ({duration_text((p.end - p.start).total_seconds())})"),
        ("Roll", roll_text(p.roll_deg)),
        ("Pitch", pitch_text(p.pitch_deg)),
        ("Incidence", number_text(p.incidence_deg, ".1f", "°")),
        ("Quality", number_text(p.quality_score, ".2f")),
        ("Value", number_text(p.value, ".3f")),
        ("State", "candidate (not committed)"),
    ]
    return _tooltip_html(acquisition_name(p), p.id, rows)


def _tooltip_html(title: str, item_id: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(f"<tr><td style='color:#5b6776'>{k}</td><td>{v}</td></tr>" for k, v in rows)
    # The id is a detail (for a support ticket or the CLI), after what a planner reads.
    return (f"<b>{title}</b>"
            f"<table cellspacing='0' cellpadding='1'>{body}</table>"
            f"<div style='color:#5b6776;font-size:8pt'>{SIGN_CONVENTION}<br>id {item_id}</div>")


def _swatch(fill: str, edge: str, dashed: bool, hatch: QtGui.QBrush | None = None) -> QtGui.QPixmap:
    pm = QtGui.QPixmap(18, 12)
    pm.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(pm)
    p.setBrush(colour(fill, 90 if dashed else 255))
    p.setPen(QtGui.QPen(colour(edge), 1, QtCore.Qt.PenStyle.DashLine if dashed else QtCore.Qt.PenStyle.SolidLine))
    p.drawRect(1, 1, 16, 10)
    if hatch is not None:
        p.setBrush(hatch)
        p.setPen(QtCore.Qt.PenStyle.NoPen)
        p.drawRect(2, 2, 15, 9)
    p.end()
    return pm


def _line_swatch(hex_rgb: str) -> QtGui.QPixmap:
    pm = QtGui.QPixmap(18, 12)
    pm.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(pm)
    p.setPen(QtGui.QPen(colour(hex_rgb), 2))
    p.drawLine(1, 6, 17, 6)
    p.end()
    return pm


def _font(points: float, bold: bool = False) -> QtGui.QFont:
    f = QtGui.QFont()
    f.setPointSizeF(points)
    f.setBold(bold)
    return f
