"""The flat lists of the left panel (Inbox, Conflicts): a table model whose cell texts and sort
keys are computed once per item, sorted by the model itself, behind a filtering proxy, in a
compact table view."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

from PySide6 import QtCore, QtWidgets

Role = QtCore.Qt.ItemDataRole
Order = QtCore.Qt.SortOrder
#: Role holding an item's id.
ID_ROLE = Role.UserRole + 2

T = TypeVar("T")


class KeyedTableModel(QtCore.QAbstractTableModel, Generic[T]):
    """Items as rows. Subclasses give ``HEADERS``, ``HEADER_TIPS`` (column → tooltip) and
    ``cells(item) -> (texts, sort keys)``, one entry per column, plus ``item_id`` and
    ``item_data(item, column, role)`` for the other roles.

    Sorting is one keyed Python sort here (a proxy's sort would call ``data()`` twice per
    comparison: 10,000 Python calls for 600 rows), kept across ``set_items``."""

    HEADERS: tuple[str, ...] = ()
    HEADER_TIPS: dict[int, str] = {}

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[T] = []
        self._texts: list[Sequence[Any]] = []
        self._keys: list[Sequence[Any]] = []
        self._sort_by: tuple[int, Order] = (0, Order.AscendingOrder)

    # ------------------------------------------------------------------ subclass API
    def cells(self, item: T) -> tuple[Sequence[Any], Sequence[Any]]:
        raise NotImplementedError

    def item_id(self, item: T) -> str:
        raise NotImplementedError

    def item_data(self, item: T, column: int, role: int) -> Any:
        return None

    # ------------------------------------------------------------------ content
    def set_items(self, items: Iterable[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        cells = [self.cells(item) for item in self._items]
        self._texts = [c[0] for c in cells]
        self._keys = [c[1] for c in cells]
        self._reorder(self._sorted_rows())
        self.endResetModel()

    def items(self) -> list[T]:
        return list(self._items)

    def column_texts(self) -> list[Sequence[Any]]:
        """Every row's cell texts, in display order (for measuring without ``data()`` calls)."""
        return list(self._texts)

    def item(self, row: int) -> T:
        return self._items[row]

    def sort(self, column: int, order: Order = Order.AscendingOrder) -> None:
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
        rows = list(range(len(self._items)))
        if 0 <= column < len(self.HEADERS):
            ids = [self.item_id(item) for item in self._items]
            rows.sort(key=lambda r: (self._keys[r][column], ids[r]), reverse=order == Order.DescendingOrder)
        return rows

    def _reorder(self, rows: list[int]) -> None:
        self._items = [self._items[r] for r in rows]
        self._texts = [self._texts[r] for r in rows]
        self._keys = [self._keys[r] for r in rows]

    # ------------------------------------------------------------------ Qt API
    def rowCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Role.DisplayRole):  # noqa: N802 - Qt API
        if orientation == QtCore.Qt.Orientation.Horizontal:
            if role == Role.DisplayRole:
                return self.HEADERS[section]
            if role == Role.ToolTipRole:
                return self.HEADER_TIPS.get(section)
        return None

    def data(self, index, role=Role.DisplayRole):
        if not index.isValid():
            return None
        if role == Role.DisplayRole:
            return self._texts[index.row()][index.column()]
        item = self._items[index.row()]
        if role == ID_ROLE:
            return self.item_id(item)
        return self.item_data(item, index.column(), role)


class FilterProxy(QtCore.QSortFilterProxyModel):
    """Filters case-insensitively on every column; sorting is passed on to the source model."""

    def __init__(self, source: KeyedTableModel, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(source)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)

    def sort(self, column: int, order: Order = Order.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)


def list_table(proxy: FilterProxy, widths: Sequence[int]) -> QtWidgets.QTableView:
    """A compact, sortable, single-row-selection table over ``proxy``, sorted by column 0."""
    table = QtWidgets.QTableView()
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(0, Order.AscendingOrder)
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(22)
    for col, width in enumerate(widths):
        table.horizontalHeader().resizeSection(col, width)
    return table
