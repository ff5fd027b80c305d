"""The planner's feasibility check (``Lane``: both neighbours' slews, the initial attitude, the
battery and the onboard memory) applied outside a planning run: the places a Swap or Move may
put an acquisition, and the commit-time re-check of a plan against the schedule as it is then.

Times of the schedule are UTC datetimes; the resource tracks start at ``horizon_start`` with the
battery at its initial charge and the memory empty, as in planning. ``sunlit`` / ``contacts``:
epoch-second intervals per satellite (access engine), needed only for satellites with a power /
memory model.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from app.domain import Acquisition, Opportunity
from app.domain.times import to_epoch

from .lane import BATTERY, MEMORY, SLEW_IN, SLEW_OUT, Lane
import numpy as np

from .placements import PlacementArrays, candidate, fixed_item
from .problem import Candidate, FixedItem, Problem, SatelliteSpec
from .slew import slew_times

Intervals = Mapping[str, Sequence[tuple[float, float]]]

#: A refusal code of ``Lane.refusal`` in words (the acquisition's neighbours are named by the caller).
REASONS = {SLEW_IN: "the slew from the acquisition before it does not fit",
           SLEW_OUT: "the slew to the acquisition after it does not fit",
           BATTERY: "the battery would fall below its reserve",
           MEMORY: "the onboard memory would overflow before the next contact"}


def needs_resources(specs: Mapping[str, SatelliteSpec], satellite_ids) -> bool:
    """Whether any of these satellites has a power or memory model (then the schedule since the
    horizon start matters, not only the neighbours)."""
    return any((sp := specs.get(s)) is not None and (sp.power is not None or sp.has_memory_model)
               for s in satellite_ids)


def _fixed(a: Acquisition, k: int) -> FixedItem:
    return fixed_item(a, f"f{k}")


def _problem(specs: Mapping[str, SatelliteSpec], sats: Sequence[str], fixed: Sequence[Acquisition],
             candidates: Sequence[Candidate], horizon_start: datetime, sunlit: Intervals | None,
             contacts: Intervals | None) -> tuple[Problem, list[int]]:
    keep = [k for k, a in enumerate(fixed) if a.satellite_id in sats and a.end > a.start]
    spec_list = [specs[s] for s in sats]
    problem = Problem.build(spec_list, candidates, [_fixed(fixed[k], k) for k in keep],
                            horizon_start=min([to_epoch(horizon_start)] + [c.start for c in candidates]),
                            sunlit={s: v for s, v in (sunlit or {}).items() if s in sats},
                            contacts={s: v for s, v in (contacts or {}).items() if s in sats})
    return problem, keep


def insertion_refusals(specs: Mapping[str, SatelliteSpec], schedule: Sequence[Acquisition],
                       choices: Sequence[Opportunity], *, horizon_start: datetime, sunlit: Intervals | None = None,
                       contacts: Intervals | None = None) -> list[str | None]:
    """For each choice on its own (the others not inserted): why the planner would not insert it
    into ``schedule`` (a refusal code of ``Lane.refusal``: SLEW_IN, SLEW_OUT, BATTERY, MEMORY), or
    None. A satellite without a SatelliteSpec or a roll/pitch beyond its limits is left to the
    caller (None here)."""
    out: list[str | None] = [None] * len(choices)
    usable: dict[str, list[int]] = defaultdict(list)
    for k, o in enumerate(choices):
        spec = specs.get(o.satellite_id)
        if spec is None or o.end <= o.start:
            continue
        limits = ((spec.max_roll_deg, (o.roll_deg, o.roll_end_deg)), (spec.max_pitch_deg, (o.pitch_deg, o.pitch_end_deg)))
        if any(lim is not None and max(abs(v) for v in vals if v is not None) > lim + 1e-9 for lim, vals in limits):
            continue
        usable[o.satellite_id].append(k)
    if not usable:
        return out
    sats = sorted(usable)
    picked = [k for s in sats for k in usable[s]]
    candidates = [candidate(choices[k], choices[k].order_id or "-", item_id=f"c{k}") for k in picked]
    problem, keep = _problem(specs, sats, schedule, candidates, horizon_start, sunlit, contacts)
    n = len(candidates)
    by_sat: dict[int, list[int]] = defaultdict(list)
    for j in range(len(keep)):
        by_sat[problem.L_sat[n + j]].append(n + j)
    for s_index in {problem.L_sat[i] for i in range(n)}:
        lane = Lane(problem, s_index)
        lane.load(by_sat.get(s_index, []))
        for i in range(n):
            if problem.L_sat[i] == s_index:
                out[picked[i]] = lane.refusal(i)
    return out


#: Margin (Wh) above the reserve within which the vectorised screen defers to the lane's own steps.
SCREEN_MARGIN_WH = 1e-6


def _surely_fine(lane: Lane, problem: Problem, items: list[int]) -> bool:
    """The vectorised screen of a battery-only lane (``PowerTrack.lows``): True when the lowest
    charge stays above the reserve by a margin everywhere, so the item-by-item steps would find no
    break; False (the lane decides) with a memory model or overlapping items."""
    if lane.power is None or lane.memory is not None or not items:
        return False
    idx = np.asarray(items, dtype=np.int64)
    idx = idx[np.lexsort((problem.end[idx], problem.start[idx]))]  # the lane's order: (start, end)
    start, end = problem.start[idx], problem.end[idx]
    if start[0] < lane.t0 or (len(idx) > 1 and (start[1:] < end[:-1]).any()):
        return False
    r_prev = np.concatenate([[0.0], problem.r1[idx][:-1]])  # from nadir before the first, as the lane
    p_prev = np.concatenate([[0.0], problem.p1[idx][:-1]])
    slews = slew_times(lane.ag, r_prev, p_prev, problem.r0[idx], problem.p0[idx])
    lows = lane.power.lows(lane.t0, slews, start, end)
    return bool((lows >= lane.power.model.reserve_wh + SCREEN_MARGIN_WH).all())


def resource_breaks(specs: Mapping[str, SatelliteSpec], current: PlacementArrays, proposed: PlacementArrays, *,
                    horizon_start: datetime, sunlit: Intervals | None = None,
                    contacts: Intervals | None = None) -> dict[str, tuple[str, str | None]]:
    """The battery / memory limits the proposed placements would break on satellites with a
    resource model (the planner's tracks over current + proposed from ``horizon_start``): proposed
    id → (BATTERY or MEMORY, the current placement where it breaks, None when at the proposed one
    itself). A limit the current schedule already breaks without them is not theirs."""
    sats = sorted({s for s in proposed.satellite_ids if needs_resources(specs, [s])})
    if not sats:
        return {}
    index = {s: k for k, s in enumerate(sats)}
    every = current + proposed
    rows = np.array([k for k, s in enumerate(every.satellite_ids) if s in index], dtype=np.int64)
    rows = rows[every.end[rows] > every.start[rows]] if len(rows) else rows
    n_current = len(current)
    t0 = to_epoch(horizon_start)
    if len(rows):
        t0 = min(t0, float(every.start[rows].min()))
    codes = np.array([index[every.satellite_ids[k]] for k in rows.tolist()], dtype=np.int64)
    problem = Problem.of_tracks([specs[s] for s in sats], codes, every.start[rows], every.end[rows],
                                every.roll0[rows], every.pitch0[rows], every.roll1[rows], every.pitch1[rows],
                                horizon_start=t0,
                                sunlit={s: v for s, v in (sunlit or {}).items() if s in index},
                                contacts={s: v for s, v in (contacts or {}).items() if s in index})
    rows = rows.tolist()
    out: dict[str, tuple[str, str | None]] = {}
    by_sat: dict[int, list[int]] = defaultdict(list)
    for j in range(len(rows)):
        by_sat[problem.L_sat[j]].append(j)
    for s_index, items in sorted(by_sat.items()):
        lane = Lane(problem, s_index)
        if _surely_fine(lane, problem, items):
            continue
        broken = lane.breaks(items)
        if not broken:  # the common case: one pass
            continue
        mine = {j for j in items if rows[j] >= n_current}
        already = set(lane.breaks([j for j in items if j not in mine]))
        lane.breaks(items)
        last_mine = None
        for j in lane.items:  # start order: a break is charged to the latest proposed one before it
            if j in mine:
                last_mine = j
            if j in broken and j not in already and last_mine is not None:
                who = every.ids[rows[last_mine]]
                out.setdefault(who, (broken[j], None if j == last_mine else every.ids[rows[j]]))
    return out
