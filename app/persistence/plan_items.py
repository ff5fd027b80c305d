"""Validation of plan items (and of the items of a direct commit) into rows of ``plan_items``."""
from __future__ import annotations

from typing import Any

from app.domain import Opportunity, PlanItem, ValidationError, new_id, parse_utc
from app.domain.enums import ChangeType, LookSide, PassDirection, parse_enum
from app.domain.placement import OLD_NAMES, current_names

from .store import MAX_ACQUISITION_S, finite, text_field

ITEM_KEYS = ("id", "plan_id", "opportunity_id", "satellite_id", "target_id", "start", "end",
             "roll_deg", "pitch_deg", "value", "quality_score", "maneuver_time_s",
             "slack_time_s", "order_id", "incidence_deg", "roll_end_deg", "pitch_end_deg",
             "look_side", "pass_direction", "change_type", "replaces_acquisition_id")

#: Change types that name the acquisition they act on (``replaces_acquisition_id``).
REPLACING = frozenset({ChangeType.MOVED, ChangeType.SATELLITE_SWITCHED, ChangeType.UNCHANGED, ChangeType.REMOVED})


def _from_opportunity(o: Opportunity) -> dict[str, Any]:
    return {**o.placement.stored_fields(), "opportunity_id": o.id, "target_id": o.target_id, "value": o.value,
            "quality_score": o.quality, "order_id": o.order_id}


def item_values(item: Any, index: int, plan_id: str, key: str = "items") -> dict[str, Any]:
    """One plan item (a dict of ``create_plan_item`` arguments, a PlanItem or an Opportunity) as a
    validated row of ``plan_items``. Errors name ``items[i].field``. Angles in degrees (signed,
    spacecraft frame: + roll = right of track, + pitch = forward); times aware UTC."""
    f = f"{key}[{index}]"
    if isinstance(item, PlanItem):
        data = {k: getattr(item, k) for k in ITEM_KEYS if k != "plan_id"}
    elif isinstance(item, Opportunity):
        data = _from_opportunity(item)
    elif isinstance(item, dict):
        # The seed's direct-commit items name the placement as the columns do (start_time,
        # roll_angle_deg …): both namings are read.
        unknown = sorted(set(item) - set(ITEM_KEYS) - set(OLD_NAMES))
        if unknown:
            raise ValidationError(f"{f}.{unknown[0]}", f"unknown field; known: {', '.join(ITEM_KEYS)}")
        data = current_names(item)
    else:
        raise ValidationError(f, f"expected a plan item (dict, PlanItem or Opportunity), got {type(item).__name__}")
    start = parse_utc(data.get("start"), f"{f}.start") if data.get("start") is not None else None
    end = parse_utc(data.get("end"), f"{f}.end") if data.get("end") is not None else None
    if start is None:
        raise ValidationError(f"{f}.start", "required")
    if end is None:
        raise ValidationError(f"{f}.end", "required")
    if end < start:
        raise ValidationError(f"{f}.end", "must not be before start")
    if (end - start).total_seconds() > MAX_ACQUISITION_S:
        raise ValidationError(f"{f}.end", f"an acquisition lasts at most {MAX_ACQUISITION_S:g} s")
    roll = finite(data.get("roll_deg"), f"{f}.roll_deg", -180.0, 180.0)
    pitch = finite(data.get("pitch_deg", 0.0) if data.get("pitch_deg") is not None else 0.0,
                   f"{f}.pitch_deg", -180.0, 180.0)
    look = data.get("look_side")
    direction = data.get("pass_direction")
    replaces = text_field(data.get("replaces_acquisition_id"), f"{f}.replaces_acquisition_id", optional=True)
    raw_type = data.get("change_type")
    if raw_type is None:  # the seed 000 item API knows no change types: an item adds, or moves what it replaces
        change = ChangeType.MOVED if replaces else ChangeType.ADDED
    else:
        change = parse_enum(ChangeType, raw_type, f"{f}.change_type")
    if change in REPLACING and not replaces:
        raise ValidationError(f"{f}.replaces_acquisition_id", f"required for a {change.value} item")
    if change == ChangeType.ADDED and replaces:
        raise ValidationError(f"{f}.replaces_acquisition_id", "an added item replaces no acquisition")
    return {
        "id": data.get("id") or new_id("planitem"),
        "plan_id": plan_id,
        "opportunity_id": text_field(data.get("opportunity_id"), f"{f}.opportunity_id"),
        "satellite_id": text_field(data.get("satellite_id"), f"{f}.satellite_id"),
        "target_id": text_field(data.get("target_id"), f"{f}.target_id"),
        "start": start,
        "end": end,
        "roll_deg": roll,
        "pitch_deg": pitch,
        "value": finite(data.get("value"), f"{f}.value", optional=True),
        "quality_score": finite(data.get("quality_score"), f"{f}.quality_score", optional=True),
        "maneuver_time_s": finite(data.get("maneuver_time_s"), f"{f}.maneuver_time_s", optional=True),
        "slack_time_s": finite(data.get("slack_time_s"), f"{f}.slack_time_s", optional=True),
        "order_id": text_field(data.get("order_id"), f"{f}.order_id", optional=True),
        "incidence_deg": finite(data.get("incidence_deg"), f"{f}.incidence_deg",
                                      -90.0, 90.0, optional=True),
        "roll_end_deg": finite(data.get("roll_end_deg") if data.get("roll_end_deg") is not None else roll,
                               f"{f}.roll_end_deg", -180.0, 180.0),
        "pitch_end_deg": finite(data.get("pitch_end_deg") if data.get("pitch_end_deg") is not None else pitch,
                                f"{f}.pitch_end_deg", -180.0, 180.0),
        "look_side": parse_enum(LookSide, look, f"{f}.look_side").value if look else None,
        "pass_direction": parse_enum(PassDirection, direction, f"{f}.pass_direction").value if direction else None,
        "change_type": change,
        "replaces_acquisition_id": replaces,
    }
