"""Resource lanes of the timeline (issue 15): what decides a satellite's schedule besides time.

Per satellite, over a time range: ground-station contacts (with the station), sunlit intervals
(eclipse is the rest), and, for a satellite with the models, the battery state of charge and the
onboard memory fill along the committed schedule and along a candidate plan, with the reserve and
the capacity, and the intervals where a limit is broken. The profiles come from the scheduler's
own ``PowerTrack`` / ``MemoryTrack`` (one rule), so a violation drawn here is the one planning and
conflict detection see.

Times are epoch seconds (UTC); charge in Wh, memory in Gbit. Results are cached per workspace
and schedule state (``cache_key``), so repainting or toggling the lanes recomputes nothing.
"""
from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from app.domain import Acquisition, AcquisitionState, PlanItem, Satellite
from app.domain.times import to_epoch
from app.persistence import ScheduleDB
from app.scheduling.memory import MemoryTrack
from app.scheduling.placements import epoch_span
from app.scheduling.power import PowerTrack

from . import access_service
from .workspaces import resolve_workspace

__all__ = ["Contact", "Profile", "SatelliteLanes", "compute_lanes", "workspace_lanes", "clear_cache"]


@dataclass(frozen=True)
class Contact:
    station_id: str
    start: float
    end: float


@dataclass(frozen=True)
class Profile:
    """A piecewise-linear resource line: ``times`` (epoch s) and ``values``; ``limit`` is the
    reserve (battery: must stay ≥) or the capacity (memory: must stay ≤); ``violations`` the
    intervals where the line breaks the limit."""

    times: np.ndarray
    values: np.ndarray
    limit: float
    full_scale: float
    violations: tuple[tuple[float, float], ...]

    def value_at(self, t: float) -> float:
        return float(np.interp(t, self.times, self.values))


@dataclass(frozen=True)
class SatelliteLanes:
    satellite_id: str
    contacts: tuple[Contact, ...]
    sunlit: tuple[tuple[float, float], ...]
    battery: Profile | None = None
    battery_candidate: Profile | None = None
    memory: Profile | None = None
    memory_candidate: Profile | None = None

    def contact_at(self, t: float) -> Contact | None:
        return next((c for c in self.contacts if c.start <= t <= c.end), None)


def _violations(times: np.ndarray, values: np.ndarray, limit: float, below: bool) -> tuple[tuple[float, float], ...]:
    """Intervals where the line is below (battery) or above (memory) ``limit``, edges
    interpolated on each linear piece."""
    bad = values < limit - 1e-9 if below else values > limit + 1e-9
    if not bad.any():
        return ()
    n = len(times)
    edges = np.flatnonzero(np.diff(np.r_[0, bad.astype(np.int8), 0]))
    out = []
    for i, j in zip(edges[::2], edges[1::2] - 1):  # runs of bad corners i..j
        t0, t1 = times[i], times[j]
        if i > 0 and values[i] != values[i - 1]:
            t0 = times[i - 1] + (limit - values[i - 1]) / (values[i] - values[i - 1]) * (times[i] - times[i - 1])
        if j + 1 < n and values[j + 1] != values[j]:
            t1 = times[j] + (limit - values[j]) / (values[j + 1] - values[j]) * (times[j + 1] - times[j])
        out.append((float(t0), float(t1)))
    return tuple(out)


def _as_profile(points, limit: float, full_scale: float, below: bool) -> Profile:
    arr = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    times, values = arr[:, 0], arr[:, 1]
    return Profile(times, values, float(limit), float(full_scale), _violations(times, values, limit, below))


def _items(rows: Iterable[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    return sorted(rows, key=lambda r: (r[1], r[2]))


def compute_lanes(satellites: Sequence[Satellite], schedule: Sequence[Acquisition],
                  candidate: Sequence[PlanItem] | None, start: datetime, end: datetime,
                  sunlit: Mapping[str, Sequence[tuple[float, float]]],
                  contacts: Sequence) -> dict[str, SatelliteLanes]:
    """Lanes of every satellite over [start, end]. ``schedule`` are the committed acquisitions
    (failed ones do not draw power); ``candidate`` the candidate plan's items (None: no plan),
    whose line is the schedule the plan would leave (its items plus the acquisitions it keeps:
    all of them when the plan replaces none, as incremental plans do). ``contacts`` are
    ``ContactWindow``s; ``sunlit`` intervals per satellite (epoch s)."""
    t0, t1 = to_epoch(start), to_epoch(end)
    by_sat: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for a in schedule:
        if a.state != AcquisitionState.FAILED:
            by_sat[a.satellite_id].append((float(a.maneuver_time_s or 0.0), *epoch_span(a)))
    cand: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    replaced = set()
    for p in candidate or ():
        cand[p.satellite_id].append((float(p.maneuver_time_s or 0.0), *epoch_span(p)))
        if getattr(p, "replaces_acquisition_id", None):
            replaced.add(p.replaces_acquisition_id)
    kept: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for a in schedule:
        if a.state != AcquisitionState.FAILED and a.id not in replaced:
            kept[a.satellite_id].append((float(a.maneuver_time_s or 0.0), *epoch_span(a)))
    con: dict[str, list[Contact]] = defaultdict(list)
    for w in contacts:
        a, b = to_epoch(w.rise), to_epoch(w.set)
        if b >= t0 and a <= t1:
            con[w.satellite_id].append(Contact(w.station_id, a, b))
    out: dict[str, SatelliteLanes] = {}
    for s in satellites:
        sun = tuple((float(a), float(b)) for a, b in sunlit.get(s.id, ()) if b >= t0 and a <= t1)
        mine = _items(by_sat.get(s.id, ()))
        theirs = _items(kept.get(s.id, []) + cand.get(s.id, [])) if candidate is not None else None
        battery = battery_c = memory = memory_c = None
        if s.power is not None:
            track = PowerTrack(s.power, sunlit.get(s.id, ()))
            cap = s.power.battery_capacity_wh
            battery = _as_profile(track.profile(mine, t0, t1), s.power.reserve_wh, cap, below=True)
            if theirs is not None:
                battery_c = _as_profile(track.profile(theirs, t0, t1), s.power.reserve_wh, cap, below=True)
        if s.memory_gbit and s.data_per_acquisition_gbit:
            windows = [(c.start, c.end) for c in con.get(s.id, ())]
            track = MemoryTrack(s.memory_gbit, s.data_per_acquisition_gbit, s.downlink_rate_mbps, windows)
            memory = _as_profile(track.profile([e for _, _, e in mine], t0, t1), s.memory_gbit, s.memory_gbit,
                                 below=False)
            if theirs is not None:
                memory_c = _as_profile(track.profile([e for _, _, e in theirs], t0, t1), s.memory_gbit,
                                       s.memory_gbit, below=False)
        out[s.id] = SatelliteLanes(s.id, tuple(sorted(con.get(s.id, ()), key=lambda c: c.start)), sun,
                                   battery, battery_c, memory, memory_c)
    return out


_CACHE_SIZE = 4
_cache: OrderedDict[tuple, dict[str, SatelliteLanes]] = OrderedDict()
_lock = threading.Lock()


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def workspace_lanes(db: ScheduleDB, workspace: str, plan_id: str | None = None) -> dict[str, SatelliteLanes]:
    """Lanes of a workspace's horizon for its committed schedule and, with ``plan_id``, the
    candidate plan. Cached per (workspace, horizon, every acquisition's version, plan)."""
    ws = resolve_workspace(db, workspace)
    start, end = ws.settings.horizon_start, ws.settings.horizon_end
    if start is None or end is None:
        return {}
    schedule = db.list_acquisitions(ws.id, start_time=start, end_time=end)
    key = (ws.id, start, end, plan_id, tuple(sorted((a.id, a.version) for a in schedule)))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    satellites = db.list_satellites(ws.id)
    candidate = db.get_plan_items(plan_id) if plan_id else None
    lanes = compute_lanes(satellites, schedule, candidate, start, end,
                          access_service.sunlight(satellites, start, end),
                          access_service.contact_windows(satellites, db.list_ground_stations(ws.id), start, end))
    with _lock:
        _cache[key] = lanes
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return lanes
