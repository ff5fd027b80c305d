"""Resource lanes in the timeline's rows (issue 15): drawn where they belong, described on hover."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from PySide6 import QtCore, QtGui
from PySide6.QtTest import QTest

from app.domain import ContactWindow, PowerModel, Satellite
from app.services.resource_lanes import compute_lanes
from app.ui.resource_lanes_item import CONTACT_BOTTOM, CONTACT_FILL, CONTACT_TOP, SUN_BOTTOM, SUN_TOP
from app.ui.timeline_view import TimelineView

UTC = timezone.utc
T0 = datetime(2026, 8, 13, tzinfo=UTC)
E0 = T0.timestamp()
TLE1 = "1 43800U 18099AB  26222.00000000  .00000000  00000-0  00000-0 0  9990"
TLE2 = "2 43800  97.7000 100.0000 0010000 100.0000 260.0000 15.00000000    09"


@pytest.fixture
def view(qtbot):
    s = Satellite("SAT-1", TLE1, TLE2, memory_gbit=10.0, data_per_acquisition_gbit=6.0, downlink_rate_mbps=100.0,
                  power=PowerModel(battery_capacity_wh=1000.0, initial_battery_wh=500.0, reserve_wh=100.0,
                                   idle_power_w=36.0, imaging_power_w=360.0, slew_power_w=0.0,
                                   sunlit_charge_power_w=72.0))
    contact = ContactWindow("SAT-1", "Svalbard", T0 + timedelta(minutes=30), T0 + timedelta(minutes=35),
                            T0 + timedelta(minutes=40), 40.0)
    lanes = compute_lanes([s], [], None, T0, T0 + timedelta(hours=2), {"SAT-1": [(E0, E0 + 1200)]}, [contact])
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(900, 420)
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.set_rows(["SAT-1", "SAT-2"])
    v.set_resource_lanes(lanes)
    v.zoom_to(T0, T0 + timedelta(hours=1))
    qtbot.wait(50)  # let the toolbar settle (the legend may move under the buttons at this width)
    return v


def pixel(view, minutes, y):
    img = view.plot.grab().toImage()
    p = view.map_to_widget(T0 + timedelta(minutes=minutes), y)
    ratio = view.plot.devicePixelRatioF()
    return QtGui.QColor(img.pixel(int(p.x() * ratio), int(p.y() * ratio))).name()


def test_lanes_are_off_until_shown_then_drawn_in_their_strips(view):
    contact_y = (CONTACT_TOP + CONTACT_BOTTOM) / 2
    assert pixel(view, 33, contact_y) != CONTACT_FILL
    assert not view.lanes_legend.isVisible()
    view.show_resource_lanes(True)
    assert view.resource_lanes_visible() and view.lanes_legend.isVisible()
    assert pixel(view, 33, contact_y) == CONTACT_FILL  # off the 5-minute grid lines
    assert pixel(view, 45, contact_y) != CONTACT_FILL           # after the contact
    sun_y = (SUN_TOP + SUN_BOTTOM) / 2
    assert pixel(view, 10, sun_y) != pixel(view, 30, sun_y)      # sunlit, then eclipse
    assert pixel(view, 35, 1 + contact_y) != CONTACT_FILL        # SAT-2 has no lanes
    stats = view.lanes.last_paint_stats
    assert stats["contact"] == 1 and stats["battery"] > 0 and stats["memory"] > 0


def test_hovering_a_lane_says_what_it_is(view, qtbot):
    view.show_resource_lanes(True)
    vp = view.plot.viewport()
    qtbot.wait(50)  # the lanes' legend replaces the hint: the plot's height settles first
    p = view.map_to_widget(T0 + timedelta(minutes=35), (CONTACT_TOP + CONTACT_BOTTOM) / 2)
    QTest.mouseMove(vp, p)
    qtbot.waitUntil(lambda: view.hover_text() != "", timeout=1000)
    assert view.hover_text().startswith("Contact with Svalbard: Thu 13 Aug 00:30Z → Thu 13 Aug 00:40Z (10 min 00 s)")
    qtbot.wait(50)  # pyqtgraph drops moves faster than the screen refresh
    QTest.mouseMove(vp, view.map_to_widget(T0 + timedelta(minutes=10), 0.5))
    qtbot.waitUntil(lambda: view.hover_text().startswith("Battery"), timeout=1000)
    assert "reserve 100 Wh" in view.hover_text() and "Memory 0.0 of 10 Gbit" in view.hover_text()
    qtbot.wait(50)
    QTest.mouseMove(vp, view.map_to_widget(T0 + timedelta(minutes=30), (SUN_TOP + SUN_BOTTOM) / 2))
    qtbot.waitUntil(lambda: view.hover_text() == "Eclipse (on battery)", timeout=1000)


def _pixels(view) -> np.ndarray:
    img = view.plot.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB32)
    return np.frombuffer(img.constBits(), dtype=np.uint32).reshape(img.height(), -1).copy()


def test_dense_lines_rasterised_by_numpy_look_as_qpainter_draws_them(view, qtbot, monkeypatch):
    """A week of a busy schedule rasterises the battery and memory lines into one image (numpy)
    instead of ~200k QPainter segments; the pixels are the ones the segments would set, but for
    the hairline rasteriser's tie-breaks (a fraction of a percent of the lanes' pixels)."""
    import app.ui.resource_lanes_item as lanes_item
    view.show_resource_lanes(True)
    qtbot.wait(50)
    monkeypatch.setattr(lanes_item, "RASTER_DENSITY", 1e9)  # QPainter segments
    view.lanes.update()
    by_qpainter = _pixels(view)
    segments = dict(view.lanes.last_paint_stats)
    monkeypatch.setattr(lanes_item, "RASTER_DENSITY", 0.0)  # numpy raster
    view.lanes.update()
    by_numpy = _pixels(view)
    assert segments["battery"] > 0 and view.lanes.last_paint_stats["raster_columns"] > segments["battery"]
    battery = np.uint32(QtGui.QColor(lanes_item.BATTERY_LINE).rgb())
    on_line = int((by_qpainter == battery).sum())
    assert on_line > 100 and abs(int((by_numpy == battery).sum()) - on_line) <= 0.05 * on_line
    differ = int((by_numpy != by_qpainter).sum())
    assert differ <= 0.05 * on_line
