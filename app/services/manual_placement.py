"""Placing an Inbox order by hand (a drag onto a satellite's row on the timeline): the order is
served by the valid opportunity of that satellite nearest to the time the planner chose.

The choices are ``placement_choices.order_choices`` (the frozen zone, overlaps and both
neighbours' slews, as for a move); the acquisition is created by ``ScheduleDB.commit_direct`` with
source ``manual`` in one audited transaction, re-checked against the schedule as it is then.
"""
from __future__ import annotations

from datetime import datetime

from app.domain import NotFoundError, OrderStatus, RuleViolation
from app.persistence import ScheduleDB

from .commits import CommitRecord, feasibility_recheck
from .placement_choices import PlacementChoice, nearest_valid, order_choices
from .workspaces import resolve_workspace


def choice_item(choice: PlacementChoice, order_id: str) -> dict:
    """The plan item (``commit_direct``'s shape) that puts ``order_id`` on ``choice``; angles in
    degrees with the spacecraft-frame signs of ``Opportunity``; times aware UTC."""
    o = choice.opportunity
    return {"opportunity_id": o.id, "satellite_id": o.satellite_id, "target_id": o.target_id,
            "start": o.start, "end": o.end, "roll_deg": o.roll_deg, "pitch_deg": o.pitch_deg,
            "roll_end_deg": o.roll_end_deg, "pitch_end_deg": o.pitch_end_deg, "value": choice.value,
            "quality_score": choice.quality, "maneuver_time_s": choice.maneuver_time_s,
            "slack_time_s": choice.slack_time_s if choice.slack_time_s != float("inf") else None,
            "order_id": order_id, "incidence_deg": o.incidence_deg,
            "look_side": str(o.look_side) if o.look_side else None,
            "pass_direction": str(o.pass_direction) if o.pass_direction else None}


def choose(db: ScheduleDB, workspace: str, order_id: str, satellite_id: str, around: datetime,
           choices: list[PlacementChoice] | None = None) -> PlacementChoice:
    """The valid opportunity of ``order_id`` on ``satellite_id`` nearest to ``around``; refused
    (RuleViolation, in words) when the order is not waiting in the Inbox or the satellite has none."""
    ws = resolve_workspace(db, workspace)
    order = db.get_order(order_id)
    if order is None or order.workspace_id != ws.id:
        raise NotFoundError("order", order_id)
    if order.status == OrderStatus.PLANNED:
        raise RuleViolation("order", f"the order for {order.target_id} is proposed by the candidate plan: "
                                     "commit or reject that plan first")
    if order.status != OrderStatus.NEW:
        raise RuleViolation("order", f"the order for {order.target_id} is {order.status.value}: only an order "
                                     "waiting in the Inbox can be placed")
    if choices is None:
        choices = order_choices(db, ws.id, order_id)
    best = nearest_valid(choices, satellite_id, around)
    if best is None:
        mine = [c for c in choices if c.opportunity.satellite_id == satellite_id]
        if not mine:
            why = f"{satellite_id} has no opportunity for {order.target_id} that meets the order in the horizon"
        else:
            near = min(mine, key=lambda c: abs((c.opportunity.start - around).total_seconds()))
            why = (f"none of the {len(mine)} opportunities of {satellite_id} for {order.target_id} fits; "
                   f"the nearest: {near.refusal}")
        raise RuleViolation("place", why)
    return best


def place_order(db: ScheduleDB, workspace: str, order_id: str, satellite_id: str, around: datetime,
                lock_level: str = "none") -> CommitRecord:
    """Serve ``order_id`` by hand with the valid opportunity of ``satellite_id`` nearest to
    ``around`` (``choose``): one committed acquisition, source ``manual``, in one audited
    transaction; the order becomes committed. Returns the record undo needs."""
    ws = resolve_workspace(db, workspace)
    choice = choose(db, ws.id, order_id, satellite_id, around)
    summary = db.commit_direct([choice_item(choice, order_id)], algorithm="manual", lock_level=lock_level,
                               workspace_id=ws.id, config={"order_id": order_id}, metrics={"accepted": 1},
                               recheck=feasibility_recheck(db, ws.id), source="manual")
    return CommitRecord(ws.id, summary["plan_id"], summary,
                        created_ids=tuple(c["id"] for c in summary["acquisitions_created"]), _db=db)
