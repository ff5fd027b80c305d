"""Spec §10: which edits of an acquisition are allowed, and why not when they are refused.

Pure functions over domain objects, written once: the database enforces them on every write, the
planner's commit and the conflict resolutions ask them, and the GUI previews with them
(``permissions``) so it says exactly what a write would refuse. Summary:

* executing / completed / failed: nothing changes (an executing acquisition may only finish,
  i.e. become completed or failed, and may be unlocked with an explicit override);
* hard lock: no move, no delete (unlock first) — an explicit override allows it (audited);
* soft lock: may move only within its order's requested window, on the same satellite; no delete;
* frozen zone (start < now + workspace ``freeze_window_hours``): no move, no delete, no unlock
  without an explicit override; nothing may be moved into it either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .enums import AcquisitionState, LockLevel
from .errors import RuleViolation
from .orders import inside_window
from .schedule import Acquisition
from .wording import moment, plain_reason

_LOCK_RANK = {LockLevel.NONE: 0, LockLevel.SOFT: 1, LockLevel.HARD: 2}

#: Allowed state changes of an acquisition (the row's lifecycle; seed 001 Q2).
STATE_TRANSITIONS: dict[AcquisitionState, frozenset[AcquisitionState]] = {
    AcquisitionState.TENTATIVE: frozenset({AcquisitionState.LOCKED, AcquisitionState.COMMITTED,
                                           AcquisitionState.EXECUTING}),
    AcquisitionState.LOCKED: frozenset({AcquisitionState.TENTATIVE, AcquisitionState.COMMITTED,
                                        AcquisitionState.EXECUTING}),
    AcquisitionState.COMMITTED: frozenset({AcquisitionState.EXECUTING, AcquisitionState.COMPLETED,
                                           AcquisitionState.FAILED}),
    AcquisitionState.EXECUTING: frozenset({AcquisitionState.COMPLETED, AcquisitionState.FAILED}),
    AcquisitionState.COMPLETED: frozenset(),
    AcquisitionState.FAILED: frozenset(),
}

#: Fields whose change moves the acquisition (time, attitude, satellite, opportunity).
MOVE_FIELDS = frozenset({"start", "end", "roll_deg", "pitch_deg", "roll_end_deg",
                         "pitch_end_deg", "satellite_id", "opportunity_id", "incidence_deg",
                         "look_side", "pass_direction", "mode", "sar_mode", "swath_width_km",
                         "scene_length_km"})
#: Derived figures that planning recomputes when neighbours change; not a move.
METRIC_FIELDS = frozenset({"quality_score", "maneuver_time_s", "slack_time_s"})
#: How the acquisition came to be (auto, manual, reshuffle): a planner's move by hand makes it manual.
PROVENANCE_FIELDS = frozenset({"source"})
EDITABLE_FIELDS = MOVE_FIELDS | METRIC_FIELDS | PROVENANCE_FIELDS | {"state", "lock_level"}


@dataclass(frozen=True, slots=True)
class Refusal:
    rule: str
    reason: str
    overridable: bool


@dataclass(frozen=True, slots=True)
class EditContext:
    """``now`` and the frozen-zone cutoff of the acquisition's workspace; the order's window."""

    now: datetime
    freeze_cutoff: datetime
    window_start: datetime | None = None
    window_end: datetime | None = None


def _frozen(a: Acquisition, ctx: EditContext) -> bool:
    return a.start < ctx.freeze_cutoff


def _immutable(a: Acquisition) -> Refusal:
    return Refusal("state", f"{a.id} is {a.state.value}: executing, completed and failed "
                            "acquisitions never change", overridable=False)


def check_delete(a: Acquisition, ctx: EditContext) -> list[Refusal]:
    """Refusals for deleting ``a`` (empty: allowed)."""
    if a.state in (AcquisitionState.EXECUTING, AcquisitionState.COMPLETED, AcquisitionState.FAILED):
        return [_immutable(a)]
    out = []
    if a.lock_level == LockLevel.HARD:
        out.append(Refusal("lock_level", f"{a.id} is hard-locked and cannot be deleted: unlock it first",
                           overridable=True))
    elif a.lock_level == LockLevel.SOFT:
        out.append(Refusal("lock_level", f"{a.id} is soft-locked and cannot be deleted: unlock it first",
                           overridable=True))
    if _frozen(a, ctx):
        out.append(Refusal("frozen_zone", f"{a.id} starts at {moment(a.start)}, inside the frozen "
                                          f"zone (before {moment(ctx.freeze_cutoff)}): it cannot be "
                                          "deleted without an explicit override", overridable=True))
    return out


def check_move(a: Acquisition, ctx: EditContext, new_start: datetime | None = None,
               new_end: datetime | None = None, new_satellite: str | None = None) -> list[Refusal]:
    """Refusals for changing time/attitude/satellite of ``a``; ``new_*`` None = unknown yet (preview)."""
    if a.state in (AcquisitionState.EXECUTING, AcquisitionState.COMPLETED, AcquisitionState.FAILED):
        return [_immutable(a)]
    out = []
    if a.lock_level == LockLevel.HARD:
        out.append(Refusal("lock_level", f"{a.id} is hard-locked and cannot be moved: unlock it first",
                           overridable=True))
    elif a.lock_level == LockLevel.SOFT:
        if new_satellite is not None and new_satellite != a.satellite_id:
            out.append(Refusal("lock_level", f"{a.id} is soft-locked: it may only shift in time on "
                                             f"{a.satellite_id}, not switch to {new_satellite}; unlock "
                                             "it first", overridable=True))
        start = new_start or a.start
        end = new_end or a.end
        lo, hi = ctx.window_start, ctx.window_end
        if (new_start or new_end) and not inside_window(start, end, lo, hi):
            window = f"{moment(lo) if lo else 'ASAP'} – {moment(hi) if hi else 'no deadline'}"
            out.append(Refusal("lock_level", f"{a.id} is soft-locked: it may only move within its "
                                             f"order's requested window {window}; {moment(start)} – "
                                             f"{moment(end)} is outside", overridable=True))
    if _frozen(a, ctx):
        out.append(Refusal("frozen_zone", f"{a.id} starts at {moment(a.start)}, inside the frozen "
                                          f"zone (before {moment(ctx.freeze_cutoff)}): it cannot be "
                                          "moved without an explicit override", overridable=True))
    elif new_start is not None and new_start < ctx.freeze_cutoff:
        out.append(Refusal("frozen_zone", f"{a.id}: the new start {moment(new_start)} is inside the "
                                          f"frozen zone (before {moment(ctx.freeze_cutoff)})",
                           overridable=True))
    return out


def check_add(start: datetime, ctx: EditContext) -> list[Refusal]:
    """Refusals for adding an acquisition by hand that starts at ``start``: nothing is added
    in the past or inside the frozen zone (the same cutoff that refuses a move into it)."""
    if start < ctx.freeze_cutoff:
        return [Refusal("frozen_zone", f"{moment(start)} is inside the frozen zone (before "
                                       f"{moment(ctx.freeze_cutoff)}): nothing is added there", overridable=False)]
    return []


def check_metrics(a: Acquisition) -> list[Refusal]:
    """Refusals for updating derived figures (quality, maneuver, slack) of ``a``."""
    if a.state in (AcquisitionState.EXECUTING, AcquisitionState.COMPLETED, AcquisitionState.FAILED):
        return [_immutable(a)]
    return []


def check_lock(a: Acquisition, ctx: EditContext, new_level: LockLevel) -> list[Refusal]:
    """Raising a lock is always allowed on a living acquisition; lowering it (unlocking) inside
    the frozen zone or while executing needs an explicit override."""
    if new_level == a.lock_level:
        return []
    lowering = _LOCK_RANK[new_level] < _LOCK_RANK[a.lock_level]
    if a.state in (AcquisitionState.COMPLETED, AcquisitionState.FAILED):
        return [_immutable(a)]
    if a.state == AcquisitionState.EXECUTING:
        if lowering:
            return [Refusal("state", f"{a.id} is executing: unlocking it needs an explicit override",
                            overridable=True)]
        return [_immutable(a)]
    if lowering and _frozen(a, ctx):
        return [Refusal("frozen_zone", f"{a.id} is in the frozen zone (starts {moment(a.start)}, "
                                       f"before the freeze cutoff {moment(ctx.freeze_cutoff)}): "
                                       "unlocking it needs an explicit override", overridable=True)]
    return []


def check_state(a: Acquisition, new_state: AcquisitionState) -> list[Refusal]:
    """Refusals for moving ``a`` to ``new_state`` (never overridable)."""
    if new_state == a.state:
        return []
    if new_state not in STATE_TRANSITIONS[a.state]:
        allowed = ", ".join(sorted(s.value for s in STATE_TRANSITIONS[a.state])) or "none (final)"
        return [Refusal("state", f"{a.id} cannot go from {a.state.value} to {new_state.value}; "
                                 f"allowed: {allowed}", overridable=False)]
    return []


def state_for_lock(a: Acquisition, new_level: LockLevel) -> AcquisitionState:
    """Locking a tentative acquisition makes it ``locked``; unlocking a ``locked`` one makes it
    ``tentative`` again (seed 001 Q2); committed/executing keep their state."""
    if new_level != LockLevel.NONE and a.state == AcquisitionState.TENTATIVE:
        return AcquisitionState.LOCKED
    if new_level == LockLevel.NONE and a.state == AcquisitionState.LOCKED:
        return AcquisitionState.TENTATIVE
    return a.state


def planning_refusals(a: Acquisition, refusals: list[Refusal]) -> list[Refusal]:
    """What binds a committed plan: planning never overrides a hard lock, the frozen zone or a
    state, but a soft lock binds only the planner's policy (a from-scratch plan supersedes
    soft-locked acquisitions; a reshuffle shifts them within their window), which made the plan."""
    return [r for r in refusals if r.rule != "lock_level" or a.lock_level == LockLevel.HARD]


def decide(refusals: list[Refusal], override: bool) -> tuple[str | None, str | None]:
    """(refusal reason, overridden reason): refused unless every refusal is overridable and the
    caller overrides; the overridden reason is recorded in the audit trail."""
    if not refusals:
        return None, None
    hard = [r for r in refusals if not r.overridable]
    if hard:
        return "; ".join(r.reason for r in hard), None
    if override:
        return None, "; ".join(r.reason for r in refusals)
    return "; ".join(r.reason for r in refusals), None


class BulkEditRefused(RuleViolation):
    """An all-or-nothing edit of several acquisitions refused; ``refused`` maps id → reason."""

    def __init__(self, action: str, refused: dict[str, str]) -> None:
        self.refused = dict(refused)
        listing = "; ".join(f"{key}: {reason}" for key, reason in self.refused.items())
        n = len(self.refused)
        super().__init__(action, f"{n} acquisition{'s' if n != 1 else ''} refused, nothing changed — {listing}")


@dataclass(frozen=True, slots=True)
class EditPermissions:
    """Which edits a planner may try on one acquisition, each refused one with the database's own
    reason (without ids: ``wording.plain_reason``); the start shifts (s) a move must keep (soft
    lock: the order window; the frozen zone's end), None = unbounded."""

    can_move: bool
    move_reason: str
    can_delete: bool
    delete_reason: str
    can_change_lock: bool
    lock_reason: str
    min_shift_s: float | None = None
    max_shift_s: float | None = None
    same_satellite_only: bool = False


def permissions(a: Acquisition, ctx: EditContext) -> EditPermissions:
    """The GUI's preview of ``check_move`` / ``check_delete`` (no override) for ``a``: exactly what a
    write would refuse, in the same words."""
    def reason(refusals: list[Refusal]) -> str:
        text, _ = decide(refusals, override=False)
        return plain_reason(a.id, text) if text else ""

    move_reason = reason(check_move(a, ctx))
    delete_reason = reason(check_delete(a, ctx))
    lock_reason = reason([_immutable(a)]) if a.immutable else ""
    # a move stays inside the order window (outside it, the order is not served: ``inside_window``)
    lo = hi = None
    if ctx.window_start is not None:
        lo = (ctx.window_start - a.start).total_seconds()
    if ctx.window_end is not None:
        hi = (ctx.window_end - a.end).total_seconds()
    earliest = (ctx.freeze_cutoff - a.start).total_seconds()
    lo = earliest if lo is None else max(lo, earliest)
    return EditPermissions(not move_reason, move_reason, not delete_reason, delete_reason, not lock_reason,
                           lock_reason, lo, hi, same_satellite_only=a.lock_level == LockLevel.SOFT)
