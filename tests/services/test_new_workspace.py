"""File ▸ New workspace: next week's planning from this week's scenario, or an empty one."""
from datetime import datetime, timedelta, timezone

import pytest

from app.domain import ValidationError
from app.services.workspaces import create_workspace

START = datetime(2026, 8, 17, tzinfo=timezone.utc)


def test_new_workspace_copies_the_scenario_not_the_orders(small_db):
    db, ws = small_db
    new = create_workspace(db, "next week", START, 7, copy_from="small")
    assert (new.settings.horizon_start, new.settings.horizon_end, new.settings.scenario_clock) == (
        START, START + timedelta(days=7), START)
    source = db.find_workspace(ws).settings
    assert new.settings.weights == source.weights and new.settings.freeze_window_hours == source.freeze_window_hours
    assert [s.id for s in db.list_satellites(new.id)] == [s.id for s in db.list_satellites(ws)]
    assert [t.id for t in db.list_targets(new.id)] == [t.id for t in db.list_targets(ws)]
    assert [g.id for g in db.list_ground_stations(new.id)] == [g.id for g in db.list_ground_stations(ws)]
    assert db.list_orders(workspace_id=new.id, limit=None) == [] and db.list_acquisitions(new.id) == []
    empty = create_workspace(db, "scratch", "2026-09-01T00:00:00Z", 2)
    assert db.list_satellites(empty.id) == [] and empty.settings.horizon_end == datetime(2026, 9, 3, tzinfo=timezone.utc)


@pytest.mark.parametrize("kwargs, field", [
    ({"name": "small"}, "name"),
    ({"horizon_days": 0}, "horizon_days"),
    ({"horizon_days": 365}, "horizon_days"),
    ({"horizon_start": "2026-08-17 00:00"}, "horizon_start"),
])
def test_bad_input_names_the_field_and_writes_nothing(small_db, kwargs, field):
    db, _ = small_db
    before = [w.name for w in db.list_workspaces()]
    args = {"name": "next", "horizon_start": START, "horizon_days": 7, "copy_from": "small"} | kwargs
    with pytest.raises(ValidationError) as err:
        create_workspace(db, **args)
    assert err.value.field == field
    assert [w.name for w in db.list_workspaces()] == before
