"""Execution reports and closing a horizon (spec §10, §14): per-row refusals, nothing written on a
refused report, skip-bad, orders completed or back in the Inbox with reason and attempts, archiving."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import RuleViolation
from app.domain.enums import AcquisitionState, OrderStatus
from app.domain.operations import Outcome, ReportRefused, ReportRow

from .helpers import NOW, T0, committed
from .test_clock import dump


@pytest.fixture
def executed(db, ws):
    """Four committed acquisitions at T0 + 0..3 min, the clock at T0 + 2.5 min: three executing."""
    _plan, acqs, orders = committed(db, ws.id, n=4)
    db.move_clock(ws.id, T0 + timedelta(minutes=2, seconds=30))
    return acqs, orders


def test_completed_and_failed(db, ws, executed):
    acqs, orders = executed
    r = db.record_execution(ws.id, [ReportRow(1, Outcome.COMPLETED, acqs[0].id, cloud_pct=5.0),
                                    ReportRow(2, Outcome.FAILED, acqs[1].id, reason="clouds", cloud_pct=90.0),
                                    ReportRow(3, Outcome.FAILED, None, acqs[2].satellite_id, acqs[2].target_id,
                                              acqs[2].start + timedelta(seconds=0.4))])
    assert r.completed == (acqs[0].id,) and set(r.failed) == {acqs[1].id, acqs[2].id}
    done, failed, failed2 = (db.get_order(o.id) for o in orders[:3])
    assert done.status == OrderStatus.COMPLETED
    assert failed.status == OrderStatus.NEW and failed.attempt_count == 1 and failed.last_failure_reason == "clouds"
    assert failed2.last_failure_reason == "no reason given"
    assert db.get_acquisition(acqs[1].id).state == AcquisitionState.FAILED


@pytest.mark.parametrize("case, match", [
    ("unknown", "no acquisition 'acq_000000000000'"),
    ("future", "has not been executed yet"),
    ("twice_in_file", r"reported twice in this report \(row 1\)"),
    ("contradiction_in_file", "contradicts row"),
    ("already_reported", "completed twice"),
    ("contradicts_stored", "contradicting the completed outcome"),
    ("other_workspace", "belongs to workspace 'other'"),
    ("no_match_by_key", "no acquisition of T0 by SAT-1 starts within 1 s"),
])
def test_refused_rows_write_nothing(db, ws, executed, case, match):
    acqs, _orders = executed
    if case in ("already_reported", "contradicts_stored"):
        db.record_execution(ws.id, [ReportRow(1, Outcome.COMPLETED, acqs[0].id)])
    rows = {
        "unknown": [ReportRow(1, Outcome.COMPLETED, "acq_000000000000")],
        "future": [ReportRow(1, Outcome.COMPLETED, acqs[3].id)],
        "twice_in_file": [ReportRow(1, Outcome.FAILED, acqs[0].id), ReportRow(2, Outcome.FAILED, acqs[0].id)],
        "contradiction_in_file": [ReportRow(1, Outcome.FAILED, acqs[0].id), ReportRow(2, Outcome.COMPLETED, acqs[0].id)],
        "already_reported": [ReportRow(1, Outcome.COMPLETED, acqs[0].id)],
        "contradicts_stored": [ReportRow(1, Outcome.FAILED, acqs[0].id)],
        "other_workspace": [],
        "no_match_by_key": [ReportRow(1, Outcome.COMPLETED, None, "SAT-1", "T0", T0 + timedelta(seconds=5))],
    }[case]
    if case == "other_workspace":
        other = db.create_workspace("other")
        _p, theirs, _o = committed(db, other.id, n=1, start=NOW - timedelta(hours=1))
        rows = [ReportRow(1, Outcome.COMPLETED, theirs[0].id)]
    rows = [*rows, ReportRow(9, Outcome.COMPLETED, acqs[1].id)]  # a good row: not applied either
    before = dump(db)
    with pytest.raises(ReportRefused, match=match) as info:
        db.record_execution(ws.id, rows)
    assert 9 not in info.value.refused
    assert dump(db) == before


def test_skip_bad_applies_good_rows_and_lists_skipped(db, ws, executed):
    acqs, _orders = executed
    r = db.record_execution(ws.id, [ReportRow(1, Outcome.COMPLETED, "acq_000000000000"),
                                    ReportRow(2, Outcome.COMPLETED, acqs[1].id)], {3: "outcome: must be …"},
                            skip_bad=True)
    assert r.completed == (acqs[1].id,) and set(r.skipped) == {1, 3}


def test_failed_order_replanned_then_completed_counts_attempts(db, ws, executed):
    acqs, orders = executed
    db.record_execution(ws.id, [ReportRow(1, Outcome.FAILED, acqs[0].id, reason="anomaly")])
    assert db.get_order(orders[0].id).status == OrderStatus.NEW
    # Re-served later in the horizon, executed, completed.
    retry = db.commit_direct([{"opportunity_id": "SAT-2_T0_retry", "satellite_id": "SAT-2", "target_id": "T0",
                               "start": T0 + timedelta(hours=1), "end": T0 + timedelta(hours=1, seconds=10),
                               "roll_deg": 3.0, "order_id": orders[0].id}], workspace_id=ws.id)
    db.move_clock(ws.id, T0 + timedelta(hours=2))
    db.record_execution(ws.id, [ReportRow(1, Outcome.COMPLETED, retry["acquisitions_created"][0]["id"])])
    o = db.get_order(orders[0].id)
    assert o.status == OrderStatus.COMPLETED and o.attempt_count == 1 and o.last_failure_reason == "anomaly"


def test_close_horizon_archives_and_reports(db, ws, executed):
    acqs, orders = executed
    db.update_workspace_settings(ws.id, {**{"horizon_start": "2026-08-06T00:00:00Z",
                                            "horizon_end": "2026-08-13T00:00:00Z"},
                                         "scenario_clock": "2026-08-07T09:02:30Z"})
    db.record_execution(ws.id, [ReportRow(1, Outcome.COMPLETED, acqs[0].id),
                                ReportRow(2, Outcome.FAILED, acqs[1].id, reason="clouds")])
    report = db.close_horizon(ws.id)
    assert report.orders_served == 1 and report.failed_by_reason == {"clouds": 1}
    assert report.acquisitions_per_satellite == {"SAT-1": {"completed": 1, "failed": 1}}
    assert report.value_delivered == pytest.approx(0.5)  # the plan item's value
    assert report.carried_over == {"executing": 1, "committed": 1}
    assert report.next_start == T0 + timedelta(minutes=2, seconds=30)
    assert report.next_end - report.next_start == timedelta(days=7)
    settings = db.get_workspace(ws.id).settings
    assert settings.horizon_start == report.next_start
    assert (report.archived_acquisitions, report.archived_orders) == (2, 1)


def test_close_horizon_before_it_started_refused(db, ws):
    db.update_workspace_settings(ws.id, {"horizon_start": "2026-08-07T00:00:00Z", "horizon_end": "2026-08-14T00:00:00Z",
                                         "scenario_clock": "2026-08-06T09:00:00Z"})
    before = dump(db)
    with pytest.raises(RuleViolation, match="has not passed the horizon start"):
        db.close_horizon(ws.id)
    assert dump(db) == before


def test_report_for_started_acquisitions_not_yet_promoted(db, ws):
    """The clock was set past starts without time passing being applied since (e.g. a live clock):
    the report applies time passing first, in the same transaction, and then the outcomes."""
    _plan, acqs, orders = committed(db, ws.id, n=2)
    db.update_workspace_settings(ws.id, {"scenario_clock": "2026-08-07T10:00:00Z", "freeze_window_hours": 2.0})
    r = db.record_execution(ws.id, [ReportRow(1, Outcome.COMPLETED, acqs[0].id),
                                    ReportRow(2, Outcome.FAILED, acqs[1].id, reason="downlink")])
    assert r.completed == (acqs[0].id,) and r.failed == (acqs[1].id,)
    assert db.get_acquisition(acqs[0].id).version == acqs[0].version + 2  # promoted, then reported
