"""The Scheduled list: acquisitions grouped by target or by satellite, with filters.

A two-level tree model over plain lists (not one QStandardItem per cell) so 20,000 acquisitions
regroup and refilter in milliseconds.
"""
from __future__ import annotations

import bisect

from collections.abc import Iterable
from datetime import datetime, timedelta

from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import Acquisition
from app.domain.times import UTC

from .formatting import acquisition_name, duration_text, pitch_text, roll_text, short_utc_text, utc_text
from .palette import is_locked, state_icon_name
from .resources import icon

Role = QtCore.Qt.ItemDataRole
ID_ROLE = Role.UserRole + 2
_GROUP = 0  # internalId of a group row; child rows carry group index + 1

STATE_FILTERS = ("all states", "committed", "tentative", "locked", "unlocked", "executing",
                 "completed", "failed")
#: Background of rows another planner just changed.
FLASH_COLOUR = QtGui.QColor("#fff1b8")
TIME_FILTERS = ("all times", "next 24 h", "next 48 h", "next 7 days", "custom")


class AcquisitionTreeModel(QtCore.QAbstractItemModel):
    """Groups (a target or a satellite) → acquisitions sorted by start time."""

    HEADERS = ("Acquisition", "Start (UTC)", "Duration", "State", "Lock", "Roll")

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[str, list[Acquisition]]] = []
        self._where: dict[str, tuple[int, int]] = {}  # acquisition id → (group, row)
        self.group_by = "target"
        #: Rows another planner just changed (tinted for a moment).
        self.flashed: frozenset[str] = frozenset()

    def set_groups(self, acqs: Iterable[Acquisition], group_by: str) -> None:
        if group_by not in ("target", "satellite"):
            raise ValueError(f"group_by: must be target or satellite, got {group_by!r}")
        groups: dict[str, list[Acquisition]] = {}
        key = (lambda a: a.target_id) if group_by == "target" else (lambda a: a.satellite_id)
        for a in acqs:
            groups.setdefault(key(a), []).append(a)
        self.beginResetModel()
        self.group_by = group_by
        self._groups = [(k, sorted(v, key=lambda a: (a.start, a.id)))
                        for k, v in sorted(groups.items(), key=lambda kv: kv[0].lower())]
        self._where = {a.id: (g, r) for g, (_, items) in enumerate(self._groups) for r, a in enumerate(items)}
        self.endResetModel()

    def remove(self, gone: set[str]) -> None:
        """Drop rows (a delete) keeping the groups' order: no regrouping or sorting."""
        hit = sorted({self._where[i][0] for i in gone if i in self._where})
        if not hit:
            return
        self.beginResetModel()
        for g in hit:
            k, items = self._groups[g]
            self._groups[g] = (k, [a for a in items if a.id not in gone])
        for i in gone:
            self._where.pop(i, None)
        if any(not self._groups[g][1] for g in hit):  # a group emptied: group indices shift
            self._groups = [(k, items) for k, items in self._groups if items]
            self._where = {a.id: (g, r) for g, (_, items) in enumerate(self._groups) for r, a in enumerate(items)}
        else:  # only the rows after a removed one move up, inside their own group
            for g in hit:
                self._where.update((a.id, (g, r)) for r, a in enumerate(self._groups[g][1]))
        self.endResetModel()

    def insert(self, added: list[Acquisition]) -> None:
        """Add rows (a commit, an undo of a delete) in their groups by start time: only the groups
        they join are re-sorted; a new group is placed by name."""
        if not added:
            return
        key = (lambda a: a.target_id) if self.group_by == "target" else (lambda a: a.satellite_id)
        by_key: dict[str, list[Acquisition]] = {}
        for a in added:
            by_key.setdefault(key(a), []).append(a)
        self.beginResetModel()
        position = {k: g for g, (k, _) in enumerate(self._groups)}
        new_keys = [k for k in by_key if k not in position]
        for k, items in by_key.items():
            g = position.get(k)
            if g is not None:
                merged, first = _merged(self._groups[g][1], items)
                self._groups[g] = (k, merged)
                # Rows before the first new one keep their places.
                self._where.update((a.id, (g, r)) for r, a in enumerate(merged[first:], first))
        if new_keys:  # group indices shift
            self._groups += [(k, sorted(by_key[k], key=lambda a: (a.start, a.id))) for k in new_keys]
            self._groups.sort(key=lambda kv: kv[0].lower())
            self._where = {a.id: (g, r) for g, (_, items) in enumerate(self._groups) for r, a in enumerate(items)}
        self.endResetModel()

    def replace(self, changed: dict[str, Acquisition]) -> bool:
        """Put new versions of shown acquisitions in place (same group, same start) and repaint
        their rows. False (nothing done) when a change would move a row: regroup instead."""
        key = (lambda a: a.target_id) if self.group_by == "target" else (lambda a: a.satellite_id)
        found = []
        for g, (k, items) in enumerate(self._groups):
            for r, a in enumerate(items):
                new = changed.get(a.id)
                if new is not None:
                    if key(new) != k or new.start != a.start:
                        return False
                    found.append((g, r, new))
        for g, r, new in found:
            self._groups[g][1][r] = new
        last = self.columnCount() - 1
        for g in sorted({g for g, _, _ in found}):
            rows = [r for gg, r, _ in found if gg == g]
            self.dataChanged.emit(self.createIndex(min(rows), 0, g + 1), self.createIndex(max(rows), last, g + 1))
        return True

    def group_count(self) -> int:
        return len(self._groups)

    def acquisition_count(self) -> int:
        return sum(len(v) for _, v in self._groups)

    def group_index(self, key: str) -> QtCore.QModelIndex:
        for i, (k, _) in enumerate(self._groups):
            if k == key:
                return self.index(i, 0)
        return QtCore.QModelIndex()

    def acquisition_at(self, index: QtCore.QModelIndex) -> Acquisition | None:
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def acquisitions_under(self, index: QtCore.QModelIndex) -> list[Acquisition]:
        """The acquisition of a child row, or every acquisition of a group row."""
        if not index.isValid():
            return []
        if index.internalId() == _GROUP:
            return list(self._groups[index.row()][1])
        return [self._groups[index.internalId() - 1][1][index.row()]]

    def indexes_of(self, ids: Iterable[str]) -> list[QtCore.QModelIndex]:
        """Column-0 indexes of the shown acquisitions among ``ids``, in display order."""
        return [self.createIndex(r, 0, g + 1) for g, r in sorted(self._where[i] for i in ids if i in self._where)]

    def selection_of(self, ids: Iterable[str]) -> tuple[QtCore.QItemSelection, list[str]]:
        """Whole rows of the shown acquisitions among ``ids``, as one range per run of adjacent
        rows (a time band selected on the timeline is mostly runs), and their ids in display order."""
        places = sorted(self._where[i] for i in set(ids) if i in self._where)
        selection = QtCore.QItemSelection()
        last = self.columnCount() - 1
        k = 0
        while k < len(places):
            g, first = places[k]
            end = first
            while k + 1 < len(places) and places[k + 1] == (g, end + 1):
                k += 1
                end += 1
            selection.select(self.createIndex(first, 0, g + 1), self.createIndex(end, last, g + 1))
            k += 1
        return selection, [self._groups[g][1][r].id for g, r in places]

    # Qt API --------------------------------------------------------------
    def index(self, row, column, parent=QtCore.QModelIndex()):
        if not self.hasIndex(row, column, parent):
            return QtCore.QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index=QtCore.QModelIndex()):
        if not index.isValid() or index.internalId() == _GROUP:
            return QtCore.QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 - Qt API
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 - Qt API
        return len(self.HEADERS)

    def headerData(self, section, orientation, role=Role.DisplayRole):  # noqa: N802 - Qt API
        if orientation == QtCore.Qt.Orientation.Horizontal and role == Role.DisplayRole:
            if section == 0:
                return "Target / satellite" if self.group_by == "target" else "Satellite / target"
            return self.HEADERS[section]
        return None

    def data(self, index, role=Role.DisplayRole):
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == _GROUP:
            key, items = self._groups[index.row()]
            if role == Role.DisplayRole and col == 0:
                return f"{key}  ({len(items)})"
            if role == Role.DecorationRole and col == 0:
                return icon("target" if self.group_by == "target" else "satellite")
            if role == Role.FontRole and col == 0:
                f = QtGui.QFont()
                f.setBold(True)
                return f
            if role == Role.DisplayRole and col == 1 and items:
                return short_utc_text(items[0].start)
            return None
        a = self._groups[index.internalId() - 1][1][index.row()]
        if role == Role.DisplayRole:
            other = a.satellite_id if self.group_by == "target" else a.target_id
            return (other, short_utc_text(a.start), duration_text((a.end - a.start).total_seconds()),
                    a.state.value, a.lock_level.value if is_locked(a) else "—", f"{a.roll_deg:+.1f}°")[col]
        if role == Role.DecorationRole and col == 0:
            return icon(state_icon_name(a))
        if role == ID_ROLE:
            return a.id
        if role == Role.BackgroundRole and a.id in self.flashed:
            return FLASH_COLOUR
        if role == Role.ToolTipRole:
            return (f"{acquisition_name(a)}\n{utc_text(a.start)} → "
                    f"{utc_text(a.end)}\nroll {roll_text(a.roll_deg)}, pitch "
                    f"{pitch_text(a.pitch_deg)}\nstate {a.state.value}, lock {a.lock_level.value}\nid {a.id}")
        return None


class ScheduledView(QtWidgets.QWidget):
    """Scheduled acquisitions with ✓ committed / ○ tentative / 🔒 locked icons.

    ``set_selection`` emits nothing; a planner's selection emits ``selectionChanged(ids)``.
    """

    selectionChanged = QtCore.Signal(list)
    activated = QtCore.Signal(str)
    countChanged = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._all: list[Acquisition] = []
        #: The satellites the satellite filter lists (those of ``_all`` when it was last rebuilt).
        self._listed_sats: set[str] = set()
        self._reference: datetime | None = None
        self._custom_range: tuple[datetime, datetime] | None = None
        self._syncing = False
        self._selected: list[str] = []  # what the tree shows selected (kept here: asking a tree of
        # 20,000 rows for its selected rows costs ~1 s of Python index()/parent() calls)
        self.model = AcquisitionTreeModel(self)

        self.title = QtWidgets.QLabel("Scheduled")
        self.title.setProperty("role", "title")
        self.badge = QtWidgets.QLabel("0")
        self.badge.setProperty("role", "badge")
        self.group_target = QtWidgets.QToolButton()
        self.group_target.setText("By target")
        self.group_satellite = QtWidgets.QToolButton()
        self.group_satellite.setText("By satellite")
        group = QtWidgets.QButtonGroup(self)
        for b in (self.group_target, self.group_satellite):
            b.setCheckable(True)
            group.addButton(b)
        self.group_target.setChecked(True)
        self.group_target.toggled.connect(lambda on: on and self.set_grouping("target"))
        self.group_satellite.toggled.connect(lambda on: on and self.set_grouping("satellite"))

        self.state_filter = QtWidgets.QComboBox()
        self.state_filter.addItems(STATE_FILTERS)
        self.state_filter.setToolTip("Show only acquisitions in this state")
        self.satellite_filter = QtWidgets.QComboBox()
        self.satellite_filter.addItem("all satellites")
        self.satellite_filter.setToolTip("Show only one satellite")
        self.time_filter = QtWidgets.QComboBox()
        self.time_filter.addItems(TIME_FILTERS)
        self.time_filter.setToolTip("Time range, from now (UTC)")
        for combo in (self.state_filter, self.satellite_filter, self.time_filter):
            combo.currentIndexChanged.connect(self._refilter)

        self.tree = QtWidgets.QTreeView()
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setExpandsOnDoubleClick(True)
        header = self.tree.header()
        for col, width in enumerate((150, 112, 46, 76, 44)):
            header.resizeSection(col, width)
        self.tree.selectionModel().selectionChanged.connect(self._on_selection)
        self.tree.doubleClicked.connect(self._on_double_click)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.badge)
        top.addStretch(1)
        top.addWidget(self.group_target)
        top.addWidget(self.group_satellite)
        filters = QtWidgets.QHBoxLayout()
        filters.addWidget(self.state_filter, 1)
        filters.addWidget(self.satellite_filter, 1)
        filters.addWidget(self.time_filter, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)

    # -------------------------------------------------------------------- API
    def set_acquisitions(self, acqs: Iterable[Acquisition]) -> None:
        """Show these acquisitions (filters and grouping kept; selection of those still present kept)."""
        selected = set(self.selected_ids())
        self._all = list(acqs)
        self._listed_sats = {a.satellite_id for a in self._all}
        sats = sorted(self._listed_sats)
        current = self.satellite_filter.currentText()
        with QtCore.QSignalBlocker(self.satellite_filter):
            self.satellite_filter.clear()
            self.satellite_filter.addItem("all satellites")
            self.satellite_filter.addItems(sats)
            i = self.satellite_filter.findText(current)
            self.satellite_filter.setCurrentIndex(max(i, 0))
        self._refilter()
        self.set_selection(selected)

    def remove_acquisitions(self, ids: Iterable[str]) -> None:
        """Acquisitions gone (a delete): their rows are dropped in place (filters, grouping and the
        selection of the others kept)."""
        gone = set(ids)
        selected = set(self.selected_ids()) - gone
        self._all = [a for a in self._all if a.id not in gone]
        self.model.remove(gone)
        self._count_changed()
        self.set_selection(selected)

    def add_acquisitions(self, added: Iterable[Acquisition]) -> None:
        """Acquisitions new to the list (a commit, an undo of a delete): those passing the filters are
        inserted in their groups (no regrouping of the others); the selection is kept."""
        known = {a.id for a in self._all}
        added = [a for a in added if a.id not in known]
        if not added:
            return
        selected = set(self.selected_ids())
        new_sats = {a.satellite_id for a in added} - self._listed_sats
        self._all.extend(added)
        if new_sats:  # the satellite filter lists them: rebuilt with the list
            self.set_acquisitions(self._all)
            return
        self.model.insert(self._passing(added))
        self._count_changed()
        self.set_selection(selected)

    def update_acquisitions(self, changed: Iterable[Acquisition]) -> None:
        """New versions of some acquisitions (a lock, an edit): rows updated in place when the
        grouping, order and filters are unaffected, else those rows are taken out and put back."""
        changed = {a.id: a for a in changed}
        self._all = [changed.get(a.id, a) for a in self._all]
        if self.state_filter.currentText() == "all states" and self.model.replace(changed):
            return
        # A row that moves (another start, group or filter result): out of its place, back in its new one.
        selected = set(self.selected_ids())
        self.model.remove(set(changed))
        self.model.insert(self._passing(changed.values()))
        self._count_changed()
        self.set_selection(selected)

    def flash(self, ids: frozenset[str]) -> None:
        """Tint these rows (another planner changed them); empty: none."""
        self.model.flashed = frozenset(ids)
        self.tree.viewport().update()

    def set_reference_time(self, now: datetime) -> None:
        """"now" for the relative time filters (the workspace's clock, not the machine's)."""
        if now == self._reference:
            return
        self._reference = now
        if self._time_window() is not None:
            self._refilter()

    def set_time_range(self, start: datetime | None, end: datetime | None) -> None:
        """Show only acquisitions overlapping [start, end); ``None, None`` shows all times."""
        with QtCore.QSignalBlocker(self.time_filter):
            if start is None and end is None:
                self._custom_range = None
                self.time_filter.setCurrentIndex(0)
            else:
                self._custom_range = (start or datetime.min.replace(tzinfo=UTC),
                                      end or datetime.max.replace(tzinfo=UTC))
                self.time_filter.setCurrentText("custom")
        self._refilter()

    def set_state_filter(self, name: str) -> None:
        if name not in STATE_FILTERS:
            raise ValueError(f"state filter: unknown {name!r}; known: {', '.join(STATE_FILTERS)}")
        self.state_filter.setCurrentText(name)

    def set_satellite_filter(self, satellite_id: str | None) -> None:
        i = self.satellite_filter.findText(satellite_id or "all satellites")
        if i < 0:
            raise ValueError(f"satellite filter: no satellite {satellite_id!r} in the list")
        self.satellite_filter.setCurrentIndex(i)

    def set_grouping(self, group_by: str) -> None:
        """``target`` or ``satellite``."""
        selected = set(self.selected_ids())
        with QtCore.QSignalBlocker(self.group_target), QtCore.QSignalBlocker(self.group_satellite):
            self.group_target.setChecked(group_by == "target")
            self.group_satellite.setChecked(group_by == "satellite")
        self.model.set_groups(self._filtered(), group_by)
        self.set_selection(selected)

    def grouping(self) -> str:
        return self.model.group_by

    def visible_ids(self) -> list[str]:
        """Acquisition ids that pass the filters, in display order."""
        out = []
        for g in range(self.model.rowCount()):
            gi = self.model.index(g, 0)
            out.extend(a.id for a in self.model.acquisitions_under(gi))
        return out

    def set_selection(self, ids: Iterable[str]) -> None:
        """Select exactly these acquisitions (those passing the filters); emits nothing."""
        selection, found = self.model.selection_of(ids)
        self._syncing = True
        try:
            sm = self.tree.selectionModel()
            sm.select(selection, QtCore.QItemSelectionModel.SelectionFlag.ClearAndSelect)
            if found:
                first = self.model.indexes_of(found[:1])[0]
                self.tree.expand(first.parent())
                self.tree.scrollTo(first)
        finally:
            self._syncing = False
        self._selected = found

    def selected_ids(self) -> list[str]:
        return list(self._selected)

    def _selection_from_tree(self) -> list[str]:
        seen: dict[str, None] = {}
        for idx in self.tree.selectionModel().selectedRows(0):
            for a in self.model.acquisitions_under(idx):
                seen[a.id] = None
        return list(seen)

    def count(self) -> int:
        return self.model.acquisition_count()

    # ---------------------------------------------------------------- helpers
    def _filtered(self) -> list[Acquisition]:
        return self._passing(self._all)

    def _passing(self, acqs: Iterable[Acquisition]) -> list[Acquisition]:
        """Those of ``acqs`` the state, satellite and time filters let through."""
        state = self.state_filter.currentText()
        sat = self.satellite_filter.currentText()
        window = self._time_window()
        out = []
        for a in acqs:
            if sat != "all satellites" and a.satellite_id != sat:
                continue
            if state == "locked" and not is_locked(a):
                continue
            if state == "unlocked" and is_locked(a):
                continue
            if state not in ("all states", "locked", "unlocked") and a.state.value != state:
                continue
            if window and not (a.end > window[0] and a.start < window[1]):
                continue
            out.append(a)
        return out

    def _time_window(self) -> tuple[datetime, datetime] | None:
        choice = self.time_filter.currentText()
        if choice == "custom":
            return self._custom_range
        hours = {"next 24 h": 24, "next 48 h": 48, "next 7 days": 168}.get(choice)
        if hours is None or self._reference is None:
            return None
        return self._reference, self._reference + timedelta(hours=hours)

    def _refilter(self) -> None:
        selected = set(self.selected_ids()) if self.model.rowCount() else set()
        self.model.set_groups(self._filtered(), self.model.group_by)
        self._count_changed()
        if selected:
            self.set_selection(selected)

    def _count_changed(self) -> None:
        n = self.count()
        self.badge.setText(str(n))
        self.badge.setToolTip(f"{n} of {len(self._all)} acquisitions pass the filters")
        self.countChanged.emit(n)

    def _on_selection(self, *_args) -> None:
        if not self._syncing:
            self._selected = self._selection_from_tree()
            self.selectionChanged.emit(self.selected_ids())

    def _on_double_click(self, index: QtCore.QModelIndex) -> None:
        a = self.model.acquisition_at(index)
        if a is not None:
            self.activated.emit(a.id)


def _row_key(a: Acquisition) -> tuple:
    return (a.start, a.id)


def _merged(rows: list[Acquisition], new: list[Acquisition]) -> tuple[list[Acquisition], int]:
    """``rows`` (sorted by start, then id) with ``new`` put in their places, and the index of the
    first new one: a binary search per new row, not a sort of the whole group (a commit adds
    1,000 rows to groups of 1,000s)."""
    new = sorted(new, key=_row_key)
    out: list[Acquisition] = []
    i, first = 0, None
    for a in new:
        j = bisect.bisect_right(rows, _row_key(a), lo=i, key=_row_key)
        out.extend(rows[i:j])
        if first is None:
            first = len(out)
        out.append(a)
        i = j
    out.extend(rows[i:])
    return out, first or 0
