"""The timeline's two-level UTC axis at every zoom, and zoom presets / reveal keeping the
selection in view (issue 15)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtTest import QTest

from app.domain import Acquisition
from app.ui.time_axis import DAY_NAME_MIN_PX, WEEKDAY_MIN_PX, time_ticks
from app.ui.timeline_view import TimelineView

UTC = timezone.utc
THU = datetime(2026, 8, 13, tzinfo=UTC)


def ts(dt: datetime) -> float:
    return dt.timestamp()


def test_hour_view_reads_minutes_over_the_day_pinned_at_the_left():
    plan = time_ticks(ts(THU + timedelta(hours=9, minutes=2)), ts(THU + timedelta(hours=10, minutes=2)), 1000)
    words = [w for _, w in plan.detail]
    assert words[0] == "09:05Z" and "10:00Z" in words
    assert plan.context == ()  # no midnight in view…
    assert plan.pinned == "Thu 13 Aug"  # …so the day is pinned at the left edge


def test_day_view_reads_hours_over_the_days():
    plan = time_ticks(ts(THU + timedelta(hours=12)), ts(THU + timedelta(hours=36)), 1000)
    words = [w for _, w in plan.detail]
    assert "14:00Z" in words and "00:00Z" in words
    assert all(w.endswith(":00Z") for w in words)
    assert [w for _, w in plan.context] == ["Fri 14 Aug"]
    assert plan.pinned == "Thu 13 Aug"


def test_week_view_reads_days_with_six_hour_marks():
    x0, x1 = ts(THU - timedelta(days=3)), ts(THU + timedelta(days=4))
    plan = time_ticks(x0, x1, 1000)
    assert [w for _, w in plan.context] == ["Mon 10 Aug", "Tue 11 Aug", "Wed 12 Aug", "Thu 13 Aug", "Fri 14 Aug",
                                            "Sat 15 Aug", "Sun 16 Aug", "Mon 17 Aug"]
    assert plan.step_s == 6 * 3600
    steps = [b - a for (a, _), (b, _) in zip(plan.detail, plan.detail[1:])]
    assert set(steps) == {6 * 3600.0}
    # Words on 06Z/12Z/18Z when there is room; midnight is the day's own label.
    assert {w for _, w in plan.detail} == {"", "06Z", "12Z", "18Z"}
    narrow = time_ticks(x0, x1, 600)
    assert {w for _, w in narrow.detail} == {""} and len(narrow.detail) == len(plan.detail)


def test_month_view_reads_day_numbers_over_the_month():
    plan = time_ticks(ts(datetime(2026, 7, 25, tzinfo=UTC)), ts(datetime(2026, 8, 25, tzinfo=UTC)), 1000)
    assert [w for _, w in plan.context] == ["Aug 2026 UTC"]
    assert plan.pinned == "Jul 2026 UTC"
    numbers = [w for _, w in plan.detail if w]
    assert numbers[:3] == ["25", "26", "27"] and "1" in numbers


def test_axis_words_are_utc_whatever_the_machine_zone(monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    import time
    time.tzset()
    try:
        plan = time_ticks(ts(THU + timedelta(hours=9)), ts(THU + timedelta(hours=10)), 1000)
        assert plan.detail[0][1] == "09:00Z"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def _acq(i: int, start: datetime, sat: str = "SAT-A") -> Acquisition:
    return Acquisition(id=f"acq_{i:012d}", workspace_id="ws", satellite_id=sat, target_id=f"T{i}",
                       start=start, end=start + timedelta(seconds=20), roll_deg=5.0)


@pytest.fixture
def view(qtbot):
    v = TimelineView()
    qtbot.addWidget(v)
    v.resize(1000, 360)
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.set_rows(["SAT-A", "SAT-B"])
    v.set_acquisitions([_acq(1, THU + timedelta(hours=9, minutes=33)), _acq(2, THU + timedelta(days=2, hours=3)),
                        _acq(3, THU + timedelta(hours=1), "SAT-B")])
    v.set_zones(now=THU - timedelta(days=2), freeze_cutoff=THU - timedelta(days=2) + timedelta(hours=2),
                planning_end=THU, horizon_start=THU - timedelta(days=2), horizon_end=THU + timedelta(days=5))
    return v


@pytest.mark.parametrize("preset, detail_word, context_word", [
    ("hour", "09:30Z", "Thu 13 Aug"), ("day", "12:00Z", "Thu 13 Aug"), ("week", "12Z", "Sat 15 Aug")])
def test_the_drawn_axis_at_each_preset_keeps_the_selection_in_view(view, qtbot, preset, detail_word, context_word):
    view.set_selection(["acq_000000000001"])
    view.zoom_preset(preset)
    qtbot.wait(20)
    view.grab()  # paint: the axis computes its ticks for the width it has
    x0, x1 = view.x_range()
    t = ts(THU + timedelta(hours=9, minutes=33))
    assert x0 < t < x1
    plan = view.time_axis.plan()
    assert detail_word in [w for _, w in plan.detail]
    assert context_word in [w for _, w in plan.context] + [plan.pinned]


def test_without_a_selection_the_hour_preset_starts_at_now(view, qtbot):
    view.zoom_preset("hour")
    x0, x1 = view.x_range()
    now = ts(THU - timedelta(days=2))
    assert x0 < now < x0 + 0.1 * (x1 - x0)


def test_reveal_brings_far_items_into_view_at_a_readable_zoom(view, qtbot):
    view.zoom_to(THU - timedelta(days=2), THU - timedelta(days=2) + timedelta(hours=1))
    view.reveal(["acq_000000000002"])
    x0, x1 = view.x_range()
    t = ts(THU + timedelta(days=2, hours=3))
    assert x0 < t < x1
    assert 2 * 3600 - 1 <= x1 - x0 <= 2 * 86400
    # Already visible at a readable zoom: the view stays.
    before = view.x_range()
    view.reveal(["acq_000000000002"])
    assert view.x_range() == before
    # Two items a day and a half apart: both in view.
    view.reveal(["acq_000000000001", "acq_000000000002"])
    x0, x1 = view.x_range()
    assert x0 < ts(THU + timedelta(hours=9, minutes=33)) and t < x1


def _overlaps(labels, x0, px_per_s, font):
    """Pairs of neighbouring labels whose drawn boxes (advance + 6 px, as the axis draws them) meet."""
    from PySide6 import QtGui
    m = QtGui.QFontMetrics(font)
    boxes = sorted(((t - x0) * px_per_s, (t - x0) * px_per_s + m.horizontalAdvance(w) + 6, w) for t, w in labels if w)
    return [(a[2], b[2]) for a, b in zip(boxes, boxes[1:]) if a[1] > b[0]]


@pytest.mark.parametrize("width", [540, 760, 1000])  # the timeline's plot in 1366, 1600 and wider windows
@pytest.mark.parametrize("span_days", [1 / 24, 1, 7, 31])
def test_labels_at_each_zoom_never_overlap(qtbot, width, span_days):
    from PySide6 import QtGui
    x0 = ts(THU - timedelta(days=3, hours=5))
    x1 = x0 + span_days * 86400
    plan = time_ticks(x0, x1, width)
    bold = QtGui.QFont()
    bold.setBold(True)
    px = width / (x1 - x0)
    assert _overlaps(plan.context, x0, px, bold) == []
    assert _overlaps(plan.detail, x0, px, QtGui.QFont()) == []


def test_week_in_a_1366_window_reads_weekday_and_date_with_six_hour_ticks():
    x0 = ts(THU - timedelta(days=3, hours=18))  # Sun 9 Aug 06:00Z: the month is pinned left of Mon 10
    plan = time_ticks(x0, x0 + 7 * 86400, 540)
    assert [w for _, w in plan.context][:3] == ["Mon 10", "Tue 11", "Wed 12"]
    assert plan.pinned == "Aug" and plan.step_s == 6 * 3600
    steps = {b - a for (a, _), (b, _) in zip(plan.detail, plan.detail[1:])}
    assert steps == {6 * 3600.0}


@pytest.mark.parametrize("start, first", [
    (THU - timedelta(days=3), "Mon 10 Aug"),            # the view starts at midnight: no room left of it
    (THU - timedelta(days=3, hours=5), "Mon 10 Aug"),   # Sun 19:00Z: 16 px before midnight, too few for "Aug"
])
def test_a_narrow_week_names_the_month_in_its_first_day_without_room_to_pin_it(start, first):
    plan = time_ticks(ts(start), ts(start) + 7 * 86400, 540)
    assert plan.pinned is None
    assert [w for _, w in plan.context][:4] == [first, "", "Wed 12", "Thu 13"]  # no label under the full name


def test_a_narrow_week_names_each_new_month_on_its_first():
    plan = time_ticks(ts(datetime(2026, 8, 28, tzinfo=UTC)), ts(datetime(2026, 9, 4, tzinfo=UTC)), 540)
    assert [w for _, w in plan.context] == ["Fri 28 Aug", "", "Sun 30", "Mon 31", "Tue 01 Sep", "", "Thu 03",
                                            "Fri 04"]


@pytest.mark.parametrize("start", [THU - timedelta(days=3), THU - timedelta(days=3, hours=5),
                                   THU - timedelta(days=3, hours=18)])
def test_the_drawn_week_axis_of_a_1366_window_always_shows_the_month(qtbot, start):
    """What is painted, not only planned: the pinned month is dropped by the axis when it does not
    fit left of the first midnight, so the month must then be in a day's label."""
    import pyqtgraph as pg
    from PySide6 import QtGui

    from app.ui.time_axis import TwoLevelTimeAxis
    axis = TwoLevelTimeAxis()
    v = pg.PlotWidget(axisItems={"bottom": axis})
    qtbot.addWidget(v)
    v.resize(600, 200)  # the timeline's plot in a 1366 px window is about 540 px wide
    v.show()
    QTest.qWaitForWindowExposed(v)
    v.getPlotItem().getViewBox().setXRange(ts(start), ts(start + timedelta(days=7)), padding=0.0)
    v.grab()
    assert WEEKDAY_MIN_PX * 7 <= axis.geometry().width() < DAY_NAME_MIN_PX * 7  # the narrow week
    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    drawn = [text for _rect, _flags, text in texts]
    assert any("Aug" in text for text in drawn), drawn
