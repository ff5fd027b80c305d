"""Opportunities, plans, plan items and acquisitions (spec section 3).

Angles are degrees in the spacecraft orbital frame "x forward, y right, z down":
positive roll = target to the right of the ground track (look side RIGHT);
positive pitch = looking forward, along the velocity.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .enums import (AcquisitionSource, AcquisitionState, ChangeType, LockLevel, Mode, PlanStatus,
                    IMMUTABLE_STATES)
from .placement import Placement, settle


@dataclass(frozen=True, slots=True)
class Opportunity:
    """One way to image one target from one satellite in one pass.

    ``roll_deg``/``pitch_deg`` are the attitude at ``start``; ``roll_end_deg``/``pitch_end_deg``
    at ``end`` (the spacecraft tracks the target in between).
    """

    id: str
    satellite_id: str
    target_id: str
    start: datetime
    end: datetime
    roll_deg: float
    pitch_deg: float = 0.0
    roll_end_deg: float | None = None
    pitch_end_deg: float | None = None
    variant: str = "max"
    order_id: str | None = None
    off_nadir_deg: float | None = None
    incidence_deg: float | None = None
    look_side: str | None = None
    pass_direction: str | None = None
    sun_elevation_deg: float | None = None
    pass_start: datetime | None = None
    pass_end: datetime | None = None
    tca: datetime | None = None
    mode: Mode = Mode.OPTICAL
    quality: float = 1.0
    value: float = 1.0
    #: Unit line of sight satellite→target in an inertial frame at start and end (for the
    #: eigen-axis slew model in workspace planning); None when no geometry is known.
    los_start: tuple[float, float, float] | None = None
    los_end: tuple[float, float, float] | None = None

    def __post_init__(self) -> None:
        settle(self, f"opportunities[{self.id}]")

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def placement(self) -> Placement:
        return Placement.of(self)


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    workspace_id: str
    algorithm: str
    config: dict[str, Any]
    input_hash: str
    run_id: str
    metrics: dict[str, Any]
    score: float | None = None
    status: PlanStatus = PlanStatus.CANDIDATE
    created_at: datetime | None = None
    #: The workspace's schedule version the plan was computed against (None: unknown).
    schedule_version: int | None = None


@dataclass(frozen=True, slots=True)
class PlanItem:
    """One row of a plan: where an image would be taken, and what committing it does to the
    schedule (``change_type``): ``added`` creates an acquisition; ``moved``, ``satellite_switched``
    and ``unchanged`` put ``replaces_acquisition_id`` on this placement in place (same id);
    ``removed`` deletes ``replaces_acquisition_id`` (the row then holds that acquisition's placement)."""

    id: str
    plan_id: str
    opportunity_id: str
    satellite_id: str
    target_id: str
    start: datetime
    end: datetime
    roll_deg: float
    pitch_deg: float = 0.0
    value: float | None = None
    quality_score: float | None = None
    maneuver_time_s: float | None = None
    slack_time_s: float | None = None
    order_id: str | None = None
    incidence_deg: float | None = None
    roll_end_deg: float | None = None
    pitch_end_deg: float | None = None
    look_side: str | None = None
    pass_direction: str | None = None
    change_type: ChangeType = ChangeType.ADDED
    replaces_acquisition_id: str | None = None

    @property
    def placement(self) -> Placement:
        return Placement.of(self)


@dataclass(frozen=True, slots=True)
class Acquisition:
    """A committed schedule slot: the authoritative record of what will be executed."""

    id: str
    workspace_id: str
    satellite_id: str
    target_id: str
    start: datetime
    end: datetime
    roll_deg: float
    pitch_deg: float = 0.0
    roll_end_deg: float | None = None
    pitch_end_deg: float | None = None
    mode: Mode = Mode.OPTICAL
    incidence_deg: float | None = None
    look_side: str | None = None
    pass_direction: str | None = None
    sar_mode: str | None = None
    swath_width_km: float | None = None
    scene_length_km: float | None = None
    state: AcquisitionState = AcquisitionState.TENTATIVE
    lock_level: LockLevel = LockLevel.NONE
    source: AcquisitionSource = AcquisitionSource.AUTO
    order_id: str | None = None
    plan_id: str | None = None
    opportunity_id: str | None = None
    quality_score: float | None = None
    maneuver_time_s: float | None = None
    slack_time_s: float | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1

    def __post_init__(self) -> None:
        settle(self, f"acquisitions[{self.id}]")

    @property
    def placement(self) -> Placement:
        return Placement.of(self)

    @property
    def immutable(self) -> bool:
        """Executing, completed or failed acquisitions never change."""
        return self.state in IMMUTABLE_STATES


@dataclass(frozen=True, slots=True)
class ContactWindow:
    """A ground-station contact: elevation ≥ the station's mask between rise and set."""

    satellite_id: str
    station_id: str
    rise: datetime
    culmination: datetime
    set: datetime
    max_elevation_deg: float


@dataclass(frozen=True, slots=True)
class HorizonZones:
    """Frozen zone [now, freeze_cutoff), planning zone to planning_end, forecast to horizon end."""

    now: datetime
    freeze_cutoff: datetime
    planning_end: datetime
    horizon_start: datetime
    horizon_end: datetime
    extra: dict[str, Any] = field(default_factory=dict)
