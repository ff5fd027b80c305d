"""The main window's furniture: the centre tabs (Timeline, Map), the left dock (Inbox / Scheduled /
Conflicts), the Inspector dock, the status bar's figures and progress, and the layout and geometry
kept in QSettings between sessions."""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from .conflicts_view import ConflictsView
from .inbox_view import InboxView
from .inspector_panel import InspectorPanel
from .message_bar import MessageBar
from .map_view import MapView
from .scheduled_view import ScheduledView
from .screen_fit import dock_widths, fit_main_window, text_width
from .timeline_view import TimelineView


def build_views(window) -> None:
    """Create the views as attributes of ``window`` (timeline, map, inbox, scheduled,
    conflicts_view, inspector, their tabs and docks) and size the docks for names and times."""
    window.timeline = TimelineView()
    window.map = MapView()
    window.centre_tabs = QtWidgets.QTabWidget()
    window.centre_tabs.setDocumentMode(True)
    window.centre_tabs.addTab(window.timeline, "Timeline")
    window.centre_tabs.addTab(window.map, "Map")
    # Above the timeline: why nothing can be changed when the database only reads (hidden otherwise).
    window.read_only_banner = QtWidgets.QLabel()
    window.read_only_banner.setObjectName("read_only_banner")
    window.read_only_banner.setWordWrap(True)
    window.read_only_banner.setStyleSheet("background: #fff4ce; color: #5c4400; border: 1px solid #e0b400; "
                                          "padding: 6px; font-weight: bold;")
    window.read_only_banner.hide()
    central = QtWidgets.QWidget()
    column = QtWidgets.QVBoxLayout(central)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(window.read_only_banner)
    column.addWidget(window.centre_tabs, 1)
    window.setCentralWidget(central)
    window.inbox = InboxView()
    window.scheduled = ScheduledView()
    window.conflicts_view = ConflictsView()
    window.left_tabs = QtWidgets.QTabWidget()
    window.left_tabs.addTab(window.inbox, "Inbox")
    window.left_tabs.addTab(window.scheduled, "Scheduled")
    window.left_tabs.addTab(window.conflicts_view, "Conflicts")
    window.inspector = InspectorPanel()
    for name, title, widget, area in (("left", "Orders and schedule", window.left_tabs,
                                       QtCore.Qt.DockWidgetArea.LeftDockWidgetArea),
                                      ("inspector", "Inspector", window.inspector,
                                       QtCore.Qt.DockWidgetArea.RightDockWidgetArea)):
        dock = QtWidgets.QDockWidget(title, window)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(widget)
        window.addDockWidget(area, dock)
        setattr(window, f"{name}_dock", dock)
    rect = fit_main_window(window)  # never larger than the screen it opens on
    window.resizeDocks([window.left_dock, window.inspector_dock], list(_dock_widths(window, rect.width())),
                       QtCore.Qt.Orientation.Horizontal)


def _dock_widths(window, window_width: int) -> tuple[int, int]:
    """The left panel wide enough for full satellite names and times, the Inspector for its
    labels and values, the timeline keeping the rest."""
    font = window.font()
    names = [s.id for s in window.db.list_satellites(window.ws.id)] if window.session.workspace else []
    left = (text_width(font, names or ["PLEIADES-NEO-3"]) + text_width(font, ["Thu 13 Aug 09:33Z"])
            + text_width(font, ["4 min 05 s", "committed", "hard", "+12.5°"]) * 3 + 60)
    return dock_widths(window_width, left, 360)


def build_status_bar(window) -> None:
    """The figures label, the progress bar and Cancel of the running job (shown while busy)."""
    bar = MessageBar(window)
    window.setStatusBar(bar)
    window.figures = QtWidgets.QLabel()
    window.progress = QtWidgets.QProgressBar()
    window.progress.setMaximumWidth(220)
    window.progress.setRange(0, 1000)
    window.cancel_button = QtWidgets.QPushButton("Cancel")
    window.cancel_button.clicked.connect(lambda: window.jobs.cancel())
    bar.addPermanentWidget(window.figures)
    bar.addPermanentWidget(window.progress)
    bar.addPermanentWidget(window.cancel_button)

    def set_busy(busy: bool) -> None:
        window.progress.setVisible(busy)
        window.cancel_button.setVisible(busy)
        if not busy:
            window.progress.setValue(0)
    set_busy(False)
    window.jobs.busyChanged.connect(set_busy)


def show_progress(window, done: float, total: float, text: str) -> None:
    window.progress.setValue(int(1000 * done / total) if total else 0)
    window.progress.setFormat(f"{text} %p%")


def restore_layout(window) -> None:
    state = window.settings.value("main_window/state")
    if state is not None:
        window.restoreState(state)
    window.centre_tabs.setCurrentIndex(int(window.settings.value("main_window/centre_tab", 0)))


def restore_geometry(window) -> None:
    """Once the window exists on a screen (before, Qt may re-place it): the saved geometry, brought
    back inside this screen when it was saved on a bigger one."""
    geometry = window.settings.value("main_window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
        fit_main_window(window, saved=window.geometry())


def save_layout(window) -> None:
    window.settings.setValue("main_window/geometry", window.saveGeometry())
    window.settings.setValue("main_window/state", window.saveState())
    window.settings.setValue("main_window/centre_tab", window.centre_tabs.currentIndex())
    window.settings.setValue("main_window/workspace", window.ws.name)
    window.settings.sync()
