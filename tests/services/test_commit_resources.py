"""What a commit's battery re-check needs (issues #10 and #13, speed): sunlight is computed only
when the re-check runs (the schedule changed since the plan was made), and once per satellite and
UTC day, joined across midnight as one computation over the whole span would give it."""
from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from app.access import sunlit_intervals
from app.domain import PowerModel, parse_utc
from app.persistence import CommitRefused, ScheduleDB
from app.services import access_service, commits
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario

T = parse_utc("2026-08-10T06:00:00Z")
BATTERY = PowerModel(1000.0, 1000.0, 1.0, 10.0, 5.0, 100.0, 10.0)


@pytest.fixture
def powered(db_url, small_scenario):
    db = ScheduleDB(db_url, user="alice")
    ws = import_scenario(db, parse_scenario(small_scenario()), "small")
    db.upsert_satellites(ws.id, [dataclasses.replace(s, power=BATTERY) for s in db.list_satellites(ws.id)])
    yield db, ws.id
    db.close()


def _plan(db, ws_id, name, order, start, version):
    plan = db.create_plan("best_fit", {"mode": "incremental", "horizon_start": "2026-08-10T00:00:00Z",
                                       "horizon_end": "2026-08-11T00:00:00Z"}, f"sha256:{name}", None, {}, ws_id,
                          schedule_version=version)
    db.create_plan_items(plan.id, [{"opportunity_id": f"o-{name}", "satellite_id": "PLEIADES-NEO-3",
                                    "target_id": order.target_id, "start": start,
                                    "end": start + timedelta(seconds=10), "roll_deg": 5.0,
                                    "order_id": order.id}])
    return plan.id


def test_sunlight_is_computed_only_when_the_recheck_runs(powered, monkeypatch):
    db, ws = powered
    calls = []
    real = access_service.sunlight
    monkeypatch.setattr(access_service, "sunlight", lambda *a: calls.append(a) or real(*a))
    orders = db.list_orders(workspace_id=ws, limit=None)
    version = db.schedule_version(ws)
    fresh = _plan(db, ws, "fresh", orders[0], T, version)
    stale = _plan(db, ws, "stale", orders[1], T + timedelta(hours=2), version)
    commits.commit_plan(db, "small", fresh)  # computed against the schedule as it is: no re-check
    assert calls == []
    commits.commit_plan(db, "small", stale)  # the schedule changed since: battery re-checked
    assert len(calls) == 1
    assert len([a for a in db.list_acquisitions(ws) if str(a.state) != "failed"]) == 2


def test_a_stale_plan_that_would_drain_the_battery_is_still_refused(powered):
    db, ws = powered
    # 13.9 Wh per 10 s image, no charging, no idle draw: the second image ends below the reserve.
    weak = PowerModel(100.0, 40.0, 0.0, 5000.0, 0.0, 0.0, 15.0)
    db.upsert_satellites(ws, [dataclasses.replace(s, power=weak) for s in db.list_satellites(ws)])
    orders = db.list_orders(workspace_id=ws, limit=None)
    version = db.schedule_version(ws)
    stale = _plan(db, ws, "second", orders[1], T + timedelta(hours=2), version)
    commits.commit_plan(db, "small", _plan(db, ws, "first", orders[0], T, version))
    with pytest.raises(CommitRefused, match="battery"):
        commits.commit_plan(db, "small", stale)


def test_sunlight_days_join_as_one_computation_over_the_span(small_scenario):
    sats = [dataclasses.replace(s, power=BATTERY) for s in parse_scenario(small_scenario()).satellites]
    access_service.clear_cache()
    start, end = parse_utc("2026-08-10T17:20:00Z"), parse_utc("2026-08-12T03:10:00Z")
    # A first caller's shorter span fills some days; the longer one reuses them.
    access_service.sunlight(sats, start + timedelta(hours=9), start + timedelta(hours=12))
    days = access_service.sunlight(sats, start, end)
    whole = sunlit_intervals(sats, start, end)
    for s in sats:
        assert len(days[s.id]) == len(whole[s.id])  # no interval split at midnight
        for (a, b), (c, d) in zip(days[s.id], whole[s.id]):
            # edges are refined to 0.01 s either way
            assert a == pytest.approx(c, abs=0.01) and b == pytest.approx(d, abs=0.01)
