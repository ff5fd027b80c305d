"""Map navigation (issue 15): zoom limits, Fit world, target names past a zoom level, all tracks."""
from __future__ import annotations

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


def span(m):
    (x0, x1), (y0, y1) = m.plot.getPlotItem().getViewBox().viewRange()
    return x1 - x0, (x0, x1, y0, y1)


def test_zoom_stops_at_the_world_and_at_half_a_degree(qtbot):
    m = make(qtbot)
    vb = m.plot.getPlotItem().getViewBox()
    vb.scaleBy((50.0, 50.0))
    assert span(m)[0] <= MAX_SPAN_DEG + 1e-6
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
    assert x0 <= -180 and x1 >= 180 and m.labelled_targets() == []
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


def test_fit_world_shows_every_longitude_in_a_tall_map(qtbot):
    """A map narrower than 2:1 (a 1366 px screen's centre) still fits the whole world's width."""
    m = make(qtbot)
    m.resize(560, 520)
    qtbot.wait(20)
    m.fit_button.click()
    _width, (x0, x1, _y0, _y1) = span(m)
    assert x0 <= -180 and x1 >= 180
