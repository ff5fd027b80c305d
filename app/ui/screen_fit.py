"""The main window on the planner's screen (issue 15, "fits the screen").

``fit_rect`` never lets a window open larger than the available screen (after a resize and a
reopen too: a saved geometry is clamped the same way) and keeps it on that screen;
``dock_widths`` gives the side docks the width their content needs (full satellite names and
times in the left panel, the Inspector's labels and values) within what the screen can spare
for the timeline.
"""
from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

#: The window's wish when the screen allows it (what the workbench was designed at).
PREFERRED = QtCore.QSize(1600, 900)
#: The timeline keeps at least this share of the window's width.
MIN_TIMELINE_SHARE = 0.45
#: Narrowest useful docks (px) whatever their content.
MIN_LEFT, MIN_INSPECTOR = 300, 300


def fit_rect(wanted: QtCore.QRect | None, available: QtCore.QRect, preferred: QtCore.QSize = PREFERRED
             ) -> QtCore.QRect:
    """A window rectangle (frame excluded) inside ``available``: ``wanted`` (e.g. the saved
    geometry) if it fits, else clamped to the screen and moved onto it; without ``wanted``,
    ``preferred`` (clamped) centred on the screen."""
    if wanted is None or wanted.isEmpty():
        size = preferred.boundedTo(available.size())
        rect = QtCore.QRect(QtCore.QPoint(0, 0), size)
        rect.moveCenter(available.center())
        return rect
    size = wanted.size().boundedTo(available.size())
    x = min(max(wanted.x(), available.left()), available.right() - size.width() + 1)
    y = min(max(wanted.y(), available.top()), available.bottom() - size.height() + 1)
    return QtCore.QRect(x, y, size.width(), size.height())


def text_width(font: QtGui.QFont, texts: Iterable[str]) -> int:
    metrics = QtGui.QFontMetrics(font)
    return max((metrics.horizontalAdvance(t) for t in texts), default=0)


def dock_widths(window_width: int, left_needed: int, inspector_needed: int) -> tuple[int, int]:
    """Widths (px) of the left panel and the Inspector: what their content needs, at least the
    minimums, shrunk together if the timeline would get less than ``MIN_TIMELINE_SHARE``."""
    left = max(MIN_LEFT, left_needed)
    right = max(MIN_INSPECTOR, inspector_needed)
    spare = int(window_width * (1.0 - MIN_TIMELINE_SHARE))
    if left + right > spare:
        scale = spare / (left + right)
        left, right = int(left * scale), int(right * scale)
    return left, right


def fit_main_window(window: QtWidgets.QMainWindow, saved: QtCore.QRect | None = None,
                    available: QtCore.QRect | None = None) -> QtCore.QRect:
    """Place ``window`` with ``fit_rect`` inside ``available`` (default: the available geometry
    of its screen, else of the primary screen)."""
    if available is None:
        screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
    frame_extra = window.frameGeometry().size() - window.geometry().size()
    inner = available.adjusted(0, 0, -max(0, frame_extra.width()), -max(0, frame_extra.height()))
    rect = fit_rect(saved, inner)
    window.setGeometry(rect)
    return rect
