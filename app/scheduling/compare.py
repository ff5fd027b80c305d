"""Compare Plans (spec section 12, seed 001 5.4): current vs proposed metrics with deltas,
▲/▼ arrows, whether each change is better, and the change list."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
