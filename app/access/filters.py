"""Which opportunities can serve an order: the order's constraints (spec section 3)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from app.domain.enums import LookSide, Mode, PassDirection
from app.domain.orders import Order, inside_window
from app.domain.scenario import Satellite
from app.domain.schedule import Opportunity

#: Slack (s) on durations, for starts and ends rounded to microseconds.
_DURATION_SLACK_S = 1e-3


def _serves(opp: Opportunity, order: Order, satellite: Satellite | None) -> bool:
    c = order.constraints
    if opp.target_id != order.target_id or satellite is None:
        return False
    if c.preferred_satellite is not None and opp.satellite_id != c.preferred_satellite:
        return False
    if c.mode is not None and Mode(opp.mode) != c.mode:
        return False
    if c.sensor_type is not None and satellite.sensor_type.lower() != c.sensor_type.lower():
        return False
    if c.sar_mode is not None and (satellite.mode != Mode.SAR
                                   or (satellite.sar_modes and c.sar_mode not in satellite.sar_modes)):
        return False
    if c.max_incidence_deg is not None and (opp.incidence_deg is None or abs(opp.incidence_deg) > c.max_incidence_deg):
        return False
    if c.look_side != LookSide.ANY and opp.look_side != c.look_side:
        return False
    if c.pass_direction != PassDirection.ANY and opp.pass_direction != c.pass_direction:
        return False
    if c.min_sun_elevation_deg is not None and (opp.sun_elevation_deg is None
                                                or opp.sun_elevation_deg < c.min_sun_elevation_deg):
        return False
    if c.duration_s is not None and opp.duration_s < c.duration_s - _DURATION_SLACK_S:
        return False
    return inside_window(opp.start, opp.end, order.requested_window_start, order.requested_window_end)


def filter_for_order(opportunities: Sequence[Opportunity], order: Order,
                     satellites_by_id: Mapping[str, Satellite]) -> list[Opportunity]:
    """Copies (with ``order_id = order.id``) of the opportunities that can serve ``order``: same
    target, a known satellite, and every constraint met: preferred satellite, mode, sensor type,
    SAR mode, incidence ≤ ``max_incidence_deg`` (deg), look side, pass direction, Sun elevation ≥
    ``min_sun_elevation_deg``, duration ≥ ``duration_s`` (s), and inside the requested window
    (an open end is no limit)."""
    return [replace(o, order_id=order.id) for o in opportunities
            if _serves(o, order, satellites_by_id.get(o.satellite_id))]


def _variant_offset_steps(variant: str, step_s: float) -> int:
    """The variant's offset from TCA in candidate steps (0 for ``max``; ``early_N``/``late_N``: N / step)."""
    if variant == "max" or "_" not in variant:
        return 0
    try:
        return max(1, round(float(variant.split("_", 1)[1]) / step_s))
    except ValueError:
        return 0


def _coarseness(k: int) -> int:
    """How coarse a grid offset index k is: the power of two dividing it (TCA counts as the coarsest)."""
    if k == 0:
        return 64
    return (k & -k).bit_length()


def cap_per_order(opportunities: Sequence[Opportunity], cap: int | None, step_s: float) -> list[Opportunity]:
    """At most ``cap`` of one order's opportunities, thinned coarse-to-fine: every pass keeps its TCA
    (``max``) variant first, then the offsets at every 2ⁿ-th candidate step (n falling), nearest to TCA
    first, so a cap spreads the kept starts evenly over the passes instead of cutting whole passes.
    ``step_s`` is the candidate step (s) the variants were made with. Deterministic (ties by id);
    the result keeps the input's order."""
    if cap is None or len(opportunities) <= cap:
        return list(opportunities)
    def rank(o: Opportunity):
        k = _variant_offset_steps(o.variant, step_s)
        return (-_coarseness(k), k, o.id)
    keep = {id(o) for o in sorted(opportunities, key=rank)[:cap]}
    return [o for o in opportunities if id(o) in keep]
