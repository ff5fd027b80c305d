"""The planner's day on the real main window, a real database and the real planner, as one test:
New Order → Plan… (worker thread) → Compare, accept (commit) → rubber-band select → Lock hard →
Delete refused with the reason → swap → a conflict resolved from the Conflicts tab and Inspector →
undo / redo of each of those commands → Plan… again → quit keeping the candidate → reopen: the
candidate, its proposed orders, the schedule and the layout are back. Then focused tests of the
details (swap choices, order edits, exports, the map, team mode, the Inspector, Compare's counts).

Every modal dialog is answered by ``answer_modal``; ``no_stuck_modal`` closes any left unanswered
and fails the test, so a failing step never leaves the run waiting on a dialog."""
from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from PySide6 import QtCore, QtWidgets

from app.domain.times import to_iso
from app.persistence import ScheduleDB
from app.ui import file_actions
from app.ui.main_window import MainWindow
from modal_helpers import answer_modal

SHOTS = Path("/tmp/ui_shots")

pytestmark = pytest.mark.usefixtures("no_stuck_modal")  # first: it outlives qtbot's closing of windows


def _plan(window, qtbot, mode="from_scratch"):
    from app.services.planning import PlanOptions
    with qtbot.waitSignal(window.jobs.busyChanged, timeout=120000, check_params_cb=lambda busy: not busy):
        window.start_planning(PlanOptions(mode=mode))
    assert window.candidate is not None


def _committed_window(qtbot, db_path, settings) -> MainWindow:
    """The main window on ``day`` with a from-scratch plan made on the worker and committed."""
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    _plan(w, qtbot)
    assert w.commit(confirm=False)
    return w


def _press(text):
    """A message box answer: click its button named ``text``."""
    def handle(box):
        next(b for b in box.buttons() if b.text() == text).click()
    return handle


def _inbox_statuses(window) -> dict[str, str]:
    """Order id → what the Inbox's Status column says (new | proposed)."""
    model = window.inbox.model
    return {model.index(r, 5).data(): model.index(r, 6).data() for r in range(model.rowCount())}


def _new_order(window, target: str, priority: int) -> None:
    """Plan ▸ New Order…, the dialog filled for ``target`` and accepted."""
    def fill(dialog):
        dialog.target.setCurrentIndex(dialog.target.findText(target, QtCore.Qt.MatchFlag.MatchStartsWith))
        assert dialog.target.currentIndex() >= 0, target
        dialog.priority.setValue(priority)
        dialog.accept()
    answer = answer_modal(fill)
    window.action_new_order.trigger()
    assert answer.done


def _plan_from_menu(window, qtbot) -> None:
    """Plan ▸ Plan… with the dialog's defaults, run on the worker until the candidate arrives."""
    answer = answer_modal(lambda dialog: dialog.accept())
    with qtbot.waitSignal(window.jobs.busyChanged, timeout=120000, check_params_cb=lambda busy: not busy):
        window.action_plan.trigger()
    assert answer.done and window.candidate is not None


def _keep_quietly(window) -> None:
    """qtbot's closing of a window left open by a failed step: answer the candidate prompt in
    advance (a prompt nobody answers would wait for ever)."""
    window.candidate_on_close = "keep"


def _start(window, acquisition_id: str):
    return window.acquisitions[acquisition_id].start


@pytest.mark.timeout(300, method="thread")  # the last resort: a stuck run is killed, never waits
def test_planners_day(qtbot, db_path, settings, drag, force_overlap):
    """One planner's day, every step through the window's menus, dialogs, mouse and Inspector:
    New Order → Plan… (worker) → Compare, accept (commit) → swap → rubber-band select → Lock hard
    → refused Delete → a forced overlap resolved from the Conflicts tab and Inspector → undo and
    redo of every one of those commands → Plan… again → quit keeping the candidate → reopen: the
    candidate, its proposed orders, the schedule and the layout are back → quit discarding it."""
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w, before_close_func=_keep_quietly)
    w.show()
    qtbot.waitExposed(w)
    new = lambda: {i for i, o in w.orders.items() if o.status == "new"}  # noqa: E731

    # 1. New Order (the dialog): one more row in the Inbox; undo takes it away, redo brings it back.
    before = new()
    _new_order(w, "Tokyo", 1)
    (tokyo,) = new() - before
    assert w.inbox.count() == len(before) + 1 == 13 and _inbox_statuses(w)[tokyo] == "new"
    w.action_undo.trigger()
    assert tokyo not in w.orders and w.inbox.count() == 12
    w.action_redo.trigger()
    assert w.orders[tokyo].status == "new" and w.inbox.count() == 13

    # 2. Plan… on the worker: a candidate whose orders stay in the Inbox as proposed.
    _plan_from_menu(w, qtbot)
    plan_id, items = w.candidate.plan_id, len(w.candidate.items)
    held = {it.order_id for it in w.candidate.items}
    assert items > 0 and w.candidate.metrics["error_conflicts"] == 0
    assert len(w.timeline.bars.ghost_ids) == items  # its items drawn as ghost bars
    statuses = _inbox_statuses(w)
    assert all(statuses[o] == "proposed" for o in held) and w.inbox.count() == 13

    # 3. Compare Plans…, Accept Proposed Plan: committed; the served orders leave the Inbox.
    answer = answer_modal(lambda d: d.accept_button.click())
    w.action_compare.trigger()
    assert answer.done and w.candidate is None and len(w.acquisitions) == items
    assert w.timeline.bars.ghost_ids == [] and len(w.timeline.bars.ids) == items
    assert all(a.state == "committed" for a in w.acquisitions.values())
    unserved = w.inbox.count()
    assert unserved == len(new()) == 13 - len(held)
    committed = {i: (a.satellite_id, a.start) for i, a in w.acquisitions.items()}
    # Undo of the commit leaves the plan a candidate again, its orders proposed (never hidden).
    w.action_undo.trigger()
    assert w.acquisitions == {} and w.candidate is not None and w.candidate.plan_id == plan_id
    statuses = _inbox_statuses(w)
    assert w.inbox.count() == 13 and list(statuses.values()).count("proposed") == len(held)
    assert all(statuses[o] == "proposed" for o in held)
    w.action_redo.trigger()
    assert w.candidate is None and w.inbox.count() == unserved
    assert {i: (a.satellite_id, a.start) for i, a in w.acquisitions.items()} == committed

    # 4. Rubber-band select the two bottom satellites' rows over the whole horizon; Lock hard.
    w.timeline.zoom_to_horizon()
    qtbot.wait(50)
    rows = w.timeline.rows()
    vp = w.timeline.plot.viewport()
    first = min(a.start for a in w.acquisitions.values())
    last = max(a.end for a in w.acquisitions.values())
    a = w.timeline.map_to_widget(first - timedelta(minutes=30), len(rows) - 2 + 0.02)
    b = w.timeline.map_to_widget(last + timedelta(minutes=30), len(rows) - 0.02)
    assert vp.rect().contains(a) and vp.rect().contains(b)
    drag(vp, a, b)
    selected = set(w.timeline.selected_ids())
    assert len(selected) >= 2
    assert selected == {i for i, x in w.acquisitions.items() if x.satellite_id in rows[-2:]}
    w.action_lock_hard.trigger()
    assert all(w.acquisitions[i].lock_level == "hard" for i in selected)
    assert all(x.lock_level == "none" for i, x in w.acquisitions.items() if i not in selected)

    # 5. Delete is refused, with the reason; nothing leaves and nothing goes on the history.
    depth = w.undo_stack.count()
    w.action_delete.trigger()
    assert selected <= set(w.acquisitions) and w.undo_stack.count() == depth
    message = w.statusBar().currentMessage()
    assert "hard" in message.lower() and "refused" in message
    # Undo the lock, redo it.
    w.action_undo.trigger()
    assert all(w.acquisitions[i].lock_level == "none" for i in selected)
    w.action_redo.trigger()
    assert all(w.acquisitions[i].lock_level == "hard" for i in selected)

    # 6. Swap an unlocked acquisition to another opportunity from the Inspector; undo, redo.
    free = sorted((x for x in w.acquisitions.values() if x.lock_level == "none"), key=lambda x: x.start)
    acq = free[0]
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.edits.select([acq.id])  # the swap choices are worked out on a worker
    page = w.inspector.acquisition_page
    assert w.inspector.current_kind() == "acquisition" and page.swap_button.isEnabled()
    page.swap_combo.setCurrentIndex(page.swap_combo.count() - 1)
    target = page.swap_combo.currentData()
    page.swap_button.click()
    swapped = w.acquisitions[acq.id]
    assert swapped.opportunity_id == target and swapped.start != acq.start
    w.action_undo.trigger()
    assert (_start(w, acq.id), w.acquisitions[acq.id].opportunity_id) == (acq.start, acq.opportunity_id)
    w.action_redo.trigger()
    assert (_start(w, acq.id), w.acquisitions[acq.id].opportunity_id) == (swapped.start, target)

    # 7. A forced manual move makes an overlap between unlocked acquisitions; F5 finds it.
    first, second = force_overlap(w.db, [x for x in w.acquisitions.values() if x.lock_level == "none"])
    w.reload()
    w.action_detect.trigger()
    assert w.left_tabs.currentWidget() is w.conflicts_view and w.conflicts_view.count() >= 1
    overlap = next(c for c in w.conflicts.values() if c.type == "temporal_overlap")
    assert set(overlap.acquisition_ids) == {first.id, second.id}
    # A click on its row highlights its bars and opens it in the Inspector.
    view = w.conflicts_view

    def click_overlap_row():
        conflict = next(c for c in w.conflicts.values() if c.type == "temporal_overlap")
        rect = view.table.visualRect(view.proxy.index(view.visible_conflict_ids().index(conflict.id), 1))
        drag(view.table.viewport(), rect.center(), rect.center())
        assert w.inspector.current_kind() == "conflict" and w.inspector.conflict_page.conflict.id == conflict.id
        return conflict
    overlap = click_overlap_row()
    assert w.timeline.bars.highlighted.sum() == len(overlap.acquisition_ids)
    conflict_page = w.inspector.conflict_page
    index = next(i for i, o in enumerate(overlap.resolution_options) if o.action != "delete")
    moved = overlap.resolution_options[index].acquisition_id
    was = _start(w, moved)
    conflict_page.options.setCurrentRow(index)
    conflict_page.preview_button.click()
    assert w.timeline.bars.preview is not None
    w.timeline.zoom_to(first.start.timestamp() - 900, first.start.timestamp() + 900)
    qtbot.wait(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(SHOTS / "main_window_conflict.png"))
    # Apply Resolution: the overlap is gone, and so are its Inspector page and dashed preview.
    conflict_page.apply_button.click()
    assert not any(c.type == "temporal_overlap" for c in w.conflicts.values())
    fixed = _start(w, moved)
    assert fixed != was
    assert w.inspector.current_kind() == "empty" and w.timeline.bars.preview is None
    # Undo brings the overlap back; redo applies the fix again (defect 2: it raised "no conflict"),
    # and the Inspector, showing the overlap again, clears itself when it is gone.
    w.action_undo.trigger()
    assert _start(w, moved) == was, w.statusBar().currentMessage()
    assert any(c.type == "temporal_overlap" for c in w.conflicts.values())
    click_overlap_row()
    w.action_redo.trigger()
    assert _start(w, moved) == fixed, w.statusBar().currentMessage()
    assert not any(c.type == "temporal_overlap" for c in w.conflicts.values())
    assert w.inspector.current_kind() == "empty"
    assert w.undo_stack.canUndo() and not w.undo_stack.canRedo()

    # Every command of the day is on the history once (the refused Delete is not).
    history = [w.undo_stack.text(i) for i in range(w.undo_stack.count())]
    assert len(history) == 5, history
    assert [h.split()[0] for h in history] == ["New", "Commit", "Lock", "Swap", "Apply"], history

    # 8. Another order and Plan… again: a candidate, not committed.
    _new_order(w, "Lagos", 2)
    _plan_from_menu(w, qtbot)
    kept, proposed = w.candidate.plan_id, {it.order_id for it in w.candidate.items}
    assert proposed and all(_inbox_statuses(w)[o] == "proposed" for o in proposed)

    # 9. The planner moves the lists next to the Inspector, and quits: asked about the candidate,
    # they keep it for next time.
    right = QtCore.Qt.DockWidgetArea.RightDockWidgetArea
    w.addDockWidget(right, w.left_dock)
    w.resize(1450, 700)  # inside the (offscreen) screen, which restoreGeometry clamps to
    qtbot.wait(50)
    size = (w.width(), w.height())
    placed = {i: (x.start, x.satellite_id) for i, x in w.acquisitions.items()}
    locks = {i: x.lock_level for i, x in w.acquisitions.items()}
    w.grab().save(str(SHOTS / "main_window.png"))
    answer = answer_modal(_press("Keep for next time"))
    w.close()
    assert answer.done and not w.isVisible()

    # 10. Reopen on the same database and settings: the candidate is back, its orders proposed in
    # the Inbox; the schedule, its locks and the layout too.
    again = MainWindow(db_path, "day", settings)
    qtbot.addWidget(again, before_close_func=_keep_quietly)
    again.show()
    qtbot.waitExposed(again)
    qtbot.wait(50)
    assert again.candidate is not None and again.candidate.plan_id == kept
    assert {it.order_id for it in again.candidate.items} == proposed
    statuses = _inbox_statuses(again)
    assert all(statuses[o] == "proposed" for o in proposed)
    assert {i: (x.start, x.satellite_id) for i, x in again.acquisitions.items()} == placed
    # Opening applies time passing at the workspace clock: the unlocked acquisitions inside the
    # soft-lock window (past the frozen zone) are soft-locked now, and the status bar says so.
    s = again.ws.settings
    clock = s.scenario_clock
    soft_window = (clock + timedelta(hours=s.freeze_window_hours), clock + timedelta(hours=s.soft_lock_window_hours))
    soft = {i for i, level in locks.items()
            if level == "none" and soft_window[0] <= placed[i][0] < soft_window[1]}
    assert soft and {i: x.lock_level for i, x in again.acquisitions.items()} == {
        i: "soft" if i in soft else level for i, level in locks.items()}
    assert f"{len(soft)} soft-locked" in again.statusBar().currentMessage()
    # The offscreen screen is 800 px wide, narrower than the docks' minimum: only the height and
    # the dock layout can come back exactly there.
    assert again.height() == size[1]
    assert again.dockWidgetArea(again.left_dock) == right

    # 11. Quitting again, the planner discards it: its orders return to the Inbox as new.
    answer = answer_modal(_press("Discard"))
    again.close()
    assert answer.done
    db = ScheduleDB(db_path)
    try:
        assert db.get_plan(kept).status == "rejected"
        assert all(db.get_order(o).status == "new" for o in proposed)
    finally:
        db.close()


def test_export_every_format_from_the_file_menu(qtbot, db_path, settings, tmp_path):
    """File ▸ Export Schedule… opens the Export dialog: its range is what the timeline shows, its
    folder the last one used; every format is written and read back by an independent reader."""
    w = _committed_window(qtbot, db_path, settings)
    w.timeline.zoom_to_horizon()
    n = len(w.acquisitions)
    seen = {}

    def export(fmt, start=None, end=None):
        def fill(dialog):
            seen[fmt] = (dialog.start.text(), dialog.end.text(), dialog.path.text())
            dialog.format.setCurrentIndex(dialog.format.findData(fmt))
            dialog.path.setText(str(tmp_path / f"schedule.{fmt}"))
            if start:
                dialog.start.setText(start)
                dialog.end.setText(end)
            dialog.accept()
        answer_modal(fill)
        w.action_export.trigger()
    for fmt in ("csv", "json", "ics", "kml"):
        export(fmt)
        assert (tmp_path / f"schedule.{fmt}").exists(), fmt
    lo, hi = w.timeline.x_range()
    first = seen["csv"]
    assert first[0] == to_iso(datetime.fromtimestamp(lo, UTC).replace(microsecond=0))
    assert first[1] == to_iso(datetime.fromtimestamp(hi, UTC).replace(microsecond=0))
    assert Path(seen["json"][2]).parent == tmp_path  # the folder used last time
    rows = list(csv.DictReader(Path(tmp_path / "schedule.csv").open(encoding="utf-8")))
    assert len(rows) == n and {"satellite_id", "target_id", "start_time", "lock_level"} <= set(rows[0])
    assert len(json.loads((tmp_path / "schedule.json").read_text(encoding="utf-8"))["acquisitions"]) == n
    cal = icalendar.Calendar.from_ical((tmp_path / "schedule.ics").read_bytes())
    assert len([c for c in cal.walk("VEVENT")]) == n
    placemarks = ET.parse(tmp_path / "schedule.kml").getroot().iter("{http://www.opengis.net/kml/2.2}Placemark")
    assert len(list(placemarks)) >= n
    # A narrower range exports only what overlaps it.
    acqs = sorted(w.acquisitions.values(), key=lambda a: a.start)
    cut = acqs[len(acqs) // 2].start
    export("csv", to_iso(acqs[0].start), to_iso(cut))
    rows = list(csv.DictReader(Path(tmp_path / "schedule.csv").open(encoding="utf-8")))
    assert 0 < len(rows) == sum(1 for a in acqs if a.start < cut)
    assert w.statusBar().currentMessage().startswith(f"Exported {len(rows)} acquisition")
    w.close()


def test_import_menu_and_find(qtbot, db_path, settings, tmp_path):
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    tle = Path(__file__).resolve().parents[2] / "data" / "tle" / "sar-constellation.2026-08-10.tle"
    message = file_actions.import_file(w, "tle", str(tle))
    assert message.startswith("2 satellites updated")
    bad = tmp_path / "targets.csv"
    bad.write_text("name,lat,lon\nAtlantis,123,10\n", encoding="utf-8")
    seen = []
    answer_modal(lambda d: (seen.append(d.text()), d.accept()))
    assert file_actions.import_file(w, "targets", str(bad)) is None
    assert "row" in seen[0] and "lat" in seen[0] and "Nothing was imported" in seen[0]
    assert "Atlantis" not in {t.id for t in w.db.list_targets(w.ws.id)}

    w.edits.find()
    dialog = w.findChild(QtWidgets.QDialog)
    dialog.query.setText("Tokyo")
    kinds = {kind for kind, _ in dialog.result_ids()}
    assert kinds == {"target", "order"}
    dialog.results.setCurrentRow(next(i for i, (k, _) in enumerate(dialog.result_ids()) if k == "order"))
    dialog.activate_current()
    assert w.inspector.current_kind() == "order"
    w.close()


def test_swap_to_another_opportunity_and_undo(qtbot, db_path, settings):
    w = _committed_window(qtbot, db_path, settings)
    acq = next(a for a in sorted(w.acquisitions.values(), key=lambda a: a.start))
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.edits.select([acq.id])
    choices = w.inspector.acquisition_page.alternatives()
    assert choices and all(c.valid and c.opportunity.order_id == acq.order_id for c in choices)
    # Grouped by pass, best value first within a pass (defect 5: the list led with refused ones).
    for a, b in zip(choices, choices[1:]):
        if a.pass_key == b.pass_key:
            assert a.value >= b.value
    target = choices[-1].opportunity
    w.inspector.swapRequested.emit(acq.id, target.id)
    moved = w.acquisitions[acq.id]
    assert (moved.start, moved.satellite_id, moved.opportunity_id) == (target.start, target.satellite_id,
                                                                           target.id)
    assert moved.roll_deg == pytest.approx(target.roll_deg)
    w.action_undo.trigger()
    assert w.acquisitions[acq.id].start == acq.start
    # A shift to where the target is out of reach is refused with the reason.
    w.inspector.moveRequested.emit(acq.id, 1800.0)
    assert "no valid opportunity" in w.statusBar().currentMessage()
    assert w.acquisitions[acq.id].start == acq.start
    w.close()


def test_edit_order_from_the_inbox(qtbot, db_path, settings):
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    order = next(o for o in w.orders.values() if o.priority != 1)

    def edit(dialog):
        assert dialog.windowTitle() == "Edit Order"
        dialog.priority.setValue(1)
        dialog.max_incidence.setText("30")
        dialog.notes.setPlainText("customer escalated")
        dialog.ok_button.click()
    answer_modal(edit)
    w.inbox.editRequested.emit(order.id)
    changed = w.orders[order.id]
    assert (changed.priority, changed.constraints.max_incidence_deg, changed.notes) == (1, 30.0,
                                                                                     "customer escalated")
    assert changed.version == order.version + 1
    # A refused edit (window end before start) shows the reason and writes nothing.

    def bad(dialog):
        dialog.window_start.setText("2026-08-09T00:00:00Z")
        dialog.window_end.setText("2026-08-08T00:00:00Z")
        assert not dialog.ok_button.isEnabled()
        dialog.reject()
    answer_modal(bad)
    w.inbox.editRequested.emit(order.id)
    assert w.orders[order.id].version == changed.version
    w.close()


def test_map_tab_shows_tracks_targets_and_the_selection_footprint(qtbot, db_path, settings):
    w = _committed_window(qtbot, db_path, settings)
    w.show()
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.centre_tabs.setCurrentWidget(w.map)
    satellites = w.timeline.rows()
    assert w.map.layer_counts() == {"tracks": len(satellites), "footprints": 0}
    imaged = {a.target_id for a in w.acquisitions.values()}
    assert imaged and all(w.map.target_status(t) == "committed" for t in imaged)
    inbox = {o.target_id for o in w.orders.values() if o.status == "new"} - imaged
    assert all(w.map.target_status(t) == "inbox" for t in inbox)

    acq = min(w.acquisitions.values(), key=lambda a: a.start)
    with qtbot.waitSignal(w.jobs.busyChanged, timeout=60000, check_params_cb=lambda busy: not busy):
        w.edits.select([acq.id])
    assert w.map.layer_counts() == {"tracks": 1, "footprints": 1}
    assert acq.satellite_id in w.map.caption.text() or "footprint" in w.map.caption.text()
    # The view frames the footprint, which lies on the target.
    target = next(t for t in w.db.list_targets(w.ws.id) if t.id == acq.target_id)
    (x0, x1), (y0, y1) = w.map.plot.getPlotItem().getViewBox().viewRange()
    assert x0 < target.lon < x1 and y0 < target.lat < y1 and x1 - x0 < 60
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert w.grab().save(str(SHOTS / "main_window_map.png"))
    w.close()
    # The map tab is where the planner left it.
    again = MainWindow(db_path, "day", settings)
    qtbot.addWidget(again)
    assert again.centre_tabs.currentWidget() is again.map
    again.close()


def test_new_workspace_for_next_week(qtbot, db_path, settings):
    w = MainWindow(db_path, "day", settings)
    qtbot.addWidget(w)
    old_end = w.ws.settings.horizon_end
    satellites = w.timeline.rows()

    def fill(dialog):
        assert dialog.start.text() == to_iso(old_end)  # next horizon by default
        dialog.name.setText("day")  # taken: refused inline
        assert not dialog.ok_button.isEnabled() and "already exists" in dialog.error_labels["name"].text()
        dialog.name.setText("next day")
        dialog.days.setValue(1.0)
        assert dialog.ok_button.isEnabled()
        dialog.ok_button.click()
    answer_modal(fill)
    w.action_new_workspace.trigger()
    assert w.ws.name == "next day" and w.windowTitle().endswith("next day")
    assert w.ws.settings.horizon_start == old_end and w.timeline.rows() == satellites
    assert not w.orders and not w.acquisitions and w.inbox.count() == 0
    w.close()


def test_another_planners_change_shows_within_2_s(qtbot, db_path, settings):
    """Team mode: bob (another process) hard-locks two acquisitions; the open window reloads and
    says who changed what in the status bar within 2 s (the timer's own polling)."""
    import os
    import subprocess
    import sys
    import time
    w = _committed_window(qtbot, db_path, settings)
    events = []
    w.session.subscribe(events.append)
    ids = sorted(w.acquisitions)[:2]
    bob = ("import sys; from app.persistence import ScheduleDB; "
           "db = ScheduleDB(sys.argv[1], user='bob'); db.set_lock_level(sys.argv[2].split(','), 'hard')")
    subprocess.run([sys.executable, "-c", bob, db_path, ",".join(ids)], check=True, timeout=60,
                   env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    t0 = time.monotonic()
    qtbot.waitUntil(lambda: "bob changed 2 acquisitions" in w.statusBar().currentMessage(), timeout=2000)
    assert time.monotonic() - t0 < 2.0
    assert {str(w.acquisitions[i].lock_level) for i in ids} == {"hard"}
    # Only those rows were read again and redrawn (no reload); they are flashed for a moment.
    assert events and not any(e.full for e in events)
    assert set(events[-1].changes.acquisitions) == set(ids)
    assert w.timeline.highlighted_ids() == frozenset(ids) and w.scheduled.model.flashed == frozenset(ids)
    assert all(w.timeline.bars.locked[w.timeline.bars.index_of(i)] for i in ids)
    qtbot.waitUntil(lambda: not w.scheduled.model.flashed, timeout=8000)
    assert not w.timeline.highlighted_ids()
    # F5 reads the conflict list, not the workspace.
    w.action_detect.trigger()
    assert not any(e.full for e in events) and "conflict" in w.statusBar().currentMessage()
    w.close()


def test_the_inspector_shows_live_objects_or_clears_itself(qtbot, db_path, settings, force_overlap):
    """Defect 3: after Delete, Apply Resolution, a later successful edit, or Reject, the Inspector
    showed what no longer existed (Delete / Apply still enabled, an old refusal, "planned")."""
    w = _committed_window(qtbot, db_path, settings)
    # A refusal banner goes away with the next successful edit.
    aid = sorted(w.acquisitions)[0]
    w.views.select([aid])
    assert w.inspector.current_kind() == "acquisition"
    w.lock([aid], "hard")
    w.delete([aid])
    assert "hard" in w.inspector.message_text().lower()
    w.lock([aid], "none")
    assert w.inspector.message_text() == "" and w.acquisitions[aid].lock_level == "none"
    # A deleted acquisition leaves the Inspector (and the selection).
    w.delete([aid])
    assert aid not in w.acquisitions and w.session.selection == () and w.inspector.current_kind() == "empty"
    # Only the deleted row leaves the views (dropped in place, no rebuild of the others).
    assert w.timeline.bars.index_of(aid) is None and aid not in w.scheduled.visible_ids()
    assert len(w.timeline.bars.ids) == len(w.acquisitions) == w.scheduled.count()
    w.action_undo.trigger()
    assert aid in w.acquisitions and w.timeline.bars.index_of(aid) is not None and aid in w.scheduled.visible_ids()

    # A solved conflict leaves the Inspector, and its preview leaves the timeline.
    force_overlap(w.db, list(w.acquisitions.values()))
    w.reload()
    w.action_detect.trigger()
    conflict = next(c for c in w.conflicts.values() if c.type == "temporal_overlap")
    w.views.show_conflict(conflict.id)
    assert w.inspector.current_kind() == "conflict"
    index = next(i for i, o in enumerate(conflict.resolution_options) if o.action != "delete")
    w.edits.preview_resolution(conflict.id, index)
    assert w.timeline.bars.preview is not None
    w.edits.apply_resolution(conflict.id, index)
    assert conflict.id not in w.conflicts
    assert w.inspector.current_kind() == "empty" and w.timeline.bars.preview is None

    # An order page follows its order: proposed while a candidate holds it, new after Reject.
    w.db.create_order(sorted(t.id for t in w.db.list_targets(w.ws.id))[18], 1, w.ws.id)
    w.reload()
    _plan(w, qtbot, mode="incremental")
    held = next(it.order_id for it in w.candidate.items if w.orders[it.order_id].status == "planned")
    w.views.show_order(held)
    assert w.inspector.order_page.form.value("status") == "planned"
    w.planning_flow.reject()
    assert w.candidate is None and w.inspector.order_page.form.value("status") == "new"
    w.close()


def test_compare_and_the_conflicts_tab_count_the_same(qtbot, db_path, settings, force_overlap):
    """Defect 6: Compare's current conflicts are the Conflicts tab's (F5 runs first); every row is
    named in words; the change list names no ids; Commit asks for what it then commits."""
    from app.services import orders as order_svc
    w = _committed_window(qtbot, db_path, settings)
    force_overlap(w.db, [a for a in w.acquisitions.values() if a.lock_level != "hard"])
    for target in sorted(t.id for t in w.db.list_targets(w.ws.id))[14:16]:
        order_svc.add_order(w.db, w.ws.id, target, 1)
    w.reload()
    _plan(w, qtbot, mode="incremental")
    seen = {}

    def look(dialog):
        seen.update(rows=dict(dialog.rows), changes=dialog.change_texts())
        dialog.keep_button.click()
    answer_modal(look)
    assert w.compare() is False
    assert w.conflicts_view.count() >= 1
    assert seen["rows"]["conflicts"][1] == str(w.conflicts_view.count())
    assert not any("_" in cells[0] for cells in seen["rows"].values())
    assert seen["changes"] and not any("acq_" in t or "ord_" in t for t in seen["changes"])
    asked = {}

    def commit(dialog):
        asked["text"] = dialog.findChild(QtWidgets.QLabel).text()
        asked["errors"] = [dialog.error_list.item(i).text() for i in range(dialog.error_list.count())]
        dialog.confirm.setChecked(True)  # the forced overlap is still there: commit anyway
        dialog.accept()
    answer_modal(commit)
    n = len(w.candidate.items)
    assert w.commit() is True
    assert asked["text"].startswith(f"Commit {n} acquisition") and "plan_" not in asked["text"]
    assert not any("acq_" in t or "conflict_" in t for t in asked["errors"])
    assert w.statusBar().currentMessage().startswith(f"Committed {n} acquisition")
    w.close()
