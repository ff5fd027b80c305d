"""Inspector page for several acquisitions: count, summaries, and actions applied to all."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping

from PySide6 import QtCore, QtWidgets

from app.domain import Acquisition
from app.domain.enums import LockLevel

from ..formatting import acquisition_name, day_time
from ..palette import is_locked
from ..resources import icon
from .parts import MessageBanner, header_label


class SelectionPage(QtWidgets.QWidget):
    lockRequested = QtCore.Signal(list, str)
    deleteRequested = QtCore.Signal(list)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.acquisitions: list[Acquisition] = []
        self.header = header_label()
        self.span = QtWidgets.QLabel()
        self.span.setProperty("role", "hint")
        self.by_state = self._summary_table(("State", "Count"))
        self.by_lock = self._summary_table(("Lock", "Count"))
        self.by_satellite = self._summary_table(("Satellite", "Count"))

        self.lock_soft = QtWidgets.QPushButton(icon("soft_locked"), "Lock soft")
        self.lock_soft.setToolTip("Soft lock: planning may move them only within their order windows")
        self.lock_hard = QtWidgets.QPushButton(icon("locked"), "Lock hard")
        self.lock_hard.setToolTip("Hard lock: never moved or deleted until unlocked")
        self.unlock = QtWidgets.QPushButton(icon("tentative"), "Unlock")
        self.delete = QtWidgets.QPushButton("Delete")
        self.delete.setProperty("danger", True)
        self.lock_soft.clicked.connect(lambda: self._emit_lock(LockLevel.SOFT.value))
        self.lock_hard.clicked.connect(lambda: self._emit_lock(LockLevel.HARD.value))
        self.unlock.clicked.connect(lambda: self._emit_lock(LockLevel.NONE.value))
        self.delete.clicked.connect(lambda: self.deleteRequested.emit(self.ids()))
        actions = QtWidgets.QGroupBox("Apply to all selected")
        row = QtWidgets.QGridLayout(actions)
        row.addWidget(self.lock_soft, 0, 0)
        row.addWidget(self.lock_hard, 0, 1)
        row.addWidget(self.unlock, 1, 0)
        row.addWidget(self.delete, 1, 1)
        note = QtWidgets.QLabel("Items an action may not change are refused one by one, with the reason.")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        row.addWidget(note, 2, 0, 1, 2)

        self.banner = MessageBanner()
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(self.span)
        layout.addWidget(self.banner)
        layout.addWidget(actions)
        for table in (self.by_state, self.by_lock, self.by_satellite):
            layout.addWidget(table)
        layout.addStretch(1)

    def show_acquisitions(self, acqs: Iterable[Acquisition]) -> None:
        self.acquisitions = list(acqs)
        n = len(self.acquisitions)
        self.header.setText(f"{n} acquisitions selected")
        if n:
            first = min(a.start for a in self.acquisitions)
            last = max(a.end for a in self.acquisitions)
            self.span.setText(f"{day_time(first)} → {day_time(last)}")
        self._fill(self.by_state, Counter(a.state.value for a in self.acquisitions))
        self._fill(self.by_lock, Counter(a.lock_level.value if is_locked(a) else "none" for a in self.acquisitions))
        self._fill(self.by_satellite, Counter(a.satellite_id for a in self.acquisitions))
        self.banner.clear()

    def ids(self) -> list[str]:
        return [a.id for a in self.acquisitions]

    def summary(self, which: str) -> dict[str, int]:
        """``state``, ``lock`` or ``satellite`` → {key: count} as displayed."""
        table = {"state": self.by_state, "lock": self.by_lock, "satellite": self.by_satellite}[which]
        return {table.item(r, 0).text(): int(table.item(r, 1).text()) for r in range(table.rowCount())}

    def show_refusals(self, refusals: Mapping[str, str], name_of: Callable[[str], str] | None = None) -> None:
        if name_of is None:  # the selected acquisitions name themselves
            names = {a.id: acquisition_name(a) for a in self.acquisitions}
            name_of = lambda item_id: names.get(item_id, item_id)  # noqa: E731
        self.banner.show_refusals(refusals, total=len(self.acquisitions) or None, name_of=name_of)

    def _emit_lock(self, level: str) -> None:
        self.lockRequested.emit(self.ids(), level)

    @staticmethod
    def _summary_table(headers: tuple[str, str]) -> QtWidgets.QTableWidget:
        t = QtWidgets.QTableWidget(0, 2)
        t.setHorizontalHeaderLabels(list(headers))
        t.verticalHeader().hide()
        t.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        t.setShowGrid(False)
        t.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        t.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        t.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        t.verticalHeader().setDefaultSectionSize(20)
        t.setVerticalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return t

    @staticmethod
    def _fill(table: QtWidgets.QTableWidget, counts: Counter) -> None:
        table.setRowCount(len(counts))
        for r, (key, n) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))):
            table.setItem(r, 0, QtWidgets.QTableWidgetItem(key))
            count = QtWidgets.QTableWidgetItem(str(n))
            count.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, 1, count)
        # Show every row: the page scrolls, not each little table.
        table.setFixedHeight(table.horizontalHeader().height() + 20 * max(len(counts), 1) + 4)
