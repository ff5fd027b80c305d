"""One placement naming in Python (issue #10 item 1): the columns keep their stored names, and what
earlier code stored under the old names (audit snapshots) still reads.

``tests/data/old_names/moved.sqlite`` was written by the code of main at 9115921 (before the rename)
with ``make_old_names.py`` next to it: two committed acquisitions, one moved (its audit entry says
``start_time``, ``roll_angle_deg``, ``incidence_angle_deg``), one deleted and restored (its audit
entries hold the whole acquisition under the old names)."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect

from app.domain import Acquisition, PlanItem
from app.domain.placement import OLD_NAMES, STORED_FIELDS, current_names
from app.persistence import ScheduleDB
from app.persistence.models import ACQUISITIONS, COLUMN_OF, PLAN_ITEMS
from app.persistence.rows import acquisition_dict, acquisition_from_json

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "old_names" / "moved.sqlite"
T0 = datetime(2026, 8, 7, 9, 0, 0, tzinfo=timezone.utc)

keys = st.sampled_from([*OLD_NAMES, *OLD_NAMES.values(), "id", "version", "satellite_id"])
values = st.one_of(st.none(), st.integers(), st.text(max_size=3))


@given(st.dictionaries(keys, values, max_size=8))
def test_current_names_renames_old_keys_and_keeps_the_current_value_when_both_are_there(d):
    out = current_names({"after": [d]})["after"][0]
    assert not set(OLD_NAMES) & set(out)
    for old, new in OLD_NAMES.items():
        if new in d:
            assert out[new] == d[new]
        elif old in d:
            assert out[new] == d[old]
    assert {k: v for k, v in out.items() if k not in OLD_NAMES.values()} == \
        {k: v for k, v in d.items() if k not in OLD_NAMES and k not in OLD_NAMES.values()}


def test_python_names_map_onto_the_stored_columns():
    # The domain dataclasses, the ORM attributes and the columns: one naming, five stored names kept.
    assert COLUMN_OF == {new: old for old, new in OLD_NAMES.items()}
    for table, cls in ((ACQUISITIONS, Acquisition), (PLAN_ITEMS, PlanItem)):
        fields = set(cls.__dataclass_fields__)
        assert set(STORED_FIELDS) <= fields and not set(OLD_NAMES) & fields
        assert {COLUMN_OF.get(f, f) for f in STORED_FIELDS} <= set(table.c.keys())


@pytest.fixture
def old_db(tmp_path):
    path = tmp_path / "old.sqlite"
    shutil.copy(FIXTURE, path)
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(acquisitions)")}
    conn.close()
    assert {"start_time", "end_time", "roll_angle_deg", "pitch_angle_deg", "incidence_angle_deg"} <= columns
    db = ScheduleDB(path, user="tester")
    yield db
    db.close()


def _entries(db, aid):
    """The first audit entry of each action of ``aid`` (the ones the old code wrote)."""
    out = {}
    for e in sorted(db.list_audit(entity_id=aid, limit=None), key=lambda e: e.id):
        out.setdefault(e.action, e)
    return out


def test_a_database_written_before_the_rename_reads_under_the_new_names(old_db):
    ws = old_db.find_workspace("old-names")
    moved, restored = sorted(old_db.list_acquisitions(ws.id), key=lambda a: a.start)
    assert (moved.start, moved.roll_deg, moved.incidence_deg) == (T0 + timedelta(minutes=3), -4.0, 5.5)
    assert (restored.start, restored.roll_deg, restored.incidence_deg) == (T0 + timedelta(minutes=10), 11.0, 13.0)
    move = _entries(old_db, moved.id)["move"]
    assert move.before == {"start": "2026-08-07T09:00:00Z", "end": "2026-08-07T09:00:10Z", "roll_deg": 10.0,
                           "incidence_deg": 12.0, "version": 1}
    assert move.after["start"] == "2026-08-07T09:03:00Z" and not set(OLD_NAMES) & set(move.after)
    # The change feed reads the same entries (the team view): no old name reaches it either.
    assert all(not set(OLD_NAMES) & set(e.before or {}) for e in old_db.list_audit(workspace_id=ws.id, limit=None))
    # The seed's horizon response keeps the seed's names.
    horizon = old_db.get_horizon("2026-08-07T00:00:00Z", "2026-08-08T00:00:00Z", ws.id)
    assert {"start_time", "end_time", "roll_angle_deg"} <= set(horizon["acquisitions"][0])
    assert acquisition_dict(moved)["start_time"] == "2026-08-07T09:03:00Z"


def test_undo_of_entries_recorded_with_the_old_names(old_db):
    ws = old_db.find_workspace("old-names")
    moved, restored = sorted(old_db.list_acquisitions(ws.id), key=lambda a: a.start)
    # Undo the old move: put back what its audit entry says the acquisition was.
    before = _entries(old_db, moved.id)["move"].before
    back = old_db.update_acquisition(moved.id, {k: v for k, v in before.items() if k != "version"},
                                     expected_version=moved.version)
    assert (back.start, back.end, back.roll_deg, back.incidence_deg) == (
        T0, T0 + timedelta(seconds=10), 10.0, 12.0)
    # Undo a delete from the old record: the acquisition snapshot under the old names comes back whole.
    snapshot = _entries(old_db, restored.id)["delete"].before
    assert acquisition_from_json(snapshot) == acquisition_from_json(
        {k: v for k, v in _entries(old_db, restored.id)["restore"].after.items()})
    old_db.delete_acquisitions([restored.id])
    assert old_db.get_acquisition(restored.id) is None
    old_db.restore_acquisitions([acquisition_from_json(snapshot)])
    again = old_db.get_acquisition(restored.id)
    assert (again.start, again.roll_deg, again.pitch_deg, again.incidence_deg, again.look_side) == (
        restored.start, restored.roll_deg, restored.pitch_deg, restored.incidence_deg, restored.look_side)
    # What the new code writes is under the new names, in the stored columns.
    entry = old_db.list_audit(entity_id=moved.id, limit=1)[0]
    assert entry.action == "move" and entry.after["start"] == "2026-08-07T09:00:00Z"
    with old_db.engine.connect() as conn:
        raw = conn.exec_driver_sql("SELECT start_time, roll_angle_deg, incidence_angle_deg FROM acquisitions "
                                   "WHERE id = ?", (moved.id,)).one()
    assert raw[0].startswith("2026-08-07T09:00:00") and (raw[1], raw[2]) == (10.0, 12.0)
    assert "start_time" in {c["name"] for c in inspect(old_db.engine).get_columns("acquisitions")}


def test_direct_commit_items_read_under_either_naming(tmp_path):
    db = ScheduleDB(tmp_path / "x.sqlite", user="tester")
    try:
        ws = db.create_workspace("w")
        seed = {"opportunity_id": "o1", "satellite_id": "SAT-1", "target_id": "T1", "start_time": T0,
                "end_time": T0 + timedelta(seconds=5), "roll_angle_deg": 12.5, "pitch_angle_deg": 1.0,
                "incidence_angle_deg": 14.0, "value": 1.0}
        ours = {"opportunity_id": "o2", "satellite_id": "SAT-1", "target_id": "T2", "start": T0 + timedelta(hours=1),
                "end": T0 + timedelta(hours=1, seconds=5), "roll_deg": -3.0, "pitch_deg": 0.0, "incidence_deg": 4.0,
                "value": 1.0}
        res = db.commit_direct([seed, ours], algorithm="test", workspace_id=ws.id)
        a, b = sorted(db.get_acquisitions([c["id"] for c in res["acquisitions_created"]]), key=lambda x: x.start)
        assert (a.start, a.roll_deg, a.pitch_deg, a.incidence_deg) == (T0, 12.5, 1.0, 14.0)
        assert (b.roll_deg, b.incidence_deg) == (-3.0, 4.0)
    finally:
        db.close()
