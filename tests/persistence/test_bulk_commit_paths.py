"""The bulk paths of a commit (issues #10 and #13, speed): ids matched as one array on
PostgreSQL and in chunks on SQLite, acquisitions inserted by COPY on PostgreSQL, the created rows
handed back instead of read again, orders refreshed from their status columns. Each gives what
the plain path gives, on both databases."""
from __future__ import annotations

from datetime import datetime, timedelta
from enum import Enum

import pytest

from app.domain import RuleViolation
from app.persistence import WrittenAcquisitions
from app.persistence.models import ACQUISITIONS
from app.persistence.store import CHUNK, COPY_MIN_ROWS, bulk_insert, id_filters, storage_insert
from app.persistence.types import format_utc

from .helpers import T0, committed, counts, item

N = CHUNK + 150  # more than one chunk of ids on SQLite; enough rows for COPY on PostgreSQL


def _plan_of(db, ws, n: int, name: str):
    orders = db.create_orders(ws.id, [{"target_id": f"T{i}", "priority": 3} for i in range(n)])
    plan = db.create_plan("best_fit", {}, f"sha256:{name}", None, {}, ws.id)
    # Two satellites, items a minute apart on each: no overlap, no slew problem.
    db.create_plan_items(plan.id, [item(i, o.id, satellite=f"SAT-{i % 2 + 1}", start=T0 + timedelta(minutes=i // 2))
                                   for i, o in enumerate(orders)])
    return plan, orders


def test_a_commit_of_more_than_a_chunk_returns_the_rows_a_read_gives(db, ws):
    plan, orders = _plan_of(db, ws, N, "big")
    hard = {o.id for o in orders[:5]}
    written = WrittenAcquisitions()
    result = db.commit_plan(plan.id, [], "soft", "OPTICAL", ws.id, hard_lock_orders=sorted(hard),
                            created_rows=written)
    created = written.acquisitions()
    assert len(result["acquisitions_created"]) == len(created) == N
    read = {a.id: a for a in db.get_acquisitions([a.id for a in created])}
    assert {a.id: a for a in created} == read  # every field, types included (times, enums)
    assert sum(1 for a in created if str(a.lock_level) == "hard") == 5
    assert all(a.lock_level == "hard" for a in created if a.order_id in hard)
    assert {o.status for o in db.get_orders([o.id for o in orders])} == {"committed"}
    assert sorted(result["orders_updated"]) == sorted(o.id for o in orders)


def test_orders_after_a_status_change_read_light_unless_someone_else_changed_them(db, ws):
    plan, orders = _plan_of(db, ws, 3, "light")
    before = db.get_orders([o.id for o in orders])
    result = db.commit_plan(plan.id, [], "none", "OPTICAL", ws.id)
    assert db.orders_after_status_change(before, result["orders_updated"]) == db.get_orders([o.id for o in orders])
    # Another planner edits one of them afterwards: that one is read whole (its new priority).
    db.update_order(orders[1].id, priority=1)
    after = db.orders_after_status_change(before, result["orders_updated"])
    assert after == db.get_orders([o.id for o in orders]) and after[1].priority == 1
    # An order the write did not change but someone else did is read whole too.
    untouched = db.create_order("T9", 3, ws.id)
    db.update_order(untouched.id, priority=2)
    assert db.orders_after_status_change([untouched], [])[0].priority == 2


def test_id_filters_match_every_id_once(db, ws):
    _, acqs, _ = committed(db, ws.id, n=4)
    ids = [a.id for a in acqs] + [f"missing_{k}" for k in range(2 * CHUNK)]
    with db._read() as s:  # the helper runs inside a transaction
        found = [r[0] for where in id_filters(s, ACQUISITIONS.c.id, ids)
                 for r in s.execute(ACQUISITIONS.select().with_only_columns(ACQUISITIONS.c.id).where(where))]
    assert sorted(found) == sorted(a.id for a in acqs)


def test_a_bulk_insert_violating_the_live_order_index_is_the_usual_refusal_and_writes_nothing(db, ws):
    _, acqs, _ = committed(db, ws.id, n=1)
    base = db.get_acquisitions([acqs[0].id])[0]
    with db.engine.connect() as conn:
        row = dict(conn.execute(ACQUISITIONS.select().where(ACQUISITIONS.c.id == base.id)).mappings().one())
        conn.rollback()
    # In storage form, as the commit writes rows: times as fixed-width text, enums as values.
    row = {k: format_utc(v) if isinstance(v, datetime) else v.value if isinstance(v, Enum) else v
           for k, v in row.items()}
    stamp = T0 + timedelta(days=1)
    rows = [{**row, "id": f"acq_bulk{k:04d}", "order_id": None, "start_time": format_utc(stamp + timedelta(minutes=k)),
             "end_time": format_utc(stamp + timedelta(minutes=k, seconds=10))} for k in range(COPY_MIN_ROWS + 5)]
    rows[-1]["order_id"] = base.order_id  # a second live acquisition of a served order
    before = counts(db)
    with pytest.raises(RuleViolation, match="served twice"):
        with db._write() as s:  # the bulk path itself
            bulk_insert(s, storage_insert(ACQUISITIONS), rows)
    assert counts(db) == before


def test_plan_item_refs_are_the_items_order_change_and_replaced_acquisition(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2)
    plan, _ = _plan_of(db, ws, 3, "refs")
    db.create_plan_items(plan.id, [{**item(7, None, start=acqs[0].start), "change_type": "removed",
                                    "replaces_acquisition_id": acqs[0].id}])
    full = db.get_plan_items(plan.id, removed=True)
    assert db.plan_item_refs(plan.id) == [(it.order_id, it.change_type, it.replaces_acquisition_id) for it in full]
    assert [c for _, c, _ in db.plan_item_refs(plan.id)].count("removed") == 1
