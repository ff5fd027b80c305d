"""Figures of a whole schedule (committed acquisitions, or what a plan would leave), so that
Compare Plans sets like against like (spec section 12). Conflicts are counted from one list,
found by ``conflict_service.detect`` (the Conflicts tab's detection)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from app.domain import Acquisition, Conflict, Opportunity, Order, Severity, Target
from app.scheduling import ValueConfig, ValueModel


def schedule_metrics(acquisitions: Sequence[Acquisition], orders: Sequence[Order], targets: Sequence[Target],
                     value_config: ValueConfig, conflicts: Sequence[Conflict],
                     horizon: tuple[datetime, datetime] | None = None) -> dict[str, Any]:
    """accepted (acquisitions), orders served and coverage over ``orders``, total value and mean
    quality under ``value_config`` and the planning ``horizon`` (from which ASAP orders' earliness
    counts; acquisitions of orders outside ``orders`` count 0), total manoeuvre time (s),
    conflicts and error conflicts."""
    by_order = {o.id: o for o in orders}
    model = ValueModel(value_config, by_order, {t.id: t for t in targets}, horizon=horizon)
    values, qualities = [], []
    for a in acquisitions:
        if a.order_id not in by_order:
            continue
        v, q = model.evaluate(Opportunity(
            id=a.id, satellite_id=a.satellite_id, target_id=a.target_id, start=a.start, end=a.end,
            roll_deg=a.roll_deg, pitch_deg=a.pitch_deg, order_id=a.order_id,
            incidence_deg=a.incidence_deg, mode=a.mode))
        values.append(v)
        qualities.append(q)
    served = {a.order_id for a in acquisitions if a.order_id in by_order}
    return {
        "accepted": len(acquisitions),
        "orders_served": len(served),
        "coverage": len(served) / len(by_order) if by_order else 1.0,
        "total_value": float(sum(values)),
        "mean_quality": float(sum(qualities) / len(qualities)) if qualities else None,
        "total_maneuver_time_s": float(sum(a.maneuver_time_s or 0.0 for a in acquisitions)),
        "conflicts": len(conflicts),
        "error_conflicts": sum(1 for c in conflicts if c.severity == Severity.ERROR),
    }
