"""Where and how an image is taken: the one placement value object (issue #10 item 1).

Opportunities, plan items and acquisitions each carry one (``.placement``, built the same way by
``Placement.of``); code that only needs the placement takes a ``Placement``. One naming in Python:
``start``/``end``, ``roll_deg``/``pitch_deg`` (at start), ``roll_end_deg``/``pitch_end_deg`` (at end),
``incidence_deg`` … on every object, dict and dataclass that carries a placement field.

The database columns keep their stored names (``start_time``, ``end_time``, ``roll_angle_deg``,
``pitch_angle_deg``, ``incidence_angle_deg``): they are the schema, mapped once onto the Python
names by the ORM models (``persistence.models``); raw SQL, indexes, migrations and the legacy
importer use the columns. External formats keep what the spec or the seed names (export rows,
``explain --format json``, execution reports, the seed's direct-commit items), translated at their
own boundary. JSON stored by earlier code (audit snapshots) may hold the old names:
``current_names`` reads it.

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

#: The names placement fields had before one naming (and still have as database columns and in the
#: seed's direct-commit items) → their name now.
OLD_NAMES = {"start_time": "start", "end_time": "end", "roll_angle_deg": "roll_deg", "pitch_angle_deg": "pitch_deg",
             "incidence_angle_deg": "incidence_deg"}

#: The placement fields acquisitions and plan items store (not off-nadir, not the lines of sight).
STORED_FIELDS = ("satellite_id", "start", "end", "roll_deg", "pitch_deg", "roll_end_deg", "pitch_end_deg",
                 "incidence_deg", "look_side", "pass_direction")


def current_names(data: Any) -> Any:
    """``data`` (JSON read back: a dict, or lists of dicts, at any depth) with every old placement
    key renamed to its current name; a dict holding both names keeps the current one's value."""
    if isinstance(data, dict):
        out = {OLD_NAMES.get(k, k): current_names(v) for k, v in data.items() if OLD_NAMES.get(k, k) == k}
        for old, new in OLD_NAMES.items():
            if old in data and new not in data:
                out[new] = current_names(data[old])
        return out
    if isinstance(data, list):
        return [current_names(v) for v in data]
    return data


def settle(obj: Any, where: str) -> None:
    """The rule of every frozen record holding a placement (Placement, Opportunity, Acquisition),
    applied on creation: its end is not before its start (else ValidationError on ``<where>.end``),
    and an unknown end attitude is the start attitude."""
    if obj.end < obj.start:
        raise ValidationError(f"{where}.end", "must not be before start")
    if obj.roll_end_deg is None:
        object.__setattr__(obj, "roll_end_deg", obj.roll_deg)
    if obj.pitch_end_deg is None:
        object.__setattr__(obj, "pitch_end_deg", obj.pitch_deg)


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
        settle(self, "placement")

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()

    def stored_fields(self) -> dict[str, Any]:
        """The fields an Acquisition or a PlanItem stores, as keyword arguments (same names; look
        side and pass direction as their text values)."""
        out = {k: getattr(self, k) for k in STORED_FIELDS}
        for k in ("look_side", "pass_direction"):
            out[k] = str(out[k]) if out[k] else None
        return out

    @classmethod
    def of(cls, obj: Any) -> "Placement":
        """The placement of anything that carries its fields under these names (an Opportunity, a
        PlanItem, an Acquisition); a field it does not carry (off-nadir, lines of sight) is None."""
        return cls(**{k: getattr(obj, k, None) for k in _FIELDS})


_FIELDS = tuple(Placement.__dataclass_fields__)
