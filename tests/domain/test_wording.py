"""Plain language (issue 15): names, durations, shifts and grouped refusals."""
from datetime import datetime, timedelta, timezone

from app.domain import Acquisition, Opportunity, Order
from app.domain.wording import (acquisition_name, day_time, duration, group_refusals, item_name, moment, order_name,
                                plural, refusals_text, shift, signed_duration, time_span, without_ids)

UTC = timezone.utc
T = datetime(2026, 8, 13, 9, 33, 41, tzinfo=UTC)


def test_an_acquisition_is_named_by_target_satellite_and_time():
    a = Acquisition(id="acq_bda1b88098a2", workspace_id="ws", satellite_id="WORLDVIEW-3", target_id="Luanda",
                    start=T, end=T + timedelta(seconds=8), roll_deg=3.0)
    assert acquisition_name(a) == "Luanda · WORLDVIEW-3 · Thu 13 Aug 09:33Z"
    o = Opportunity(id="WORLDVIEW-3_Luanda_20260813T093341_max", satellite_id="WORLDVIEW-3", target_id="Luanda",
                    start=T, end=T + timedelta(seconds=8), roll_deg=3.0)
    assert acquisition_name(o) == "Luanda · WORLDVIEW-3 · Thu 13 Aug 09:33Z"
    assert item_name("Luanda", None, None) == "Luanda"
    # UTC whatever the zone of the value.
    assert day_time(T.astimezone(timezone(timedelta(hours=-5)))) == "Thu 13 Aug 09:33Z"


def test_an_order_is_named_by_target_reference_and_priority():
    o = Order(id="ord_0123456789ab", workspace_id="ws", target_id="Lima", priority=4, external_ref="REQ-0049")
    assert order_name(o) == "Lima (REQ-0049, priority 4)"
    assert order_name(Order(id="ord_x", workspace_id="ws", target_id="Lima")) == "Lima (priority 3)"


def test_durations_and_shifts():
    assert duration(8) == "8 s"
    assert duration(2.5) == "2.5 s"
    assert duration(245) == "4 min 05 s"
    assert duration(42 * 3600 + 5 * 60 + 17) == "42 h 05 min"
    assert duration(5 * 86400 + 4 * 3600) == "5 d 04 h"
    assert shift(42 * 3600 + 5 * 60) == "+42 h 05 min"
    assert shift(-8) == "−8 s"
    assert shift(0) == "0 s"
    assert signed_duration(-30) == "−30 s" and signed_duration(30) == "30 s"
    # The slack the issue quotes (175344.5 s) reads in hours.
    assert duration(175344.5) == "48 h 42 min"


def test_ids_are_taken_out_of_reasons():
    assert without_ids("Move acq_bda1b88098a2 later") == "Move it later"


def test_a_refusal_of_eight_items_reads_as_one_reason_with_eight_names():
    ids = [f"acq_{k:012x}" for k in range(8)]
    refusals = {i: f"{i} is hard-locked and cannot be deleted: unlock it first" for i in ids}
    refusals["acq_00000000ffff"] = "acq_00000000ffff is in the frozen zone (before Mon 10 Aug 02:00Z)"
    names = {i: f"City{k} · SPOT-6 · Mon 10 Aug 0{k}:00Z" for k, i in enumerate(ids)}
    names["acq_00000000ffff"] = "Lima · SPOT-7 · Mon 10 Aug 01:00Z"
    groups = group_refusals(refusals, names.get)
    assert [g.count for g in groups] == [8, 1]
    assert groups[0].reason == "Hard-locked and cannot be deleted: unlock it first"
    assert groups[0].heading == "Hard-locked and cannot be deleted: unlock it first (8)"
    assert [n for _, n in groups[0].items] == sorted(names[i] for i in ids)
    assert {i for i, _ in groups[0].items} == set(ids)  # ids kept for tooltips/details
    assert groups[1].reason == "In the frozen zone (before Mon 10 Aug 02:00Z)"
    line = refusals_text(refusals, names.get)
    assert line.startswith("9 refused — Hard-locked and cannot be deleted: unlock it first (8): City0 · ")
    assert "and 5 more" in line and "acq_" not in line


def test_plural_and_time_span():
    assert [plural(n, "conflict") for n in (0, 1, 2)] == ["0 conflicts", "1 conflict", "2 conflicts"]
    t = datetime(2026, 8, 13, 11, 10, tzinfo=timezone.utc)
    assert time_span(t, t + timedelta(minutes=100)) == "Thu 13 Aug 11:10Z – 12:50Z"
    assert time_span(t, t + timedelta(hours=14)) == "Thu 13 Aug 11:10Z – Fri 14 Aug 01:10Z"

    assert moment(t) == "Thu 13 Aug 11:10Z" and moment(t + timedelta(seconds=20)) == "Thu 13 Aug 11:10:20Z"
