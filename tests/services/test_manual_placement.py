"""Placing an Inbox order by hand (the timeline's drop of an order onto a satellite's row) and a
move by hand: both are undoable commands, audited, and leave an acquisition whose source is manual."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain import AcquisitionSource, OrderStatus, RuleViolation
from app.services import commits
from app.services.commands import CommandStack, Move, PlaceOrder
from app.services.placement_choices import nearest_valid, order_choices, placement_choices, same_pass
from app.services.planning import PlanOptions, run_planning


def _new_order_with_choices(db, ws):
    for o in db.list_orders(workspace_id=ws, limit=None):
        if o.status != OrderStatus.NEW:
            continue
        valid = [c for c in order_choices(db, ws, o.id) if c.valid]
        if valid:
            return o, valid
    pytest.skip("no Inbox order with a valid opportunity")


@pytest.fixture
def planned(small_db):
    """Half the orders committed, the others waiting in the Inbox."""
    db, ws = small_db
    orders = [o.id for o in db.list_orders(workspace_id=ws, limit=None)]
    plan = run_planning(db, ws, PlanOptions(order_ids=tuple(orders[: len(orders) // 2])))
    commits.commit_plan(db, ws, plan.plan_id)
    return db, ws


def test_place_order_takes_the_nearest_valid_opportunity_and_undoes(planned):
    db, ws = planned
    order, valid = _new_order_with_choices(db, ws)
    target = valid[-1].opportunity
    # Dropped a little after the opportunity: the nearest valid one on that satellite is chosen.
    around = target.start + timedelta(seconds=20)
    expected = nearest_valid(valid, target.satellite_id, around)
    stack = CommandStack(db)
    command = PlaceOrder(ws, order.id, target.satellite_id, around)
    changes = stack.push(command)
    a = command.acquisition
    assert a is not None and changes.acquisitions == (a.id,) and order.id in changes.orders
    assert (a.satellite_id, a.start, a.end) == (expected.opportunity.satellite_id, expected.opportunity.start,
                                                        expected.opportunity.end)
    assert a.source == AcquisitionSource.MANUAL and a.order_id == order.id
    assert db.get_order(order.id).status == OrderStatus.COMMITTED
    commit_entry = db.list_audit(ws, entity_id=command.record.plan_id)[0]
    assert commit_entry.action == "commit" and commit_entry.after["source"] == "manual"
    assert commit_entry.after["acquisitions_created"][0]["id"] == a.id

    stack.undo()
    assert db.get_acquisition(a.id) is None
    assert db.get_order(order.id).status == OrderStatus.NEW
    stack.redo()
    assert db.get_acquisition(a.id).source == AcquisitionSource.MANUAL
    assert db.get_order(order.id).status == OrderStatus.COMMITTED
    # Undone, the same placement can be made again (the one-item plan of the undone one is rejected).
    stack.undo()
    again = PlaceOrder(ws, order.id, target.satellite_id, around)
    stack.push(again)
    assert again.acquisition.start == a.start


def test_place_order_refuses_a_satellite_without_a_valid_opportunity(planned):
    db, ws = planned
    order, valid = _new_order_with_choices(db, ws)
    usable = {c.opportunity.satellite_id for c in valid}
    others = [s.id for s in db.list_satellites(ws) if s.id not in usable]
    if not others:
        pytest.skip("every satellite has a valid opportunity for this order")
    before = len(db.list_acquisitions(ws))
    with pytest.raises(RuleViolation, match=others[0]):
        CommandStack(db).push(PlaceOrder(ws, order.id, others[0], valid[0].opportunity.start))
    assert len(db.list_acquisitions(ws)) == before
    assert db.get_order(order.id).status == OrderStatus.NEW


def test_a_move_by_hand_makes_the_acquisition_manual_and_undo_restores_it(planned):
    db, ws = planned
    for a in db.list_acquisitions(ws):
        choices = [c for c in same_pass(placement_choices(db, ws, a.id), a) if c.valid]
        if choices:
            break
    else:
        pytest.skip("no acquisition with another valid start in its pass")
    assert a.source == AcquisitionSource.AUTO
    to = choices[0].opportunity
    stack = CommandStack(db)
    stack.push(Move(ws, a.id, (to.start - a.start).total_seconds()))
    moved = db.get_acquisition(a.id)
    assert moved.start == to.start and moved.source == AcquisitionSource.MANUAL
    entry = db.list_audit(ws, entity_id=a.id)[0]
    assert entry.action == "move" and entry.before["source"] == "auto" and entry.after["source"] == "manual"
    stack.undo()
    back = db.get_acquisition(a.id)
    assert back.start == a.start and back.source == AcquisitionSource.AUTO
