"""The ground-track map: coastlines shipped in ``resources/``, targets coloured by planning
status, one orbit of ground track per satellite with its position at the moment shown, and the
footprints of the selected acquisitions. Equirectangular (longitude, latitude in degrees)."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import Target
from app.services.map_service import MapLayers

from .formatting import day_time, plural, time_span
from .palette import BAR_COLOURS, BarCategory
from .resources import resources_dir

#: Target marker colours by planning status (see ``map_service.target_statuses``).
STATUS_COLOURS = {"committed": BAR_COLOURS[BarCategory.COMMITTED][0],
                  "tentative": BAR_COLOURS[BarCategory.TENTATIVE][0],
                  "inbox": "#3b82f6", "none": "#9aa5b1"}
STATUS_LABELS = {"committed": "committed", "tentative": "tentative", "inbox": "in the Inbox", "none": "not ordered"}
#: Track colours, one per satellite in turn.
TRACK_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
                 "#ff7f0e", "#7f7f7f")
#: Zoom bounds (degrees across the view): ~50 km at least; at most what a map six times wider than
#: tall shows pole to pole. A map taller than 2:1 needs more than 180° of latitude on screen for the
#: world's whole width (the aspect is locked): past the poles is shaded and unlabelled.
MAX_SPAN_DEG = 1080.0
MIN_SPAN_DEG = 0.5
#: Target names appear once the view is narrower than this (degrees of longitude) …
LABEL_SPAN_DEG = 60.0
#: … for at most this many targets in view.
MAX_LABELS = 150
_FOOTPRINT_FILL = (255, 122, 0, 110)
_FOOTPRINT_EDGE = "#c2410c"


#: Finer coastlines (Natural Earth, ~1:50m detail; ``resources/world_fine.json``) below this span.
FINE_SPAN_DEG = 60.0


@lru_cache(maxsize=2)
def coastlines(name: str = "world_110m.json") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Longitudes, latitudes and the ``connect`` flags of every coastline ring of
    ``resources/<name>`` as one polyline (a ring does not connect to the next)."""
    data = json.loads((resources_dir() / name).read_text(encoding="utf-8"))
    rings = [np.asarray(r, dtype=np.float64).reshape(-1, 2) for r in data["rings"]]
    xy = np.concatenate(rings)
    connect = np.ones(len(xy), dtype=bool)
    connect[np.cumsum([len(r) for r in rings]) - 1] = False
    return xy[:, 0], xy[:, 1], connect


def split_at_antimeridian(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The track with a NaN break wherever it jumps across ±180° (drawn with connect='finite')."""
    jumps = np.flatnonzero(np.abs(np.diff(lon)) > 180.0) + 1
    return np.insert(lon, jumps, np.nan), np.insert(lat, jumps, np.nan)


class LatitudeAxis(pg.AxisItem):
    """The latitude axis: no ticks past the poles (a tall map shows the world's whole width, with
    shaded bands above and below it)."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 - pyqtgraph API
        return [(spacing, [v for v in values if -90.0 <= v <= 90.0])
                for spacing, values in super().tickValues(minVal, maxVal, size)]


def _polar_band(north: bool) -> QtWidgets.QGraphicsRectItem:
    """The shade past one pole, out to the zoom limit."""
    edge = MAX_SPAN_DEG
    band = QtWidgets.QGraphicsRectItem(-edge, 90.0 if north else -edge, 2 * edge, edge - 90.0)
    band.setBrush(pg.mkBrush("#d5dde6"))
    band.setPen(pg.mkPen(None))
    band.setZValue(-10)
    return band


class MapView(QtWidgets.QWidget):
    """The map tab. ``targetClicked`` carries a target id."""

    targetClicked = QtCore.Signal(str)
    #: The "All tracks" box changed: True = every satellite's ground track, not only the selection's.
    allTracksChanged = QtCore.Signal(bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(axisItems={"left": LatitudeAxis(orientation="left")})
        self.plot.setBackground("#eef4fa")
        item = self.plot.getPlotItem()
        item.setAspectLocked(True)
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", "longitude (°)")
        item.setLabel("left", "latitude (°)")
        item.getViewBox().setLimits(xMin=-MAX_SPAN_DEG / 2, xMax=MAX_SPAN_DEG / 2, yMin=-MAX_SPAN_DEG / 2,
                                    yMax=MAX_SPAN_DEG / 2, maxXRange=MAX_SPAN_DEG, maxYRange=MAX_SPAN_DEG,
                                    minXRange=MIN_SPAN_DEG, minYRange=MIN_SPAN_DEG / 2)
        for north in (True, False):
            item.addItem(_polar_band(north))
        item.hideButtons()
        lon, lat, connect = coastlines()
        self.land = pg.PlotCurveItem(lon, lat, connect=connect, pen=pg.mkPen("#7b8794", width=1))
        item.addItem(self.land)
        self.fine_land: pg.PlotCurveItem | None = None  # loaded the first time the map is zoomed in
        self._target_status: dict[str, str] = {}
        self.targets = pg.ScatterPlotItem(size=7, pen=pg.mkPen("#33415580"), hoverable=True, tip=self._target_tip)
        self.targets.sigClicked.connect(self._on_target_clicked)
        self.targets.setZValue(5)
        item.addItem(self.targets)
        self._layer_items: list[QtWidgets.QGraphicsItem] = []
        self._targets: list[Target] = []
        self._labels: list[pg.TextItem] = []
        #: Satellite names with the (lon, lat) they label: kept inside the view (``_keep_inside``).
        self._satellite_labels: list[tuple[pg.TextItem, float, float]] = []
        item.getViewBox().sigRangeChanged.connect(self._place_labels)
        self.fit_button = QtWidgets.QToolButton()
        self.fit_button.setText("Fit world")
        self.fit_button.setToolTip("Show the whole world: every longitude, pole to pole")
        self.fit_button.clicked.connect(self.show_world)
        self.all_tracks_box = QtWidgets.QCheckBox("All tracks")
        self.all_tracks_box.setToolTip("Every satellite's ground track, not only those of the selection")
        self.all_tracks_box.toggled.connect(self.allTracksChanged)
        self.caption = QtWidgets.QLabel()
        self.caption.setObjectName("mapCaption")
        self.caption.setWordWrap(True)
        self.legend = QtWidgets.QLabel(" ".join(
            f'<span style="color:{STATUS_COLOURS[s]}">●</span> {STATUS_LABELS[s]}' for s in STATUS_COLOURS)
            + f' &nbsp; <span style="color:{_FOOTPRINT_EDGE}">▭</span> footprint of the selection')
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 2)
        top.addWidget(self.fit_button)
        top.addWidget(self.all_tracks_box)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        # The caption above the legend: side by side, a 1366 px screen's map left it a narrow column.
        bottom = QtWidgets.QVBoxLayout()
        bottom.setContentsMargins(6, 2, 6, 4)
        bottom.setSpacing(2)
        bottom.addWidget(self.caption)
        bottom.addWidget(self.legend)
        layout.addLayout(bottom)
        self.show_world()

    # ------------------------------------------------------------------ content
    def set_targets(self, targets: Sequence[Target], statuses: Mapping[str, str]) -> None:
        """One marker per target, coloured by its planning status."""
        self._target_status = {t.id: statuses.get(t.id, "none") for t in targets}
        self._targets = list(targets)
        self.targets.setData(
            x=[t.lon for t in targets], y=[t.lat for t in targets], data=[t.id for t in targets],
            brush=[pg.mkBrush(STATUS_COLOURS[self._target_status[t.id]]) for t in targets])
        self._place_labels()

    def all_tracks(self) -> bool:
        return self.all_tracks_box.isChecked()

    def labelled_targets(self) -> list[str]:
        """The targets whose names are drawn now (zoomed in far enough)."""
        return [lbl.target_id for lbl in self._labels if lbl.isVisible()]

    def fine_coastlines_shown(self) -> bool:
        return self.fine_land is not None and self.fine_land.isVisible()

    def _place_labels(self, *_args) -> None:
        """Name the targets in view once zoomed in past ``LABEL_SPAN_DEG`` (at most ``MAX_LABELS``),
        and switch to the finer coastlines below ``FINE_SPAN_DEG``."""
        (x0, x1), (y0, y1) = self.plot.getPlotItem().getViewBox().viewRange()
        fine = bool(x1 - x0 <= FINE_SPAN_DEG)
        if fine and self.fine_land is None:
            lon, lat, connect = coastlines("world_fine.json")
            self.fine_land = pg.PlotCurveItem(lon, lat, connect=connect, pen=pg.mkPen("#7b8794", width=1))
            self.plot.getPlotItem().addItem(self.fine_land)
        if self.fine_land is not None:
            self.fine_land.setVisible(fine)
        self.land.setVisible(not fine)
        shown: list[Target] = []
        if x1 - x0 <= LABEL_SPAN_DEG:
            shown = [t for t in self._targets if x0 <= t.lon <= x1 and y0 <= t.lat <= y1][:MAX_LABELS]
        while len(self._labels) < len(shown):
            label = pg.TextItem("", color="#1f2933", anchor=(-0.1, 0.5))
            label.setZValue(9)
            self.plot.getPlotItem().addItem(label)
            self._labels.append(label)
        for k, label in enumerate(self._labels):
            if k < len(shown):
                t = shown[k]
                label.target_id = t.id
                label.setText(t.id)
                label.setPos(t.lon, t.lat)
                label.show()
                self._keep_inside(label, t.lon, t.lat, (-0.1, 0.5))
            else:
                label.hide()
        for label, lon, lat in self._satellite_labels:
            # A satellite out of view has no name in it (a part of one would peek in at the edge).
            label.setVisible(bool(x0 <= lon <= x1 and y0 <= lat <= y1))
            self._keep_inside(label, lon, lat, (0.0, 1.0))

    def _keep_inside(self, label: pg.TextItem, lon: float, lat: float, anchor: tuple[float, float]) -> None:
        """Anchor ``label`` (drawn at ``lon``, ``lat``; ``anchor`` as it is away from the edges) on
        the side of its point that keeps the whole text in the view: left of the point near the
        right edge, below it near the top (a name cut by the map's edge cannot be read)."""
        vb = self.plot.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = vb.viewRange()
        px, py = vb.viewPixelSize()
        if not (np.isfinite(px) and np.isfinite(py)):  # not laid out yet: placed again on the first range change
            return
        box = label.textItem.boundingRect()
        width, height = box.width() * px, box.height() * py
        ax, ay = anchor
        # Anchor x: the share of the text left of the point; anchor y: the share above it (y is up).
        right, left = lon + (1 - ax) * width, lon - ax * width
        if right > x1 and lon - (1 - ax) * width >= x0:
            ax = 1 - ax
        elif left < x0 and lon + ax * width <= x1:
            ax = 1 - ax
        top, bottom = lat + ay * height, lat - (1 - ay) * height
        if top > y1 and lat - ay * height >= y0:
            ay = 1 - ay
        elif bottom < y0 and lat + (1 - ay) * height <= y1:
            ay = 1 - ay
        if (ax, ay) != tuple(label.anchor):
            label.setAnchor((ax, ay))

    def labelled_satellites(self) -> list[str]:
        """The satellites whose names are drawn now (those in view)."""
        return [label.toPlainText() for label, _lon, _lat in self._satellite_labels if label.isVisible()]

    def label_rects(self) -> dict[str, QtCore.QRectF]:
        """Scene rectangles of the satellite names and the view's (for tests and screenshots)."""
        out = {label.toPlainText(): label.mapRectToScene(label.boundingRect())
               for label, _lon, _lat in self._satellite_labels}
        out["view"] = self.plot.getPlotItem().getViewBox().sceneBoundingRect()
        return out

    def target_status(self, target_id: str) -> str | None:
        return self._target_status.get(target_id)

    def _target_tip(self, x: float, y: float, data: str) -> str:
        return f"{data} ({y:.2f}°, {x:.2f}°): {STATUS_LABELS[self._target_status.get(data, 'none')]}"

    def set_layers(self, layers: MapLayers | None) -> None:
        """Replace the tracks, satellite positions and footprints."""
        item = self.plot.getPlotItem()
        for old in self._layer_items:
            item.removeItem(old)
        self._layer_items = []
        self._satellite_labels = []
        if layers is None:
            self.caption.setText("")
            return
        for k, track in enumerate(layers.tracks):
            colour = TRACK_COLOURS[k % len(TRACK_COLOURS)]
            lon, lat = split_at_antimeridian(track.lon, track.lat)
            self._add(pg.PlotCurveItem(lon, lat, connect="finite", pen=pg.mkPen(colour, width=1.5)))
            position = layers.position(track.satellite_id)
            if position is not None:
                self._add(pg.ScatterPlotItem([position[1]], [position[0]], size=10, symbol="t1",
                                             brush=pg.mkBrush(colour), pen=pg.mkPen("#1f2933")), z=6)
                label = pg.TextItem(track.satellite_id, color=colour, anchor=(0, 1))
                label.setPos(position[1], position[0])
                self._add(label, z=7)
                self._satellite_labels.append((label, position[1], position[0]))
        self._place_labels()  # the satellites' names inside the view
        for fp in layers.footprints:
            polygon = QtGui.QPolygonF([QtCore.QPointF(lon, lat) for lat, lon in fp.ring])
            shape = QtWidgets.QGraphicsPolygonItem(polygon)
            shape.setBrush(pg.mkBrush(*_FOOTPRINT_FILL))
            pen = pg.mkPen(_FOOTPRINT_EDGE, width=2)
            pen.setCosmetic(True)
            shape.setPen(pen)
            shape.setToolTip(f"{fp.target_id} by {fp.satellite_id} ({fp.state})\nid {fp.acquisition_id}")
            self._add(shape, z=8)
        text = f"Ground tracks {time_span(layers.start, layers.end)} · satellites (▲) at {day_time(layers.moment)}"
        if layers.footprints:
            text += f" · {plural(len(layers.footprints), 'footprint')}"
        if layers.omitted_footprints:
            text += f" ({layers.omitted_footprints} more not drawn)"
        self.caption.setText(text)

    def _add(self, graphics: QtWidgets.QGraphicsItem, z: float = 4) -> None:
        graphics.setZValue(z)
        self.plot.getPlotItem().addItem(graphics)
        self._layer_items.append(graphics)

    def layer_counts(self) -> dict[str, int]:
        """How many tracks and footprints are drawn."""
        tracks = sum(isinstance(i, pg.PlotCurveItem) for i in self._layer_items)
        footprints = sum(isinstance(i, QtWidgets.QGraphicsPolygonItem) for i in self._layer_items)
        return {"tracks": tracks, "footprints": footprints}

    # ------------------------------------------------------------------ view
    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802 - Qt API
        # The aspect lock fits the world to the size the widget has once laid out, not before.
        if not getattr(self, "_framed", False):
            self._framed = True
            QtCore.QTimer.singleShot(0, self.show_world)
        super().showEvent(event)

    def show_world(self) -> None:
        """Every longitude and pole to pole; the locked aspect adds longitude (a wide map) or the
        shaded bands past the poles (a tall map)."""
        self.plot.getPlotItem().getViewBox().setRange(xRange=(-180, 180), yRange=(-90, 90), padding=0.0)

    def zoom_to_footprints(self, layers: MapLayers, margin_deg: float = 8.0) -> None:
        """Frame the footprints (the world when there are none)."""
        if not layers.footprints:
            self.show_world()
            return
        pts = np.concatenate([fp.ring for fp in layers.footprints])
        self.plot.getPlotItem().getViewBox().setRange(
            xRange=(pts[:, 1].min() - margin_deg, pts[:, 1].max() + margin_deg),
            yRange=(pts[:, 0].min() - margin_deg, pts[:, 0].max() + margin_deg), padding=0)

    def _on_target_clicked(self, _item, points, *_args) -> None:
        if len(points):
            self.targetClicked.emit(str(points[0].data()))
