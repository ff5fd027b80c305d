"""The Inspector: fields, lock-aware controls, signals, refusals shown with their reasons."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import Acquisition, Conflict, Opportunity, Order, ResolutionOption
from app.domain.enums import (AcquisitionState, ConflictType, LockLevel, ResolutionAction, Severity)
from app.domain.wording import acquisition_name
from app.services.placement_choices import PlacementChoice
from app.ui.inspector_panel import InspectorPanel

UTC = timezone.utc
T0 = datetime(2026, 8, 8, 12, 0, tzinfo=UTC)


def make_acq(lock=LockLevel.NONE, state=AcquisitionState.COMMITTED, start=T0):
    return Acquisition(id="acq_0000000000aa", workspace_id="ws", satellite_id="ICEYE-X2", target_id="Athens",
                       start=start, end=start + timedelta(seconds=10), roll_deg=23.4,
                       pitch_deg=-4.5, roll_end_deg=23.1, incidence_deg=26.1, look_side="RIGHT",
                       pass_direction="DESCENDING", state=state, lock_level=lock, order_id="ord_0000000000bb",
                       plan_id="plan_0000000000cc", opportunity_id="ICEYE-X2_Athens_20260808T120000_max",
                       quality_score=0.87, maneuver_time_s=12.0, slack_time_s=245.0, version=3)


ORDER = Order(id="ord_0000000000bb", workspace_id="ws", target_id="Athens", priority=2,
              requested_window_start=T0 - timedelta(hours=1), requested_window_end=T0 + timedelta(hours=2))


@pytest.fixture
def panel(qtbot):
    p = InspectorPanel()
    qtbot.addWidget(p)
    p.resize(380, 800)
    p.show()
    return p


def test_one_acquisition_shows_every_field(panel):
    panel.show_acquisition(make_acq(), ORDER)
    assert panel.current_kind() == "acquisition"
    f = panel.acquisition_page.form
    # The order by its name (a link to its page); raw ids only on the last line and in the header's tooltip.
    assert f.keys()[0] == "satellite" and f.keys()[-1] == "id" and f.value("id") == "acq_0000000000aa"
    tip = panel.acquisition_page.header.toolTip()
    assert all(i in tip for i in ("acq_0000000000aa", "ord_0000000000bb", "plan_0000000000cc"))
    assert f.value("satellite") == "ICEYE-X2" and f.value("target") == "Athens"
    assert "Athens (" in f.value("order") and "href='ord_0000000000bb'" in f.value("order")
    assert f.value("start") == "2026-08-08 12:00:00Z" and f.value("end") == "2026-08-08 12:00:10Z"
    assert f.value("roll") == "+23.40° (right) / +23.10° (right)"
    assert f.value("pitch") == "-4.50° (backward) / -4.50° (backward)"
    assert f.value("incidence") == "26.10°" and f.value("look_side") == "RIGHT"
    assert f.value("pass_direction") == "DESCENDING" and f.value("quality") == "0.870"
    assert f.value("state") == "committed" and f.value("lock") == "none" and f.value("source") == "auto"
    assert f.value("version") == "3"
    assert f.value("maneuver") == "12 s / 4 min 05 s"
    assert "roll + = right of ground track, pitch + = forward" in panel.acquisition_page.sign_note.text()


def test_unlocked_acquisition_emits_lock_move_delete_swap(panel, qtbot):
    page = panel.acquisition_page
    panel.show_acquisition(make_acq(), ORDER)
    assert page.delete_button.isEnabled() and page.shift_spin.isEnabled()
    # The shift is bounded by the order window: −1 h … +(2 h − 10 s).
    assert page.shift_spin.minimum() == -3600 and page.shift_spin.maximum() == 7190
    with qtbot.waitSignal(panel.lockRequested) as sig:
        page.lock_combo.setCurrentIndex(page.lock_combo.findData("hard"))
        page.lock_combo.activated.emit(page.lock_combo.currentIndex())
    assert sig.args == [["acq_0000000000aa"], "hard"]
    with qtbot.waitSignal(panel.deleteRequested) as sig:
        page.delete_button.click()
    assert sig.args == [["acq_0000000000aa"]]
    page.shift_spin.setValue(120)
    assert "2026-08-08 12:02:00Z" in page.new_start.text()
    with qtbot.waitSignal(panel.moveRequested) as sig:
        page.move_button.click()
    assert sig.args == ["acq_0000000000aa", 120.0]
    opp = Opportunity(id="ICEYE-X3_Athens_20260808T130000_max", satellite_id="ICEYE-X3", target_id="Athens",
                      start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=1, seconds=10), roll_deg=-10.0,
                      quality=0.8, incidence_deg=21.5)
    frozen = Opportunity(id="ICEYE-X3_Athens_20260808T110000_max", satellite_id="ICEYE-X3", target_id="Athens",
                         start=T0 - timedelta(hours=1), end=T0 - timedelta(hours=1, seconds=-10), roll_deg=5.0)
    panel.set_alternatives([PlacementChoice(opp, 0.61, 0.8, 42.0, 300.0),
                            PlacementChoice(frozen, 0.9, 1.0, 10.0, 30.0, "inside the frozen zone")])
    assert page.swap_combo.count() == 1  # only valid choices are offered (defect 5)
    assert page.swap_combo.itemText(0).endswith("incidence 21.5° · quality 0.80 · value 0.61")
    assert "1 other refused" in page.swap_combo.toolTip()
    assert page.swap_button.isEnabled()
    with qtbot.waitSignal(panel.swapRequested) as sig:
        page.swap_button.click()
    assert sig.args == ["acq_0000000000aa", opp.id]
    with qtbot.waitSignal(panel.orderLinkActivated) as sig:
        page.form.label("order").linkActivated.emit("ord_0000000000bb")
    assert sig.args == ["ord_0000000000bb"]


def test_hard_lock_disables_edits_and_says_why(panel):
    page = panel.acquisition_page
    panel.show_acquisition(make_acq(lock=LockLevel.HARD), ORDER)
    assert not page.delete_button.isEnabled() and not page.shift_spin.isEnabled()
    assert not page.move_button.isEnabled() and not page.swap_button.isEnabled()
    # the database's own words (domain.edit_rules), without the id
    assert page.move_reason.isVisibleTo(page) and page.move_reason.text() == "Hard-locked and cannot be moved: unlock it first"
    assert page.delete_reason.text() == "Hard-locked and cannot be deleted: unlock it first"
    assert page.unlock_button.isEnabled() and page.lock_combo.isEnabled()


def test_soft_lock_allows_moves_in_window_only_and_no_delete(panel):
    page = panel.acquisition_page
    panel.show_acquisition(make_acq(lock=LockLevel.SOFT), ORDER)
    assert page.shift_spin.isEnabled() and not page.delete_button.isEnabled()
    assert "Soft-locked" in page.delete_reason.text()
    other_sat = Opportunity(id="o2", satellite_id="OTHER", target_id="Athens", start=T0, end=T0, roll_deg=1.0)
    panel.set_alternatives([PlacementChoice(other_sat, 0.5, 1.0, 0.0, 60.0)])
    assert not page.swap_button.isEnabled()  # soft lock: same satellite only


def test_frozen_zone_and_completed_are_not_editable(panel):
    page = panel.acquisition_page
    panel.set_edit_context(freeze_cutoff=T0 + timedelta(hours=1))
    panel.show_acquisition(make_acq(), ORDER)
    assert not page.delete_button.isEnabled() and "frozen zone" in page.move_reason.text()
    panel.set_edit_context(None)
    panel.show_acquisition(make_acq(state=AcquisitionState.COMPLETED))
    assert not page.lock_combo.isEnabled() and "never change" in page.lock_reason.text()


def test_refused_edit_reason_is_visible(panel):
    panel.show_acquisition(make_acq(lock=LockLevel.HARD), ORDER)
    reason = "lock_level: acq_0000000000aa is hard-locked and cannot be deleted: unlock it first"
    panel.show_message(reason, error=True)
    banner = panel.acquisition_page.banner
    assert banner.isVisibleTo(panel) and banner.property("error") == "true"
    assert reason in panel.message_text()
    banner.close_button.click()
    assert panel.message_text() == ""


def test_many_acquisitions_summary_actions_and_refusals(panel, qtbot, schedule):
    acqs = schedule.acquisitions[:12]
    panel.show_acquisitions(acqs)
    assert panel.current_kind() == "selection"
    page = panel.selection_page
    assert page.header.text() == "12 acquisitions selected"
    by_sat = page.summary("satellite")
    assert sum(by_sat.values()) == 12 and set(by_sat) == {a.satellite_id for a in acqs}
    assert sum(page.summary("state").values()) == 12
    ids = [a.id for a in acqs]
    for button, level in ((page.lock_soft, "soft"), (page.lock_hard, "hard"), (page.unlock, "none")):
        with qtbot.waitSignal(panel.lockRequested) as sig:
            button.click()
        assert sig.args == [ids, level]
    with qtbot.waitSignal(panel.deleteRequested) as sig:
        page.delete.click()
    assert sig.args == [ids]
    panel.show_refusals({ids[0]: "hard-locked: unlock it first", ids[3]: "in the frozen zone"})
    text = panel.message_text()
    assert "2 of 12 refused" in text
    assert "Hard-locked: unlock it first (1)" in text and "In the frozen zone (1)" in text
    # Eight refused for one rule: one line for the reason with its count, the eight by name
    # under it, no ids (they are in the tooltips).
    panel.show_refusals({i: f"{i} is hard-locked and cannot be deleted: unlock it first" for i in ids[:8]})
    lines = panel.message_text().splitlines()
    assert lines[:2] == ["8 of 12 refused (nothing was changed for them):",
                         "Hard-locked and cannot be deleted: unlock it first (8)"]
    assert sorted(line.strip() for line in lines[2:]) == sorted(acquisition_name(a) for a in acqs[:8])
    assert not any(i in panel.message_text() for i in ids)
    panel.show_acquisitions(acqs[:1])
    assert panel.current_kind() == "acquisition"
    panel.show_acquisitions([])
    assert panel.current_kind() == "empty"


def test_conflict_page_lists_options_and_emits_preview_apply(panel, qtbot, schedule):
    conflict = schedule.conflicts[0]
    panel.show_conflict(conflict, schedule.by_id)
    page = panel.conflict_page
    assert panel.current_kind() == "conflict"
    assert page.form.value("type") == conflict.type.value
    assert conflict.severity.value in page.form.value("severity")
    assert page.acq_list.count() == len(conflict.acquisition_ids)
    assert page.option_texts() == [o.description for o in conflict.resolution_options]
    page.options.setCurrentRow(1)
    with qtbot.waitSignal(panel.resolutionPreviewRequested) as sig:
        page.preview_button.click()
    assert sig.args == [conflict.id, 1]
    with qtbot.waitSignal(panel.resolutionApplyRequested) as sig:
        page.apply_button.click()
    assert sig.args == [conflict.id, 1]
    bare = Conflict(id="conflict_x", type=ConflictType.GROUND_CONFLICT, severity=Severity.WARNING,
                    description="same order twice", acquisition_ids=("a", "b"))
    panel.show_conflict(bare)
    assert not page.apply_button.isEnabled() and "No feasible resolution" in page.no_option_reason.text()


def test_order_page(panel, qtbot):
    panel.show_order(replace(ORDER, notes="urgent"))
    f = panel.order_page.form
    assert panel.current_kind() == "order"
    assert f.value("priority") == "2 (1 = highest, 5 = lowest)"
    assert f.value("window") == "2026-08-08 11:00Z → 2026-08-08 14:00Z" and f.value("notes") == "urgent"
    with qtbot.waitSignal(panel.orderEditRequested) as sig:
        panel.order_page.edit_button.click()
    assert sig.args == ["ord_0000000000bb"]


def test_resolution_option_type_is_used(schedule):
    assert all(isinstance(o, ResolutionOption) and o.action in ResolutionAction
               for c in schedule.conflicts for o in c.resolution_options)
