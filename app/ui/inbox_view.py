"""The Inbox: orders waiting to be planned (status ``new``), sortable and filterable."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import Order
from app.domain.enums import OrderStatus

from .formatting import constraints_text, utc_text, window_text
from .resources import icon

Role = QtCore.Qt.ItemDataRole
#: Role holding the value a column sorts by (numbers and times sort as such, not as text).
SORT_ROLE = Role.UserRole + 1
ID_ROLE = Role.UserRole + 2

PRIORITY_COLOURS = {1: "#b42318", 2: "#c75a00", 3: "#1f2933", 4: "#5b6776", 5: "#8a94a3"}


class OrderTableModel(QtCore.QAbstractTableModel):
    """Orders as rows: priority, target, window, constraints, reference, created."""

    HEADERS = ("P", "Target", "Window (UTC)", "Constraints", "Ref", "Order")

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._orders: list[Order] = []
        self._display: list[tuple] = []
        self._sort: list[tuple] = []
        self._sort_by: tuple[int, QtCore.Qt.SortOrder] = (0, QtCore.Qt.SortOrder.AscendingOrder)

    def set_orders(self, orders: Iterable[Order]) -> None:
        """Show ``orders`` in the current sort order; their cell texts and sort keys are computed
        once here, not on every ``data()`` call."""
        self.beginResetModel()
        self._orders = list(orders)
        self._display, self._sort = [], []
        for o in self._orders:
            constraints = constraints_text(o)
            self._display.append((f"P{o.priority}", o.target_id, window_text(o, compact=True), constraints,
                                  o.external_ref or "", o.id))
            self._sort.append((o.priority, o.target_id.lower(),
                               o.requested_window_start.timestamp() if o.requested_window_start else float("-inf"),
                               constraints, o.external_ref or "", o.id))
        self._reorder(self._sorted_rows())
        self.endResetModel()

    def sort(self, column: int, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        """One keyed Python sort (a proxy's sort would call ``data()`` twice per comparison)."""
        self._sort_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        rows = self._sorted_rows()
        new_row = {old: new for new, old in enumerate(rows)}
        self._reorder(rows)
        before = self.persistentIndexList()
        self.changePersistentIndexList(before, [self.index(new_row[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()

    def _sorted_rows(self) -> list[int]:
        column, order = self._sort_by
        rows = list(range(len(self._orders)))
        if 0 <= column < len(self.HEADERS):
            rows.sort(key=lambda r: (self._sort[r][column], self._sort[r][-1]),
                      reverse=order == QtCore.Qt.SortOrder.DescendingOrder)
        return rows

    def _reorder(self, rows: list[int]) -> None:
        self._orders = [self._orders[r] for r in rows]
        self._display = [self._display[r] for r in rows]
        self._sort = [self._sort[r] for r in rows]

    def order(self, row: int) -> Order:
        return self._orders[row]

    def orders(self) -> list[Order]:
        return list(self._orders)

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Role.DisplayRole):  # noqa: N802 - Qt API
        if orientation == QtCore.Qt.Orientation.Horizontal:
            if role == Role.DisplayRole:
                return self.HEADERS[section]
            if role == Role.ToolTipRole and section == 0:
                return "Priority: 1 = highest, 5 = lowest"
        return None

    def data(self, index, role=Role.DisplayRole):
        if not index.isValid():
            return None
        col = index.column()
        if role == Role.DisplayRole:
            return self._display[index.row()][col]
        if role == SORT_ROLE:
            return self._sort[index.row()][col]
        o = self._orders[index.row()]
        if role == ID_ROLE:
            return o.id
        if role == Role.DecorationRole and col == 1:
            return icon("target")
        if role == Role.ForegroundRole and col == 0:
            return QtGui.QColor(PRIORITY_COLOURS.get(o.priority, "#1f2933"))
        if role == Role.FontRole and col == 0 and o.priority <= 2:
            f = QtGui.QFont()
            f.setBold(True)
            return f
        if role == Role.ToolTipRole:
            return (f"{o.id}\nTarget {o.target_id}, priority {o.priority} (1 = highest)\n"
                    f"Window {window_text(o)}\nConstraints: {constraints_text(o)}\n"
                    f"Source {o.source.value}; created {utc_text(o.created_at)}"
                    + (f"\nNotes: {o.notes}" if o.notes else ""))
        return None


class _FilterProxy(QtCore.QSortFilterProxyModel):
    """Filters; sorting is passed on to the source model, which sorts with precomputed keys."""

    def sort(self, column: int, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


class InboxView(QtWidgets.QWidget):
    """New orders: a filter box over a sortable table. Shows only orders with status ``new``."""

    #: The number of orders shown (for the dock title's badge).
    countChanged = QtCore.Signal(int)
    orderSelected = QtCore.Signal(str)
    editRequested = QtCore.Signal(str)
    newOrderRequested = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OrderTableModel(self)
        self.proxy = _FilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)

        self.title = QtWidgets.QLabel("Inbox")
        self.title.setProperty("role", "title")
        self.badge = QtWidgets.QLabel("0")
        self.badge.setProperty("role", "badge")
        self.badge.setToolTip("Orders waiting to be planned")
        self.new_button = QtWidgets.QPushButton("+ New Order")
        self.new_button.setToolTip("Create an imaging order (Ctrl+N)")
        self.new_button.clicked.connect(self.newOrderRequested)
        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setPlaceholderText("Filter orders (target, ref, constraint…)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.set_filter_text)

        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((34, 92, 170, 150, 70)):
            header.resizeSection(col, width)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.badge)
        top.addStretch(1)
        top.addWidget(self.new_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table, 1)

    def set_orders(self, orders: Iterable[Order]) -> None:
        """Show the ``new`` orders among ``orders`` (others are ignored: they left the Inbox)."""
        self.model.set_orders(o for o in orders if o.status == OrderStatus.NEW)
        self._update_badge()

    def count(self) -> int:
        return self.model.rowCount()

    def badge_text(self) -> str:
        """Dock title with its badge, e.g. ``Inbox (3)``."""
        return f"Inbox ({self.count()})"

    def visible_order_ids(self) -> list[str]:
        """Ids in display order (after sort and filter)."""
        return [self.proxy.index(r, 0).data(ID_ROLE) for r in range(self.proxy.rowCount())]

    def set_filter_text(self, text: str) -> None:
        if self.filter_edit.text() != text:
            self.filter_edit.setText(text)
            return
        self.proxy.setFilterFixedString(text)

    def select_order(self, order_id: str) -> bool:
        """Select and scroll to an order; emits nothing. False when it is not shown."""
        for r in range(self.proxy.rowCount()):
            idx = self.proxy.index(r, 0)
            if idx.data(ID_ROLE) == order_id:
                with QtCore.QSignalBlocker(self.table.selectionModel()):
                    self.table.selectRow(r)
                self.table.scrollTo(idx)
                return True
        return False

    def _update_badge(self) -> None:
        n = self.count()
        self.badge.setText(str(n))
        self.countChanged.emit(n)

    def _on_double_click(self, index: QtCore.QModelIndex) -> None:
        order_id = index.siblingAtColumn(0).data(ID_ROLE)
        if order_id:
            self.editRequested.emit(order_id)

    def _on_current(self, current: QtCore.QModelIndex, _previous: QtCore.QModelIndex) -> None:
        if current.isValid():
            self.orderSelected.emit(current.siblingAtColumn(0).data(ID_ROLE))
