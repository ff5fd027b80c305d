"""Value of an opportunity (spec section 6).

``value = (w_p·P + w_g·G + w_t·T) / (w_p + w_g + w_t)``, all weights zero → equal thirds, where
P is the priority term (value source), G the geometry quality on the incidence angle |θ| (deg)
and T the timing term (1 at the start of the order's window, 0 at its end).

ASAP (an order without a window start, spec section 3) means "the earliest feasible opportunity":
its opportunities are ranked by start time alone (see ``asap_value``), so every algorithm that
maximises value (best fit, roll/pitch best fit, optimal, LNS) and first fit (chronological) give
it the earliest one that fits when nothing competes for it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from app.domain import WEIGHT_PRESETS, Opportunity, Order, QualityModel, Target, ValidationError, ValueSource
from app.domain.enums import parse_enum


@dataclass(frozen=True, slots=True)
class ValueConfig:
    """Value model settings. Weights are (priority, geometry, timing), any non-negative scale."""

    value_source: ValueSource = ValueSource.TARGET_PRIORITY
    weights: tuple[float, float, float] = WEIGHT_PRESETS["balanced"]
    quality_model: QualityModel = QualityModel.MONOTONIC
    ideal_incidence_deg: float = 35.0
    band_width_deg: float = 7.5

    def __post_init__(self) -> None:
        object.__setattr__(self, "value_source", parse_enum(ValueSource, self.value_source, "value_source"))
        object.__setattr__(self, "quality_model", parse_enum(QualityModel, self.quality_model, "quality_model"))
        if len(self.weights) != 3 or any(not math.isfinite(w) or w < 0 for w in self.weights):
            raise ValidationError("weights", f"need three non-negative numbers, got {self.weights!r}")
        if self.band_width_deg <= 0:
            raise ValidationError("band_width_deg", f"must be > 0, got {self.band_width_deg}")

    @classmethod
    def preset(cls, name: str, **kwargs) -> "ValueConfig":
        """A config with the named weight preset (balanced, priority_first, quality_first, urgent, archival)."""
        if name not in WEIGHT_PRESETS:
            raise ValidationError("weights", f"unknown preset {name!r}; known: {', '.join(WEIGHT_PRESETS)}")
        return cls(weights=WEIGHT_PRESETS[name], **kwargs)

    def to_dict(self) -> dict:
        return {"value_source": str(self.value_source), "weights": list(self.weights),
                "quality_model": str(self.quality_model), "ideal_incidence_deg": self.ideal_incidence_deg,
                "band_width_deg": self.band_width_deg}


def priority_term(priority: int) -> float:
    """P for ``target_priority``: (6 − priority)/5, so priority 1 → 1.0 … 5 → 0.2."""
    return (6 - priority) / 5.0


def quality(incidence_deg: float | None, config: ValueConfig) -> float:
    """G in [0, 1] on |θ| (deg): off → 1; monotonic → exp(−0.02·|θ|); band → exp(−((|θ| − ideal)/width)²).

    An unknown incidence scores 1 (nothing to penalise).
    """
    if config.quality_model == QualityModel.OFF or incidence_deg is None:
        return 1.0
    theta = abs(incidence_deg)
    if config.quality_model == QualityModel.MONOTONIC:
        return math.exp(-0.02 * theta)
    return math.exp(-(((theta - config.ideal_incidence_deg) / config.band_width_deg) ** 2))


def timing_term(start: datetime, window_start: datetime | None, window_end: datetime | None) -> float:
    """T in [0, 1]: 1 at the window start (or with no window end), falling linearly to 0 at its end."""
    if window_end is None:
        return 1.0
    if window_start is None or window_start >= window_end:
        return 1.0 if start <= window_end else 0.0
    frac = (start - window_start).total_seconds() / (window_end - window_start).total_seconds()
    return min(1.0, max(0.0, 1.0 - frac))


def asap_value(p: float, start: datetime, horizon: tuple[datetime, datetime],
               window_end: datetime | None, weights: tuple[float, float, float]) -> float:
    """Value of an ASAP order's opportunity starting at ``start``: strictly falling with the start.

    The order is worth its full priority value (geometry and timing at their best: its maximum
    incidence still filters its opportunities) at the horizon start, falling linearly to half
    of that at its deadline, or at the horizon end when it has none. The factor multiplies rather
    than adding a weighted term so that the ranking by start holds whatever the weights (timing
    weight 0 included), and it never falls below half, so an ASAP order served late still counts.
    Starts 30 s apart (the variant grid) differ by more than the optimal solver's integer
    resolution (10⁻⁶ of the largest value) for every horizon up to the 60-day cap.
    """
    h0, h1 = horizon
    end = window_end if window_end is not None and window_end > h0 else h1
    span = (end - h0).total_seconds()
    frac = (start - h0).total_seconds() / span if span > 0 else 0.0
    return weighted(p, 1.0, 1.0, weights) * (1.0 - 0.5 * min(1.0, max(0.0, frac)))


def weighted(p: float, g: float, t: float, weights: tuple[float, float, float]) -> float:
    wp, wg, wt = weights
    total = wp + wg + wt
    if total == 0:
        return (p + g + t) / 3.0
    return (wp * p + wg * g + wt * t) / total


class ValueModel:
    """Computes (value, quality) of opportunities for a set of orders and targets."""

    def __init__(self, config: ValueConfig, orders: dict[str, Order], targets: dict[str, Target],
                 clear_sky: Mapping[str, float] | None = None,
                 horizon: tuple[datetime, datetime] | None = None) -> None:
        self.config = config
        #: The planning horizon (start, end), from which an ASAP order's earliness counts; without
        #: it (a value out of planning context) the earliest start among nothing is unknown, and
        #: an ASAP order is valued as one with an open window.
        self.horizon = horizon
        self.orders = orders
        self.targets = targets
        #: Opportunity id → probability of a clear sky (cloud forecast, optical only; absent = 1).
        self.clear_sky = clear_sky or {}
        customs = [self._custom(o) for o in orders.values()]
        self._max_custom = max((c for c in customs if c is not None), default=0.0)

    def _custom(self, order: Order) -> float | None:
        return order.constraints.value

    def priority_of(self, order: Order) -> float:
        """P of an order under the value source."""
        src = self.config.value_source
        if src == ValueSource.UNIFORM:
            return 1.0
        if src == ValueSource.CUSTOM:
            custom = self._custom(order)
            if custom is not None and self._max_custom > 0:
                return custom / self._max_custom
            # Orders without a custom value fall back to their priority, as the spec's scenario
            # file says ("defaults: priority-derived value").
            return priority_term(order.priority)
        return priority_term(order.priority)

    def evaluate(self, opp: Opportunity) -> tuple[float, float]:
        """(value, quality) of an opportunity serving ``opp.order_id``."""
        order = self.orders.get(opp.order_id or "")
        if order is None:
            raise ValidationError(f"opportunities[{opp.id}].order_id", f"unknown order {opp.order_id!r}")
        g = quality(opp.incidence_deg, self.config)
        p = self.priority_of(order)
        if order.requested_window_start is None and self.horizon is not None:
            value = asap_value(p, opp.start, self.horizon, order.requested_window_end, self.config.weights)
        else:
            t = timing_term(opp.start, order.requested_window_start, order.requested_window_end)
            value = weighted(p, g, t, self.config.weights)
        # With a cloud forecast the value is the expected one: value × P(clear) (app.scheduling.clouds).
        return value * self.clear_sky.get(opp.id, 1.0), g
