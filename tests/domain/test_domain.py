"""Validation and vocabulary of the domain model."""
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import (Acquisition, GroundStation, Order, OrderConstraints, Satellite, Target,
                        ValidationError, new_id, new_run_id, opportunity_id, parse_utc, to_iso)
from app.domain.enums import LockLevel, OrderStatus, parse_enum
from app.domain.errors import RuleViolation
from app.domain.orders import check_transition

T0 = datetime(2026, 8, 7, 9, 15, 26, tzinfo=timezone.utc)
L1 = "1 43800U 18099AF  26222.50000000  .00001000  00000-0  50000-4 0  9990"
L2 = "2 43800  97.4330 275.4158 0011945 110.9387 249.3126 15.18312769421067"


def test_parse_utc_accepts_z_and_offsets():
    assert parse_utc("2026-08-07T09:15:26Z") == T0
    assert parse_utc("2026-08-07T11:15:26+02:00") == T0
    assert parse_utc(T0) == T0


@pytest.mark.parametrize("bad", ["2026-08-07T09:15:26", datetime(2026, 8, 7)])
def test_naive_time_refused_with_reason(bad):
    with pytest.raises(ValidationError, match="start: naive time"):
        parse_utc(bad, "start")


def test_garbage_time_names_field():
    with pytest.raises(ValidationError, match="window_end: not an ISO 8601 time"):
        parse_utc("next tuesday", "window_end")


def test_to_iso_has_z_suffix():
    assert to_iso(T0) == "2026-08-07T09:15:26Z"
    assert to_iso(T0.replace(microsecond=500000)) == "2026-08-07T09:15:26.500000Z"


def test_ids_have_prefix_and_12_hex():
    for prefix in ("ord", "acq", "plan", "planitem", "conflict", "ws"):
        value = new_id(prefix)
        head, tail = value.rsplit("_", 1)
        assert head == prefix and len(tail) == 12 and int(tail, 16) >= 0
    assert new_run_id(T0).startswith("run_20260807_091526_")


def test_opportunity_id_is_deterministic():
    assert opportunity_id("ICEYE-X2", "Athens", T0, "max") == "ICEYE-X2_Athens_20260807T091526_max"
    assert opportunity_id("ICEYE-X2", "Athens", T0.replace(microsecond=900000), "early_30").endswith(
        "20260807T091526_early_30")


@pytest.mark.parametrize("priority", [0, 6, 9, "high", 2.5, True])
def test_priority_must_be_1_to_5(priority):
    with pytest.raises(ValidationError, match="priority"):
        Order(id="ord_x", workspace_id="ws_x", target_id="Athens", priority=priority)


def test_window_end_before_start_refused():
    with pytest.raises(ValidationError, match="requested_window_end: must be after"):
        Order(id="ord_x", workspace_id="ws_x", target_id="A",
              requested_window_start=T0, requested_window_end=T0 - timedelta(hours=1))


def test_naive_window_refused():
    with pytest.raises(ValidationError, match="requested_window_start: naive"):
        Order(id="ord_x", workspace_id="ws_x", target_id="A", requested_window_start=datetime(2026, 1, 1))


@pytest.mark.parametrize("lat,lon,field", [(123, 0, "lat"), (-91, 0, "lat"), (0, 181, "lon")])
def test_coordinates_in_range(lat, lon, field):
    with pytest.raises(ValidationError, match=f"targets\\[T\\].{field}: must be between"):
        Target(id="T", lat=lat, lon=lon)
    with pytest.raises(ValidationError, match=field):
        GroundStation(id="G", lat=lat, lon=lon)


def test_constraints_validate_enums_and_unknown_keys():
    assert OrderConstraints.from_dict({"look_side": "LEFT"}).to_dict() == {"look_side": "LEFT"}
    with pytest.raises(ValidationError, match="constraints.look_side: must be one of LEFT\\|RIGHT\\|ANY"):
        OrderConstraints(look_side="UP")
    with pytest.raises(ValidationError, match="constraints.colour: unknown constraint"):
        OrderConstraints.from_dict({"colour": "red"})
    with pytest.raises(ValidationError, match="max_incidence_deg"):
        OrderConstraints(max_incidence_deg=120)


def test_order_lifecycle():
    check_transition(OrderStatus.NEW, OrderStatus.PLANNED)
    check_transition(OrderStatus.PLANNED, OrderStatus.COMMITTED)
    check_transition(OrderStatus.COMMITTED, OrderStatus.COMPLETED)
    check_transition(OrderStatus.PLANNED, OrderStatus.NEW)
    check_transition(OrderStatus.NEW, OrderStatus.CANCELLED)
    with pytest.raises(RuleViolation, match="status: cannot go from completed to new"):
        check_transition(OrderStatus.COMPLETED, OrderStatus.NEW)
    with pytest.raises(RuleViolation, match="cannot go from cancelled"):
        check_transition(OrderStatus.CANCELLED, OrderStatus.PLANNED)


def test_satellite_agility_validated():
    sat = Satellite(id="ICEYE-X2", tle_line1=L1, tle_line2=L2, mode="SAR", max_pitch_deg=20)
    assert sat.mode == "SAR" and sat.slew_model == "per_axis"
    with pytest.raises(ValidationError, match="satellites\\[S\\].roll_rate_dps: must be > 0"):
        Satellite(id="S", tle_line1=L1, tle_line2=L2, roll_rate_dps=0)
    with pytest.raises(ValidationError, match="satellites\\[S\\].mode"):
        Satellite(id="S", tle_line1=L1, tle_line2=L2, mode="LIDAR")


def test_acquisition_end_attitude_defaults_to_start_and_enum_parse():
    acq = Acquisition(id="acq_1", workspace_id="ws", satellite_id="S", target_id="T",
                      start=T0, end=T0 + timedelta(seconds=10), roll_deg=12.0)
    assert acq.roll_end_deg == 12.0 and acq.pitch_end_deg == 0.0
    assert parse_enum(LockLevel, "hard", "lock_level") is LockLevel.HARD
    with pytest.raises(ValidationError, match="lock_level: must be one of none\\|soft\\|hard"):
        parse_enum(LockLevel, "frozen", "lock_level")
