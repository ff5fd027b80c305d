"""``explain`` on the demo (issue 15): every unserved order has a reason and, where one exists, a
suggestion that, applied and re-planned, serves the order."""
import json
import shutil
import subprocess
import sys
from datetime import timedelta

import pytest

from app.domain import to_iso
from app.persistence import ScheduleDB
from app.services import access_service, explain as ex, orders as order_svc
from app.services.demo import ensure_demo
from app.services.planning import PlanOptions, run_planning
from app.services.workspaces import resolve_workspace


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "demo.db"
    db = ScheduleDB(path)
    ensure_demo(db, schedule=True)
    db.close()
    return path


@pytest.fixture
def demo(demo_file, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copy(demo_file, path)
    db = ScheduleDB(path)
    yield db, resolve_workspace(db, "demo"), path
    db.close()


def _served_by_replan(db, ws, order_id):
    result = run_planning(db, ws.id, PlanOptions(mode="incremental", order_ids=(order_id,)))
    return next((it for it in result.items if it.order_id == order_id), None)


def _check_suggestion(demo_file, tmp_path, order_id, suggestion, tag):
    """Apply ``suggestion`` on a fresh copy, re-plan incrementally, check the order is served where
    the suggestion said."""
    path = tmp_path / f"apply-{tag}.db"
    shutil.copy(demo_file.parent / "crafted.db", path)
    db = ScheduleDB(path)
    try:
        ws = resolve_workspace(db, "demo")
        ex.apply_suggestion(db, ws.id, order_id, suggestion.change)
        item = _served_by_replan(db, ws, order_id)
        assert item is not None, suggestion.text
        assert item.satellite_id == suggestion.acquisition.satellite_id
        assert abs((item.start - suggestion.acquisition.start).total_seconds()) < 1.0
        if suggestion.change.kind == "move_acquisition":
            moved = db.get_acquisition(suggestion.change.acquisition_id)
            assert moved.start == suggestion.change.move_to.start
    finally:
        db.close()


def test_every_inbox_order_has_a_reason_and_its_plan_serves_it(demo):
    db, ws, _ = demo
    inbox = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.status == "new"]
    assert len(inbox) == 12
    for order in inbox:
        e = ex.explain(db, ws.id, order.id)
        assert e.reason and "ord_" not in e.reason and "acq_" not in e.reason
        assert e.kind == "not_planned"
        (s,) = e.suggestions
        assert s.change.kind == "plan"
        item = _served_by_replan(db, ws, order.id)
        assert item is not None
        assert (item.satellite_id, item.start) == (s.acquisition.satellite_id, s.acquisition.start)


def _crafted_orders(db, ws):
    """Orders that planning cannot serve as they are, one per kind of reason."""
    acqs = sorted(db.list_acquisitions(ws.id), key=lambda a: a.start)
    blocker = next(a for a in acqs if a.lock_level == "none" and a.start > ws.settings.horizon_start
                   + timedelta(days=1))
    luanda = next(t for t in db.list_targets(ws.id) if t.id == "Luanda")
    raw = sorted(access_service.target_opportunities(db.list_satellites(ws.id), luanda, ws.settings.horizon_start,
                                                     ws.settings.horizon_end, ws.settings),
                 key=lambda o: o.start)
    one = next(o for o in raw if o.start > ws.settings.horizon_start + timedelta(days=2))
    other_sat = next(s.id for s in db.list_satellites(ws.id) if s.id != one.satellite_id)
    made = {
        # A 20-minute window with no pass in it.
        "window": order_svc.add_order(db, ws.id, "Luanda", 2, window_start="2026-08-12T00:00:00Z",
                                      window_end="2026-08-12T00:20:00Z"),
        # A window around one pass of one satellite, asking for another satellite.
        "satellite": order_svc.add_order(db, ws.id, "Luanda", 2, window_start=to_iso(one.start - timedelta(minutes=2)),
                                         window_end=to_iso(one.end + timedelta(minutes=2)),
                                         constraints={"preferred_satellite": other_sat}),
        # The very slot of a scheduled acquisition, on its satellite.
        "lost": order_svc.add_order(db, ws.id, blocker.target_id, 2,
                                    window_start=to_iso(blocker.start - timedelta(minutes=3)),
                                    window_end=to_iso(blocker.end + timedelta(minutes=3)),
                                    constraints={"preferred_satellite": blocker.satellite_id}),
        # No opportunity that steep.
        "incidence": order_svc.add_order(db, ws.id, "Luanda", 2, window_start=to_iso(one.start - timedelta(hours=3)),
                                         window_end=to_iso(one.end + timedelta(hours=3)),
                                         constraints={"max_incidence_deg": 0.5}),
    }
    return made, blocker


def test_orders_that_do_not_fit_get_a_reason_and_checked_suggestions(demo, demo_file, tmp_path):
    db, ws, path = demo
    made, blocker = _crafted_orders(db, ws)
    db.close()
    shutil.copy(path, demo_file.parent / "crafted.db")
    db = ScheduleDB(path)
    kinds = {}
    for tag, order in made.items():
        e = ex.explain(db, ws.id, order.id)
        kinds[tag] = e
        assert e.reason and "ord_" not in e.reason and "acq_" not in e.reason, e.reason
        assert e.suggestions, f"{tag}: {e.reason}"
        for k, s in enumerate(e.suggestions):
            assert s.target_id == order.target_id
            _check_suggestion(demo_file, tmp_path, order.id, s, f"{tag}-{k}")
    db.close()
    assert kinds["window"].kind == "filtered" and "requested window" in kinds["window"].reason
    assert kinds["window"].suggestions[0].change.kind == "widen_window"
    assert kinds["satellite"].kind == "filtered"
    assert any(s.change.kind == "allow_satellite" for s in kinds["satellite"].suggestions)
    assert kinds["lost"].kind == "lost" and blocker.id in kinds["lost"].blockers
    assert "Lost to conflicts" in kinds["lost"].reason and blocker.target_id in kinds["lost"].reason
    assert any(s.change.acquisition_id == blocker.id for s in kinds["lost"].suggestions)
    assert kinds["incidence"].kind == "filtered"
    relax = next(s for s in kinds["incidence"].suggestions if s.change.kind == "relax_incidence")
    assert relax.acquisition.incidence_deg <= relax.change.amount + 1e-9


def test_widening_is_the_smallest_that_serves(demo):
    db, ws, _ = demo
    made, _ = _crafted_orders(db, ws)
    order = made["window"]
    e = ex.explain(db, ws.id, order.id)
    widen = e.suggestions[0]
    # Any opportunity of the plain order in a window widened by less would have been tried first.
    start, end = widen.change.order_changes["requested_window_start"], widen.change.order_changes["requested_window_end"]
    assert start <= widen.acquisition.start and widen.acquisition.end <= end
    assert (start == order.requested_window_start) or (end == order.requested_window_end)
    assert widen.change.amount == pytest.approx((order.requested_window_start - start).total_seconds()
                                                + (end - order.requested_window_end).total_seconds())


def test_cli_json_and_bad_input(demo):
    db, ws, path = demo
    made, _ = _crafted_orders(db, ws)
    db.close()
    env_cmd = [sys.executable, "-m", "app", "explain", "--db", str(path), "--workspace", "demo"]
    done = subprocess.run(env_cmd + ["--order", made["window"].id, "--format", "json"], capture_output=True,
                          text=True, check=True)
    doc = json.loads(done.stdout)
    assert isinstance(doc["reason"], str) and doc["reason"]
    s = doc["suggestions"][0]
    assert s["change"]["kind"] == "widen_window"
    assert {"satellite_id", "start_time", "end_time"} <= set(s["acquisition"])
    assert s["acquisition"]["start_time"].endswith("Z")
    before = path.read_bytes()
    bad = subprocess.run(env_cmd + ["--order", "REQ-9999"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "order" in bad.stderr and "Traceback" not in bad.stderr
    text = subprocess.run(env_cmd + ["--order", "REQ-0049", "--format", "text"], capture_output=True, text=True,
                          check=True).stdout
    assert "Lima" in text and "ord_" not in text
    assert path.read_bytes() == before


def test_a_locked_or_frozen_blocker_is_described_by_the_edit_rules_and_never_moved_plainly(demo, demo_file,
                                                                                          tmp_path):
    """Issue #10 item 3: explain decides and words what may be done to a blocker with the edit
    rules the database enforces (``check_edit`` is the database's own preview): a hard-locked
    blocker is named with its refusal and offered only as "Unlock and …"; a blocker in the frozen
    zone is named with the frozen-zone refusal and never offered at all."""
    from app.domain.wording import plain_reason
    db, ws, path = demo
    made, blocker = _crafted_orders(db, ws)
    lost = made["lost"]
    db.set_lock_level([blocker.id], "hard")
    db.close()
    shutil.copy(path, demo_file.parent / "crafted.db")  # _check_suggestion applies on this copy
    db = ScheduleDB(path)
    try:
        said = plain_reason(blocker.id, db.check_edit([blocker.id], "move")[blocker.id])
        assert said.startswith("Hard-locked")
        e = ex.explain(db, ws.id, lost.id)
        assert e.kind == "lost" and blocker.id in e.blockers
        assert any(said[:1].lower() + said[1:] in d and blocker.target_id in d for d in e.details), e.details
        touching = [s for s in e.suggestions if s.change.acquisition_id == blocker.id]
        assert touching, [s.text for s in e.suggestions]
        for k, s in enumerate(touching):
            assert s.change.unlock and s.change.text.startswith("Unlock and "), s.text
            _check_suggestion(demo_file, tmp_path, lost.id, s, f"hard-{k}")

        # Unlocked again, with the clock just past the blocker's start minus the freeze window: the
        # blocker is frozen, while later opportunities of the order (seconds on) are still reachable.
        db.set_lock_level([blocker.id], "none")
        freeze = timedelta(hours=ws.settings.freeze_window_hours)
        now = blocker.start + timedelta(seconds=1) - freeze
        said = plain_reason(blocker.id, db.check_edit([blocker.id], "move", now=to_iso(now))[blocker.id])
        assert "frozen zone" in said and "locked" not in said
        e = ex.explain(db, ws.id, lost.id, now=now)
        assert e.kind == "lost" and blocker.id in e.blockers, e.reason
        assert any("frozen zone" in d and blocker.target_id in d for d in e.details), e.details
        assert any(said[:1].lower() + said[1:] in d for d in e.details), (said, e.details)
        assert not any("  " in d for d in e.details)
        assert not any(s.change.acquisition_id == blocker.id for s in e.suggestions), [s.text for s in e.suggestions]
    finally:
        db.close()
