"""The Conflicts list: count by severity, then one row per conflict (severity icon, type,
satellite, description). A click emits ``conflictSelected`` for the timeline and the inspector."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from PySide6 import QtCore, QtWidgets

from app.domain import Conflict
from app.domain.enums import Severity
from app.domain.wording import plural

from .list_table import ID_ROLE, FilterProxy, KeyedTableModel, Role, list_table
from .palette import SEVERITY_COLOURS
from .resources import icon

SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
TYPE_LABELS = {
    "temporal_overlap": "Time overlap",
    "slew_infeasible": "Slew infeasible",
    "resource_contention": "Resource contention",
    "downlink_window": "No downlink window",
    "ground_conflict": "Ground conflict",
}


def conflict_summary(conflicts: Iterable[Conflict]) -> str:
    """``3 conflicts: 1 error, 2 warnings`` (or ``No conflicts``)."""
    counts = Counter(c.severity for c in conflicts)
    total = sum(counts.values())
    if not total:
        return "No conflicts"
    parts = [plural(counts[s], s.value) for s in Severity if counts[s]]
    return plural(total, "conflict") + ": " + ", ".join(parts)


class ConflictTableModel(KeyedTableModel[Conflict]):
    HEADERS = ("", "Type", "Satellite", "Description", "Acquisitions")
    HEADER_TIPS = {0: "Severity: error, warning, info"}

    def cells(self, c: Conflict) -> tuple[tuple, tuple]:
        return ((None, TYPE_LABELS.get(c.type.value, c.type.value), c.satellite_id or "—", c.description,
                 str(len(c.acquisition_ids))),
                (SEVERITY_RANK[c.severity], c.type.value, c.satellite_id or "", c.description, len(c.acquisition_ids)))

    def item_id(self, c: Conflict) -> str:
        return c.id

    def item_data(self, c: Conflict, col: int, role: int):
        if role == Role.AccessibleTextRole and col == 0:
            return c.severity.value
        if role == Role.DecorationRole and col == 0:
            return icon(c.severity.value)
        if role == Role.ToolTipRole:
            opts = "\n".join(f"  • {o.description}" for o in c.resolution_options) or "  none"
            return (f"{c.id} ({c.severity.value}, {c.type.value})\n{c.description}\n"
                    f"Acquisitions: {', '.join(c.acquisition_ids)}\nResolution options:\n{opts}")
        return None


class ConflictsView(QtWidgets.QWidget):
    conflictSelected = QtCore.Signal(str)
    countChanged = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ConflictTableModel(self)
        self.proxy = FilterProxy(self.model, self)

        self.title = QtWidgets.QLabel("Conflicts")
        self.title.setProperty("role", "title")
        self.badge = QtWidgets.QLabel("0")
        self.badge.setProperty("role", "badge")
        self.summary = QtWidgets.QLabel("No conflicts")
        self.summary.setProperty("role", "hint")

        self.table = list_table(self.proxy, (28, 112, 76, 200, 40))
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.table.setColumnHidden(4, True)  # the count is in the tooltip; the panel is narrow
        self.table.clicked.connect(self._on_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.badge)
        top.addStretch(1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    def set_conflicts(self, conflicts: Iterable[Conflict]) -> None:
        conflicts = [c for c in conflicts if c.resolved_at is None]
        self.model.set_items(conflicts)
        n = len(conflicts)
        self.badge.setText(str(n))
        errors = sum(c.severity == Severity.ERROR for c in conflicts)
        self.badge.setStyleSheet(f"background: {SEVERITY_COLOURS[Severity.ERROR]};" if errors else "")
        self.summary.setText(conflict_summary(conflicts))
        self.countChanged.emit(n)

    def count(self) -> int:
        return self.model.rowCount()

    def summary_text(self) -> str:
        return self.summary.text()

    def visible_conflict_ids(self) -> list[str]:
        return [self.proxy.index(r, 0).data(ID_ROLE) for r in range(self.proxy.rowCount())]

    def select_conflict(self, conflict_id: str) -> bool:
        """Select a conflict's row without emitting; False when it is not listed."""
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(ID_ROLE) == conflict_id:
                with QtCore.QSignalBlocker(self.table.selectionModel()):
                    self.table.selectRow(r)
                self.table.scrollTo(idx)
                return True
        return False

    def _on_clicked(self, index: QtCore.QModelIndex) -> None:
        # Every click emits, even on the current row: the planner may want the highlight back.
        if index.isValid():
            self.conflictSelected.emit(index.siblingAtColumn(0).data(ID_ROLE))

    def _on_current(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        # Keyboard navigation; a mouse press is reported by its click instead (no double signal).
        if current.isValid() and QtWidgets.QApplication.mouseButtons() == QtCore.Qt.MouseButton.NoButton:
            self.conflictSelected.emit(current.siblingAtColumn(0).data(ID_ROLE))
