"""Imaging opportunities, sunlight and contacts for a workspace's orders (spec section 4).

The access engine computes geometry per (satellite, target); this service decides which targets
and durations the open orders need, filters the opportunities by each order's constraints and
keeps recent results in memory, so that re-planning the same horizon does not recompute orbits.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.access import cap_per_order, compute_contacts, compute_opportunities, filter_for_order, sunlit_intervals
from app.domain.progress import FractionProgress
from app.domain import GroundStation, Opportunity, Order, Satellite, Target, WorkspaceSettings
from app.access.horizon import check_horizon
from app.domain.times import from_epoch, to_epoch

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
        _sun_days.clear()


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


#: Sunlight is computed and kept per satellite and UTC day (seconds): every caller's horizon
#: (planning, a commit's re-check, the lanes, conflict detection, Swap's choices) reuses the days
#: another one computed, whatever its own start and end.
_SUN_DAY_S = 86400.0
#: Satellite-days kept (a few intervals each: 15 satellites × a month is 450).
_SUN_DAYS_KEPT = 4096
_sun_days: OrderedDict[tuple, list[tuple[float, float]]] = OrderedDict()


def sunlight(satellites: Sequence[Satellite], start: datetime, end: datetime) -> dict[str, list[tuple[float, float]]]:
    """Sunlit intervals (epoch seconds, within [start, end], in time order) of the satellites that
    have a power model. Each UTC day of a satellite is computed once per process, on its own
    (``sunlit_intervals`` over that day: the same figures whichever horizon asked first), and the
    days are joined: an interval lit across midnight is one interval."""
    powered = sorted((s for s in satellites if s.power is not None), key=lambda s: s.id)
    if not powered:
        return {}
    t0, t1 = check_horizon(start, end)
    days = range(math.floor(t0 / _SUN_DAY_S), math.ceil(t1 / _SUN_DAY_S))
    orbit = {s.id: (s.id, s.tle_line1, s.tle_line2) for s in powered}  # sunlight depends on the orbit only
    with _cache_lock:
        known = {(orbit[s.id], d): _sun_days[(orbit[s.id], d)] for s in powered for d in days
                 if (orbit[s.id], d) in _sun_days}
    for d in days:
        wanted = [s for s in powered if (orbit[s.id], d) not in known]
        if not wanted:
            continue
        found = sunlit_intervals(wanted, from_epoch(d * _SUN_DAY_S), from_epoch((d + 1) * _SUN_DAY_S))
        for s in wanted:
            known[(orbit[s.id], d)] = found[s.id]
    with _cache_lock:
        for key, value in known.items():
            _sun_days[key] = value
            _sun_days.move_to_end(key)
        while len(_sun_days) > _SUN_DAYS_KEPT:
            _sun_days.popitem(last=False)
    out: dict[str, list[tuple[float, float]]] = {}
    for s in powered:
        joined: list[tuple[float, float]] = []
        for d in days:
            for a, b in known[(orbit[s.id], d)]:
                if joined and a <= joined[-1][1]:  # lit across midnight
                    joined[-1] = (joined[-1][0], max(joined[-1][1], b))
                else:
                    joined.append((a, b))
        out[s.id] = [(max(a, t0), min(b, t1)) for a, b in joined if b > t0 and a < t1]
    return out


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
