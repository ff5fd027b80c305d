"""ASAP (an order without a window start) means the earliest feasible opportunity (issue 15 item 5).

One rule in the value model (``value.asap_value``): an ASAP order's value falls strictly with the
start, whatever the weights, so every algorithm gives it its earliest feasible opportunity when
nothing competes, even against later passes with a much better viewing geometry.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain import WEIGHT_PRESETS
from app.domain.enums import PITCH_ALGORITHMS, Algorithm, LockLevel
from app.scheduling.planner import plan
from app.scheduling.value import ValueConfig, ValueModel

from .factories import T0, acquisition, at, opportunity, order, satellite, target
from .scenarios import request

ALGORITHMS = [a.value for a in Algorithm]
HOURS = 24.0


def _passes(spec: list[tuple[str, float, float]], oid: str = "ord_asap") -> list:
    """Each pass (satellite, TCA s, incidence deg) as its max variant and ±30 s pitched variants."""
    opps = []
    for k, (sat, tca, inc) in enumerate(spec):
        roll = inc * 0.7  # within the satellite's 45° roll limit
        for off in (-30, 0, 30):
            variant = "max" if off == 0 else (f"early_{-off}" if off < 0 else f"late_{off}")
            opps.append(opportunity(f"{sat}_p{k}_{variant}", sat, oid, tca + off, 10.0, roll, -off / 5.0,
                                    variant=variant, incidence=inc + abs(off) * 0.06, tca=tca))
    return opps


def _earliest(opps, algorithm: str):
    usable = [o for o in opps if algorithm in PITCH_ALGORITHMS or o.variant == "max"]
    return min(usable, key=lambda o: o.start)


def _chosen(outcome, oid: str = "ord_asap"):
    got = [it.opportunity for it in outcome.items if it.opportunity.order_id == oid]
    assert len(got) == 1, f"{oid} not served"
    return got[0]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize("preset", ["balanced", "quality_first", "zero_timing"])
def test_asap_order_gets_its_earliest_pass_over_better_geometry(algorithm, preset):
    # The earliest pass looks at 55° incidence, the later ones almost straight down: a windowed
    # order (and the old rule, where T = 1 without a deadline) takes a later pass; ASAP takes the first.
    weights = (50.0, 50.0, 0.0) if preset == "zero_timing" else WEIGHT_PRESETS[preset]
    opps = _passes([("SAT-1", 3 * 3600.0, 55.0), ("SAT-2", 9 * 3600.0, 2.0), ("SAT-1", 15 * 3600.0, 0.5)])
    asap = order("ord_asap")  # no window at all
    out = plan(request([satellite("SAT-1"), satellite("SAT-2")], [asap], [target()], opps, algorithm=algorithm,
                       hours=HOURS, freeze_window_hours=0.0, value_config=ValueConfig(weights=weights)))
    assert _chosen(out).id == _earliest(opps, algorithm).id

    windowed = order("ord_asap", requested_window_start=T0, requested_window_end=T0 + timedelta(days=3))
    if algorithm in ("best_fit", "optimal"):
        out = plan(request([satellite("SAT-1"), satellite("SAT-2")], [windowed], [target()], opps,
                           algorithm=algorithm, hours=HOURS, freeze_window_hours=0.0,
                           value_config=ValueConfig(weights=weights)))
        assert _chosen(out).start > _earliest(opps, algorithm).start


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_asap_order_with_a_deadline_and_a_blocked_first_pass_gets_the_next_one(algorithm):
    # The first pass is taken by a hard-locked acquisition of another order: the earliest
    # *feasible* one is the second pass (on either satellite), not the best-looking last one.
    opps = _passes([("SAT-1", 3 * 3600.0, 10.0), ("SAT-2", 5 * 3600.0, 45.0), ("SAT-1", 12 * 3600.0, 1.0)])
    blocker = acquisition("acq_lock", "SAT-1", 3 * 3600.0 - 200.0, dur=400.0, order_id="ord_other",
                          target="T2", lock=LockLevel.HARD)
    asap = order("ord_asap", requested_window_end=T0 + timedelta(hours=20))
    out = plan(request([satellite("SAT-1"), satellite("SAT-2")], [asap], [target(), target("T2")], opps,
                       algorithm=algorithm, mode="incremental", existing=[blocker], hours=HOURS,
                       freeze_window_hours=0.0))
    assert _chosen(out).id == _earliest([o for o in opps if o.satellite_id == "SAT-2"], algorithm).id


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(passes=st.lists(st.tuples(st.sampled_from(["SAT-1", "SAT-2"]),
                                 st.floats(min_value=600.0, max_value=(HOURS - 1) * 3600.0),
                                 st.floats(min_value=0.0, max_value=50.0)),
                       min_size=1, max_size=6,
                       unique_by=lambda p: round(p[1] / 400.0)),  # passes at least ~200 s apart
       algorithm=st.sampled_from(ALGORITHMS),
       weights=st.sampled_from(list(WEIGHT_PRESETS.values()) + [(0.0, 0.0, 0.0), (1.0, 3.0, 0.0)]))
def test_asap_order_alone_always_gets_the_earliest_opportunity(passes, algorithm, weights):
    opps = _passes([(s, round(t), inc) for s, t, inc in passes])
    out = plan(request([satellite("SAT-1"), satellite("SAT-2")], [order("ord_asap")], [target()], opps,
                       algorithm=algorithm, hours=HOURS, freeze_window_hours=0.0,
                       value_config=ValueConfig(weights=weights)))
    assert _chosen(out).start == _earliest(opps, algorithm).start


def test_asap_value_falls_with_the_start_and_counts_at_least_half():
    cfg = ValueConfig()
    horizon = (T0, T0 + timedelta(hours=HOURS))
    asap = ValueModel(cfg, {"o": order("o")}, {"T1": target()}, horizon=horizon)
    values = [asap.evaluate(opportunity(f"x{k}", "SAT-1", "o", s, incidence=inc))[0]
              for k, (s, inc) in enumerate([(0.0, 60.0), (30.0, 0.0), (3600.0, 0.0), (HOURS * 3600.0, 0.0)])]
    assert values == sorted(values, reverse=True) and len(set(values)) == 4
    best = (40 * 0.6 + 40 + 20) / 100  # priority 3, geometry and timing at their best
    assert values[0] == pytest.approx(best) and values[-1] == pytest.approx(best / 2)
    # A deadline: half value at the deadline, not at the horizon end.
    dl = ValueModel(cfg, {"o": order("o", requested_window_end=at(7200.0))}, {"T1": target()}, horizon=horizon)
    assert dl.evaluate(opportunity("y", "SAT-1", "o", 3600.0))[0] == pytest.approx(best * 0.75)
    # Out of planning context (no horizon) an ASAP order is valued as an open window, as before.
    plain = ValueModel(cfg, {"o": order("o")}, {"T1": target()})
    assert plain.evaluate(opportunity("z", "SAT-1", "o", 0.0, incidence=0.0))[0] == pytest.approx(best)


def test_the_plan_dialog_says_what_asap_means(qtbot):
    from PySide6 import QtWidgets

    from app.ui.dialogs.plan_dialog import HELP, PlanDialog
    d = PlanDialog(T0, T0 + timedelta(days=1))
    qtbot.addWidget(d)
    hints = [w.text() for w in d.findChildren(QtWidgets.QLabel)]
    assert HELP["timing"] in hints
    assert "ASAP" in HELP["timing"] and "earliest feasible" in HELP["timing"]
