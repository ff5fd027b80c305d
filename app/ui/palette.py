"""Colours and display categories of schedule states, shared by the timeline and the lists.

A bar's category is what a planner must see first: a conflict (red) wins over what happened
(executing, completed, failed: history that never changes), which wins over a lock (grey), which
wins over the plan state (green committed, yellow tentative). Each has a pattern as well as a
colour where colour alone would not tell them apart in greyscale.
"""
from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6 import QtGui

from app.domain import Acquisition
from app.domain.enums import AcquisitionState, LockLevel, Severity


class BarCategory(IntEnum):
    COMMITTED = 0
    TENTATIVE = 1
    SOFT_LOCKED = 2
    FROZEN = 3  # hard-locked or in the frozen zone: will not change
    CONFLICT = 4
    EXECUTING = 5
    COMPLETED = 6
    FAILED = 7


#: (fill, outline) per category, as hex RGB.
BAR_COLOURS: dict[BarCategory, tuple[str, str]] = {
    BarCategory.COMMITTED: ("#3fae5f", "#23763c"),
    BarCategory.TENTATIVE: ("#f2c94c", "#a8821a"),
    BarCategory.SOFT_LOCKED: ("#aab4c0", "#6b7785"),
    BarCategory.FROZEN: ("#7d8794", "#4a525c"),
    BarCategory.CONFLICT: ("#e0413a", "#9e1c17"),
    BarCategory.EXECUTING: ("#1f9bb4", "#0d5f70"),
    BarCategory.COMPLETED: ("#2b5d3a", "#163620"),
    BarCategory.FAILED: ("#6d4c41", "#3e2723"),
}

CATEGORY_LABELS: dict[BarCategory, str] = {
    BarCategory.COMMITTED: "committed",
    BarCategory.TENTATIVE: "tentative",
    BarCategory.SOFT_LOCKED: "soft-locked",
    BarCategory.FROZEN: "hard-locked / frozen",
    BarCategory.CONFLICT: "in conflict",
    BarCategory.EXECUTING: "executing",
    BarCategory.COMPLETED: "completed",
    BarCategory.FAILED: "failed",
}

#: What happened to an acquisition, by state (conflicts aside, these come first).
_HISTORY = {AcquisitionState.EXECUTING: BarCategory.EXECUTING, AcquisitionState.COMPLETED: BarCategory.COMPLETED,
            AcquisitionState.FAILED: BarCategory.FAILED}

GHOST_FILL = "#3b82f6"
GHOST_OUTLINE = "#1d4ed8"
SELECTION_OUTLINE = "#0b2a6f"
HIGHLIGHT_OUTLINE = "#ff7a00"
PREVIEW_OUTLINE = "#c2410c"
#: A valid place for a dragged bar or order (snapped; green: it may go there).
VALID_OUTLINE = "#2e9d5b"
CONFLICT_OUTLINE = "#b00000"
NOW_LINE = "#d62828"

#: Zone shading (RGBA): frozen darker so "nothing changes here" reads at a glance.
ZONE_FILLS: dict[str, tuple[int, int, int, int]] = {
    "frozen": (120, 130, 145, 60),
    "planning": (70, 130, 220, 18),
    "forecast": (150, 110, 200, 22),
}

SEVERITY_COLOURS: dict[Severity, str] = {
    Severity.ERROR: "#d32f2f",
    Severity.WARNING: "#c77800",
    Severity.INFO: "#2f6fd3",
}

BETTER_COLOUR = "#1e8e3e"
WORSE_COLOUR = "#d32f2f"
NEUTRAL_COLOUR = "#5b6776"


def is_locked(acq: Acquisition) -> bool:
    return acq.lock_level != LockLevel.NONE or acq.state == AcquisitionState.LOCKED


def bar_category(acq: Acquisition, in_conflict: bool = False,
                 freeze_cutoff: datetime | None = None) -> BarCategory:
    """The display category of an acquisition (conflict > executing/completed/failed >
    frozen/hard > soft lock > state)."""
    if in_conflict:
        return BarCategory.CONFLICT
    if acq.state in _HISTORY:
        return _HISTORY[acq.state]
    if (acq.lock_level == LockLevel.HARD or acq.immutable
            or (freeze_cutoff is not None and acq.start < freeze_cutoff)):
        return BarCategory.FROZEN
    if is_locked(acq):
        return BarCategory.SOFT_LOCKED
    if acq.state == AcquisitionState.TENTATIVE:
        return BarCategory.TENTATIVE
    return BarCategory.COMMITTED


def state_icon_name(acq: Acquisition) -> str:
    """Icon of the Scheduled list: ✓ committed, ○ tentative, 🔒 locked (resources/icons)."""
    if acq.lock_level == LockLevel.HARD or acq.state == AcquisitionState.LOCKED:
        return "locked"
    if acq.lock_level == LockLevel.SOFT:
        return "soft_locked"
    if acq.immutable:
        return "immutable"
    if acq.state == AcquisitionState.TENTATIVE:
        return "tentative"
    return "committed"


def colour(hex_rgb: str, alpha: int = 255) -> QtGui.QColor:
    c = QtGui.QColor(hex_rgb)
    c.setAlpha(alpha)
    return c
