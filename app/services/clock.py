"""The workspace clock (spec §10 "Time passing", §14 ``clock``): set it, step it, or follow live UTC.

Every move applies time passing in one audited transaction whose actor is the clock: acquisitions
entering the frozen zone [now, now + freeze_window_hours) are hard-locked, those in
[now + freeze, now + soft_lock_window_hours) soft-locked, started ones become ``executing``, candidate
plan items now in the past are dropped (and listed). Nothing is moved or deleted; there is no undo.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from app.domain import ValidationError, parse_utc, to_iso, utc_now
from app.domain.clock import parse_duration
from app.domain.operations import TimePassing
from app.domain.wording import day_time
from app.persistence import ScheduleDB

from .workspaces import resolve_workspace


def current_clock(db: ScheduleDB, workspace: str, real_now: datetime | None = None) -> tuple[datetime, bool]:
    """(now, live) of the workspace: its scenario clock, or the real UTC time when it runs live."""
    ws = resolve_workspace(db, workspace)
    clock = ws.settings.scenario_clock
    return (clock, False) if clock is not None else (real_now or utc_now(), True)


def set_clock(db: ScheduleDB, workspace: str, when: datetime | str) -> TimePassing:
    """Set the scenario clock to ``when`` (aware UTC or ISO 8601 with a zone) and apply time passing.
    A clock more than ``limits.MAX_CLOCK_OUTSIDE_HORIZON_DAYS`` outside the horizon is refused."""
    ws = resolve_workspace(db, workspace)
    return db.move_clock(ws.id, parse_utc(when, "set"), field="set")


def step_clock(db: ScheduleDB, workspace: str, step: str | Any, real_now: datetime | None = None) -> TimePassing:
    """Move the clock by a signed duration (``6h``, ``90m``, ``1d12h``, ``-3h`` or a timedelta).
    A live clock is stopped at the real time plus the step (it becomes a scenario clock)."""
    ws = resolve_workspace(db, workspace)
    delta = parse_duration(step, "step") if isinstance(step, str) else step
    now, _live = current_clock(db, ws.id, real_now)
    return db.move_clock(ws.id, parse_utc(now + delta, "step"), real_now=real_now, field="step")


def go_live(db: ScheduleDB, workspace: str, real_now: datetime | None = None) -> TimePassing:
    """Let the clock follow real UTC time from now on, and apply time passing at the real time."""
    ws = resolve_workspace(db, workspace)
    return db.move_clock(ws.id, None, real_now=real_now)


def apply_time_passing(db: ScheduleDB, workspace: str, real_now: datetime | None = None) -> TimePassing:
    """Apply time passing at the workspace's clock without moving it (what opening a workspace does)."""
    from app.persistence.clock_store import KEEP
    ws = resolve_workspace(db, workspace)
    return db.move_clock(ws.id, KEEP, real_now=real_now)


def clock_arguments(set_to: str | None, step: str | None, live: bool) -> str:
    """Which of --set / --step / --live was given (exactly one); ValidationError otherwise."""
    given = [name for name, v in (("set", set_to), ("step", step), ("live", live or None)) if v is not None]
    if len(given) != 1:
        raise ValidationError("clock", "give exactly one of --set TIME, --step DURATION or --live")
    return given[0]


def time_passing_json(r: TimePassing) -> dict[str, Any]:
    """The CLI's JSON of a clock move."""
    return {"workspace_id": r.workspace_id, "clock": to_iso(r.clock_to), "live": r.live,
            "previous": to_iso(r.clock_from) if r.clock_from else None,
            "executing": list(r.executing), "hard_locked": list(r.hard_locked), "soft_locked": list(r.soft_locked),
            "dropped_plan_items": [{"item_id": d.item_id, "plan_id": d.plan_id, "order_id": d.order_id,
                                    "target_id": d.target_id, "satellite_id": d.satellite_id,
                                    "start_time": to_iso(d.start)} for d in r.dropped],
            "orders_returned_to_inbox": list(r.orders_returned)}


def time_passing_text(r: TimePassing) -> str:
    """One sentence a planner reads in the status bar."""
    parts = []
    for n, word in ((len(r.executing), "started executing"), (len(r.hard_locked), "entered the frozen zone"),
                    (len(r.soft_locked), "soft-locked"), (len(r.dropped), "candidate items dropped (past)")):
        if n:
            parts.append(f"{n} {word}")
    clock = f"Clock {day_time(r.clock_to)}{' (live)' if r.live else ''}"  # "Mon 10 Aug 00:00Z", as everywhere
    return f"{clock}: {', '.join(parts)}." if parts else f"{clock}: nothing changed."
