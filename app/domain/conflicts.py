"""Conflicts between acquisitions and the options to resolve them (spec section 11)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .enums import ConflictType, ResolutionAction, Severity


@dataclass(frozen=True, slots=True)
class ResolutionOption:
    """One checked-feasible way to remove a conflict.

    ``params`` carries what the action needs: ``shift_seconds`` for moves, ``opportunity_id``
    and ``new_pitch_deg`` for use_pitch, ``satellite_id`` for switch_satellite.
    """

    action: ResolutionAction
    acquisition_id: str
    description: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    type: ConflictType
    severity: Severity
    description: str
    acquisition_ids: tuple[str, ...]
    resolution_options: tuple[ResolutionOption, ...] = ()
    workspace_id: str | None = None
    satellite_id: str | None = None
    detected_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution_action: str | None = None
    resolution_notes: str | None = None
