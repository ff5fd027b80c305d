"""Orders: creation, listing, the lifecycle, bad input (nothing written), optimistic versions."""
from __future__ import annotations

from datetime import datetime

import pytest

from app.domain import NotFoundError, RuleViolation, StaleEditError, Target, ValidationError
from app.domain.enums import LookSide, OrderStatus
from app.persistence import ScheduleDB

from .helpers import counts


def test_create_get_list_order(db, ws):
    o = db.create_order("Athens", 2, ws.id, "2026-08-07T00:00:00Z", "2026-08-09T02:00:00+02:00",
                        {"look_side": "LEFT", "max_incidence_deg": 35}, source="api", notes="n", external_ref="REQ-1")
    assert o.id.startswith("ord_") and o.status == OrderStatus.NEW and o.version == 1
    got = db.get_order(o.id)
    assert got == o
    assert got.requested_window_end.isoformat() == "2026-08-09T00:00:00+00:00"
    assert got.constraints.look_side == LookSide.LEFT and got.constraints.max_incidence_deg == 35
    assert db.get_order("ord_000000000000") is None
    other = db.create_workspace("other")
    db.create_order("Rome", 5, other.id)
    assert [x.id for x in db.list_orders(workspace_id=ws.id)] == [o.id]
    assert len(db.list_orders()) == 2
    assert db.list_orders(status="planned", workspace_id=ws.id) == []
    assert len(db.list_orders(status=["new", "planned"])) == 2


def test_list_orders_pagination(db, ws):
    ids = [db.create_order(f"T{i}", 3, ws.id).id for i in range(5)]
    assert [o.id for o in db.list_orders(workspace_id=ws.id, limit=2, offset=1)] == ids[1:3]
    assert len(db.list_orders(workspace_id=ws.id, limit=None)) == 5
    with pytest.raises(ValidationError, match="limit"):
        db.list_orders(limit=-1)
    with pytest.raises(ValidationError, match="status: must be one of"):
        db.list_orders(status="bogus")


@pytest.mark.parametrize("kwargs, match", [
    ({"priority": 9}, r"priority: must be 1\.\.5"),
    ({"priority": 0}, r"priority: must be 1\.\.5"),
    ({"priority": "high"}, r"priority: must be an integer"),
    ({"requested_window_start": "2026-08-09T00:00:00Z", "requested_window_end": "2026-08-08T00:00:00Z"},
     "requested_window_end: must be after requested_window_start"),
    ({"requested_window_start": "2026-08-09T00:00:00"}, "requested_window_start: naive time"),
    ({"requested_window_end": datetime(2026, 8, 9)}, "requested_window_end: naive time"),
    ({"requested_window_start": "next tuesday"}, "requested_window_start: not an ISO 8601 time"),
    ({"constraints": {"look_side": "UP"}}, "constraints.look_side: must be one of"),
    ({"constraints": {"max_incidence_deg": 123}}, "constraints.max_incidence_deg: must be between"),
    ({"constraints": {"colour": "red"}}, "constraints.colour: unknown constraint"),
    ({"source": "fax"}, "source: must be one of"),
    ({"target_id": "  "}, "target_id: must be a non-empty name"),
])
def test_bad_order_refused_naming_field_and_nothing_written(db, ws, kwargs, match):
    before = counts(db)
    args = {"target_id": "Athens", "priority": 3, "workspace_id": ws.id, **kwargs}
    with pytest.raises(ValidationError, match=match):
        db.create_order(**args)
    assert counts(db) == before


def test_unknown_workspace_refused(db):
    before = counts(db)
    with pytest.raises(NotFoundError, match="workspace: no workspace 'ws_nope'"):
        db.create_order("Athens", 3, "ws_nope")
    with pytest.raises(ValidationError, match="workspace_id: a workspace id is required"):
        db.create_order("Athens", 3, None)
    assert counts(db) == before


def test_bulk_orders_all_or_nothing_naming_row(db, ws):
    good = {"target_id": "A", "priority": 1, "requested_window_start": "2026-08-07T00:00:00Z"}
    before = counts(db)
    with pytest.raises(ValidationError, match=r"orders\[2\]\.priority: must be 1\.\.5 \(1 = highest\), got 9"):
        db.create_orders(ws.id, [good, good, {**good, "priority": 9}, good])
    with pytest.raises(ValidationError, match=r"orders\[1\]\.requested_window_end: must be after"):
        db.create_orders(ws.id, [good, {**good, "requested_window_end": "2026-08-06T00:00:00Z"}])
    with pytest.raises(ValidationError, match=r"orders\[0\]\.requested_window_start: naive time"):
        db.create_orders(ws.id, [{**good, "requested_window_start": "2026-08-07T00:00:00"}])
    with pytest.raises(ValidationError, match=r"orders\[0\]\.lat: unknown field"):
        db.create_orders(ws.id, [{**good, "lat": 123}])
    assert counts(db) == before
    made = db.create_orders(ws.id, [good, {**good, "target_id": "B"}], new_targets=[Target("B", 10.0, 20.0)])
    assert [o.target_id for o in made] == ["A", "B"]
    assert [t.id for t in db.list_targets(ws.id)] == ["B"]
    assert counts(db)["orders"] == before["orders"] + 2


def test_latitude_123_never_reaches_the_database(db, ws):
    before = counts(db)
    with pytest.raises(ValidationError, match=r"lat: must be between -90 and 90, got 123"):
        db.upsert_targets(ws.id, [Target("Bad", 123.0, 0.0)])
    assert counts(db) == before


def test_update_order_fields_and_audit(db, ws):
    o = db.create_order("Athens", 3, ws.id)
    u = db.update_order(o.id, priority=1, notes="rush", constraints={"look_side": "RIGHT"})
    assert (u.priority, u.notes, u.version, u.constraints.look_side) == (1, "rush", 2, LookSide.RIGHT)
    assert db.get_order(o.id) == u
    entry = db.list_audit(entity_id=o.id, limit=1)[0]
    assert entry.action == "update" and entry.who == "tester"
    assert entry.before["priority"] == 3 and entry.after["priority"] == 1


def test_update_order_refusals(db, ws):
    o = db.create_order("Athens", 3, ws.id)
    before = counts(db)
    with pytest.raises(ValidationError, match=r"priority: must be 1\.\.5"):
        db.update_order(o.id, priority=9)
    with pytest.raises(ValidationError, match="colour: not an editable order field"):
        db.update_order(o.id, colour="red")
    with pytest.raises(ValidationError, match="requested_window_end: must be after"):
        db.update_order(o.id, requested_window_start="2026-08-09T00:00:00Z",
                        requested_window_end="2026-08-08T00:00:00Z")
    with pytest.raises(ValidationError, match="requested_window_start: naive"):
        db.update_order(o.id, requested_window_start=datetime(2026, 8, 9))
    with pytest.raises(NotFoundError, match="order"):
        db.update_order("ord_000000000000", priority=1)
    with pytest.raises(ValidationError, match="changes: nothing to update"):
        db.update_order(o.id)
    assert counts(db) == before


def test_lifecycle_enforced(db, ws):
    o = db.create_order("Athens", 3, ws.id)
    with pytest.raises(RuleViolation, match="status: cannot go from new to completed"):
        db.update_order(o.id, status="completed")
    o = db.update_order(o.id, status="planned")
    o = db.update_order(o.id, status="cancelled")
    with pytest.raises(RuleViolation, match=r"cannot go from cancelled to new; allowed: none \(terminal\)"):
        db.update_order(o.id, status="new")
    assert db.get_order(o.id).status == OrderStatus.CANCELLED


def test_two_instances_stale_update_refused(db_path, ws, db):
    order = db.create_order("Athens", 3, ws.id)
    a, b = ScheduleDB(db_path, user="alice"), ScheduleDB(db_path, user="bob")
    seen_by_a, seen_by_b = a.get_order(order.id), b.get_order(order.id)
    a.update_order(order.id, expected_version=seen_by_a.version, priority=1)
    with pytest.raises(StaleEditError, match=r"version: order .* was changed by alice at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(you edited "
                                             r"version 1, the database has version 2\)"):
        b.update_order(order.id, expected_version=seen_by_b.version, priority=5)
    assert db.get_order(order.id).priority == 1
    fresh = b.get_order(order.id)
    assert b.update_order(order.id, expected_version=fresh.version, priority=5).version == 3
    a.close()
    b.close()


def test_concurrent_writers_from_threads_lose_nothing(db, ws):
    import threading

    errors: list[BaseException] = []

    def worker(tag: str) -> None:
        try:
            for i in range(15):
                db.create_order(f"{tag}{i}", 3, ws.id)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in "ABC"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(db.list_orders(workspace_id=ws.id, limit=None)) == 45


def test_naive_now_refused(db, ws):
    with pytest.raises(ValidationError, match="now: naive time"):
        db.get_horizon("2026-08-07T00:00:00Z", "2026-08-08T00:00:00Z", ws.id, now=datetime(2026, 8, 7))
