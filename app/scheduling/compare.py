"""Compare Plans (spec section 12, seed 001 5.4): current vs proposed metrics with deltas,
▲/▼ arrows, whether each change is better, and the change list."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from app.domain import Acquisition, ChangeType, PlanItem

from .planner import Change

#: Metric → True when higher is better.
HIGHER_IS_BETTER: dict[str, bool] = {
    "coverage": True,
    "mean_quality": True,
    "total_maneuver_time_s": False,
    "conflicts": False,
    "total_value": True,
    "accepted": True,
    "error_conflicts": False,
}


def compare_plans(current: Mapping[str, Any], proposed: Mapping[str, Any],
                  changes: Sequence[Any] = ()) -> dict[str, Any]:
    """Side-by-side metrics. Each row: current, proposed, delta (proposed − current), arrow
    ▲ (went up) / ▼ (went down) / = and ``better`` (True, False, or None when unchanged or unknown).
    ``changes`` (planner Change objects or dicts) are passed through with counts by type."""
    rows = []
    for name, higher in HIGHER_IS_BETTER.items():
        a, b = current.get(name), proposed.get(name)
        if a is None and b is None:
            continue
        delta = None if a is None or b is None else b - a
        if delta is None or abs(delta) < 1e-12:
            arrow, better = "=", None
        else:
            arrow = "▲" if delta > 0 else "▼"
            better = (delta > 0) == higher
        rows.append({"metric": name, "current": a, "proposed": b, "delta": delta, "arrow": arrow, "better": better})
    change_dicts = [c.to_dict() if hasattr(c, "to_dict") else dict(c) for c in changes]
    counts: dict[str, int] = {}
    for c in change_dicts:
        counts[c["type"]] = counts.get(c["type"], 0) + 1
    return {"metrics": rows, "changes": change_dicts, "change_counts": counts}


def plan_changes(items: Sequence[PlanItem], replaced: Mapping[str, Acquisition],
                 untouched: Sequence[Acquisition] = ()) -> list[dict[str, Any]]:
    """The change list of a stored plan, read from its items (``change_type``,
    ``replaces_acquisition_id``): the very changes its commit applies. ``replaced`` maps the
    acquisitions the items replace (their current placement is the "old" side; one gone meanwhile
    leaves it empty); ``untouched`` are the schedule's acquisitions the plan keeps as they are
    (listed as unchanged). Times ISO UTC; ``shift_seconds`` new − old start (s)."""
    changes: list[Change] = []
    for it in items:
        kind = ChangeType(it.change_type)
        if kind == ChangeType.REMOVED:  # the row holds the placement it removes
            changes.append(Change(kind, it.order_id, it.target_id, it.replaces_acquisition_id, it.opportunity_id,
                                  it.start, it.end, None, None, it.satellite_id, None))
            continue
        a = replaced.get(it.replaces_acquisition_id) if it.replaces_acquisition_id else None
        changes.append(Change(kind, it.order_id, it.target_id, it.replaces_acquisition_id, it.opportunity_id,
                              a.start if a else None, a.end if a else None, it.start, it.end,
                              a.satellite_id if a else None, it.satellite_id))
    for a in untouched:
        changes.append(Change(ChangeType.UNCHANGED, a.order_id, a.target_id, a.id, a.opportunity_id, a.start,
                              a.end, a.start, a.end, a.satellite_id, a.satellite_id))
    changes.sort(key=lambda c: (str(c.type), c.order_id or "", c.acquisition_id or "", c.opportunity_id or ""))
    return [c.to_dict() for c in changes]
