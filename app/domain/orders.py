"""Orders: what a customer or analyst wants imaged, and their lifecycle (spec section 3)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from . import checks, limits
from .enums import LookSide, Mode, OrderSource, OrderStatus, PassDirection, parse_enum
from .errors import RuleViolation, ValidationError

#: Allowed status transitions: new → planned → committed → completed; cancelled from any
#: non-terminal state; back to new when a plan is rejected or its acquisitions are deleted.
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.NEW: frozenset({OrderStatus.PLANNED, OrderStatus.COMMITTED, OrderStatus.CANCELLED}),
    OrderStatus.PLANNED: frozenset({OrderStatus.COMMITTED, OrderStatus.NEW, OrderStatus.CANCELLED}),
    OrderStatus.COMMITTED: frozenset({OrderStatus.COMPLETED, OrderStatus.NEW, OrderStatus.CANCELLED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


def inside_window(start: datetime, end: datetime, window_start: datetime | None,
                  window_end: datetime | None) -> bool:
    """Whether [start, end] lies inside an order's requested window (None: open on that side).
    The one order-window check: access filtering, planning, resolutions and the edit rules."""
    return (window_start is None or start >= window_start) and (window_end is None or end <= window_end)


def check_transition(current: OrderStatus, new: OrderStatus) -> None:
    if new == current:
        return
    if new not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (terminal)"
        raise RuleViolation("status", f"cannot go from {current.value} to {new.value}; allowed: {allowed}")


#: Status changes a planner may make by hand (CLI ``orders update``, the Inspector). Everything
#: else follows from planning, committing and executing: a committed order changes through its
#: acquisitions (delete them and it returns to the Inbox), never by editing its status.
MANUAL_TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.NEW: frozenset({OrderStatus.CANCELLED}),
    OrderStatus.PLANNED: frozenset({OrderStatus.CANCELLED}),
}


def check_manual_transition(current: OrderStatus, new: OrderStatus) -> None:
    """Refuse a hand-made status change that is not on the lifecycle (RuleViolation naming both)."""
    if new == current:
        return
    if new not in MANUAL_TRANSITIONS.get(current, frozenset()):
        why = {OrderStatus.COMMITTED: "a committed order changes through its acquisitions (delete them to "
                                      "return it to the Inbox)",
               OrderStatus.COMPLETED: "a completed order is history",
               OrderStatus.CANCELLED: "a cancelled order is closed"}.get(
            current, "only planning and committing move an order along its lifecycle; by hand it can "
                     "only be cancelled")
        raise RuleViolation("status", f"cannot set {current.value} order to {new.value}: {why}")


_CONSTRAINT_KEYS = ("max_incidence_deg", "look_side", "pass_direction", "preferred_satellite", "mode",
                    "sensor_type", "sar_mode", "min_sun_elevation_deg", "duration_s", "value")


@dataclass(frozen=True, slots=True)
class OrderConstraints:
    """Constraints an opportunity must meet to serve the order. ``None`` = no constraint."""

    max_incidence_deg: float | None = None
    look_side: LookSide = LookSide.ANY
    pass_direction: PassDirection = PassDirection.ANY
    preferred_satellite: str | None = None
    mode: Mode | None = None
    sensor_type: str | None = None
    sar_mode: str | None = None
    min_sun_elevation_deg: float | None = None
    duration_s: float | None = None
    value: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "look_side",
                           parse_enum(LookSide, self.look_side or "ANY", "constraints.look_side"))
        object.__setattr__(self, "pass_direction",
                           parse_enum(PassDirection, self.pass_direction or "ANY", "constraints.pass_direction"))
        if self.mode is not None:
            object.__setattr__(self, "mode", parse_enum(Mode, self.mode, "constraints.mode"))
        for name in ("preferred_satellite", "sensor_type", "sar_mode"):
            if getattr(self, name) is not None:
                checks.name(getattr(self, name), f"constraints.{name}")
        if self.max_incidence_deg is not None:
            object.__setattr__(self, "max_incidence_deg",
                               checks.in_range(self.max_incidence_deg, 0.0, 90.0, "constraints.max_incidence_deg"))
        if self.min_sun_elevation_deg is not None:
            checks.in_range(self.min_sun_elevation_deg, -90.0, 90.0, "constraints.min_sun_elevation_deg")
        if self.duration_s is not None:
            checks.positive(self.duration_s, "constraints.duration_s", hi=limits.MAX_DURATION_S)
        if self.value is not None:
            checks.positive(self.value, "constraints.value", allow_zero=True, hi=limits.MAX_ORDER_VALUE)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> "OrderConstraints":
        data = dict(data or {})
        unknown = sorted(set(data) - set(_CONSTRAINT_KEYS))
        if unknown:
            raise ValidationError(f"constraints.{unknown[0]}",
                                  f"unknown constraint; known: {', '.join(_CONSTRAINT_KEYS)}")
        return cls(**data)

    def to_dict(self) -> dict[str, Any]:
        """Only the constraints that are set, with enum values as strings."""
        out: dict[str, Any] = {}
        for key, value in asdict(self).items():
            if value is None or (key in ("look_side", "pass_direction") and value == "ANY"):
                continue
            out[key] = str(value) if hasattr(value, "value") else value
        return out


@dataclass(frozen=True, slots=True)
class Order:
    """An imaging request. Priority 1 = highest … 5 = lowest (default 3)."""

    id: str
    workspace_id: str
    target_id: str
    priority: int = 3
    status: OrderStatus = OrderStatus.NEW
    constraints: OrderConstraints = field(default_factory=OrderConstraints)
    requested_window_start: datetime | None = None
    requested_window_end: datetime | None = None
    source: OrderSource = OrderSource.MANUAL
    notes: str | None = None
    external_ref: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = 1
    #: Failed execution attempts so far, and the reason the last one gave (spec §10).
    attempt_count: int = 0
    last_failure_reason: str | None = None
    #: Columns of an imported order file the workbench has no field for, kept as they came
    #: (column name → text), so a round trip through the workbench loses nothing.
    extra: dict[str, str] | None = None

    def __post_init__(self) -> None:
        checks.name(self.target_id, "target_id")
        object.__setattr__(self, "priority", checks.priority(self.priority))
        object.__setattr__(self, "status", parse_enum(OrderStatus, self.status, "status"))
        object.__setattr__(self, "source", parse_enum(OrderSource, self.source, "source"))
        s, e = self.requested_window_start, self.requested_window_end
        for fname, t in (("requested_window_start", s), ("requested_window_end", e)):
            if t is not None and (t.tzinfo is None or t.utcoffset() is None):
                raise ValidationError(fname, "naive time refused: give a zone (Z or +00:00)")
        if s is not None and e is not None and e <= s:
            raise ValidationError("requested_window_end", "must be after requested_window_start")
