"""Where and how an image is taken: the one placement value object (issue #10 item 1).

Opportunities, plan items and acquisitions each carry one (``.placement``); code that only needs
the placement takes a ``Placement``. Its fields use one naming (``start``/``end``, ``roll_deg`` …);
the stored rows of acquisitions and plan items keep their column names (``start_time``,
``roll_angle_deg`` …), and ``columns()`` / ``from_columns()`` are the one translation between the two.

Times are aware UTC datetimes. Angles in degrees, spacecraft orbital frame "x forward, y right,
z down": + roll = target right of the ground track (look side RIGHT), + pitch = looking forward.
``roll_deg``/``pitch_deg`` are the attitude at ``start``, ``roll_end_deg``/``pitch_end_deg`` at
``end``. ``los_start``/``los_end``: unit line of sight satellite→target in an inertial frame, where
known (eigen-axis slews). The epoch-second form for the schedulers is ``scheduling.placements``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .errors import ValidationError

Vec3 = tuple[float, float, float]

#: Placement field → the column of acquisitions / plan items that stores it.
COLUMN_OF = {"satellite_id": "satellite_id", "start": "start_time", "end": "end_time", "roll_deg": "roll_angle_deg",
             "pitch_deg": "pitch_angle_deg", "roll_end_deg": "roll_end_deg", "pitch_end_deg": "pitch_end_deg",
             "incidence_deg": "incidence_angle_deg", "look_side": "look_side", "pass_direction": "pass_direction"}


@dataclass(frozen=True, slots=True)
class Placement:
    satellite_id: str
    start: datetime
    end: datetime
    roll_deg: float
    pitch_deg: float = 0.0
    roll_end_deg: float | None = None
    pitch_end_deg: float | None = None
    off_nadir_deg: float | None = None
    incidence_deg: float | None = None
    look_side: str | None = None
    pass_direction: str | None = None
    los_start: Vec3 | None = None
    los_end: Vec3 | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError("placement.end", "must not be before start")
        if self.roll_end_deg is None:
            object.__setattr__(self, "roll_end_deg", self.roll_deg)
        if self.pitch_end_deg is None:
            object.__setattr__(self, "pitch_end_deg", self.pitch_deg)

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()

    def columns(self) -> dict[str, Any]:
        """The placement under the column names of acquisitions and plan items (look side and
        pass direction as their text values)."""
        out = {COLUMN_OF[k]: getattr(self, k) for k in COLUMN_OF}
        for k in ("look_side", "pass_direction"):
            out[k] = str(out[k]) if out[k] else None
        return out

    @classmethod
    def from_columns(cls, row: Any) -> "Placement":
        """From anything with the stored column names as attributes (an Acquisition, a PlanItem)."""
        return cls(**{k: getattr(row, c) for k, c in COLUMN_OF.items()})
