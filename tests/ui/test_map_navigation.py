"""Map navigation (issue 15): zoom limits, Fit world, target names past a zoom level, all tracks."""
from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from app.domain import Target
from app.ui.map_view import LABEL_SPAN_DEG, MAX_SPAN_DEG, MIN_SPAN_DEG, MapView

TARGETS = [Target("Athens", 37.98, 23.73), Target("Rome", 41.9, 12.5), Target("Lima", -12.05, -77.04)]


def make(qtbot):
    m = MapView()
    qtbot.addWidget(m)
    m.resize(900, 500)
    m.show()
    QTest.qWaitForWindowExposed(m)
    m.set_targets(TARGETS, {"Athens": "committed"})
    return m


def latitude_ticks(m) -> list[float]:
    axis = m.plot.getPlotItem().getAxis("left")
    (_x0, _x1), (y0, y1) = m.plot.getPlotItem().getViewBox().viewRange()
    return [v for _spacing, values in axis.tickValues(y0, y1, axis.height()) for v in values]


def span(m):
    (x0, x1), (y0, y1) = m.plot.getPlotItem().getViewBox().viewRange()
    return x1 - x0, (x0, x1, y0, y1)


def test_zoom_stops_at_the_world_and_at_half_a_degree(qtbot):
    m = make(qtbot)
    vb = m.plot.getPlotItem().getViewBox()
    vb.scaleBy((50.0, 50.0))
    width, (_x0, _x1, y0, y1) = span(m)
    assert width <= MAX_SPAN_DEG + 1e-6
    assert latitude_ticks(m) and all(-90 <= v <= 90 for v in latitude_ticks(m))  # none past the poles
    vb.setRange(xRange=(23.0, 23.01), yRange=(37.9, 37.91), padding=0)
    assert span(m)[0] >= MIN_SPAN_DEG - 1e-6


def test_names_appear_past_a_zoom_level_and_fit_world_returns(qtbot):
    m = make(qtbot)
    assert m.labelled_targets() == []  # the whole world: markers only
    m.plot.getPlotItem().getViewBox().setRange(xRange=(5, 35), yRange=(30, 50), padding=0)
    assert span(m)[0] <= LABEL_SPAN_DEG
    assert sorted(m.labelled_targets()) == ["Athens", "Rome"]  # in view only
    assert m.fine_coastlines_shown() and not m.land.isVisible()
    m.fit_button.click()
    width, (x0, x1, y0, y1) = span(m)
    assert x0 <= -180 and x1 >= 180 and y0 <= -90 and y1 >= 90 and m.labelled_targets() == []
    assert all(x0 <= t.lon <= x1 for t in TARGETS)
    assert not m.fine_coastlines_shown() and m.land.isVisible()


def test_the_fine_coastlines_are_natural_earth_and_finer():
    from app.ui.map_view import coastlines
    coarse, fine = coastlines()[0], coastlines("world_fine.json")[0]
    assert len(fine) > 5 * len(coarse)
    import json
    from app.ui.resources import resources_dir
    assert "Natural Earth" in json.loads((resources_dir() / "world_fine.json").read_text())["source"]


def test_all_tracks_box_says_so(qtbot):
    m = make(qtbot)
    seen = []
    m.allTracksChanged.connect(seen.append)
    m.all_tracks_box.click()
    assert seen == [True] and m.all_tracks()


def test_the_all_tracks_box_shows_every_satellites_track_in_the_window(qtbot, db_path, settings):
    """In the window: with one acquisition selected the map draws its satellite's track; the
    "All tracks" box draws every satellite's, without moving the view; unticked, one again."""
    from app.persistence import ScheduleDB
    from app.services import commits
    from app.services.planning import PlanOptions, run_planning
    from app.ui.main_window import MainWindow
    db = ScheduleDB(db_path)
    commits.commit_plan(db, "day", run_planning(db, "day", PlanOptions()).plan_id)
    n_satellites = len(db.list_satellites(db.list_workspaces()[0].id))
    db.close()
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.views.select([next(iter(w.acquisitions))])
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.centre_tabs.setCurrentWidget(w.map)
    assert w.map.layer_counts() == {"tracks": 1, "footprints": 1}
    qtbot.wait(100)  # the framing on the footprint settles (aspect lock after the tab's layout)
    view = span(w.map)[1]
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.map.all_tracks_box.click()
    assert w.map.layer_counts() == {"tracks": n_satellites, "footprints": 1}
    assert span(w.map)[1] == view
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.map.all_tracks_box.click()
    assert w.map.layer_counts()["tracks"] == 1


def _ratio(m) -> float:
    rect = m.plot.getPlotItem().getViewBox().boundingRect()
    return rect.width() / rect.height()


@pytest.mark.parametrize("size", [(560, 520), (420, 640), (900, 500), (1300, 420)])
def test_fit_world_shows_every_longitude_pole_to_pole(qtbot, size):
    """Fit world shows the whole world (every target) in any map's shape, nothing stretched; in a
    map taller than 2:1 the bands past the poles are shaded and the latitude axis stops at ±90°
    (a tall map read "latitude 150°")."""
    m = make(qtbot)
    m.resize(*size)
    qtbot.wait(20)
    m.fit_button.click()
    width, (x0, x1, y0, y1) = span(m)
    assert x0 <= -180 and x1 >= 180 and y0 <= -90 and y1 >= 90
    assert min(x1 - 180, -180 - x0, y1 - 90, -90 - y0) < 1.0  # fitted: one of the two is tight
    assert width / (y1 - y0) == pytest.approx(_ratio(m), rel=0.02)  # the aspect is kept
    assert latitude_ticks(m) and max(abs(v) for v in latitude_ticks(m)) <= 90


def test_satellite_names_stay_inside_the_map(qtbot):
    """A satellite at the view's edge is named inside the view (its name was cut by the edge)."""
    import numpy as np
    from datetime import datetime, timedelta, timezone

    from app.access.tracks import GroundTrack
    from app.services.map_service import MapLayers
    m = make(qtbot)
    m.fit_button.click()
    qtbot.wait(20)
    t0 = datetime(2026, 8, 10, tzinfo=timezone.utc)

    def at(sat: str, lon: float, lat: float) -> GroundTrack:
        return GroundTrack(sat, np.array([t0.timestamp()]), np.array([lat]), np.array([lon]))

    def cut(names) -> list[str]:
        rects = m.label_rects()
        view = rects.pop("view")
        return [name for name in names if not view.contains(rects[name])]

    _w, (x0, x1, y0, y1) = span(m)
    y0, y1 = max(y0, -90.0), min(y1, 90.0)  # satellites fly between the poles
    corners = [at("PLEIADES-NEO-3", x1 - 1, y1 - 1), at("WORLDVIEW-3", x0 + 1, y0 + 1),
               at("SENTINEL-1C", x1 - 1, y0 + 1), at("CAPELLA-14", x0 + 1, y1 - 1)]
    m.set_layers(MapLayers(t0, t0, t0 + timedelta(hours=1), corners, []))
    qtbot.wait(20)
    names = [c.satellite_id for c in corners]
    assert len(m.label_rects()) == 5 and cut(names) == []
    # Zoomed in on one: its name moves to the side of its point that the new edges leave room on.
    m.plot.getPlotItem().getViewBox().setRange(xRange=(x1 - 40, x1), yRange=(y1 - 20, y1), padding=0)
    qtbot.wait(20)
    _w, (a0, a1, b0, b1) = span(m)
    assert a0 < x1 - 1 < a1 and b0 < y1 - 1 < b1
    assert cut(["PLEIADES-NEO-3"]) == []
    assert m.labelled_satellites() == ["PLEIADES-NEO-3"]  # the others are out of view: no part of a name peeks in
    m.plot.getPlotItem().getViewBox().setRange(xRange=(x0, x0 + 40), yRange=(y0, y0 + 20), padding=0)
    qtbot.wait(20)
    assert cut(["WORLDVIEW-3"]) == []
