"""Inbox, Scheduled and Conflicts lists built from domain objects."""
from __future__ import annotations

from datetime import timedelta

from PySide6 import QtCore
from PySide6.QtTest import QTest

from app.domain.enums import OrderStatus
from app.ui.conflicts_view import ConflictsView, conflict_summary
from app.ui.inbox_view import InboxView
from app.ui.list_table import ID_ROLE
from app.ui.scheduled_view import ScheduledView

Left = QtCore.Qt.MouseButton.LeftButton
NoMod = QtCore.Qt.KeyboardModifier.NoModifier


def _row_point(view, table, row, col=1):
    return table.visualRect(table.model().index(row, col)).center()


def test_inbox_shows_new_orders_sorted_filtered_with_badge(qtbot, schedule):
    view = InboxView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.countChanged) as sig:
        view.set_orders(schedule.orders)
    new = [o for o in schedule.orders if o.status == OrderStatus.NEW]
    assert sig.args == [len(new)] and view.count() == len(new) == 25
    assert view.badge.text() == "25" and view.badge_text() == "Inbox (25)"
    priorities = [next(o.priority for o in new if o.id == i) for i in view.visible_order_ids()]
    assert priorities == sorted(priorities)  # sorted by priority, 1 = highest first
    view.table.sortByColumn(0, QtCore.Qt.SortOrder.DescendingOrder)
    priorities = [next(o.priority for o in new if o.id == i) for i in view.visible_order_ids()]
    assert priorities == sorted(priorities, reverse=True)
    target = new[0].target_id
    view.set_filter_text(target.lower())
    shown = view.visible_order_ids()
    assert shown and all(next(o for o in new if o.id == i).target_id == target or
                         target.lower() in (next(o for o in new if o.id == i).external_ref or "").lower()
                         for i in shown)
    view.set_filter_text("")
    assert len(view.visible_order_ids()) == 25


def test_inbox_selection_and_double_click(qtbot, small):
    view = InboxView()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    view.set_orders(small.orders)
    first = view.visible_order_ids()[0]
    vp = view.table.viewport()
    with qtbot.waitSignal(view.orderSelected) as sel:
        QTest.mouseClick(vp, Left, NoMod, _row_point(view, view.table, 0))
    assert sel.args == [first]
    with qtbot.waitSignal(view.editRequested) as edit:
        QTest.mouseDClick(vp, Left, NoMod, _row_point(view, view.table, 0))
    assert edit.args == [first]
    with qtbot.assertNotEmitted(view.orderSelected):
        assert view.select_order(view.visible_order_ids()[2])


def test_scheduled_groups_filters_and_icons(qtbot, schedule):
    view = ScheduledView()
    qtbot.addWidget(view)
    view.set_reference_time(schedule.now)
    view.set_acquisitions(schedule.acquisitions)
    assert view.count() == 300
    assert view.model.group_count() == len({a.target_id for a in schedule.acquisitions})
    view.set_grouping("satellite")
    assert view.grouping() == "satellite" and view.group_satellite.isChecked()
    assert view.model.group_count() == 8
    first_group = view.model.index(0, 0)
    assert first_group.data().startswith(sorted(schedule.satellite_ids)[0])
    child = view.model.index(0, 0, first_group)
    assert view.model.data(child, QtCore.Qt.ItemDataRole.DecorationRole) is not None
    # Children are in start-time order.
    kids = view.model.acquisitions_under(first_group)
    assert [a.start for a in kids] == sorted(a.start for a in kids)

    view.set_state_filter("tentative")
    assert 0 < view.count() < 300
    assert all(schedule.by_id[i].state.value == "tentative" for i in view.visible_ids())
    view.set_state_filter("locked")
    assert all(schedule.by_id[i].lock_level.value != "none" for i in view.visible_ids())
    view.set_state_filter("all states")
    view.set_satellite_filter(schedule.satellite_ids[1])
    assert {schedule.by_id[i].satellite_id for i in view.visible_ids()} == {schedule.satellite_ids[1]}
    view.set_satellite_filter(None)
    view.time_filter.setCurrentText("next 24 h")
    end = schedule.now + timedelta(hours=24)
    assert all(schedule.by_id[i].start < end and schedule.by_id[i].end > schedule.now
               for i in view.visible_ids())
    view.set_time_range(None, None)
    assert view.count() == 300


def test_scheduled_selection_sync_both_ways(qtbot, schedule):
    view = ScheduledView()
    qtbot.addWidget(view)
    view.resize(500, 600)
    view.show()
    view.set_acquisitions(schedule.acquisitions)
    ids = [a.id for a in schedule.acquisitions[:5]]
    with qtbot.assertNotEmitted(view.selectionChanged):
        view.set_selection(ids)
    assert sorted(view.selected_ids()) == sorted(ids)
    view.set_grouping("satellite")  # regrouping keeps the selection
    assert sorted(view.selected_ids()) == sorted(ids)
    # A planner's click emits.
    view.set_selection([])
    group = view.model.index(0, 0)
    view.tree.expand(group)
    child = view.model.index(0, 0, group)
    with qtbot.waitSignal(view.selectionChanged) as sig:
        QTest.mouseClick(view.tree.viewport(), Left, NoMod, view.tree.visualRect(child).center())
    assert sig.args == [[view.model.acquisition_at(child).id]]
    # Selecting a group row selects its acquisitions.
    with qtbot.waitSignal(view.selectionChanged) as sig:
        view.tree.selectionModel().select(group, view.tree.selectionModel().SelectionFlag.ClearAndSelect
                                          | view.tree.selectionModel().SelectionFlag.Rows)
    assert sorted(sig.args[0]) == sorted(a.id for a in view.model.acquisitions_under(group))


def test_conflicts_view_counts_icons_and_click(qtbot, schedule):
    view = ConflictsView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    view.set_conflicts(schedule.conflicts)
    assert view.count() == 4 and view.badge.text() == "4"
    assert view.summary_text() == conflict_summary(schedule.conflicts) == "4 conflicts: 2 errors, 2 warnings"
    ids = view.visible_conflict_ids()
    severities = [next(c.severity for c in schedule.conflicts if c.id == i) for i in ids]
    assert [s.value for s in severities] == ["error", "error", "warning", "warning"]
    idx = view.proxy.index(0, 0)
    assert idx.data(QtCore.Qt.ItemDataRole.DecorationRole) is not None
    assert view.proxy.index(0, 3).data() == next(c for c in schedule.conflicts if c.id == ids[0]).description
    with qtbot.waitSignal(view.conflictSelected) as sig:
        QTest.mouseClick(view.table.viewport(), Left, NoMod, view.table.visualRect(view.proxy.index(1, 1)).center())
    assert sig.args == [ids[1]]
    with qtbot.waitSignal(view.conflictSelected) as sig:  # clicking the same row again re-emits
        QTest.mouseClick(view.table.viewport(), Left, NoMod, view.table.visualRect(view.proxy.index(1, 1)).center())
    assert sig.args == [ids[1]]
    view.set_conflicts([])
    assert view.summary_text() == "No conflicts" and view.count() == 0


def test_scheduled_updates_changed_rows_in_place_and_keeps_the_selection(qtbot, schedule):
    from dataclasses import replace

    from app.domain.enums import LockLevel
    view = ScheduledView()
    qtbot.addWidget(view)
    view.set_acquisitions(schedule.acquisitions)
    unlocked = [a for a in schedule.acquisitions if a.lock_level == LockLevel.NONE][:5]
    view.set_selection([a.id for a in unlocked])
    assert sorted(view.selected_ids()) == sorted(a.id for a in unlocked)
    changed = [replace(a, lock_level=LockLevel.HARD) for a in unlocked]
    view.update_acquisitions(changed)
    shown = {a.id: a for g in range(view.model.rowCount())
             for a in view.model.acquisitions_under(view.model.index(g, 0))}
    assert all(shown[a.id].lock_level == LockLevel.HARD for a in unlocked)
    assert sorted(view.selected_ids()) == sorted(a.id for a in unlocked) and view.count() == 300
    # Under the "unlocked" filter the newly locked rows leave the list.
    view.set_state_filter("unlocked")
    before = view.count()
    view.update_acquisitions([replace(a, lock_level=LockLevel.NONE) for a in changed[:2]])
    assert view.count() == before + 2
    # A change of start time regroups instead of patching a row in the wrong place.
    moved = replace(shown[unlocked[4].id], start=shown[unlocked[4].id].start + timedelta(days=1),
                    end=shown[unlocked[4].id].end + timedelta(days=1))
    view.set_state_filter("all states")
    view.update_acquisitions([moved])
    kids = view.model.acquisitions_under(view.model.group_index(moved.target_id))
    assert [a.start for a in kids] == sorted(a.start for a in kids) and moved in kids


def _header_needs(header, col: int, text: str, arrow: bool) -> int:
    """The width the style needs for a header section's text (and sort arrow)."""
    from PySide6 import QtWidgets
    opt = QtWidgets.QStyleOptionHeader()
    opt.initFrom(header)
    opt.text, opt.section = text, col
    opt.sortIndicator = (QtWidgets.QStyleOptionHeader.SortIndicator.SortDown if arrow
                         else QtWidgets.QStyleOptionHeader.SortIndicator.None_)
    return header.style().sizeFromContents(QtWidgets.QStyle.ContentsType.CT_HeaderSection, opt, QtCore.QSize(),
                                           header).width()


def test_inbox_windows_targets_and_constraints_are_never_cut(qtbot, db_path, settings, shots_dir):
    """The Inbox of the main window at 1366×768 (its left dock as the window gives it): every
    target, window and constraint list is as wide as its column (no "13 Au…"), and the whole
    table is in the panel (no horizontal scroll bar)."""
    from app.persistence import ScheduleDB
    from app.services.orders import add_order
    from app.ui.main_window import MainWindow
    db = ScheduleDB(db_path)
    targets = [t.id for t in db.list_targets(db.list_workspaces()[0].id)]
    # Orders as the demo has them: windows of whole days, of hours, several constraints.
    add_order(db, "day", targets[0], 2, window_start="2026-08-10T00:00:00Z", window_end="2026-08-13T00:00:00Z",
              constraints={"max_incidence_deg": 35, "sensor_type": "visible", "duration_s": 20},
              external_ref="ACME-2026-0815")
    add_order(db, "day", targets[1], 3, window_start="2026-08-10T06:30:00Z", window_end="2026-08-11T18:45:00Z",
              constraints={"max_incidence_deg": 40, "look_side": "LEFT"})
    failed = add_order(db, "day", targets[2], 1, window_start="2026-08-10T09:00:00Z",
                       window_end="2026-08-10T12:30:00Z", constraints={"sensor_type": "sar", "duration_s": 20})
    with db.engine.begin() as conn:  # back from two failed acquisitions (as an execution report leaves it)
        conn.exec_driver_sql("UPDATE orders SET attempt_count = 2, last_failure_reason = 'clouds over the target' "
                             "WHERE id = ?", (failed.id,))
    db.close()
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.show()
    qtbot.waitExposed(w)
    table = w.inbox.table
    metrics = table.fontMetrics()
    model = table.model()
    assert model.rowCount() >= 10
    # What an item view keeps of a cell for its text: the style's text margins, and the target's icon.
    from PySide6 import QtWidgets
    margin = 2 * (table.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
    icon = table.iconSize().width() if table.iconSize().width() > 0 else 16
    lines_of = {}
    for row in range(model.rowCount()):
        for col, sep in ((1, " "), (2, "→ "), (3, ", ")):
            text = model.index(row, col).data()
            decorated = model.index(row, col).data(QtCore.Qt.ItemDataRole.DecorationRole) is not None
            room = table.columnWidth(col) - margin - (icon + 4 if decorated else 0)
            # Nothing is cut: a part of a window or constraint list never breaks, and each fits.
            parts = [text] if sep is None else [p + sep.strip() for p in text.split(sep)]
            assert all(metrics.horizontalAdvance(p) <= room for p in parts), (col, text, table.columnWidth(col))
            if sep is not None:  # the row is tall enough for the lines the parts wrap onto
                lines, used = 1, 0
                for p in parts:
                    need = metrics.horizontalAdvance(p + " ")
                    if used and used + need > room:
                        lines, used = lines + 1, 0
                    used += need
                lines_of[(row, col)] = lines
                assert table.rowHeight(row) >= lines * metrics.lineSpacing(), (row, text)
    # … and the four columns that say what an order is are in sight without scrolling, as is every
    # other column shown: the panel has no horizontal scroll bar (Ref, Status, Tries had one).
    assert table.columnViewportPosition(3) + table.columnWidth(3) <= table.viewport().width()
    shown = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    assert all(table.columnViewportPosition(c) + table.columnWidth(c) <= table.viewport().width() for c in shown)
    assert table.horizontalScrollBar().maximum() == 0
    assert max(lines_of.values()) >= 2  # the narrow panel did wrap
    header = table.horizontalHeader()
    for col in shown:  # the headers too, as the style draws them (bold, padded; the sorted one with its arrow)
        text = model.headerData(col, QtCore.Qt.Orientation.Horizontal)
        assert _header_needs(header, col, text, arrow=col == 0) <= header.sectionSize(col), text
    # What a column with no room says is still in sight: the failed attempts in the priority cell,
    # the customer's reference in the row's tooltip.
    rows = {model.index(r, 0).data(ID_ROLE): r for r in range(model.rowCount())}
    tries = model.index(rows[failed.id], 0)
    assert tries.data() == "P1 ↻2"
    assert metrics.horizontalAdvance("P1 ↻2") + margin <= table.columnWidth(0)
    assert "Failed attempts: 2, last: clouds over the target" in tries.data(QtCore.Qt.ItemDataRole.ToolTipRole)
    if table.isColumnHidden(4):
        ref_row = next(r for r in range(model.rowCount()) if model.index(r, 4).data() == "ACME-2026-0815")
        assert "Ref ACME-2026-0815" in model.index(ref_row, 1).data(QtCore.Qt.ItemDataRole.ToolTipRole)
    w.grab().save(str(shots_dir / "inbox_1366.png"))
    w.inbox.set_filter_text("inc ≤ 35°")
    assert w.inbox.count() >= 1 and len(w.inbox.visible_order_ids()) == 1


def test_inbox_hides_the_raw_order_id_and_keeps_it_in_the_tooltip(qtbot, small):
    view = InboxView()
    qtbot.addWidget(view)
    view.resize(380, 400)
    view.show()
    view.set_orders(small.orders)
    t = view.table
    assert view.model.HEADERS[5] == "Order" and t.isColumnHidden(5)
    first = view.visible_order_ids()[0]
    shown = [str(t.model().index(0, c).data()) for c in range(t.model().columnCount()) if not t.isColumnHidden(c)]
    assert first not in " ".join(shown)
    assert first in t.model().index(0, 1).data(QtCore.Qt.ItemDataRole.ToolTipRole)


def test_an_update_of_a_1000_order_inbox_refits_no_row(qtbot, schedule):
    """A narrow Inbox of 1,000 orders that wraps its windows and constraints: an update sizes no
    row through the delegate (Qt's row fitting asked every cell: ~0.9 s per update), and every
    row is as tall as the most-wrapped one."""
    import dataclasses

    from PySide6 import QtWidgets
    new = [o for o in schedule.orders if o.status == OrderStatus.NEW]
    orders = [dataclasses.replace(new[i % len(new)], id=f"ord-{i:04d}", priority=1 + i % 5)
              for i in range(1000)]
    asked: set[int] = set()

    class Counting(QtWidgets.QStyledItemDelegate):
        def sizeHint(self, option, index):  # noqa: N802 - Qt API
            asked.add(index.row())
            return super().sizeHint(option, index)

    view = InboxView()
    qtbot.addWidget(view)
    view.table.setItemDelegate(Counting(view.table))
    view.resize(380, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_orders(orders[:10])
    asked.clear()
    view.set_orders(orders)
    assert view.count() == 1000
    assert not asked, f"{len(asked)} rows refitted"
    table = view.table
    heights = {table.rowHeight(r) for r in range(table.model().rowCount())}
    assert len(heights) == 1  # one height for all, set once
    metrics = table.fontMetrics()
    assert heights.pop() >= 2 * metrics.lineSpacing()  # the narrow panel wraps onto two lines at least
    asked.clear()
    view.resize(2000, 500)  # wide: every text on one line, one-line rows again
    QtWidgets.QApplication.processEvents()
    assert not asked and table.rowHeight(999) == table.verticalHeader().defaultSectionSize() < 2 * metrics.lineSpacing()


def test_a_wide_inbox_shows_ref_status_and_tries_where_orders_have_them(qtbot, small):
    """Ref, Status and Tries appear when some order has something there and the panel has room for
    them beside the four main columns; without anything to say they take no room."""
    import dataclasses
    from PySide6 import QtWidgets
    view = InboxView()
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    qtbot.waitExposed(view)
    t = view.table
    plain = [dataclasses.replace(o, external_ref=None, attempt_count=0, status=OrderStatus.NEW)
             for o in small.orders]
    view.set_orders(plain)
    assert all(t.isColumnHidden(c) for c in (4, 6, 7))  # nothing to say: no Ref, Status or Tries
    orders = list(plain)
    orders[0] = dataclasses.replace(orders[0], external_ref="ACME-2026-0815")
    orders[1] = dataclasses.replace(orders[1], status=OrderStatus.PLANNED)
    orders[2] = dataclasses.replace(orders[2], attempt_count=1, last_failure_reason="clouds")
    view.set_orders(orders)
    QtWidgets.QApplication.processEvents()
    assert not any(t.isColumnHidden(c) for c in (4, 6, 7))
    model, metrics = t.model(), t.fontMetrics()
    for c in (4, 6, 7):
        assert t.columnViewportPosition(c) + t.columnWidth(c) <= t.viewport().width()
        for r in range(model.rowCount()):
            assert metrics.horizontalAdvance(str(model.index(r, c).data() or "")) <= t.columnWidth(c), c
    assert t.horizontalScrollBar().maximum() == 0
    view.resize(390, 400)  # a panel as narrow as a 1366 px screen's (~390 px): they give way, nothing scrolls sideways
    QtWidgets.QApplication.processEvents()
    assert t.isColumnHidden(7) and t.horizontalScrollBar().maximum() == 0
