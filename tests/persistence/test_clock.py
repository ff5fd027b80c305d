"""Time passing (spec §10): promotions by the freeze and soft-lock windows, executing, dropped
candidate items, the clock as the audit actor, backward steps refused, schema 2.3 upgrade."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import inspect, select, text

from app.domain import RuleViolation, WorkspaceSettings
from app.domain.clock import CLOCK_ACTOR, parse_duration
from app.domain.enums import AcquisitionState, LockLevel
from app.domain.errors import ValidationError
from app.persistence import ScheduleDB
from app.persistence.migrations import MIGRATIONS
from app.persistence.models import ACQUISITIONS, AUDIT

from .helpers import NOW, T0, committed, item

STATES = [AcquisitionState.TENTATIVE, AcquisitionState.LOCKED, AcquisitionState.COMMITTED,
          AcquisitionState.EXECUTING, AcquisitionState.COMPLETED]
RANK = {LockLevel.NONE: 0, LockLevel.SOFT: 1, LockLevel.HARD: 2}


def dump(db: ScheduleDB) -> dict[str, list]:
    """Every row of every table: equal before and after a refused call means nothing was written."""
    with db.engine.connect() as conn:
        names = inspect(conn).get_table_names()  # SQLite or the PostgreSQL test schema
        out = {n: conn.execute(text(f"SELECT * FROM {n} ORDER BY 1")).all() for n in sorted(names)}
        conn.rollback()
    return out


def _insert(db: ScheduleDB, ws_id: str, rows: list[tuple[float, AcquisitionState, LockLevel]]) -> None:
    """Acquisitions starting ``hours`` after NOW with the given state and lock (test-only raw insert)."""
    values = []
    for k, (hours, state, lock) in enumerate(rows):
        start = NOW + timedelta(hours=hours)
        values.append({"id": f"acq_{k:012x}", "created_at": NOW, "updated_at": NOW, "satellite_id": f"SAT-{k % 3}",
                       "target_id": f"T{k}", "start_time": start, "end_time": start + timedelta(seconds=10),
                       "roll_angle_deg": 5.0 + k, "state": state, "lock_level": lock, "workspace_id": ws_id})
    with db.engine.begin() as conn:
        conn.execute(ACQUISITIONS.insert(), values)


def test_step_promotes_by_windows_and_names_the_clock(db, ws):
    _plan, acqs, _orders = committed(db, ws.id, n=3, start=NOW + timedelta(hours=5))  # 5 h ahead, 1 min apart
    result = db.move_clock(ws.id, NOW + timedelta(hours=1))   # frozen to +3 h, soft to +25 h
    assert set(result.soft_locked) == {a.id for a in acqs} and not result.hard_locked
    result = db.move_clock(ws.id, NOW + timedelta(hours=3, minutes=30))  # frozen [3.5 h, 5.5 h)
    assert set(result.hard_locked) == {a.id for a in acqs}
    result = db.move_clock(ws.id, NOW + timedelta(hours=5, seconds=90))  # two have started
    assert set(result.executing) == {acqs[0].id, acqs[1].id}
    after = {a.id: a for a in db.get_acquisitions([a.id for a in acqs])}
    assert after[acqs[0].id].state == AcquisitionState.EXECUTING
    assert after[acqs[2].id].state == AcquisitionState.COMMITTED and after[acqs[2].id].lock_level == LockLevel.HARD
    assert db.get_workspace(ws.id).settings.scenario_clock == NOW + timedelta(hours=5, seconds=90)
    with db.engine.connect() as conn:
        actors = {r[0] for r in conn.execute(select(AUDIT.c.who).where(AUDIT.c.action.in_(["promote", "time_passing"])))}
        conn.rollback()
    assert actors == {CLOCK_ACTOR}


def test_backwards_past_executed_refused_and_nothing_written(db, ws):
    committed(db, ws.id, n=2, start=NOW + timedelta(hours=1))
    db.move_clock(ws.id, NOW + timedelta(hours=2))
    before = dump(db)
    with pytest.raises(RuleViolation, match="cannot go back .* has already executed"):
        db.move_clock(ws.id, NOW + timedelta(minutes=30))
    assert dump(db) == before
    # Back, but not past the executed ones: allowed (promotions never lowered).
    r = db.move_clock(ws.id, NOW + timedelta(hours=1, minutes=5))
    assert not r.changed


def test_past_candidate_items_dropped_and_orders_back_in_inbox(db, ws):
    order = db.create_order("T9", 3, ws.id)
    kept = db.create_order("T8", 3, ws.id)
    plan = db.create_plan("best_fit", {}, "sha256:c", None, {}, ws.id)
    db.create_plan_items(plan.id, [item(9, order.id, start=NOW + timedelta(hours=1)),
                                   item(8, kept.id, start=NOW + timedelta(hours=30))])
    assert db.get_order(order.id).status == "planned"
    r = db.move_clock(ws.id, NOW + timedelta(hours=2))
    assert [d.order_id for d in r.dropped] == [order.id] and r.orders_returned == (order.id,)
    assert db.get_order(order.id).status == "new" and db.get_order(kept.id).status == "planned"
    assert [i.order_id for i in db.get_plan_items(plan.id)] == [kept.id]


def test_live_clock_uses_real_time(db, ws):
    real = NOW + timedelta(hours=3)
    r = db.move_clock(ws.id, None, real_now=real)
    assert r.live and r.clock_to == real and db.get_workspace(ws.id).settings.scenario_clock is None


@pytest.mark.parametrize("text_, seconds", [("6h", 21600), ("90m", 5400), ("1d12h", 129600), ("-3h", -10800),
                                            ("PT6H30M", 23400), ("45s", 45)])
def test_durations(text_, seconds):
    assert parse_duration(text_).total_seconds() == seconds


@pytest.mark.parametrize("bad", ["", "6x", "h", "0h", "400d", "6h junk", None])
def test_bad_durations_name_the_field(bad):
    with pytest.raises(ValidationError, match="^step: "):
        parse_duration(bad)


schedule = st.lists(st.tuples(st.floats(-6.0, 40.0, allow_nan=False), st.sampled_from(STATES),
                              st.sampled_from(list(LockLevel))), min_size=1, max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=schedule, step_h=st.floats(-12.0, 36.0, allow_nan=False), freeze=st.floats(0.0, 6.0),
       soft=st.floats(0.0, 30.0))
def test_promotion_never_moves_deletes_or_unlocks_and_freezes_the_frozen_zone(rows, step_h, freeze, soft):
    db = ScheduleDB(":memory:")
    try:
        ws = db.create_workspace("p", WorkspaceSettings(scenario_clock=NOW, freeze_window_hours=freeze,
                                                        soft_lock_window_hours=soft))
        # Executed acquisitions lie in the past of the clock they were executed by.
        rows = [(h if s not in (AcquisitionState.EXECUTING, AcquisitionState.COMPLETED) else -abs(h) - 0.01, s, lock)
                for h, s, lock in rows]
        _insert(db, ws.id, rows)
        db.move_clock(ws.id, NOW)  # the schedule as time left it at NOW
        before = {a.id: a for a in db.list_acquisitions(ws.id)}
        now = NOW + timedelta(hours=step_h)
        if step_h < 0 and any(b.start >= now and b.state in (AcquisitionState.EXECUTING,
                                                                   AcquisitionState.COMPLETED)
                              for b in before.values()):
            snapshot = dump(db)
            with pytest.raises(RuleViolation, match="cannot go back"):
                db.move_clock(ws.id, now)  # backwards past executed acquisitions: refused whole
            assert dump(db) == snapshot
            return
        db.move_clock(ws.id, now)
        after = {a.id: a for a in db.list_acquisitions(ws.id)}
        assert after.keys() == before.keys()  # nothing deleted or added
        cutoff = now + timedelta(hours=freeze)
        for aid, b in before.items():
            a = after[aid]
            assert (a.satellite_id, a.start, a.end, a.roll_deg) == \
                   (b.satellite_id, b.start, b.end, b.roll_deg)  # nothing moved
            assert RANK[a.lock_level] >= RANK[b.lock_level]  # nothing unlocked
            if now <= a.start < cutoff:
                assert a.lock_level == LockLevel.HARD
            if a.start < now:
                assert a.state in (AcquisitionState.EXECUTING, AcquisitionState.COMPLETED)
    finally:
        db.close()


def test_database_of_schema_2_1_upgrades(tmp_path):
    """A file written before 2.3 (no operations columns) opens, gains them, and keeps its rows."""
    path = tmp_path / "old.db"
    db = ScheduleDB(path)
    ws = db.create_workspace("old", WorkspaceSettings(scenario_clock=NOW))
    committed(db, ws.id, n=2)
    db.close()
    conn = sqlite3.connect(path)
    for table, cols in (("acquisitions", ("reported_at", "outcome_reason", "cloud_pct", "archived_at")),
                        ("orders", ("attempt_count", "last_failure_reason", "archived_at")),
                        ("workspaces", ("clock_applied_at",))):
        for col in cols:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DROP TABLE cloud_forecasts")
    conn.execute("DELETE FROM schema_migrations WHERE version > '2.1'")
    conn.commit()
    conn.close()
    db = ScheduleDB(path)
    try:
        assert "2.3" in db.applied_migrations
        orders = db.list_orders(workspace_id=ws.id)
        assert len(orders) == 2 and all(o.attempt_count == 0 for o in orders)
        r = db.move_clock(ws.id, T0 + timedelta(minutes=5))
        assert len(r.executing) == 2
    finally:
        db.close()
    assert [m.version for m in MIGRATIONS] == sorted((m.version for m in MIGRATIONS),
                                                      key=lambda v: tuple(map(int, v.split("."))))
