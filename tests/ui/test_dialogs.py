"""Dialogs: inline validation with the domain's rules, config dicts, ▲/▼, explicit confirmation."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest

from app.domain import Conflict, Order, OrderConstraints, Target, ValidationError
from app.domain.enums import ConflictType, OrderStatus, Severity
from app.ui.dialogs.about_dialog import AboutDialog
from app.ui.dialogs.commit_dialog import CommitDialog
from app.ui.dialogs.compare_dialog import BETTER_COLOUR, WORSE_COLOUR, CompareDialog
from app.ui.dialogs.find_dialog import FindDialog
from app.ui.dialogs.new_order_dialog import NewOrderDialog
from app.ui.dialogs.plan_dialog import PlanDialog

UTC = timezone.utc
TARGETS = [Target(id="Athens", lat=37.98, lon=23.73, priority=2), Target(id="Berlin", lat=52.52, lon=13.4)]


@pytest.fixture
def order_dialog(qtbot):
    d = NewOrderDialog(TARGETS, ["ICEYE-X2", "SENT-01"])
    qtbot.addWidget(d)
    d.show()
    return d


def test_new_order_starts_invalid_until_a_target_is_chosen(order_dialog):
    d = order_dialog
    assert not d.ok_button.isEnabled() and "target" in d.errors()
    d.target.setCurrentText("Athens")
    assert d.is_valid() and d.ok_button.isEnabled()
    assert "37.9800°" in d.target_info.text()
    assert d.result_dict() == {"target": "Athens", "priority": 3, "lat": None, "lon": None,
                               "window_start": None, "window_end": None, "constraints": {},
                               "notes": None, "external_ref": None}


def test_priority_9_is_impossible(order_dialog):
    d = order_dialog
    d.target.setCurrentText("Athens")
    d.priority.lineEdit().selectAll()
    QTest.keyClicks(d.priority, "9")
    assert d.priority.value() != 9 and 1 <= d.priority.value() <= 5
    d.priority.setValue(9)
    assert d.priority.value() == 5
    assert "1 = highest" in d.priority.toolTip()


def test_window_end_before_start_shows_the_reason_and_disables_ok(order_dialog, qtbot):
    d = order_dialog
    d.target.setCurrentText("Athens")
    QTest.keyClicks(d.window_start, "2026-08-10T00:00:00Z")
    QTest.keyClicks(d.window_end, "2026-08-09T00:00:00Z")
    label = d.error_labels["window_end"]
    assert not d.ok_button.isEnabled()
    assert label.isVisibleTo(d) and "must be after the window start" in label.text()
    assert d.window_end.property("invalid") is True
    with pytest.raises(ValidationError):
        d.result_dict()
    d.window_end.setText("2026-08-11T00:00:00Z")
    assert d.ok_button.isEnabled() and not label.isVisibleTo(d)
    assert d.result_dict()["window_end"] == "2026-08-11T00:00:00Z"


def test_naive_time_latitude_and_incidence_are_refused_inline(order_dialog):
    d = order_dialog
    d.target.setCurrentText("Athens")
    d.window_start.setText("2026-08-10T00:00:00")
    assert "naive time" in d.errors()["window_start"]
    d.window_start.setText("")
    d.max_incidence.setText("95")
    assert "between 0 and 90" in d.errors()["max_incidence"]
    d.max_incidence.setText("40")
    d.look_side.setCurrentText("RIGHT")
    assert d.result_dict()["constraints"] == {"max_incidence_deg": 40.0, "look_side": "RIGHT"}
    d.target.setCurrentText("Atlantis")
    assert "latitude required" in d.errors()["lat"]
    d.lat.setText("123")
    d.lon.setText("10")
    assert "between -90 and 90, got 123" in d.errors()["lat"]
    assert d.error_labels["lat"].isVisibleTo(d)
    d.lat.setText("45.5")
    result = d.result_dict()
    assert (result["target"], result["lat"], result["lon"]) == ("Atlantis", 45.5, 10.0)


def test_edit_order_is_prefilled(qtbot):
    order = Order(id="ord_1", workspace_id="ws", target_id="Berlin", priority=1, status=OrderStatus.NEW,
                  constraints=OrderConstraints(max_incidence_deg=35, preferred_satellite="SENT-01"),
                  requested_window_start=datetime(2026, 8, 8, tzinfo=UTC), external_ref="REQ-7")
    d = NewOrderDialog(TARGETS, ["SENT-01"], order=order)
    qtbot.addWidget(d)
    r = d.result_dict()
    assert d.windowTitle() == "Edit Order"
    assert r["priority"] == 1 and r["window_start"] == "2026-08-08T00:00:00Z" and r["external_ref"] == "REQ-7"
    assert r["constraints"] == {"max_incidence_deg": 35.0, "preferred_satellite": "SENT-01"}


def test_plan_dialog_config_and_reshuffle_parameters(qtbot):
    d = PlanDialog(datetime(2026, 8, 7, tzinfo=UTC), datetime(2026, 8, 14, tzinfo=UTC))
    qtbot.addWidget(d)
    d.show()
    assert not d.reshuffle_box.isVisibleTo(d)
    cfg = d.config()
    assert cfg["mode"] == "incremental" and cfg["algorithm"] == "best_fit"
    assert cfg["horizon_start"] == "2026-08-07T00:00:00Z" and cfg["weights_preset"] == "balanced"
    assert cfg["weights"] == {"priority": 40.0, "geometry": 40.0, "timing": 20.0}
    assert "policy" not in cfg and not d.time_limit.isEnabled()
    d.set_weights_preset("urgent")
    assert d.config()["weights"] == {"priority": 60.0, "geometry": 10.0, "timing": 30.0}
    d.set_weights_preset("custom")
    d.weight_spins["timing"].setValue(55)
    assert d.config()["weights"]["timing"] == 55.0
    d.algorithm.setCurrentIndex(d.algorithm.findData("optimal"))
    assert d.time_limit.isEnabled()
    d.set_mode("reshuffle")
    assert d.reshuffle_box.isVisibleTo(d) and d.windowTitle() == "Reshuffle"
    d.policy.setCurrentIndex(d.policy.findData("soft_lock_windowed"))
    assert d.max_shift.isEnabled() and not d.threshold.isEnabled()
    d.max_shift.setValue(45)
    cfg = d.config()
    assert cfg["policy"] == "soft_lock_windowed" and cfg["policy_params"] == {"max_shift_minutes": 45.0}
    d.policy.setCurrentIndex(d.policy.findData("replace_if_better"))
    assert d.config()["policy_params"] == {"improvement_threshold_pct": 10.0, "score_function": "composite"}
    d.policy.setCurrentIndex(d.policy.findData("time_based_freeze"))
    assert d.config()["policy_params"] == {"freeze_window_hours": 2.0, "soft_lock_window_hours": 24.0}
    d.horizon_end.setText("2026-08-01T00:00:00Z")
    assert not d.run_button.isEnabled() and "after the horizon start" in d.error_labels["horizon_end"].text()
    with pytest.raises(ValidationError, match="horizon_end"):
        d.config()


COMPARISON = {
    "current": {"coverage": 0.80, "mean_quality": 0.72, "total_maneuver_s": 342.0, "conflicts": 2},
    "proposed": {"coverage": 0.93, "mean_quality": 0.70, "total_maneuver_s": 298.0, "conflicts": 0},
    "deltas": {"coverage": 0.13},
    "changes": [{"type": "moved", "target_id": "Athens", "acquisition_id": "acq_1", "shift_s": 720},
                {"type": "added", "target_id": "Paris"},
                {"type": "satellite_switched", "target_id": "Milan", "from_satellite": "S1", "to_satellite": "S2"},
                {"type": "unchanged", "target_id": "Rome"},
                "Oslo: dropped (order cancelled)"],
}


def test_compare_dialog_arrows_colours_changes_and_buttons(qtbot):
    d = CompareDialog(COMPARISON)
    qtbot.addWidget(d)
    rows = d.rows
    assert rows["coverage"][1:] == ("80.0 %", "93.0 %", "▲ better")
    assert rows["mean_quality"][3] == "▼ worse"
    assert rows["total_maneuver_s"][3] == "▼ better"       # less maneuver is better
    assert rows["conflicts"][3] == "▼ better"
    colours = {d.table.item(r, 0).text(): d.table.item(r, 3).foreground().color().name()
               for r in range(d.table.rowCount())}
    assert colours["Coverage"] == BETTER_COLOUR and colours["Avg quality"] == WORSE_COLOUR
    texts = d.change_texts()
    assert "• Athens: moved +12 min 00 s" in texts  # the id only in the line's tooltip
    assert d.change_list.item(texts.index("• Athens: moved +12 min 00 s")).toolTip() == "acquisition: acq_1"
    assert "• Paris: NEW acquisition added" in texts
    assert "• Milan: switched satellite (S1 → S2)" in texts
    assert not any("Rome" in t for t in texts) and "• Oslo: dropped (order cancelled)" in texts
    d.accept_button.click()
    assert d.result() == QtWidgets.QDialog.DialogCode.Accepted and d.choice() == "proposed"
    d2 = CompareDialog(COMPARISON)
    qtbot.addWidget(d2)
    d2.keep_button.click()
    assert d2.result() == QtWidgets.QDialog.DialogCode.Rejected and d2.choice() == "current"


def test_commit_dialog_names_error_conflicts_and_needs_confirmation(qtbot):
    errors = [Conflict(id="conflict_aaa", type=ConflictType.TEMPORAL_OVERLAP, severity=Severity.ERROR,
                       description="Athens and Paris overlap on S1", acquisition_ids=("acq_1", "acq_2")),
              Conflict(id="conflict_bbb", type=ConflictType.SLEW_INFEASIBLE, severity=Severity.WARNING,
                       description="Insufficient slew time: need 45 s, have 38 s", acquisition_ids=("acq_3",))]
    d = CommitDialog(item_count=42, conflicts=errors, plan_label="the proposed plan", default_lock="soft")
    qtbot.addWidget(d)
    d.show()
    assert d.error_conflict_ids() == ["conflict_aaa"]
    assert d.error_list.count() == 1
    line = d.error_list.item(0).text()
    assert "Athens and Paris overlap on S1" in line and "conflict_" not in line and "acq_" not in line
    assert "conflict_aaa" in d.error_list.item(0).toolTip() and "acq_1" in d.error_list.item(0).toolTip()
    assert not d.commit_button.isEnabled()
    d.confirm.setChecked(True)
    assert d.commit_button.isEnabled()
    assert d.result_dict() == {"lock_level": "soft", "confirmed_error_conflicts": ["conflict_aaa"]}
    clean = CommitDialog(item_count=3)
    qtbot.addWidget(clean)
    assert clean.commit_button.isEnabled() and not clean.confirm.isVisibleTo(clean)
    assert clean.result_dict() == {"lock_level": "none", "confirmed_error_conflicts": []}


def test_find_dialog_filters_and_emits(qtbot, schedule):
    d = FindDialog()
    qtbot.addWidget(d)
    d.set_items(schedule.orders, schedule.targets)
    d.open_find()
    QTest.keyClicks(d.query, "REQ-1003")
    assert d.result_ids() == [("order", "ord_new000000003")]
    with qtbot.waitSignal(d.orderFound) as sig:
        QTest.keyClick(d.query, QtCore.Qt.Key.Key_Return)
    assert sig.args == ["ord_new000000003"]
    d.open_find()
    d.query.setText("athens")
    kinds = {k for k, _ in d.result_ids()}
    assert "target" in kinds
    QTest.keyClick(d.query, QtCore.Qt.Key.Key_Down)
    assert d.results.currentRow() == 1
    d.results.setCurrentRow(0)
    with qtbot.waitSignal(d.targetFound) as sig:
        d.activate_current()
    assert sig.args == ["Athens"]


def test_about_dialog_names_versions(qtbot):
    d = AboutDialog()
    qtbot.addWidget(d)
    text = " ".join(w.text() for w in d.findChildren(QtWidgets.QLabel))
    assert "Mission Planning Workbench" in text and "PySide6" in text and "roll + = right" in text
