"""Conflict detection over acquisitions (spec section 11): one sorted sweep per satellite.

* ``temporal_overlap`` (error): an acquisition starts before an earlier one on the same satellite
  has ended (a running maximum of end times catches overlaps beyond the next neighbour).
* ``slew_infeasible``: the gap between consecutive acquisitions (or from the satellite's initial
  attitude to its first one) is shorter than the slew of slew.py; severity by the deficit
  (> 10 s error, ≥ 5 s warning, else info). Consecutive pairs suffice: the slew is subadditive.
* ``resource_contention`` (warning): the battery falls below its reserve or the onboard memory
  overflows (the simulation of power.py / memory.py) at an acquisition.
* ``downlink_window`` (warning): no contact window opens after the acquisition and before the
  horizon end (only for satellites whose contact windows are given).
* ``ground_conflict`` (warning): one order served twice, or one target committed for several
  orders whose constraints disagree.

Each conflict carries resolution options, each computed and checked to remove the conflict
without creating an error conflict: ``use_pitch`` (another variant of the same pass),
``move_later`` / ``move_earlier`` (an opportunity of the same order on the same satellite in
another pass), ``switch_satellite`` (an opportunity of the same order on another satellite) -
all taken from the acquisition's alternatives, the candidate opportunities of its order - and
``delete``. Hard-locked and executing/completed/failed acquisitions are never proposed for a
change; soft-locked ones may only move within their order window on their satellite and are not
deleted (spec section 10). Conflict ids are ``conflict_`` + 12 hex digits of a hash of the type
and the acquisition ids, so a re-detection gives the same ids.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from app.domain import (Acquisition, AcquisitionState, Conflict, ConflictType, Opportunity, Order,
                        ResolutionAction, ResolutionOption, Satellite, Severity)
from app.domain.edit_rules import EditContext, check_delete, check_move
from app.domain.orders import inside_window
from app.domain.times import UTC
from app.domain.times import to_epoch
from app.domain.wording import acquisition_name, day_time, duration, order_name

from .memory import MemoryTrack
from .placements import PlacementArrays, epoch_span
from .power import PowerTrack
from .problem import InitialAttitude, SatelliteSpec
from .slew import FEASIBILITY_EPS_S, slew_time, slew_times

#: No frozen zone: a cutoff before any acquisition.
_NO_FROZEN_ZONE = datetime(1970, 1, 1, tzinfo=UTC)

ERROR_DEFICIT_S = 10.0
WARNING_DEFICIT_S = 5.0
#: States of an acquisition that count as "committed" for the ground conflict.
COMMITTED_STATES = frozenset({AcquisitionState.COMMITTED, AcquisitionState.LOCKED, AcquisitionState.EXECUTING,
                              AcquisitionState.COMPLETED})


def slew_severity(deficit_s: float) -> Severity:
    """Severity of a slew deficit (s): > 10 s error, ≥ 5 s warning, otherwise info."""
    if deficit_s > ERROR_DEFICIT_S:
        return Severity.ERROR
    if deficit_s >= WARNING_DEFICIT_S:
        return Severity.WARNING
    return Severity.INFO


def conflict_id(kind: str, acquisition_ids: Sequence[str]) -> str:
    """Deterministic id: ``conflict_`` + 12 hex of sha256(type + sorted acquisition ids)."""
    key = kind + "|" + "|".join(sorted(acquisition_ids))
    return "conflict_" + hashlib.sha256(key.encode()).hexdigest()[:12]


def _when(shift_s: float) -> str:
    """``later by 42 h 05 min`` / ``earlier by 8 s`` / ``at the same time``."""
    if shift_s == 0:
        return "at the same time"
    return f"{'later' if shift_s > 0 else 'earlier'} by {duration(abs(shift_s))}"


def _fmt_s(x: float) -> str:
    r = round(x)
    return f"{r:.0f}" if abs(x - r) < 0.05 else f"{x:.1f}"


@dataclass
class DetectionInput:
    """Everything the detector may use besides the acquisitions (all optional but satellites).

    ``alternatives``: candidate opportunities per order id (resolution options); ``los``: unit
    inertial lines of sight (start, end) per acquisition id, for eigen-axis satellites;
    ``sunlit``/``contacts``: sorted (start, end) epoch-second intervals per satellite id.
    """

    satellites: Mapping[str, SatelliteSpec]
    horizon_end: datetime | None = None
    initial: Mapping[str, InitialAttitude] = field(default_factory=dict)
    sunlit: Mapping[str, object] = field(default_factory=dict)
    contacts: Mapping[str, object] = field(default_factory=dict)
    alternatives: Mapping[str, Sequence[Opportunity]] = field(default_factory=dict)
    orders: Mapping[str, Order] = field(default_factory=dict)
    los: Mapping[str, tuple] = field(default_factory=dict)
    horizon_start: datetime | None = None
    workspace_id: str | None = None
    detected_at: datetime | None = None
    with_resolutions: bool = True
    #: End of the frozen zone (spec §10): nothing starting before it is changed, nothing moved into
    #: it by a resolution. None: no frozen zone.
    freeze_cutoff: datetime | None = None


class _Row:
    """An acquisition (or a proposed replacement) in numeric form."""

    __slots__ = ("id", "acq", "start", "end", "r0", "p0", "r1", "p1", "los0", "los1")

    def __init__(self, acq: Acquisition, los=None) -> None:
        self.id = acq.id
        self.acq = acq
        self.start, self.end = epoch_span(acq)
        self.r0, self.p0 = acq.roll_deg, acq.pitch_deg
        self.r1, self.p1 = acq.roll_end_deg, acq.pitch_end_deg
        self.los0, self.los1 = (los or (None, None))

    @classmethod
    def from_opportunity(cls, acq: Acquisition, opp: Opportunity) -> "_Row":
        row = cls.__new__(cls)
        row.id, row.acq = acq.id, acq
        row.start, row.end = epoch_span(opp)
        row.r0, row.p0, row.r1, row.p1 = opp.roll_deg, opp.pitch_deg, opp.roll_end_deg, opp.pitch_end_deg
        row.los0, row.los1 = opp.los_start, opp.los_end
        return row


class _Track:
    """One satellite's acquisitions as arrays, sorted by (start, end, id)."""

    __slots__ = ("ids", "acqs", "start", "end", "r0", "p0", "r1", "p1", "los0", "los1")

    @classmethod
    def from_rows(cls, rows: list[_Row]) -> "_Track":
        t = cls()
        n = len(rows)
        t.ids = [r.id for r in rows]
        t.acqs = [r.acq for r in rows]
        for name in ("start", "end", "r0", "p0", "r1", "p1"):
            setattr(t, name, np.fromiter((getattr(r, name) for r in rows), np.float64, n))
        nan3 = (np.nan, np.nan, np.nan)
        t.los0 = np.array([r.los0 if r.los0 is not None else nan3 for r in rows], dtype=np.float64).reshape(-1, 3)
        t.los1 = np.array([r.los1 if r.los1 is not None else nan3 for r in rows], dtype=np.float64).reshape(-1, 3)
        return t


def _tracks(acquisitions: Sequence[Acquisition], los: Mapping[str, tuple]) -> dict[str, _Track]:
    """Group and sort all acquisitions per satellite with array operations (the 100k-row path)."""
    n = len(acquisitions)
    if n == 0:
        return {}
    codes: dict[str, int] = {}
    sat = np.fromiter((codes.setdefault(a.satellite_id, len(codes)) for a in acquisitions), np.int64, n)
    p = PlacementArrays.from_acquisitions(acquisitions)
    return _tracks_of_arrays(p.ids, list(acquisitions), sat, list(codes), p.start, p.end,
                             [p.roll0, p.pitch0, p.roll1, p.pitch1], los)


def _tracks_of_arrays(ids: list[str], acqs: list, sat: np.ndarray, names: list[str], start: np.ndarray,
                      end: np.ndarray, arrays: list[np.ndarray], los: Mapping[str, tuple]) -> dict[str, _Track]:
    n = len(ids)
    order = np.lexsort((end, start, sat))
    same = (sat[order][1:] == sat[order][:-1]) & (start[order][1:] == start[order][:-1]) & (
        end[order][1:] == end[order][:-1])
    if same.any():
        # Exact ties are ordered by id so that the result does not depend on the input order.
        order = order.tolist()
        k = 0
        flags = same.tolist() + [False]
        while k < n:
            j = k
            while flags[j]:
                j += 1
            if j > k:
                order[k:j + 1] = sorted(order[k:j + 1], key=ids.__getitem__)
            k = j + 1
        order = np.asarray(order)
    sat_sorted = sat[order]
    cuts = np.flatnonzero(sat_sorted[1:] != sat_sorted[:-1]) + 1
    bounds = np.concatenate([[0], cuts, [n]])
    out: dict[str, _Track] = {}
    nan3 = (np.nan, np.nan, np.nan)
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        idx = order[a:b]
        t = _Track()
        il = idx.tolist()
        t.ids = [ids[i] for i in il]
        t.acqs = [acqs[i] for i in il] if acqs else [None] * len(il)
        t.start, t.end = start[idx], end[idx]
        t.r0, t.p0, t.r1, t.p1 = (x[idx] for x in arrays)
        if los:
            t.los0 = np.array([(los.get(i) or (None, None))[0] or nan3 for i in t.ids], dtype=np.float64).reshape(-1, 3)
            t.los1 = np.array([(los.get(i) or (None, None))[1] or nan3 for i in t.ids], dtype=np.float64).reshape(-1, 3)
        else:
            t.los0 = t.los1 = None
        out[names[int(sat_sorted[a])]] = t
    return out


def _spec(sat) -> SatelliteSpec:
    return SatelliteSpec.of(sat) if isinstance(sat, Satellite) else sat


def detect_conflicts(acquisitions: Sequence[Acquisition], inputs: DetectionInput) -> list[Conflict]:
    """All conflicts of a schedule, sorted by (first start, type). See the module docstring."""
    return _Detector(acquisitions, inputs).run()


def sequence_conflicts(acquisitions: Sequence[Acquisition], inputs: DetectionInput) -> list[tuple]:
    """Only the per-satellite sequence checks of ``detect_conflicts`` (temporal overlap and slew,
    the same code): ``(satellite id, type, severity, description, acquisition ids)`` each. What a
    commit re-checks against the schedule inside its transaction, without the resource
    simulation, downlink and ground checks (warnings) or resolutions."""
    d = _Detector(acquisitions, inputs)
    return [(sid, *c[:4]) for sid in sorted(d.tracks) for c in d.pair_conflicts(sid, d.tracks[sid], with_initial=False)]


def sequence_conflicts_of(placements: PlacementArrays, inputs: DetectionInput) -> list[tuple]:
    """``sequence_conflicts`` over placements in columns (no Acquisition objects: the commit
    re-check of 10,000 items against the schedule reads and checks columns only)."""
    n = len(placements)
    if n == 0:
        return []
    # Satellite codes in order of first appearance, looked up by C-level map (30,000 rows of a
    # commit re-check: no Python call per row).
    codes = {s: k for k, s in enumerate(dict.fromkeys(placements.satellite_ids))}
    sat = np.fromiter(map(codes.__getitem__, placements.satellite_ids), np.int64, n)
    d = _Detector((), inputs)
    p = placements
    d.tracks = _tracks_of_arrays(p.ids, [], sat, list(codes), p.start, p.end, [p.roll0, p.pitch0, p.roll1, p.pitch1],
                                 {})
    return [(sid, *c[:4]) for sid in sorted(d.tracks) for c in d.pair_conflicts(sid, d.tracks[sid], with_initial=False)]


class _Detector:
    def __init__(self, acquisitions: Sequence[Acquisition], inputs: DetectionInput) -> None:
        self.inp = inputs
        self.specs = {k: _spec(v) for k, v in inputs.satellites.items()}
        self.horizon_end = to_epoch(inputs.horizon_end) if inputs.horizon_end else None
        self.t0 = to_epoch(inputs.horizon_start) if inputs.horizon_start else None
        self.acqs = list(acquisitions)
        self.tracks = _tracks(self.acqs, inputs.los)
        self._rows: dict[str, list[_Row]] = {}
        self._contacts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for sid, data in inputs.contacts.items():
            arr = np.asarray(data if data is not None else [], dtype=np.float64).reshape(-1, 2)
            arr = arr[np.argsort(arr[:, 0], kind="stable")]
            self._contacts[sid] = (arr[:, 0], np.maximum.accumulate(arr[:, 1]) if len(arr) else arr[:, 1])

    def rows(self, sid: str, lo: int = 0, hi: int | None = None) -> list[_Row]:
        """Row objects of the satellite's acquisitions ``lo:hi`` (built on demand from the arrays)."""
        track = self.tracks.get(sid)
        if track is None:
            return []
        hi = len(track.ids) if hi is None else hi
        out = []
        los = self.inp.los
        for k in range(lo, hi):
            row = _Row.__new__(_Row)
            row.id, row.acq = track.ids[k], track.acqs[k]
            row.start, row.end = float(track.start[k]), float(track.end[k])
            row.r0, row.p0 = float(track.r0[k]), float(track.p0[k])
            row.r1, row.p1 = float(track.r1[k]), float(track.p1[k])
            row.los0, row.los1 = los.get(row.id) or (None, None)
            out.append(row)
        return out

    # ------------------------------------------------------------------ sweep
    def pair_conflicts(self, sid: str, rows: "_Track", with_initial: bool = True) -> list[tuple]:
        """(type, severity, description, ids, deficit) for overlaps and slew deficits on one satellite
        (``rows`` sorted by start; ``with_initial`` False for a slice not starting at the first row)."""
        out: list[tuple] = []
        spec = self.specs.get(sid)
        tr = rows
        n = len(tr.ids)
        if spec is None or n == 0:
            return out
        ag = spec.agility
        init = self.inp.initial.get(sid)
        if init is not None and with_initial:
            los_first = None if tr.los0 is None or np.isnan(tr.los0[0]).any() else tuple(tr.los0[0])
            need = slew_time(ag, init.roll_deg, init.pitch_deg, float(tr.r0[0]), float(tr.p0[0]), init.los, los_first)
            have = float(tr.start[0]) - init.time
            if have < need - FEASIBILITY_EPS_S:
                deficit = need - have
                out.append((ConflictType.SLEW_INFEASIBLE, slew_severity(deficit),
                            f"Insufficient slew time: need {_fmt_s(need)} s, have {_fmt_s(have)} s "
                            f"(from the initial attitude of {sid})", (tr.ids[0],), ""))
        if n < 2:
            return out
        start, end = tr.start, tr.end
        run_end = np.maximum.accumulate(end)
        overlap = start[1:] < run_end[:-1]
        if overlap.any():
            run_arg = _running_argmax(end)
            for k in np.nonzero(overlap)[0].tolist():
                a, b = run_arg[k], k + 1
                secs = min(end[a], end[b]) - start[b]
                out.append((ConflictType.TEMPORAL_OVERLAP, Severity.ERROR,
                            f"Acquisitions overlap by {_fmt_s(secs)} s on {sid}", (tr.ids[a], tr.ids[b]), ""))
        idx = np.nonzero(~overlap)[0]
        if len(idx):
            if ag.eigen_axis and tr.los0 is not None:
                la, lb = tr.los1[idx], tr.los0[idx + 1]
            else:
                la = lb = None
            need = slew_times(ag, tr.r1[idx], tr.p1[idx], tr.r0[idx + 1], tr.p0[idx + 1], la, lb)
            have = start[idx + 1] - end[idx]
            short = have < need - FEASIBILITY_EPS_S
            for k, nd, hv in zip(idx[short].tolist(), need[short].tolist(), have[short].tolist()):
                out.append((ConflictType.SLEW_INFEASIBLE, slew_severity(nd - hv),
                            f"Insufficient slew time: need {_fmt_s(nd)} s, have {_fmt_s(hv)} s",
                            (tr.ids[k], tr.ids[k + 1]), ""))
        return out

    def resource_conflicts(self, sid: str, rows: list[_Row]) -> list[tuple]:
        spec = self.specs.get(sid)
        if spec is None or not rows or (spec.power is None and not spec.has_memory_model):
            return []
        power = PowerTrack(spec.power, self.inp.sunlit.get(sid)) if spec.power else None
        memory = (MemoryTrack(spec.memory_gbit, spec.data_per_acquisition_gbit, spec.downlink_rate_mbps,
                              self.inp.contacts.get(sid)) if spec.has_memory_model else None)
        init = self.inp.initial.get(sid)
        soc = power.initial if power else 0.0
        mem = 0.0
        t = self.t0 if self.t0 is not None else rows[0].start
        prev_att = (init.roll_deg, init.pitch_deg, init.los) if init else (0.0, 0.0, None)
        out = []
        was_bad_p = was_bad_m = False
        for r in rows:
            if power is not None:
                slew = slew_time(spec.agility, prev_att[0], prev_att[1], r.r0, r.p0, prev_att[2], r.los0)
                soc, low = power.step(soc, min(t, r.start), slew, r.start, r.end)
                bad = not power.ok(low)
                if bad and not was_bad_p:
                    out.append((ConflictType.RESOURCE_CONTENTION, Severity.WARNING,
                                f"Battery below reserve at {self.name(r.id)}: {low:.1f} Wh < "
                                f"{spec.power.reserve_wh:.1f} Wh", (r.id,), "power"))
                was_bad_p = bad
            if memory is not None:
                mem = memory.step(mem, min(t, r.end), r.end)
                bad = not memory.ok(mem)
                if bad and not was_bad_m:
                    out.append((ConflictType.RESOURCE_CONTENTION, Severity.WARNING,
                                f"Onboard memory overflows at {self.name(r.id)}: {mem:.1f} Gbit > "
                                f"{memory.capacity:.1f} Gbit before the next contact window", (r.id,), "memory"))
                was_bad_m = bad
            t = max(t, r.end)
            prev_att = (r.r1, r.p1, r.los1)
        return out

    def name(self, acquisition_id: str) -> str:
        """An acquisition as the planner reads it (``Luanda · WORLDVIEW-3 · Thu 13 Aug 09:33Z``)."""
        if not hasattr(self, "_names"):
            self._names = {a.id: acquisition_name(a) for a in self.acqs}
        return self._names.get(acquisition_id, acquisition_id)

    def order_label(self, order_id: str, target_id: str) -> str:
        """An order as the planner reads it (``Luanda (REQ-0042, priority 2)``)."""
        order = (self.inp.orders or {}).get(order_id)
        return order_name(order) if order is not None else f"The order for {target_id}"

    def downlink_conflicts(self, sid: str, rows: "_Track") -> list[tuple]:
        if sid not in self._contacts or not len(rows.ids):
            return []
        starts, run_ends = self._contacts[sid]
        horizon = self.horizon_end if self.horizon_end is not None else float("inf")
        end = rows.end
        # First contact still open after the acquisition's end: it must open before the horizon end.
        if len(starts) == 0:
            missing = np.ones(len(end), dtype=bool)
        else:
            k = np.searchsorted(run_ends, end, side="right")
            has = k < len(starts)
            first = np.maximum(end, starts[np.minimum(k, len(starts) - 1)])
            missing = ~(has & (first < horizon))
        return [(ConflictType.DOWNLINK_WINDOW, Severity.WARNING,
                 f"No contact window after {self.name(rows.ids[i])} before the horizon end", (rows.ids[i],), "")
                for i in np.nonzero(missing)[0].tolist()]

    def ground_conflicts(self) -> list[tuple]:
        out = []
        counts = Counter(a.order_id for a in self.acqs if a.order_id)
        twice = {oid for oid, c in counts.items() if c > 1}
        by_order: dict[str, list[Acquisition]] = defaultdict(list)
        if twice:
            for a in self.acqs:
                if a.order_id in twice:
                    by_order[a.order_id].append(a)
        for oid in sorted(by_order):
            group = by_order[oid]
            ids = tuple(a.id for a in sorted(group, key=lambda a: (a.start, a.id)))
            out.append((ConflictType.GROUND_CONFLICT, Severity.WARNING,
                        f"{self.order_label(oid, group[0].target_id)} is served {len(group)} times", ids, ""))
        orders = self.inp.orders
        if not orders:
            return out  # constraints unknown: nothing to compare
        by_target: dict[str, list[Acquisition]] = defaultdict(list)
        for a in self.acqs:
            if a.state in COMMITTED_STATES and a.order_id:
                by_target[a.target_id].append(a)
        for tid in sorted(by_target):
            group = by_target[tid]
            oids = sorted({a.order_id for a in group})
            if len(oids) < 2 or any(o not in orders for o in oids):
                continue
            kinds = {repr(sorted(orders[o].constraints.to_dict().items())) for o in oids}
            if len(kinds) > 1:
                ids = tuple(a.id for a in sorted(group, key=lambda a: (a.start, a.id)))
                out.append((ConflictType.GROUND_CONFLICT, Severity.WARNING,
                            f"{tid} is committed for orders whose constraints disagree: "
                            f"{'; '.join(self.order_label(o, tid) for o in oids)}",
                            ids, ""))
        return out

    # ------------------------------------------------------------------ run
    def run(self) -> list[Conflict]:
        raw: list[tuple] = []
        for sid in sorted(self.tracks):
            track = self.tracks[sid]
            raw.extend((sid, *c) for c in self.pair_conflicts(sid, track))
            spec = self.specs.get(sid)
            if spec is not None and (spec.power is not None or spec.has_memory_model):
                raw.extend((sid, *c) for c in self.resource_conflicts(sid, self.rows(sid)))
            raw.extend((sid, *c) for c in self.downlink_conflicts(sid, track))
        raw.extend((None, *c) for c in self.ground_conflicts())
        if raw:
            start_of = {a.id: a.start for a in self.acqs}
            raw.sort(key=lambda c: (start_of[c[4][0]], str(c[1]), c[4]))
        out = []
        for sid, kind, sev, desc, ids, tag in raw:
            options = self.resolutions(kind, sid, ids) if self.inp.with_resolutions else ()
            # Battery and memory problems at one acquisition are two conflicts: the tag tells them apart.
            key = f"{kind}:{tag}" if isinstance(tag, str) and tag else str(kind)
            out.append(Conflict(conflict_id(key, ids), kind, sev, desc, tuple(ids), tuple(options),
                                workspace_id=self.inp.workspace_id, satellite_id=sid,
                                detected_at=self.inp.detected_at))
        return out

    # ------------------------------------------------------------------ resolutions
    def resolutions(self, kind: ConflictType, sid: str | None, ids: Sequence[str]) -> list[ResolutionOption]:
        """Checked options, acting on the later acquisition first; per action the smallest shift."""
        options: list[ResolutionOption] = []
        index = self._index()
        for aid in reversed(ids):
            acq = index[aid]
            ctx = self._edit_context(acq)
            if check_move(acq, ctx):  # the edit rules of spec §10 (domain.edit_rules), as the database applies them
                continue
            if kind != ConflictType.GROUND_CONFLICT:
                for group in self._alternatives_by_action(acq):
                    for option, opp in group:
                        if self._removes(kind, ids, acq, opp):
                            options.append(option)
                            break
            if not check_delete(acq, ctx) and self._removes(kind, ids, acq, None):
                options.append(ResolutionOption(ResolutionAction.DELETE, acq.id, f"Delete {acquisition_name(acq)}"))
        return options

    def _edit_context(self, acq: Acquisition) -> EditContext:
        cutoff = self.inp.freeze_cutoff or _NO_FROZEN_ZONE
        order = self.inp.orders.get(acq.order_id or "")
        return EditContext(cutoff, cutoff, order.requested_window_start if order else None,
                           order.requested_window_end if order else None)

    def _index(self) -> dict[str, Acquisition]:
        if not hasattr(self, "_idx"):
            self._idx = {a.id: a for a in self.acqs}
        return self._idx

    def _alternatives_by_action(self, acq: Acquisition) -> list[list[tuple[ResolutionOption, Opportunity]]]:
        """Per action, the (option, replacement) pairs from the order's alternatives, by |shift|."""
        alts = self.inp.alternatives.get(acq.order_id or "", ())
        if not alts:
            return []
        current = next((o for o in alts if o.id == acq.opportunity_id), None)
        order = self.inp.orders.get(acq.order_id or "")
        t_start = to_epoch(acq.start)
        ctx = self._edit_context(acq)
        groups: dict[ResolutionAction, list] = defaultdict(list)
        for opp in alts:
            if opp.id == acq.opportunity_id or opp.satellite_id not in self.specs:
                continue
            if order is not None and not _inside_window(opp, order):
                continue
            if check_move(acq, ctx, opp.start, opp.end, opp.satellite_id):
                continue  # e.g. soft-locked: in time on its own satellite only; never into the frozen zone
            shift = to_epoch(opp.start) - t_start
            if opp.satellite_id != acq.satellite_id:
                action = ResolutionAction.SWITCH_SATELLITE
                params = {"opportunity_id": opp.id, "satellite_id": opp.satellite_id,
                          "shift_seconds": round(shift, 3)}
                desc = f"Switch {acquisition_name(acq)} to {opp.satellite_id} at {day_time(opp.start)}"
            elif _same_pass(current, opp, acq):
                action = ResolutionAction.USE_PITCH
                params = {"opportunity_id": opp.id, "new_pitch_deg": round(opp.pitch_deg, 3),
                          "shift_seconds": round(shift, 3)}
                desc = (f"Image {acquisition_name(acq)} {_when(shift)} in the same pass "
                        f"(pitch {opp.pitch_deg:+.1f}°)")
            elif shift == 0:
                continue
            else:
                action = ResolutionAction.MOVE_LATER if shift > 0 else ResolutionAction.MOVE_EARLIER
                params = {"opportunity_id": opp.id, "shift_seconds": round(shift, 3)}
                desc = f"Move {acquisition_name(acq)} {_when(shift)} (to {day_time(opp.start)})"
            groups[action].append((abs(shift), opp.id, ResolutionOption(action, acq.id, desc, params), opp))
        out = []
        for action in ResolutionAction:
            if groups.get(action):
                out.append([(t[2], t[3]) for t in sorted(groups[action], key=lambda t: (t[0], t[1]))])
        return out

    def _removes(self, kind: ConflictType, ids: Sequence[str], acq: Acquisition,
                 replacement: Opportunity | None) -> bool:
        """Whether replacing ``acq`` by ``replacement`` (deleting it if None) removes the conflict
        and creates no new error conflict nor a new conflict of the same kind."""
        key = (str(kind), tuple(sorted(ids)))
        if kind == ConflictType.GROUND_CONFLICT:
            if replacement is not None:
                return False
            saved = self.acqs
            self.acqs = [a for a in saved if a.id != acq.id]
            try:
                after = {(str(c[0]), tuple(sorted(c[3]))) for c in self.ground_conflicts()}
            finally:
                self.acqs = saved
            # Removing an acquisition cannot create a ground conflict; it must remove this one.
            return key not in after
        touched = {acq.satellite_id}
        if replacement is not None:
            touched.add(replacement.satellite_id)
        t_lo, t_hi = epoch_span(acq)
        if replacement is not None:
            r_lo, r_hi = epoch_span(replacement)
            t_lo, t_hi = min(t_lo, r_lo), max(t_hi, r_hi)
        for sid in touched:
            track = self.tracks.get(sid)
            starts = track.start if track is not None else np.zeros(0)
            # Only the rows around the change can change their pair conflicts: a window of three
            # neighbours each side, before and after, is compared (the battery/memory simulation,
            # which carries state forward, runs over the whole satellite when it is modelled).
            lo = max(0, int(np.searchsorted(starts, t_lo, side="left")) - 3)
            hi = min(len(starts), int(np.searchsorted(starts, t_hi, side="right")) + 3)
            old_part = self.rows(sid, lo, hi)
            new_part = [r for r in old_part if r.id != acq.id]
            if replacement is not None and replacement.satellite_id == sid:
                new_part.append(_Row.from_opportunity(acq, replacement))
                new_part.sort(key=lambda r: (r.start, r.end, r.id))
            before = self._local(sid, old_part, lo == 0)
            after = self._local(sid, new_part, lo == 0)
            if self._resources_modelled(sid):
                all_rows = self.rows(sid)
                new_all = all_rows[:lo] + new_part + all_rows[hi:]
                before = before + self.resource_conflicts(sid, all_rows)
                after = after + self.resource_conflicts(sid, new_all)
            before_keys = {(str(c[0]), tuple(sorted(c[3]))) for c in before}
            for c in after:
                ckey = (str(c[0]), tuple(sorted(c[3])))
                if ckey == key:
                    return False
                if ckey not in before_keys and (c[1] == Severity.ERROR or ckey[0] == key[0]):
                    return False
        return True

    def _resources_modelled(self, sid: str) -> bool:
        spec = self.specs.get(sid)
        return spec is not None and (spec.power is not None or spec.has_memory_model)

    def _local(self, sid: str, rows: list[_Row], with_initial: bool) -> list[tuple]:
        """Pair and downlink conflicts among ``rows`` (a start-sorted window of one satellite).

        Scalar twin of :meth:`pair_conflicts` for a handful of rows (numpy's per-call overhead
        dominates there); slew.py's scalar and vectorised forms agree exactly (tested)."""
        out: list[tuple] = []
        spec = self.specs.get(sid)
        if spec is None or not rows:
            return out
        ag = spec.agility
        init = self.inp.initial.get(sid)
        if init is not None and with_initial:
            r = rows[0]
            need = slew_time(ag, init.roll_deg, init.pitch_deg, r.r0, r.p0, init.los, r.los0)
            have = r.start - init.time
            if have < need - FEASIBILITY_EPS_S:
                out.append((ConflictType.SLEW_INFEASIBLE, slew_severity(need - have), "", (r.id,), ""))
        run = rows[0]
        for a, b in zip(rows, rows[1:]):
            if a.end >= run.end:   # the latest-ending row so far (ties: the later one, as the sweep)
                run = a
            if b.start < run.end:
                out.append((ConflictType.TEMPORAL_OVERLAP, Severity.ERROR, "", (run.id, b.id), ""))
                continue
            need = slew_time(ag, a.r1, a.p1, b.r0, b.p0, a.los1 if ag.eigen_axis else None,
                             b.los0 if ag.eigen_axis else None)
            have = b.start - a.end
            if have < need - FEASIBILITY_EPS_S:
                out.append((ConflictType.SLEW_INFEASIBLE, slew_severity(need - have), "", (a.id, b.id), ""))
        if sid in self._contacts:
            out.extend(self.downlink_conflicts(sid, _Track.from_rows(rows)))
        return out


def _same_pass(current: Opportunity | None, opp: Opportunity, acq: Acquisition) -> bool:
    if opp.satellite_id != acq.satellite_id:
        return False
    if current is not None and current.tca is not None and opp.tca is not None:
        return current.tca == opp.tca
    if current is not None and current.pass_start is not None and opp.pass_start is not None:
        return current.pass_start == opp.pass_start
    return False


def _inside_window(opp: Opportunity, order: Order) -> bool:
    return inside_window(opp.start, opp.end, order.requested_window_start, order.requested_window_end)


def _running_argmax(values: np.ndarray) -> list[int]:
    """Index of the running maximum (first index reaching it) for each position."""
    n = len(values)
    run = np.maximum.accumulate(values)
    is_new = np.empty(n, dtype=bool)
    is_new[0] = True
    is_new[1:] = values[1:] >= run[:-1]
    idx = np.where(is_new, np.arange(n), 0)
    return np.maximum.accumulate(idx).tolist()


def summary(conflicts: Sequence[Conflict]) -> dict:
    """Seed 001 6.5 summary: total, by type, by severity."""
    by_type: dict[str, int] = defaultdict(int)
    by_sev: dict[str, int] = defaultdict(int)
    for c in conflicts:
        by_type[str(c.type)] += 1
        by_sev[str(c.severity)] += 1
    return {"total": len(conflicts), "by_type": dict(by_type), "by_severity": dict(by_sev)}
