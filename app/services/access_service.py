"""Imaging opportunities, sunlight and contacts for a workspace's orders (spec section 4).

The access engine computes geometry per (satellite, target); this service decides which targets
and durations the open orders need, filters the opportunities by each order's constraints and
keeps recent results in memory, so that re-planning the same horizon does not recompute orbits.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.access import cap_per_order, compute_contacts, compute_opportunities, filter_for_order, sunlit_intervals
from app.domain.progress import FractionProgress
from app.domain import GroundStation, Opportunity, Order, Satellite, Target, WorkspaceSettings
from app.domain.times import to_epoch

Progress = FractionProgress

_CACHE_SIZE = 8
_cache: OrderedDict[tuple, Any] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(key: tuple, compute: Callable[[], Any]) -> Any:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    value = compute()
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def clear_cache() -> None:
    """Forget every cached result (after a TLE import the keys change anyway; benchmarks use it
    to measure cold runs)."""
    with _cache_lock:
        _cache.clear()


@dataclass(frozen=True)
class OrderOpportunities:
    """Opportunities per order (ids made unique per order: ``<opportunity id>@<order id>``) and,
    for orders left with none, why."""

    by_order: dict[str, list[Opportunity]]
    reasons: dict[str, str]

    @property
    def all(self) -> list[Opportunity]:
        return [o for opps in self.by_order.values() for o in opps]


def _constraint_text(order: Order) -> str:
    c = order.constraints
    parts = [f"{name}={value}" for name, value in (
        ("sensor", c.sensor_type), ("mode", c.mode), ("max incidence", c.max_incidence_deg),
        ("look side", c.look_side if str(c.look_side) != "ANY" else None),
        ("pass", c.pass_direction if str(c.pass_direction) != "ANY" else None),
        ("satellite", c.preferred_satellite)) if value is not None]
    if order.requested_window_start or order.requested_window_end:
        parts.append("requested window")
    return ", ".join(parts) or "horizon"


def order_opportunities(satellites: Sequence[Satellite], targets: Sequence[Target], orders: Sequence[Order],
                        start: datetime, end: datetime, settings: WorkspaceSettings, *,
                        progress: Progress | None = None, cancel: Callable[[], bool] | None = None
                        ) -> OrderOpportunities:
    """Opportunities in [start, end] for each order: computed once per (target, duration) for all
    satellites, then filtered by the order's constraints (spec section 4) and thinned to the workspace's
    ``candidates_per_order`` cap. Durations are the order's ``duration_s`` or, when unset, each
    satellite's ``imaging_time_s`` (seconds)."""
    target_by_id = {t.id: t for t in targets}
    sats_by_id = {s.id: s for s in satellites}
    groups: dict[float | None, list[Order]] = defaultdict(list)
    for o in orders:
        groups[o.constraints.duration_s].append(o)
    by_order: dict[str, list[Opportunity]] = {}
    reasons: dict[str, str] = {}
    n_groups = len(groups)
    for k, (duration, group) in enumerate(sorted(groups.items(), key=lambda kv: (kv[0] is not None, kv[0] or 0))):
        group_targets = sorted({target_by_id[o.target_id] for o in group if o.target_id in target_by_id},
                               key=lambda t: t.id)

        def sub_progress(fraction: float, message: str, k=k) -> None:
            if progress is not None:
                progress((k + fraction) / n_groups, message)

        opps = _opportunities(satellites, group_targets, start, end, settings, duration, sub_progress, cancel)
        by_target: dict[str, list[Opportunity]] = defaultdict(list)
        for opp in opps:
            by_target[opp.target_id].append(opp)
        for order in group:
            raw = by_target.get(order.target_id, [])
            kept = cap_per_order(filter_for_order(raw, order, sats_by_id), settings.candidates_per_order,
                                 settings.variant_step_s)
            by_order[order.id] = [replace(o, id=f"{o.id}@{order.id}") for o in kept]
            if not raw:
                reasons[order.id] = "no opportunity: no satellite sees the target in the horizon"
            elif not kept:
                reasons[order.id] = f"filtered by constraint: no opportunity meets {_constraint_text(order)}"
    return OrderOpportunities(by_order, reasons)


def target_opportunities(satellites: Sequence[Satellite], target: Target, start: datetime, end: datetime,
                         settings: WorkspaceSettings, duration_s: float | None = None) -> list[Opportunity]:
    """Every opportunity (all variants, no order constraint) of one target in [start, end] for
    images of ``duration_s`` seconds (None: each satellite's ``imaging_time_s``); cached like
    planning's, so explaining an order after planning it recomputes nothing."""
    return _opportunities(satellites, [target], start, end, settings, duration_s, None, None)


def _opportunities(satellites, targets, start, end, settings, duration, progress, cancel) -> list[Opportunity]:
    if not targets:
        return []
    key = ("opps", tuple(sorted(satellites, key=lambda s: s.id)), tuple(targets), start, end, duration,
           settings.look_window_s, settings.variant_step_s, settings.time_grid_s, settings.horizon_start)
    return _cached(key, lambda: compute_opportunities(
        satellites, targets, start, end, variants="all", duration_s=duration,
        look_window_s=settings.look_window_s, variant_step_s=settings.variant_step_s,
        time_grid_s=settings.time_grid_s or None, grid_origin=settings.horizon_start or start,
        progress=progress, cancel=cancel))


def sunlight(satellites: Sequence[Satellite], start: datetime, end: datetime) -> dict[str, list[tuple[float, float]]]:
    """Sunlit intervals (epoch seconds) of the satellites that have a power model."""
    powered = tuple(sorted((s for s in satellites if s.power is not None), key=lambda s: s.id))
    if not powered:
        return {}
    return _cached(("sun", powered, start, end), lambda: sunlit_intervals(powered, start, end))


def contact_windows(satellites: Sequence[Satellite], stations: Sequence[GroundStation], start: datetime,
                    end: datetime) -> list:
    """Ground-station contact windows (satellite, station, rise, culmination, set), cached."""
    if not stations or not satellites:
        return []
    key = ("contacts", tuple(sorted(satellites, key=lambda s: s.id)), tuple(stations), start, end)
    return _cached(key, lambda: compute_contacts(satellites, stations, start, end))


def contacts(satellites: Sequence[Satellite], stations: Sequence[GroundStation], start: datetime, end: datetime,
             ) -> dict[str, list[tuple[float, float]]]:
    """Ground-station contact intervals (epoch seconds, rise to set) per satellite."""
    windows = contact_windows(satellites, stations, start, end)
    out: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for w in windows:
        out[w.satellite_id].append((to_epoch(w.rise), to_epoch(w.set)))
    return {sid: sorted(v) for sid, v in out.items()}
