"""Operations (spec §10 "Time passing"): results of a clock step, execution reports, horizon closing."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from .errors import RuleViolation


class Outcome(StrEnum):
    """What an execution report says happened to an acquisition."""

    COMPLETED = "completed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DroppedItem:
    """A candidate plan item whose start passed before it was committed."""

    item_id: str
    plan_id: str
    order_id: str | None
    satellite_id: str
    target_id: str
    start: datetime


@dataclass(frozen=True, slots=True)
class TimePassing:
    """What one move of a workspace's clock changed (all in one audited transaction).

    ``clock_from``/``clock_to`` are the planning "now" before and after; ``live`` says the clock
    follows real UTC time. Lists hold acquisition ids, except ``dropped`` and ``orders_returned``.
    """

    workspace_id: str
    clock_from: datetime | None
    clock_to: datetime
    live: bool
    executing: tuple[str, ...] = ()
    hard_locked: tuple[str, ...] = ()
    soft_locked: tuple[str, ...] = ()
    dropped: tuple[DroppedItem, ...] = ()
    orders_returned: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.executing or self.hard_locked or self.soft_locked or self.dropped)


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One row of an execution report, parsed; ``row`` is its 1-based number in the file (data rows).

    Either ``acquisition_id`` or (``satellite_id``, ``target_id``, ``start_time``) names the acquisition.
    ``cloud_pct`` is the observed cloud cover in percent (0–100), optional.
    """

    row: int
    outcome: Outcome
    acquisition_id: str | None = None
    satellite_id: str | None = None
    target_id: str | None = None
    start_time: datetime | None = None
    reason: str | None = None
    cloud_pct: float | None = None

    def names(self) -> str:
        """How the row names its acquisition, in words."""
        if self.acquisition_id:
            return self.acquisition_id
        return f"{self.target_id} by {self.satellite_id} at {self.start_time}"


@dataclass(frozen=True, slots=True)
class ExecutionImport:
    """What an execution report changed: acquisitions completed/failed, orders completed or back
    in the Inbox, and (with skip-bad) the rows skipped with their reasons."""

    workspace_id: str
    completed: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    orders_completed: tuple[str, ...] = ()
    orders_returned: tuple[str, ...] = ()
    skipped: dict[int, str] = field(default_factory=dict)


class ReportRefused(RuleViolation):
    """An execution report with refused rows; nothing was written. ``refused`` maps row → reason."""

    def __init__(self, refused: dict[int, str], what: str = "execution report") -> None:
        self.refused = dict(sorted(refused.items()))
        n = len(self.refused)
        listing = "; ".join(f"row {r}: {why}" for r, why in self.refused.items())
        super().__init__(what, f"{n} row{'s' if n != 1 else ''} refused, nothing written — {listing}")


@dataclass(frozen=True, slots=True)
class HorizonReport:
    """The report of a closed horizon (``workspace advance``)."""

    workspace_id: str
    closed_start: datetime | None
    closed_end: datetime
    next_start: datetime
    next_end: datetime
    orders_served: int
    orders_failed: int
    failed_by_reason: dict[str, int]
    acquisitions_per_satellite: dict[str, dict[str, int]]
    value_delivered: float
    carried_over: dict[str, int]
    archived_acquisitions: int
    archived_orders: int
    extra: dict[str, Any] = field(default_factory=dict)
