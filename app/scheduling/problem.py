"""The scheduling problem: satellites' agility and resources, candidate items, fixed items and
initial attitudes, kept in numpy arrays (and Python lists for the scalar inner loops).

Times are float seconds since the Unix epoch (UTC); angles in degrees (spacecraft orbital frame,
positive roll = right of the ground track, positive pitch = forward). Candidate ``i`` is item
``i``; fixed item ``k`` is item ``n_candidates + k``.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from app.domain import PowerModel, Satellite, ValidationError

from .memory import MemoryTrack
from .power import PowerTrack
from .slew import Agility, feasible, max_slew_time, slew_time, tracking_is_subadditive

Vec3 = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class SatelliteSpec:
    """What the schedulers need to know about one satellite."""

    id: str
    agility: Agility = field(default_factory=Agility)
    max_roll_deg: float | None = None
    max_pitch_deg: float | None = None
    power: PowerModel | None = None
    memory_gbit: float | None = None
    data_per_acquisition_gbit: float | None = None
    downlink_rate_mbps: float | None = None

    @classmethod
    def of(cls, satellite: Satellite) -> "SatelliteSpec":
        return cls(satellite.id, Agility.of(satellite), satellite.max_roll_deg, satellite.max_pitch_deg,
                   satellite.power, satellite.memory_gbit, satellite.data_per_acquisition_gbit,
                   satellite.downlink_rate_mbps)

    @property
    def has_memory_model(self) -> bool:
        return bool(self.memory_gbit) and self.data_per_acquisition_gbit is not None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate item: one opportunity that may be scheduled. Times in epoch seconds."""

    id: str
    satellite_id: str
    order_id: str
    start: float
    end: float
    roll_deg: float
    pitch_deg: float = 0.0
    value: float = 1.0
    variant: str | None = None
    roll_end_deg: float | None = None
    pitch_end_deg: float | None = None
    los_start: Vec3 | None = None
    los_end: Vec3 | None = None


@dataclass(frozen=True, slots=True)
class FixedItem:
    """An item that must stay in the schedule (committed/locked acquisition). Epoch seconds."""

    id: str
    satellite_id: str
    start: float
    end: float
    roll_deg: float
    pitch_deg: float = 0.0
    roll_end_deg: float | None = None
    pitch_end_deg: float | None = None
    order_id: str | None = None
    los_start: Vec3 | None = None
    los_end: Vec3 | None = None


@dataclass(frozen=True, slots=True)
class InitialAttitude:
    """Where a satellite is at ``time`` (epoch s): the end of its last acquisition before the
    horizon, or nadir at the horizon start. The first item must be reachable from it."""

    time: float
    roll_deg: float = 0.0
    pitch_deg: float = 0.0
    los: Vec3 | None = None


def _finite(value: float, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValidationError(field, f"not a number: {value!r}") from None
    if not math.isfinite(v):
        raise ValidationError(field, f"not a finite number: {value!r}")
    return v


class Problem:
    """An immutable scheduling instance. Build it with :meth:`build`."""

    def __init__(self) -> None:  # use build()
        self.satellites: list[SatelliteSpec] = []

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(cls, satellites: Sequence[SatelliteSpec], candidates: Sequence[Candidate],
              fixed: Sequence[FixedItem] = (), *, initial: Mapping[str, InitialAttitude] | None = None,
              horizon_start: float | None = None, horizon_end: float | None = None,
              sunlit: Mapping[str, object] | None = None, contacts: Mapping[str, object] | None = None,
              required: Mapping[str, str] | None = None) -> "Problem":
        """Validate and pack an instance. Errors name the item: ``opportunities[3].end`` (candidates)
        or ``fixed[1].satellite_id``.

        ``required`` maps an order id to the id of its current candidate: such an order must stay
        served (by that candidate or another of its candidates), e.g. a soft-locked acquisition
        that may move but never be dropped.
        """
        self = cls()
        self.satellites = list(satellites)
        self.sat_index = {}
        for k, s in enumerate(self.satellites):
            if s.id in self.sat_index:
                raise ValidationError(f"satellites[{k}].id", f"duplicate satellite id {s.id!r}")
            self.sat_index[s.id] = k
        self.n_candidates = n = len(candidates)
        self.n_fixed = len(fixed)
        items: list = list(candidates) + list(fixed)
        N = len(items)
        self.ids = [it.id for it in items]
        seen: dict[str, int] = {}
        for i, it in enumerate(items):
            path = f"opportunities[{i}]" if i < n else f"fixed[{i - n}]"
            if not isinstance(it.id, str) or not it.id:
                raise ValidationError(f"{path}.id", "must be a non-empty string")
            if it.id in seen:
                raise ValidationError(f"{path}.id", f"duplicate id {it.id!r}")
            seen[it.id] = i
            if it.satellite_id not in self.sat_index:
                raise ValidationError(f"{path}.satellite_id", f"unknown satellite {it.satellite_id!r}")
        self.index = seen
        self.sat = np.array([self.sat_index[it.satellite_id] for it in items], dtype=np.int64)
        self.start = np.array([_finite(it.start, f"item {it.id}.start") for it in items], dtype=np.float64)
        self.end = np.array([_finite(it.end, f"item {it.id}.end") for it in items], dtype=np.float64)
        self.r0 = np.array([_finite(it.roll_deg, f"{it.id}.roll_deg") for it in items], dtype=np.float64)
        self.p0 = np.array([_finite(it.pitch_deg, f"{it.id}.pitch_deg") for it in items], dtype=np.float64)
        self.r1 = np.array([it.roll_deg if it.roll_end_deg is None else _finite(it.roll_end_deg, f"{it.id}.roll_end_deg")
                            for it in items], dtype=np.float64)
        self.p1 = np.array([it.pitch_deg if it.pitch_end_deg is None else _finite(it.pitch_end_deg, f"{it.id}.pitch_end_deg")
                            for it in items], dtype=np.float64)
        for i in range(N):
            path = f"opportunities[{i}]" if i < n else f"fixed[{i - n}]"
            if not self.end[i] > self.start[i]:
                raise ValidationError(f"{path}.end", f"must be after start (item {self.ids[i]!r})")
            spec = self.satellites[self.sat[i]]
            for name, arr, limit in (("roll", (self.r0, self.r1), spec.max_roll_deg),
                                     ("pitch", (self.p0, self.p1), spec.max_pitch_deg)):
                if limit is not None and i < n and max(abs(arr[0][i]), abs(arr[1][i])) > limit + 1e-9:
                    raise ValidationError(f"{path}.{name}_deg",
                                          f"|{name}| {max(abs(arr[0][i]), abs(arr[1][i])):g}° exceeds "
                                          f"max_{name}_deg {limit:g} of satellite {spec.id}")
        self.value = np.zeros(N, dtype=np.float64)
        self.is_max = np.zeros(n, dtype=bool)
        self.variants: list[str | None] = []
        for i, c in enumerate(candidates):
            v = _finite(c.value, f"opportunities[{i}].value")
            if v < 0:
                raise ValidationError(f"opportunities[{i}].value", f"must be ≥ 0, got {v:g}")
            self.value[i] = v
            self.variants.append(c.variant)
            # Roll-only algorithms use the TCA variant; without a variant, only unpitched items.
            self.is_max[i] = (c.variant == "max") if c.variant is not None else (c.pitch_deg == 0.0)
        self.abs_pitch = np.maximum(np.abs(self.p0[:n]), np.abs(self.p1[:n]))
        order_ids = [it.order_id for it in items]
        keys = sorted({o for o in order_ids if o is not None})
        self.order_ids = keys
        okey = {o: k for k, o in enumerate(keys)}
        self.order = np.array([okey[o] if o is not None else -1 for o in order_ids], dtype=np.int64)
        for i, c in enumerate(candidates):
            if c.order_id is None or c.order_id == "":
                raise ValidationError(f"opportunities[{i}].order_id", "missing")
        self.los0 = np.full((N, 3), np.nan)
        self.los1 = np.full((N, 3), np.nan)
        for i, it in enumerate(items):
            if it.los_start is not None:
                self.los0[i] = it.los_start
            if it.los_end is not None:
                self.los1[i] = it.los_end
            elif it.los_start is not None:
                self.los1[i] = it.los_start
        self.has_los = bool(np.isfinite(self.los0).all(axis=1).any())
        self.initial: dict[int, InitialAttitude] = {}
        for sid, att in (initial or {}).items():
            if sid not in self.sat_index:
                raise ValidationError(f"initial[{sid}]", f"unknown satellite {sid!r}")
            self.initial[self.sat_index[sid]] = att
        self.horizon_start = float(horizon_start) if horizon_start is not None else (
            float(self.start.min()) if N else 0.0)
        self.horizon_end = float(horizon_end) if horizon_end is not None else (
            float(self.end.max()) if N else self.horizon_start)
        self.sunlit = dict(sunlit or {})
        self.contacts = dict(contacts or {})
        for label, data in (("sunlit", self.sunlit), ("contacts", self.contacts)):
            for sid in data:
                if sid not in self.sat_index:
                    raise ValidationError(f"{label}[{sid}]", f"unknown satellite {sid!r}")
        self.required: dict[int, int] = {}
        for oid, cid in (required or {}).items():
            if oid not in okey:
                raise ValidationError(f"required[{oid}]", f"unknown order {oid!r}")
            ci = seen.get(cid)
            if ci is None or ci >= n or self.order[ci] != okey[oid]:
                raise ValidationError(f"required[{oid}]", f"{cid!r} is not a candidate of order {oid!r}")
            self.required[okey[oid]] = ci
        self._lists()
        return self

    @classmethod
    def of_tracks(cls, satellites: Sequence[SatelliteSpec], sat: np.ndarray, start: np.ndarray, end: np.ndarray,
                  roll0: np.ndarray, pitch0: np.ndarray, roll1: np.ndarray, pitch1: np.ndarray, *,
                  horizon_start: float, sunlit: Mapping[str, object] | None = None,
                  contacts: Mapping[str, object] | None = None) -> "Problem":
        """An instance of fixed items only, from columns (``sat``: index into ``satellites``; epoch
        seconds; degrees), for the lanes' resource tracks over a schedule read from the database
        (already validated there): no per-item checks, no candidates."""
        self = cls()
        self.satellites = list(satellites)
        self.sat_index = {s.id: k for k, s in enumerate(self.satellites)}
        n = len(start)
        self.n_candidates, self.n_fixed = 0, n
        self.ids = [f"f{k}" for k in range(n)]
        self.sat, self.start, self.end = np.asarray(sat, dtype=np.int64), start, end
        self.r0, self.p0, self.r1, self.p1 = roll0, pitch0, roll1, pitch1
        self.value = np.zeros(n)
        self.order = np.full(n, -1, dtype=np.int64)
        self.order_ids = []
        self.los0 = self.los1 = np.full((n, 3), np.nan)
        self.has_los = False
        self.initial = {}
        self.horizon_start = float(horizon_start)
        self.horizon_end = float(end.max()) if n else self.horizon_start
        self.sunlit, self.contacts = dict(sunlit or {}), dict(contacts or {})
        self.required = {}
        self._lists()
        return self

    def _lists(self) -> None:
        # Scalar loops read Python lists: indexing numpy arrays one element at a time is ~10× slower.
        self.L_start = self.start.tolist()
        self.L_end = self.end.tolist()
        self.L_r0, self.L_p0 = self.r0.tolist(), self.p0.tolist()
        self.L_r1, self.L_p1 = self.r1.tolist(), self.p1.tolist()
        self.L_sat = self.sat.tolist()
        self.L_order = self.order.tolist()
        self.L_value = self.value.tolist()
        if self.has_los:
            ok0 = np.isfinite(self.los0).all(axis=1)
            ok1 = np.isfinite(self.los1).all(axis=1)
            self.L_los0 = [tuple(v) if ok else None for v, ok in zip(self.los0.tolist(), ok0)]
            self.L_los1 = [tuple(v) if ok else None for v, ok in zip(self.los1.tolist(), ok1)]
        else:
            self.L_los0 = self.L_los1 = [None] * len(self.ids)

    # ------------------------------------------------------------------ queries
    @property
    def n_items(self) -> int:
        return self.n_candidates + self.n_fixed

    def agility(self, s: int) -> Agility:
        return self.satellites[s].agility

    def slew_between(self, a: int, b: int) -> float:
        """Slew time (s) from item a's end attitude to item b's start attitude (same satellite)."""
        return slew_time(self.satellites[self.L_sat[b]].agility, self.L_r1[a], self.L_p1[a],
                         self.L_r0[b], self.L_p0[b], self.L_los1[a], self.L_los0[b])

    def slew_from_initial(self, s: int, b: int) -> float:
        att = self.initial[s]
        return slew_time(self.satellites[s].agility, att.roll_deg, att.pitch_deg,
                         self.L_r0[b], self.L_p0[b], att.los, self.L_los0[b])

    def transition_ok(self, a: int, b: int) -> bool:
        return feasible(self.L_end[a], self.slew_between(a, b), self.L_start[b])

    def usable(self, pitch_variants: bool) -> np.ndarray:
        """Mask of candidates an algorithm may use: all variants, or only ``max`` ones."""
        return np.ones(self.n_candidates, dtype=bool) if pitch_variants else self.is_max.copy()

    def served_by_fixed(self) -> set[int]:
        """Order indices already served by a fixed item."""
        return {o for o in self.L_order[self.n_candidates:] if o >= 0}

    def max_slew(self, s: int) -> float:
        """Upper bound (s) of any slew between items of satellite ``s`` (and its initial attitude)."""
        idx = np.nonzero(self.sat == s)[0]
        rolls = np.concatenate([self.r0[idx], self.r1[idx]])
        pitches = np.concatenate([self.p0[idx], self.p1[idx]])
        if s in self.initial:
            rolls = np.append(rolls, self.initial[s].roll_deg)
            pitches = np.append(pitches, self.initial[s].pitch_deg)
        if len(rolls) == 0:
            return self.agility(s).settle_time_s
        roll_span = float(rolls.max() - rolls.min())
        pitch_span = float(pitches.max() - pitches.min())
        # Eigen axis: the angle between two frame directions is at most the sum of their
        # off-nadir angles; inertial lines of sight can be anything, so bound by 180°.
        off = np.degrees(np.arctan(np.hypot(np.tan(np.radians(rolls)), np.tan(np.radians(pitches)))))
        angle_span = 180.0 if self.has_los else min(180.0, 2.0 * float(off.max()))
        return max_slew_time(self.agility(s), roll_span, pitch_span, angle_span) + 1e-6

    def resource_tracks(self, s: int) -> tuple[PowerTrack | None, MemoryTrack | None]:
        """The satellite's power and memory models with their sunlit/contact inputs (None if unmodelled)."""
        spec = self.satellites[s]
        power = PowerTrack(spec.power, self.sunlit.get(spec.id), f"sunlit[{spec.id}]") if spec.power else None
        memory = None
        if spec.has_memory_model:
            memory = MemoryTrack(spec.memory_gbit, spec.data_per_acquisition_gbit, spec.downlink_rate_mbps,
                                 self.contacts.get(spec.id), f"contacts[{spec.id}]")
        return power, memory

    def non_subadditive_items(self) -> list[int]:
        """Items whose own tracking manoeuvre does not fit in duration + settle (see slew.py)."""
        out = []
        for i in range(self.n_items):
            ag = self.satellites[self.L_sat[i]].agility
            if not tracking_is_subadditive(ag, self.L_r0[i], self.L_p0[i], self.L_r1[i], self.L_p1[i],
                                           self.L_end[i] - self.L_start[i], self.L_los0[i], self.L_los1[i]):
                out.append(i)
        return out

    def fixed_conflicts(self) -> list[tuple[int, int]]:
        """Consecutive fixed items (or initial attitude → first fixed, as (-1, k)) that are infeasible."""
        bad = []
        fixed = range(self.n_candidates, self.n_items)
        by_sat: dict[int, list[int]] = {}
        for i in fixed:
            by_sat.setdefault(self.L_sat[i], []).append(i)
        for s, idx in by_sat.items():
            idx.sort(key=lambda i: (self.L_start[i], self.L_end[i]))
            if s in self.initial and not feasible(self.initial[s].time, self.slew_from_initial(s, idx[0]),
                                                  self.L_start[idx[0]]):
                bad.append((-1, idx[0]))
            for a, b in zip(idx, idx[1:]):
                if not self.transition_ok(a, b):
                    bad.append((a, b))
        return bad
