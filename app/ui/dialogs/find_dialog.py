"""Find (Ctrl+F): type part of an order id, target, reference or note; Enter jumps to it."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore, QtWidgets

from app.domain import Order, Target

from ..resources import icon

KIND_ROLE = QtCore.Qt.ItemDataRole.UserRole
ID_ROLE = QtCore.Qt.ItemDataRole.UserRole + 1
MAX_RESULTS = 200


class FindDialog(QtWidgets.QDialog):
    """A small popup over the main window. Emits ``orderFound(id)`` or ``targetFound(id)``."""

    orderFound = QtCore.Signal(str)
    targetFound = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Find order or target")
        self._entries: list[tuple[str, str, str, str]] = []  # kind, id, label, haystack
        self.query = QtWidgets.QLineEdit()
        self.query.setPlaceholderText("Order id, target, reference, note…")
        self.query.setClearButtonEnabled(True)
        self.results = QtWidgets.QListWidget()
        self.status = QtWidgets.QLabel()
        self.status.setProperty("role", "hint")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self.resize(460, 380)
        self.query.textChanged.connect(self._refresh)
        self.query.returnPressed.connect(self.activate_current)
        self.results.itemActivated.connect(lambda _it: self.activate_current())
        self.query.installEventFilter(self)

    def set_items(self, orders: Iterable[Order], targets: Iterable[Target]) -> None:
        entries = []
        for t in targets:
            entries.append(("target", t.id, f"{t.id}  ·  {t.lat:.2f}°, {t.lon:.2f}°  ·  P{t.priority}",
                            f"{t.id}".lower()))
        for o in orders:
            label = f"{o.target_id}  ·  P{o.priority}  ·  {o.status.value}  ·  {o.external_ref or o.id}"
            hay = " ".join(x for x in (o.id, o.target_id, o.external_ref or "", o.notes or "",
                                       o.status.value) if x).lower()
            entries.append(("order", o.id, label, hay))
        self._entries = entries
        self._refresh()

    def open_find(self) -> None:
        """Show, select the query text, focus it (Ctrl+F again re-selects)."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.query.setFocus()
        self.query.selectAll()

    def result_ids(self) -> list[tuple[str, str]]:
        return [(self.results.item(i).data(KIND_ROLE), self.results.item(i).data(ID_ROLE))
                for i in range(self.results.count())]

    def activate_current(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        kind, item_id = item.data(KIND_ROLE), item.data(ID_ROLE)
        (self.orderFound if kind == "order" else self.targetFound).emit(item_id)
        self.accept()

    def eventFilter(self, obj, event):  # noqa: N802 - Qt API
        # Arrow keys in the query move through the results, so the hand never leaves the keys.
        if obj is self.query and event.type() == QtCore.QEvent.Type.KeyPress:
            key = event.key()
            if key in (QtCore.Qt.Key.Key_Down, QtCore.Qt.Key.Key_Up) and self.results.count():
                row = self.results.currentRow() + (1 if key == QtCore.Qt.Key.Key_Down else -1)
                self.results.setCurrentRow(max(0, min(row, self.results.count() - 1)))
                return True
        return super().eventFilter(obj, event)

    def _refresh(self, *_args) -> None:
        words = self.query.text().lower().split()
        self.results.clear()
        shown = 0
        total = 0
        for kind, item_id, label, hay in self._entries:
            if all(w in hay for w in words):
                total += 1
                if shown < MAX_RESULTS:
                    item = QtWidgets.QListWidgetItem(icon(kind), label)
                    item.setData(KIND_ROLE, kind)
                    item.setData(ID_ROLE, item_id)
                    item.setToolTip(item_id)
                    self.results.addItem(item)
                    shown += 1
        if self.results.count():
            self.results.setCurrentRow(0)
        self.status.setText(f"{total} match{'es' if total != 1 else ''}"
                            + (f" (first {MAX_RESULTS} shown)" if total > shown else "")
                            + " · Enter opens, Esc closes")
