"""A composed demo window: the workbench's widgets side by side on a synthetic schedule.

``python -m app.ui.gallery`` opens it; the GUI tests save its screenshot. It wires the widgets
to each other the way the main window will (selection sync, conflict highlight, inspector), but
calls no service: lock/delete requests are answered locally so the flow can be tried by hand.
"""
from __future__ import annotations

import sys
from datetime import timedelta

from PySide6 import QtCore, QtWidgets

from .conflicts_view import ConflictsView
from .inbox_view import InboxView
from .inspector_panel import InspectorPanel
from .sample_schedule import SampleSchedule, sample_schedule
from .scheduled_view import ScheduledView
from .timeline_view import TimelineView


class GalleryWindow(QtWidgets.QWidget):
    def __init__(self, schedule: SampleSchedule | None = None,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Mission Planning Workbench: widget gallery")
        self.schedule = s = schedule or sample_schedule()
        self.orders = {o.id: o for o in s.orders}
        self.conflicts = {c.id: c for c in s.conflicts}

        self.inbox = InboxView()
        self.scheduled = ScheduledView()
        self.conflicts_view = ConflictsView()
        self.timeline = TimelineView()
        self.inspector = InspectorPanel()
        tabs = QtWidgets.QTabWidget()
        tabs.addTab(self.inbox, "Inbox")
        tabs.addTab(self.scheduled, "Scheduled")
        left = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        left.addWidget(tabs)
        left.addWidget(self.conflicts_view)
        left.setSizes([520, 260])
        splitter = QtWidgets.QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.timeline)
        splitter.addWidget(self.inspector)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 980, 360])
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.tabs = tabs

        self.inbox.set_orders(s.orders)
        self.scheduled.set_reference_time(s.now)
        self.scheduled.set_acquisitions(s.acquisitions)
        self.conflicts_view.set_conflicts(s.conflicts)
        self.timeline.set_rows(s.satellite_ids)
        self.timeline.set_acquisitions(s.acquisitions, s.conflict_acquisition_ids)
        self.timeline.set_ghost_items(s.plan_items)
        self.timeline.set_zones(s.now, s.freeze_cutoff, s.planning_end, s.horizon_start, s.horizon_end)
        self.inspector.set_edit_context(s.freeze_cutoff)
        self.timeline.zoom_preset("day")

        self.timeline.selectionChanged.connect(self._on_timeline_selection)
        self.scheduled.selectionChanged.connect(self._on_list_selection)
        self.conflicts_view.conflictSelected.connect(self._on_conflict)
        self.inbox.orderSelected.connect(lambda oid: self.inspector.show_order(self.orders[oid]))
        self.inspector.resolutionPreviewRequested.connect(self._on_preview)
        self.inspector.orderLinkActivated.connect(lambda oid: self.inspector.show_order(self.orders[oid]))

    def select(self, ids: list[str]) -> None:
        """Select acquisitions everywhere (as the main window will after any selection)."""
        self.timeline.set_selection(ids)
        self.scheduled.set_selection(ids)
        self._inspect(ids)

    def _inspect(self, ids: list[str]) -> None:
        acqs = [self.schedule.by_id[i] for i in ids if i in self.schedule.by_id]
        self.inspector.show_acquisitions(acqs, self.orders)

    def _on_timeline_selection(self, ids: list[str]) -> None:
        self.scheduled.set_selection(ids)
        self._inspect(ids)

    def _on_list_selection(self, ids: list[str]) -> None:
        self.timeline.set_selection(ids)
        self._inspect(ids)

    def _on_conflict(self, conflict_id: str) -> None:
        c = self.conflicts[conflict_id]
        self.timeline.highlight(c.acquisition_ids)
        self.inspector.show_conflict(c, self.schedule.by_id)

    def _on_preview(self, conflict_id: str, index: int) -> None:
        opt = self.conflicts[conflict_id].resolution_options[index]
        a = self.schedule.by_id[opt.acquisition_id]
        shift = timedelta(seconds=float(opt.params.get("shift_seconds", 0.0)))
        self.timeline.preview(a.id, a.start_time + shift, a.end_time + shift)


def main() -> int:
    from .resources import apply_style

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    apply_style(app)
    w = GalleryWindow()
    w.resize(1760, 900)
    w.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
