"""Order constraints filter opportunities (spec section 3)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from app.access import filter_for_order
from app.domain import Opportunity, Order, Satellite
from app.domain.orders import OrderConstraints

UTC = timezone.utc
T0 = datetime(2026, 8, 10, 9, tzinfo=UTC)
L1 = "1 43800U 18099AU  26222.52314528  .00003959  00000+0  19594-3 0  9992"
L2 = "2 43800  97.4330 275.4158 0011945 110.9387 249.3126 15.18312769421067"
SATS = {"OPT": Satellite("OPT", L1, L2), "RADAR": Satellite("RADAR", L1, L2, mode="SAR", sensor_type="sar")}


def _opp(**kw):
    base = dict(id="o", satellite_id="OPT", target_id="Athens", start=T0, end=T0 + timedelta(seconds=10),
                roll_deg=10.0, incidence_deg=25.0, look_side="RIGHT", pass_direction="DESCENDING",
                sun_elevation_deg=40.0, mode="OPTICAL")
    return Opportunity(**{**base, **kw})


def _order(window=(None, None), **constraints):
    return Order("ord_1", "ws", "Athens", constraints=OrderConstraints(**constraints),
                 requested_window_start=window[0], requested_window_end=window[1])


OPPS = [_opp(id="a"), _opp(id="b", satellite_id="RADAR", mode="SAR", incidence_deg=45.0, look_side="LEFT",
                           pass_direction="ASCENDING", sun_elevation_deg=-20.0),
        _opp(id="c", target_id="Paris"), _opp(id="d", start=T0 + timedelta(hours=2), end=T0 + timedelta(hours=2, seconds=10))]


@pytest.mark.parametrize("order, expected", [
    (_order(), ["a", "b", "d"]),
    (_order(max_incidence_deg=30.0), ["a", "d"]),
    (_order(look_side="LEFT"), ["b"]),
    (_order(pass_direction="DESCENDING"), ["a", "d"]),
    (_order(sensor_type="SAR"), ["b"]),
    (_order(mode="OPTICAL"), ["a", "d"]),
    (_order(preferred_satellite="RADAR"), ["b"]),
    (_order(min_sun_elevation_deg=10.0), ["a", "d"]),
    (_order(duration_s=20.0), []),
    (_order(window=(T0, T0 + timedelta(hours=1))), ["a", "b"]),
    (_order(window=(T0 + timedelta(seconds=1), None)), ["d"]),
])
def test_constraints_select_and_tag_with_the_order(order, expected):
    kept = filter_for_order(OPPS, order, SATS)
    assert [o.id for o in kept] == expected
    assert all(o.order_id == "ord_1" for o in kept)
    assert OPPS[0].order_id is None  # copies, the inputs are untouched


def test_unknown_satellite_serves_nothing():
    assert filter_for_order([replace(OPPS[0], satellite_id="GHOST")], _order(), SATS) == []
