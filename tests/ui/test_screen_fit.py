"""The window fits the screen (issue 15) on a 1366×768 and a 1600×1000 screen."""
from __future__ import annotations

import pytest
from PySide6 import QtCore, QtWidgets

from app.ui.screen_fit import MIN_TIMELINE_SHARE, PREFERRED, dock_widths, fit_main_window, fit_rect, text_width

SCREENS = {"1366x768": QtCore.QRect(0, 0, 1366, 728),    # a 40 px task bar taken
           "1600x1000": QtCore.QRect(0, 0, 1600, 960)}
SATELLITES = ["PLEIADES-NEO-3", "PLEIADES-NEO-4", "SENTINEL-1C", "WORLDVIEW-3", "CAPELLA-14"]


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_the_window_never_opens_larger_than_the_screen(screen):
    first = fit_rect(None, screen)
    assert screen.contains(first)
    assert first.size() == PREFERRED.boundedTo(screen.size())
    # A geometry saved on a bigger screen (the 1716 px on a 1600 px one) comes back inside.
    reopened = fit_rect(QtCore.QRect(-40, 30, 1716, 1100), screen)
    assert screen.contains(reopened) and reopened.width() <= screen.width()
    # One that fits stays where the planner left it.
    small = QtCore.QRect(100, 80, 900, 600)
    assert fit_rect(small, screen) == small


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_docks_show_full_satellite_names_and_times_and_leave_the_timeline_room(qtbot, screen):
    w = QtWidgets.QMainWindow()
    qtbot.addWidget(w)
    rect = fit_main_window(w, saved=QtCore.QRect(0, 0, 1716, 1000), available=screen)
    font = w.font()
    # The left panel's widest row: a satellite name, a time, a duration, a state, a lock, an angle.
    needed = text_width(font, SATELLITES) + text_width(font, ["Thu 13 Aug 09:33Z"]) + text_width(font, ["4 min 05 s"]) \
        + text_width(font, ["committed"]) + 120
    left, right = dock_widths(rect.width(), needed, 340)
    assert left + right <= rect.width() * (1 - MIN_TIMELINE_SHARE) + 1
    if screen.width() >= 1366:
        assert left >= text_width(font, SATELLITES) + text_width(font, ["Thu 13 Aug 09:33Z"])
    assert rect.width() <= screen.width() and rect.height() <= screen.height()
