"""The Inbox: orders waiting to be planned (status ``new``) and those a candidate plan proposes to
serve (``planned``, shown as proposed until the plan is committed or rejected), sortable and filterable."""
from __future__ import annotations

from collections.abc import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import Order
from app.domain.enums import OrderStatus
from app.services.session import INBOX_STATES

from .formatting import attempts_text, constraints_text, utc_text, window_text
from .list_table import ID_ROLE, FilterProxy, KeyedTableModel, Role, list_table

PRIORITY_COLOURS = {1: "#b42318", 2: "#c75a00", 3: "#1f2933", 4: "#5b6776", 5: "#8a94a3"}


NBSP = "\u00a0"
#: The role the Inbox's filter matches (cell texts with plain spaces).
FILTER_ROLE = Role.UserRole + 3
TARGET_COL, WINDOW_COL, CONSTRAINTS_COL, REF_COL = 1, 2, 3, 4
#: The raw order id: kept in the model (sorting, copying) but not shown; it is in the row's tooltip.
ID_COL = 5
STATUS_COL, TRIES_COL = 6, 7
#: Columns that wrap in a narrow Inbox, and where: the target between words, the window after its
#: arrow, the constraints after their commas.
WRAPPING = {TARGET_COL: " ", WINDOW_COL: "→ ", CONSTRAINTS_COL: ", "}
#: Columns shown only when they say something and fit the panel, the most useful first.
OPTIONAL_COLS = (TRIES_COL, STATUS_COL, REF_COL)


def _unbroken(text: str, separator: str) -> str:
    """``text`` whose parts (between ``separator``) never break inside: a narrow column wraps
    ``10 Aug 06:30 →`` / ``11 Aug 18:45`` (the arrow stays with the start: the caller joins it)
    and ``inc ≤ 35°,`` / ``20 s``, never ``13 Au…``."""
    return separator.join(part.replace(" ", NBSP) for part in text.split(separator))


def _status_text(o: Order) -> str:
    return "proposed" if o.status == OrderStatus.PLANNED else "new"


class OrderTableModel(KeyedTableModel[Order]):
    """Orders as rows: priority, target, window, constraints, reference, id."""

    HEADERS = ("P", "Target", "Window", "Constraints", "Ref", "Order", "Status", "Tries")
    HEADER_TIPS = {0: "Priority: 1 = highest, 5 = lowest; ↻2: two failed execution attempts",
                   2: "Requested window (UTC)",
                   3: "What the acquisition must meet (incidence, look side, sensor, duration …)",
                   4: "The customer's reference of the order", 6: "new, or proposed by the candidate plan",
                   7: "Failed execution attempts, with the last failure's reason"}

    def cells(self, o: Order) -> tuple[tuple, tuple]:
        constraints = constraints_text(o)
        window = window_text(o, compact=True)
        start = o.requested_window_start.timestamp() if o.requested_window_start else float("-inf")
        status = _status_text(o)
        # Failed attempts show in the priority cell too: the Tries column has no room in a narrow Inbox.
        tries = f" ↻{o.attempt_count}" if o.attempt_count else ""
        return ((f"P{o.priority}{tries}", o.target_id, _unbroken(window, " → ").replace(" →", NBSP + "→"),
                 _unbroken(constraints, ", "),
                 o.external_ref or "", o.id, status, attempts_text(o)),
                (o.priority, o.target_id.lower(), start, constraints, o.external_ref or "", o.id, status,
                 o.attempt_count))

    def item_id(self, o: Order) -> str:
        return o.id

    def data(self, index, role=Role.DisplayRole):
        if role == FILTER_ROLE and index.isValid():  # what the filter box matches: plain spaces
            return str(super().data(index, Role.DisplayRole) or "").replace(NBSP, " ")
        return super().data(index, role)

    def item_data(self, o: Order, col: int, role: int):
        if role == Role.ForegroundRole and col == 0:
            return QtGui.QColor(PRIORITY_COLOURS.get(o.priority, "#1f2933"))
        if role == Role.FontRole and o.status == OrderStatus.PLANNED:
            f = QtGui.QFont()
            f.setItalic(True)
            return f
        if role == Role.FontRole and col == 0 and o.priority <= 2:
            f = QtGui.QFont()
            f.setBold(True)
            return f
        if role == Role.ToolTipRole:
            return (f"{o.id}\nTarget {o.target_id}, priority {o.priority} (1 = highest)\n"
                    f"Window {window_text(o)}\nConstraints: {constraints_text(o)}\n"
                    f"Source {o.source.value}; created {utc_text(o.created_at)}"
                    + ("\nProposed by the candidate plan: commit or reject it from the Plan menu"
                       if o.status == OrderStatus.PLANNED else "")
                    + (f"\nRef {o.external_ref}" if o.external_ref else "")
                    + (f"\nNotes: {o.notes}" if o.notes else "")
                    + (f"\nFailed attempts: {o.attempt_count}, last: {o.last_failure_reason}"
                       if o.attempt_count else ""))
        return None


class InboxView(QtWidgets.QWidget):
    """New and proposed orders: a filter box over a sortable table."""

    #: The number of orders shown (for the dock title's badge).
    countChanged = QtCore.Signal(int)
    orderSelected = QtCore.Signal(str)
    editRequested = QtCore.Signal(str)
    newOrderRequested = QtCore.Signal()
    #: A new order is being dragged out of the list (onto the timeline): its id.
    orderDragStarted = QtCore.Signal(str)
    #: ... the pointer moved to (global position) / was released at / the drag was cancelled (Esc).
    orderDragMoved = QtCore.Signal(QtCore.QPoint)
    orderDragFinished = QtCore.Signal(QtCore.QPoint)
    orderDragCancelled = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OrderTableModel(self)
        self.proxy = FilterProxy(self.model, self)

        self.title = QtWidgets.QLabel("Inbox")
        self.title.setProperty("role", "title")
        self.badge = QtWidgets.QLabel("0")
        self.badge.setProperty("role", "badge")
        self.badge.setToolTip("Orders waiting to be planned")
        self.new_button = QtWidgets.QPushButton("+ New Order")
        self.new_button.setToolTip("Create an imaging order (Ctrl+Shift+N)")
        self.new_button.clicked.connect(self.newOrderRequested)
        self.filter_edit = QtWidgets.QLineEdit()
        self.filter_edit.setPlaceholderText("Filter orders (target, ref, constraint…)")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.set_filter_text)

        self.table = list_table(self.proxy, (34, 92, 170, 150, 70))
        self.proxy.setFilterRole(FILTER_ROLE)
        self.table.setWordWrap(True)
        self.table.setColumnHidden(ID_COL, True)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        # Orders are dragged by hand (not QDrag): the drop target is a pyqtgraph view, and the
        # gesture must work the same on every platform plugin, the headless one included.
        self._press: tuple[str, QtCore.QPoint] | None = None
        self.dragging: str | None = None
        self._fitting = False
        self._one_line = self.table.verticalHeader().defaultSectionSize()  # a row of one line
        self.table.viewport().installEventFilter(self)

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
        """Show the new and proposed orders among ``orders`` (others left the Inbox)."""
        self.model.set_items(o for o in orders if o.status in INBOX_STATES)
        self._fit_columns()
        self._update_badge()

    def _fit_columns(self) -> None:
        """Every column in the panel, none cut, no horizontal scroll bar (a 1366 px screen's Inbox
        is ~290 px wide).

        Priority, target, window and constraints are always in sight; when the panel is too narrow
        for their texts on one line, the target wraps between words, the window and the constraints
        between their parts, onto more lines ("13 Au…" never). Ref, Status and Tries are shown
        only when some order has something to say there and they fit beside those four at their
        narrowest; otherwise they are hidden and what they say stays in sight elsewhere: a proposed
        order is in italics, failed attempts are counted in the priority cell (``P1 ↻2``), and the
        row's tooltip gives all three.

        Every row gets the same height, set once as the header's default section size: the lines
        of the row that wraps most at these widths. The texts are measured here with the font
        metrics (each distinct text once); no row is refitted through the delegate: Qt's
        ``resizeRowsToContents`` / ``resizeColumnToContents`` asked every cell of ~1,000 orders
        for its size hint on each update (~0.9 s on the GUI thread, the heartbeat's stall)."""
        t = self.table
        texts = self.model.column_texts()
        planned = [o.status == OrderStatus.PLANNED for o in self.model.items()]
        plain = t.fontMetrics()
        italic_font = QtGui.QFont(t.font())
        italic_font.setItalic(True)
        bold_font = QtGui.QFont(t.font())
        bold_font.setBold(True)
        italic = QtGui.QFontMetrics(italic_font)
        bold = QtGui.QFontMetrics(bold_font)
        cache: dict[tuple[str, bool], int] = {}

        def advance(text: str, slanted: bool) -> int:
            """Width of ``text`` in a row's font (proposed orders are italic): never less than plain."""
            key = (text, slanted)
            if key not in cache:
                width = plain.horizontalAdvance(text)
                cache[key] = max(width, italic.horizontalAdvance(text)) if slanted else width
            return cache[key]

        margin = 2 * (t.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, t) + 1)
        pad = margin + 2  # what a column gives a text beyond its width: the cell's margins and a little air
        header = t.horizontalHeader()

        def header_width(col: int, arrow: bool = True) -> int:
            """The header section's width for its text (and sort arrow), as the style draws it: the
            style sheet's bold font and padding make it wider than the text in the table's font."""
            opt = QtWidgets.QStyleOptionHeader()
            opt.initFrom(header)
            opt.text = self.model.HEADERS[col]
            opt.section = col
            opt.sortIndicator = (QtWidgets.QStyleOptionHeader.SortIndicator.SortDown if arrow
                                 else QtWidgets.QStyleOptionHeader.SortIndicator.None_)
            size = header.style().sizeFromContents(QtWidgets.QStyle.ContentsType.CT_HeaderSection, opt,
                                                   QtCore.QSize(), header)
            return size.width() + 1  # and the section's border

        def widest(col: int) -> int:
            return max((advance(str(row[col]), p) for row, p in zip(texts, planned)), default=0) + margin

        def parts(row, col: int) -> list[str]:
            sep = WRAPPING[col]
            return [p + sep.strip() for p in str(row[col]).split(sep)]

        def widest_part(col: int) -> int:
            """The widest unbreakable part of the column's texts, or its header (never cut)."""
            return max(max((advance(part, p) for row, p in zip(texts, planned) for part in parts(row, col)),
                           default=0) + pad, header_width(col, arrow=False))

        first = max(max((bold.horizontalAdvance(str(row[0])) for row in texts), default=0) + margin, header_width(0))
        t.setColumnWidth(0, first)
        natural = {col: max(widest(col), header_width(col)) for col in WRAPPING}
        narrowest = {col: min(natural[col], widest_part(col)) for col in WRAPPING}
        view = t.viewport().width()  # refitted when the viewport changes (a scroll bar comes or goes)
        # The optional columns, most useful first, each where it says something and fits.
        room = view - first - sum(narrowest.values())
        says = {TRIES_COL: any(o.attempt_count for o in self.model.items()), STATUS_COL: any(planned),
                REF_COL: any(o.external_ref for o in self.model.items())}
        for col in OPTIONAL_COLS:
            width = max(widest(col), header_width(col))
            shown = says[col] and width <= room
            t.setColumnHidden(col, not shown)
            if shown:
                t.setColumnWidth(col, width)
                room -= width
        # What is left goes to the target, the window, then the constraints, each up to one line.
        widths = dict(narrowest)
        for col in WRAPPING:
            more = max(0, min(room, natural[col] - widths[col]))
            widths[col] += more
            room -= more
        if room > 0 and all(t.isColumnHidden(col) for col in OPTIONAL_COLS):
            widths[CONSTRAINTS_COL] += room  # the last column fills the rest: no sliver at the edge
        lines = 1
        for col, width in widths.items():
            t.setColumnWidth(col, width)
            room_px = width - margin  # the room the text layout wraps in
            for row, p in zip(texts, planned):
                if advance(str(row[col]), p) <= room_px:
                    continue
                n, used = 1, 0
                for part in parts(row, col):  # greedy, as the text layout breaks at spaces
                    need = advance(part + " ", p)
                    if used and used + need > room_px:
                        n, used = n + 1, 0
                    used += need
                lines = max(lines, n)
        one_line = self._one_line
        t.verticalHeader().setDefaultSectionSize(
            one_line if lines == 1 else lines * plain.lineSpacing() + 4)  # as tight as Qt's fitted rows

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

    # ------------------------------------------------------------------ dragging an order out
    def eventFilter(self, obj: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 - Qt API
        kind = event.type()
        E = QtCore.QEvent.Type
        if self.dragging is not None:
            if kind == E.MouseMove:
                self.orderDragMoved.emit(event.globalPosition().toPoint())
                return True
            if kind == E.MouseButtonRelease:
                self._end_drag()
                self.orderDragFinished.emit(event.globalPosition().toPoint())
                return True
            if kind == E.KeyPress and event.key() == QtCore.Qt.Key.Key_Escape:
                self._end_drag()
                self.orderDragCancelled.emit()
                return True
            return False
        if obj is self.table.viewport():
            if kind == E.Resize and not self._fitting:
                self._fitting = True  # wrapped rows may bring a scroll bar: one refit, no loop
                try:
                    self._fit_columns()
                finally:
                    self._fitting = False
            elif kind == E.MouseButtonPress and event.button() == QtCore.Qt.MouseButton.LeftButton:
                index = self.table.indexAt(event.position().toPoint())
                order = self.model.item(self.proxy.mapToSource(index).row()) if index.isValid() else None
                self._press = (order.id, event.position().toPoint()) \
                    if order is not None and order.status == OrderStatus.NEW else None
            elif kind == E.MouseMove and self._press is not None \
                    and event.buttons() & QtCore.Qt.MouseButton.LeftButton:
                order_id, at = self._press
                if (event.position().toPoint() - at).manhattanLength() >= QtWidgets.QApplication.startDragDistance():
                    self._start_drag(order_id)
                    self.orderDragMoved.emit(event.globalPosition().toPoint())
                    return True
            elif kind == E.MouseButtonRelease:
                self._press = None
        return super().eventFilter(obj, event)

    def _start_drag(self, order_id: str) -> None:
        self._press = None
        self.dragging = order_id
        # Every move and the release, wherever they land (over the timeline too), come here.
        QtWidgets.QApplication.instance().installEventFilter(self)
        QtWidgets.QApplication.setOverrideCursor(QtCore.Qt.CursorShape.DragCopyCursor)
        self.orderDragStarted.emit(order_id)

    def _end_drag(self) -> None:
        self.dragging = None
        QtWidgets.QApplication.instance().removeEventFilter(self)
        QtWidgets.QApplication.restoreOverrideCursor()

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
