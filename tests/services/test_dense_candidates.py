"""Dense candidates: with the candidate step on the time grid, every grid start inside a pass is an
opportunity (validity over the whole acquisition); a per-order cap thins them coarse-to-fine."""
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from app.access import cap_per_order
from app.domain import Order
from app.services import access_service
from app.services.aeossp_case import load_case

SMALL = Path(__file__).resolve().parents[2] / "tests" / "data" / "aeossp_small"


def _opportunities(cap=None):
    sc = load_case(SMALL).scenario
    settings = replace(sc.settings, candidates_per_order=cap)
    orders = [Order(id=f"ord_{k:03d}", workspace_id="ws", target_id=o["target_id"],
                    requested_window_start=o["requested_window_start"],
                    requested_window_end=o["requested_window_end"], constraints=__import__(
                        "app.domain", fromlist=["OrderConstraints"]).OrderConstraints.from_dict(o["constraints"]))
              for k, o in enumerate(sc.orders)]
    access_service.clear_cache()
    got = access_service.order_opportunities(sc.satellites, sc.targets, orders, settings.horizon_start,
                                             settings.horizon_end, settings)
    return got, settings


def test_every_grid_start_inside_a_pass_is_a_candidate():
    got, settings = _opportunities()
    by_pass = defaultdict(list)
    for opps in got.by_order.values():
        for o in opps:
            assert (o.start - settings.horizon_start).total_seconds() % 5.0 == 0.0
            assert o.pass_start <= o.start and o.end <= o.pass_end
            by_pass[(o.order_id, o.satellite_id, o.tca)].append(o)
    assert by_pass
    dense = 0
    for opps in by_pass.values():
        starts = sorted((o.start - settings.horizon_start).total_seconds() for o in opps)
        # contiguous on the 5-s grid: nothing skipped between the first and the last start
        assert [b - a for a, b in zip(starts, starts[1:])] == [5.0] * (len(starts) - 1)
        # the pass has no room for one more grid start at either end
        first, last = min(opps, key=lambda o: o.start), max(opps, key=lambda o: o.start)
        assert (first.start - first.pass_start).total_seconds() < 5.0 + 1.0
        assert (last.pass_end - last.end).total_seconds() < 5.0 + 1.0
        dense += len(opps) > 3
    assert dense >= len(by_pass) // 2


def test_cap_per_order_keeps_tca_first_and_spreads_the_rest():
    full, settings = _opportunities()
    capped, _ = _opportunities(cap=6)
    for oid, opps in full.by_order.items():
        kept = capped.by_order[oid]
        assert len(kept) == min(6, len(opps))
        assert {o.id for o in kept} <= {o.id for o in opps}
        passes = {o.tca for o in opps}
        if len(passes) <= 6:  # every pass keeps its TCA variant
            assert {o.tca for o in kept if o.variant == "max"} == passes
    # the unit rule: coarse offsets before fine ones, nearest to TCA first
    sample = max(full.by_order.values(), key=len)
    one_pass = [o for o in sample if o.tca == sample[0].tca]
    kept = cap_per_order(one_pass, 3, settings.variant_step_s)
    assert [o.variant for o in kept if o.variant == "max"] == ["max"] and len(kept) == 3
    steps = sorted(int(float(o.variant.split("_")[1]) / 5) for o in kept if o.variant != "max")
    assert all(k % 2 == 0 for k in steps) or len(one_pass) <= 3
