"""The vocabulary of spec.md as string enums (values are what is stored and exported)."""
from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    NEW = "new"
    PLANNED = "planned"
    COMMITTED = "committed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class OrderSource(StrEnum):
    MANUAL = "manual"
    API = "api"
    BATCH = "batch"


class Mode(StrEnum):
    OPTICAL = "OPTICAL"
    SAR = "SAR"


class LookSide(StrEnum):
    LEFT = "LEFT"
    RIGHT = "RIGHT"
    ANY = "ANY"


class PassDirection(StrEnum):
    ASCENDING = "ASCENDING"
    DESCENDING = "DESCENDING"
    ANY = "ANY"


class AcquisitionState(StrEnum):
    TENTATIVE = "tentative"
    LOCKED = "locked"
    COMMITTED = "committed"
    EXECUTING = "executing"
    COMPLETED = "completed"
    FAILED = "failed"


#: States in which an acquisition is history or in flight: nothing may change it.
IMMUTABLE_STATES = frozenset(
    {AcquisitionState.EXECUTING, AcquisitionState.COMPLETED, AcquisitionState.FAILED}
)


class LockLevel(StrEnum):
    NONE = "none"
    SOFT = "soft"
    HARD = "hard"


class AcquisitionSource(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"
    RESHUFFLE = "reshuffle"


class PlanStatus(StrEnum):
    CANDIDATE = "candidate"
    COMMITTED = "committed"
    SUPERSEDED = "superseded"
    REJECTED = "rejected"


class ConflictType(StrEnum):
    TEMPORAL_OVERLAP = "temporal_overlap"
    SLEW_INFEASIBLE = "slew_infeasible"
    RESOURCE_CONTENTION = "resource_contention"
    DOWNLINK_WINDOW = "downlink_window"
    GROUND_CONFLICT = "ground_conflict"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class ResolutionAction(StrEnum):
    MOVE_LATER = "move_later"
    MOVE_EARLIER = "move_earlier"
    USE_PITCH = "use_pitch"
    SWITCH_SATELLITE = "switch_satellite"
    DELETE = "delete"


class PlanningMode(StrEnum):
    FROM_SCRATCH = "from_scratch"
    INCREMENTAL = "incremental"
    RESHUFFLE = "reshuffle"


class Algorithm(StrEnum):
    FIRST_FIT = "first_fit"
    BEST_FIT = "best_fit"
    ROLL_PITCH_FIRST_FIT = "roll_pitch_first_fit"
    ROLL_PITCH_BEST_FIT = "roll_pitch_best_fit"
    OPTIMAL = "optimal"


#: Algorithms that may use pitched (early/late) variants.
PITCH_ALGORITHMS = frozenset(
    {Algorithm.ROLL_PITCH_FIRST_FIT, Algorithm.ROLL_PITCH_BEST_FIT, Algorithm.OPTIMAL}
)


class ReshufflePolicy(StrEnum):
    HARD_LOCK_COMMITTED = "hard_lock_committed"
    SOFT_LOCK_WINDOWED = "soft_lock_windowed"
    REPLACE_IF_BETTER = "replace_if_better"
    TIME_BASED_FREEZE = "time_based_freeze"


class SlewModel(StrEnum):
    PER_AXIS = "per_axis"
    EIGEN_AXIS = "eigen_axis"


class ValueSource(StrEnum):
    UNIFORM = "uniform"
    TARGET_PRIORITY = "target_priority"
    CUSTOM = "custom"


class QualityModel(StrEnum):
    OFF = "off"
    MONOTONIC = "monotonic"
    BAND = "band"


class ScoreFunction(StrEnum):
    GEOMETRY = "geometry"
    PRIORITY = "priority"
    COMPOSITE = "composite"


class ChangeType(StrEnum):
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"
    UNCHANGED = "unchanged"
    SATELLITE_SWITCHED = "satellite_switched"


def parse_enum(enum_cls: type[StrEnum], value: object, field: str) -> StrEnum:
    """Return ``enum_cls(value)`` or raise a ValidationError naming the field and the choices."""
    if isinstance(value, enum_cls):
        return value
    member = enum_cls._value2member_map_.get(value) if isinstance(value, str) else None
    if member is not None:  # the common case, without Enum.__call__'s overhead
        return member
    try:
        return enum_cls(value)
    except (ValueError, TypeError):
        from .errors import ValidationError
        choices = "|".join(m.value for m in enum_cls)
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        raise ValidationError(field, f"must be one of {choices}, got {shown}") from None
