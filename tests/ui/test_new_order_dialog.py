"""New Order (issue 15): sensor type, mode and duration; the window defaults to the next 24 h from
the scenario clock; messages appear without moving the form."""
from __future__ import annotations

from datetime import datetime, timezone

from PySide6.QtTest import QTest

from app.domain import Order, OrderConstraints, Satellite, Target
from app.ui.dialogs.new_order_dialog import NewOrderDialog

UTC = timezone.utc
NOW = datetime(2026, 8, 12, 14, 30, 12, 500, tzinfo=UTC)
TARGETS = [Target("Athens", 37.98, 23.73), Target("Luanda", -8.84, 13.23)]


def make(qtbot, **kw):
    d = NewOrderDialog(TARGETS, ["ICEYE-X2", "WORLDVIEW-3"], **kw)
    qtbot.addWidget(d)
    d.show()
    QTest.qWaitForWindowExposed(d)
    return d


def test_a_new_order_gets_the_next_24_hours_of_the_scenario(qtbot):
    d = make(qtbot, now=NOW)
    assert d.window_start.text() == "2026-08-12T14:30:12Z"
    assert d.window_end.text() == "2026-08-13T14:30:12Z"
    assert "2026-08-12T14:00:00Z" in d.window_start.placeholderText()
    d.target.setEditText("Luanda")
    r = d.result_dict()
    assert (r["window_start"], r["window_end"]) == ("2026-08-12T14:30:12Z", "2026-08-13T14:30:12Z")


def test_sensor_type_mode_and_duration_reach_the_order(qtbot):
    d = make(qtbot, now=NOW, sensor_types=["visible", "SAR"])
    assert [d.sensor_type.itemText(i) for i in range(d.sensor_type.count())] == ["any sensor", "visible", "sar"]
    d.target.setEditText("Athens")
    d.sensor_type.setCurrentText("sar")
    d.mode.setCurrentText("SAR")
    d.duration.setText("20")
    assert d.result_dict()["constraints"] == {"sensor_type": "sar", "mode": "SAR", "duration_s": 20.0}
    d.duration.setText("-4")
    assert not d.is_valid() and "duration" in d.errors()
    assert d.error_labels["duration"].isVisible()


def test_editing_keeps_the_orders_sensor_mode_and_duration(qtbot):
    o = Order(id="ord_1", workspace_id="ws", target_id="Athens",
              constraints=OrderConstraints(sensor_type="infrared", mode="OPTICAL", duration_s=12.5))
    d = make(qtbot, order=o, now=NOW, sensor_types=["visible"])
    assert d.window_start.text() == "" and d.window_end.text() == ""  # an edit keeps the order's own window
    assert d.result_dict()["constraints"] == {"sensor_type": "infrared", "mode": "OPTICAL", "duration_s": 12.5}


def test_messages_appear_without_moving_the_form(qtbot):
    d = make(qtbot, now=NOW)
    d.target.setEditText("Athens")
    qtbot.wait(10)
    assert d.is_valid()
    watched = [d.window_start, d.window_end, d.max_incidence, d.duration, d.preferred, d.notes, d.ok_button]

    def places():
        return [w.mapTo(d, w.rect().topLeft()) for w in watched] + [d.size()]
    before = places()
    d.window_start.setText("yesterday")
    d.max_incidence.setText("95")
    d.duration.setText("zero")
    qtbot.wait(10)
    assert {"window_start", "max_incidence", "duration"} <= set(d.errors())
    assert all(d.error_labels[k].isVisible() for k in ("window_start", "max_incidence", "duration"))
    assert places() == before
    d.window_start.setText("2026-08-12T15:00:00Z")
    d.max_incidence.setText("40")
    d.duration.setText("")
    qtbot.wait(10)
    assert d.is_valid() and places() == before


def _items(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def _satellite(sat_id: str, mode: str, sensor: str) -> Satellite:
    line1 = "1 25544U 98067A   26222.50000000  .00016717  00000-0  10270-3 0  9005"
    line2 = "2 25544  51.6400 208.9163 0006317  69.9862  25.2906 15.50000000    07"
    return Satellite(sat_id, line1, line2, mode=mode, sensor_type=sensor)


def test_only_what_the_workspaces_satellites_have_is_offered(qtbot):
    optical = [_satellite("WORLDVIEW-3", "OPTICAL", "visible"), _satellite("PLEIADES-1A", "OPTICAL", "Visible")]
    d = NewOrderDialog.for_satellites(TARGETS, optical, now=NOW)
    qtbot.addWidget(d)
    assert _items(d.sensor_type) == ["any sensor", "visible"]  # no infrared, no sar: no satellite has them
    assert _items(d.mode) == ["optical or SAR", "OPTICAL"]
    assert _items(d.preferred) == ["any satellite", "WORLDVIEW-3", "PLEIADES-1A"]
    d.target.setEditText("Athens")
    d.sensor_type.setCurrentText("visible")
    assert d.result_dict()["constraints"] == {"sensor_type": "visible"}
    mixed = optical + [_satellite("ICEYE-X2", "SAR", "sar")]
    d = NewOrderDialog.for_satellites(TARGETS, mixed, now=NOW)
    qtbot.addWidget(d)
    assert _items(d.sensor_type) == ["any sensor", "sar", "visible"]
    assert _items(d.mode) == ["optical or SAR", "OPTICAL", "SAR"]


def test_a_workspace_without_satellites_offers_only_any(qtbot):
    d = NewOrderDialog.for_satellites(TARGETS, [], now=NOW)
    qtbot.addWidget(d)
    assert _items(d.sensor_type) == ["any sensor"] and _items(d.mode) == ["optical or SAR"]
    d = NewOrderDialog(TARGETS, [], now=NOW)  # nor does the bare dialog invent sensor types
    qtbot.addWidget(d)
    assert _items(d.sensor_type) == ["any sensor"]


def test_editing_keeps_an_order_value_no_satellite_has(qtbot):
    o = Order(id="ord_1", workspace_id="ws", target_id="Athens",
              constraints=OrderConstraints(sensor_type="infrared", mode="SAR"))
    d = NewOrderDialog.for_satellites(TARGETS, [_satellite("WORLDVIEW-3", "OPTICAL", "visible")], order=o)
    qtbot.addWidget(d)
    assert (d.sensor_type.currentText(), d.mode.currentText()) == ("infrared", "SAR")
    assert d.result_dict()["constraints"] == {"sensor_type": "infrared", "mode": "SAR"}
