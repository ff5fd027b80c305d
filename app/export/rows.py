"""The flat record of one acquisition that every export format shares (times ISO 8601 Z)."""
from __future__ import annotations

from typing import Any

from app.domain import Acquisition, to_iso

COLUMNS = ("id", "satellite_id", "target_id", "order_id", "start_time", "end_time", "duration_s", "roll_deg",
           "pitch_deg", "incidence_deg", "look_side", "pass_direction", "state", "lock_level", "mode",
           "quality_score", "plan_id")


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def acquisition_row(a: Acquisition) -> dict[str, Any]:
    return {
        "id": a.id, "satellite_id": a.satellite_id, "target_id": a.target_id, "order_id": a.order_id,
        "start_time": to_iso(a.start), "end_time": to_iso(a.end),
        "duration_s": round((a.end - a.start).total_seconds(), 3),
        "roll_deg": a.roll_deg, "pitch_deg": a.pitch_deg, "incidence_deg": a.incidence_deg,
        "look_side": a.look_side, "pass_direction": a.pass_direction, "state": _plain(a.state),
        "lock_level": _plain(a.lock_level), "mode": _plain(a.mode), "quality_score": a.quality_score,
        "plan_id": a.plan_id,
    }


def sorted_acquisitions(acquisitions) -> list[Acquisition]:
    """Deterministic order: start time, then id."""
    return sorted(acquisitions, key=lambda a: (a.start, a.id))
