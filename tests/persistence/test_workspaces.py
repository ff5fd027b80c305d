"""Workspaces, settings, scenario tables, satellite groups and the v1 blob table."""
from __future__ import annotations

import json

import pytest

from app.domain import (GroundStation, NotFoundError, PowerModel, Satellite, Target, ValidationError,
                        WorkspaceSettings)
from app.domain.enums import Mode, QualityModel, SlewModel

from .helpers import NOW, counts

L1 = "1 43800U 18099AF  26222.50000000  .00001000  00000-0  50000-4 0  9990"
L2 = "2 43800  97.4330 275.4158 0011945 110.9387 249.3126 15.18312769421067"


def _sat(name="ICEYE-X2", **kw):
    return Satellite(id=name, tle_line1=L1, tle_line2=L2, norad_id=43800, mode=Mode.SAR, sensor_type="sar",
                     max_pitch_deg=20.0, slew_model=SlewModel.EIGEN_AXIS, sar_modes=("spot", "strip"),
                     power=PowerModel(1300.0, 800.0, 20.0, 420.0, 360.0, 85.0), **kw)


def test_create_find_list_workspaces(db):
    a = db.create_workspace("alpha")
    b = db.create_workspace("beta", {"freeze_window_hours": 4, "weights": [70, 20, 10]})
    assert a.id.startswith("ws_")
    assert db.find_workspace("beta") == b == db.find_workspace(b.id)
    assert b.settings.freeze_window_hours == 4 and b.settings.weights == (70.0, 20.0, 10.0)
    assert [w.name for w in db.list_workspaces()] == ["alpha", "beta"]
    assert db.get_workspace("ws_000000000000") is None
    with pytest.raises(NotFoundError, match="workspace: no workspace 'gamma'"):
        db.find_workspace("gamma")
    with pytest.raises(NotFoundError):
        db.load_workspace("ws_000000000000")


def test_workspace_refusals_write_nothing(db):
    db.create_workspace("alpha")
    before = counts(db)
    with pytest.raises(ValidationError, match="name: a workspace named 'alpha' already exists"):
        db.create_workspace("alpha")
    with pytest.raises(ValidationError, match="name: must be a non-empty string"):
        db.create_workspace("  ")
    with pytest.raises(ValidationError, match="settings.freeze_window_hours: must be ≥ 0"):
        db.create_workspace("x", {"freeze_window_hours": -1})
    with pytest.raises(ValidationError, match="settings.scenario_clock: naive time"):
        db.create_workspace("x", {"scenario_clock": "2026-08-07T00:00:00"})
    assert counts(db) == before


def test_settings_round_trip_and_update(db):
    settings = WorkspaceSettings(horizon_start=NOW, scenario_clock=NOW, quality_model=QualityModel.BAND,
                                 freeze_window_hours=3.5)
    ws = db.create_workspace("s", settings)
    assert db.get_workspace(ws.id).settings == settings
    updated = db.update_workspace_settings(ws.id, WorkspaceSettings(freeze_window_hours=1.0))
    assert updated.settings.freeze_window_hours == 1.0 and updated.settings.scenario_clock is None
    entry = db.list_audit(workspace_id=ws.id, limit=1)[0]
    assert entry.action == "update_settings" and entry.before["freeze_window_hours"] == 3.5


def test_scenario_replace_upsert_list(db, ws):
    sat = _sat()
    db.replace_scenario(ws.id, [sat], [Target("Athens", 37.98, 23.73), Target("Rome", 41.9, 12.5, priority=1)],
                        [GroundStation("Svalbard", 78.23, 15.41, 450.0, 5.0)])
    assert db.list_satellites(ws.id) == [sat]
    assert [t.id for t in db.list_targets(ws.id)] == ["Athens", "Rome"]
    assert db.list_ground_stations(ws.id)[0].mask_deg == 5.0
    db.upsert_targets(ws.id, [Target("Rome", 41.9, 12.5, priority=2), Target("Oslo", 59.9, 10.7)])
    assert {t.id: t.priority for t in db.list_targets(ws.id)} == {"Athens": 3, "Rome": 2, "Oslo": 3}
    db.upsert_satellites(ws.id, [_sat("SAT-2")])
    db.upsert_ground_stations(ws.id, [GroundStation("Kiruna", 67.86, 20.96)])
    assert [s.id for s in db.list_satellites(ws.id)] == ["ICEYE-X2", "SAT-2"]
    db.replace_scenario(ws.id, [], [Target("Lima", -12.0, -77.0)], [])
    assert db.list_satellites(ws.id) == [] and [t.id for t in db.list_targets(ws.id)] == ["Lima"]


def test_scenario_refusals_write_nothing(db, ws):
    before = counts(db)
    with pytest.raises(ValidationError, match=r"targets\[1\]\.id: duplicate id 'A'"):
        db.replace_scenario(ws.id, [], [Target("A", 0, 0), Target("A", 1, 1)], [])
    with pytest.raises(ValidationError, match=r"satellites\[0\]: expected a Satellite"):
        db.replace_scenario(ws.id, [{"id": "x"}], [], [])
    with pytest.raises(NotFoundError):
        db.replace_scenario("ws_nope", [], [], [])
    assert counts(db) == before


def test_workspace_from_scenario_is_one_transaction(db):
    before = counts(db)
    with pytest.raises(ValidationError, match=r"orders\[1\]\.priority"):
        db.create_workspace_from_scenario("scn", WorkspaceSettings(), [_sat()], [Target("A", 1, 2)], [],
                                          [{"target_id": "A", "priority": 2}, {"target_id": "A", "priority": 9}])
    assert counts(db) == before
    ws = db.create_workspace_from_scenario("scn", WorkspaceSettings(), [_sat()], [Target("A", 1, 2)], [],
                                           [{"target_id": "A", "priority": 2, "source": "batch"}])
    assert len(db.list_orders(workspace_id=ws.id)) == 1 and len(db.list_satellites(ws.id)) == 1


def test_satellite_groups(db, ws):
    db.upsert_satellites(ws.id, [_sat("S1"), _sat("S2")])
    group = db.create_satellite_group(ws.id, "iceye", ["S1", "S2"])
    assert db.list_satellite_groups(ws.id) == [group]
    before = counts(db)
    with pytest.raises(ValidationError, match=r"satellite_ids\[1\]: unknown satellite 'S9'"):
        db.create_satellite_group(ws.id, "bad", ["S1", "S9"])
    with pytest.raises(ValidationError, match="name: a satellite group named 'iceye' already exists"):
        db.create_satellite_group(ws.id, "iceye", ["S1"])
    assert counts(db) == before


def test_workspace_blobs(db, ws):
    assert db.get_workspace_blob(ws.id) is None
    db.put_workspace_blob(ws.id, orders_state_json={"orders": []}, ui_state_json="{}")
    db.put_workspace_blob(ws.id, config_hash="abc")
    blob = db.get_workspace_blob(ws.id)
    assert json.loads(blob["orders_state_json"]) == {"orders": []} and blob["config_hash"] == "abc"
    with pytest.raises(ValidationError, match="colour: unknown blob field"):
        db.put_workspace_blob(ws.id, colour="red")
