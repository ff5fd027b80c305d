"""Stored conflicts and the audit trail."""
from __future__ import annotations

import getpass

import pytest

from app.domain import Conflict, NotFoundError, ResolutionOption, RuleViolation, ValidationError
from app.domain.enums import ConflictType, ResolutionAction, Severity
from app.persistence import ScheduleDB

from .helpers import committed, counts


def _conflict(acq_ids, cid="", severity=Severity.ERROR):
    return Conflict(id=cid, type=ConflictType.TEMPORAL_OVERLAP, severity=severity,
                    description="Acquisitions overlap by 12 seconds on SAT-1", acquisition_ids=tuple(acq_ids),
                    resolution_options=(ResolutionOption(ResolutionAction.MOVE_LATER, acq_ids[1], "move 15 s later",
                                                         {"shift_seconds": 15.0}),),
                    satellite_id="SAT-1")


def test_replace_list_resolve_conflicts(db, ws):
    _, acqs, _ = committed(db, ws.id, n=2)
    ids = [a.id for a in acqs]
    stored = db.replace_conflicts(ws.id, [_conflict(ids), _conflict(ids, "conflict_fixed0001", Severity.WARNING)])
    assert stored[0].id.startswith("conflict_") and stored[1].id == "conflict_fixed0001"
    assert stored[0].resolution_options[0].params == {"shift_seconds": 15.0}
    assert stored[0].resolution_options[0].action == ResolutionAction.MOVE_LATER
    assert stored[0].workspace_id == ws.id and stored[0].detected_at is not None
    assert db.list_conflicts(ws.id) == stored
    resolved = db.resolve_conflict(stored[0].id, "move_later", "moved by hand")
    assert resolved.resolution_action == "move_later" and resolved.resolved_at is not None
    with pytest.raises(RuleViolation, match="conflict: .* was already resolved"):
        db.resolve_conflict(stored[0].id, "delete")
    with pytest.raises(ValidationError, match="action: must be one of"):
        db.resolve_conflict(stored[1].id, "ignore-it")
    with pytest.raises(NotFoundError):
        db.resolve_conflict("conflict_nope", "delete")
    # A new detector run replaces the unresolved set and keeps the resolved history.
    db.replace_conflicts(ws.id, [])
    assert db.list_conflicts(ws.id) == []
    assert [c.id for c in db.list_conflicts(ws.id, include_resolved=True)] == [stored[0].id]
    before = counts(db)
    with pytest.raises(ValidationError, match=r"conflicts\[0\]: expected a Conflict"):
        db.replace_conflicts(ws.id, [{"type": "temporal_overlap"}])
    assert counts(db) == before


def test_audit_records_who_when_what(db_path, ws, db):
    _, (a,), (o,) = committed(db, ws.id, n=1)
    entries = db.list_audit(workspace_id=ws.id, limit=None)
    actions = [e.action for e in reversed(entries)]
    assert actions[0] == "create" and "commit" in actions and "add_items" in actions
    assert all(e.who == "tester" and e.at.tzinfo is not None for e in entries)
    commit = next(e for e in entries if e.action == "commit")
    assert commit.after["acquisitions_created"][0]["id"] == a.id and commit.after["orders_updated"] == [o.id]
    default_user = ScheduleDB(db_path)
    default_user.update_order(o.id, notes="x")
    assert default_user.list_audit(entity_id=o.id, limit=1)[0].who == getpass.getuser()
    default_user.close()
    assert len(db.list_audit(limit=2)) == 2
