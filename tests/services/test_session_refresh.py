"""Rows another process changed reach the session one by one (``refresh_rows``, fed by the team's
change feed), and F5 reads only the conflict list: no full reload, and this session's own
edits emit nothing when the feed names them again."""
from __future__ import annotations

import pytest

from app.persistence import ScheduleDB
from app.services import commands as cmd
from app.services.planning import PlanOptions, run_planning
from app.services.scenario_file import parse_scenario
from app.services.session import SessionEvent, WorkbenchSession
from app.services.workspaces import import_scenario


@pytest.fixture
def committed(tmp_path, small_scenario):
    """A session on a day with a committed plan, and a second ScheduleDB as another planner (bob)."""
    path = tmp_path / "day.db"
    db = ScheduleDB(path)
    import_scenario(db, parse_scenario(small_scenario(n_targets=20, n_orders=12)), "day")
    session = WorkbenchSession(db, "day")
    ws = session.workspace.id
    session.planning_done(run_planning(db, ws, PlanOptions(mode="from_scratch")))
    session.execute(cmd.CommitPlan(ws, session.candidate.plan_id))
    bob = ScheduleDB(path, user="bob")
    yield session, bob
    bob.close()
    db.close()


def test_another_planners_rows_are_read_alone(committed):
    session, bob = committed
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    feed = session.db.change_feed(session.workspace.id)
    ids = sorted(session.acquisitions)
    locked, gone = ids[:2], ids[2]
    order_of_gone = session.acquisitions[gone].order_id
    bob.set_lock_level(locked, "hard")
    bob.delete_acquisitions([gone])
    changes = feed.poll()
    assert {c.who for c in changes} == {"bob"}
    differed = session.refresh_rows([i for c in changes for i in c.acquisition_ids])
    assert set(differed.acquisitions) == set(locked) and differed.removed == (gone,)
    assert order_of_gone in differed.orders and session.orders[order_of_gone].status == "new"
    assert {str(session.acquisitions[i].lock_level) for i in locked} == {"hard"} and gone not in session.acquisitions
    assert len(events) == 1 and not events[0].full
    assert set(events[0].changes.acquisitions) == set(locked) and events[0].changes.removed == (gone,)

    # This session's own edit, named again by the feed: nothing differs, nothing is emitted.
    mine = ids[3]
    session.execute(cmd.SetLock([mine], "soft"))
    n = len(events)
    again = session.refresh_rows([i for c in feed.poll() for i in c.acquisition_ids])
    assert not again and len(events) == n
    feed.close()


def test_f5_reads_the_conflicts_and_only_rows_it_does_not_hold(committed, force_overlap):
    session, bob = committed
    events: list[SessionEvent] = []
    session.subscribe(events.append)
    # Bob forces an overlap; this session has not seen it yet.
    first, second = force_overlap(bob, [a for a in session.acquisitions.values() if a.lock_level != "hard"])
    changes = session.detect_conflicts()
    assert changes.conflicts and any(c.type == "temporal_overlap" for c in session.conflicts.values())
    assert all(not e.full for e in events)
    # The moved row is held (an older version): F5 does not read rows it holds; the feed does.
    assert second.id not in changes.acquisitions
    assert session.refresh_rows([second.id]).acquisitions == (second.id,)
    assert session.acquisitions[second.id].start == first.start


def test_own_rows_named_by_the_feed_are_compared_by_version_not_read_whole(committed, monkeypatch):
    """After this window's own commit the feed names all its rows again: only their versions are
    read; another planner's change to one of them (a new version) is read whole."""
    session, bob = committed
    feed = session.db.change_feed(session.workspace.id)
    whole: list[list[str]] = []
    real_acqs, real_orders = session.db.get_acquisitions, session.db.get_orders
    monkeypatch.setattr(session.db, "get_acquisitions", lambda ids: whole.append(list(ids)) or real_acqs(ids))
    monkeypatch.setattr(session.db, "get_orders", lambda ids: whole.append(list(ids)) or real_orders(ids))
    ids = sorted(session.acquisitions)
    session.execute(cmd.SetLock(ids[:5], "soft"))
    whole.clear()
    named = [i for c in feed.poll() for i in c.acquisition_ids]
    assert set(ids[:5]) <= set(named)
    assert not session.refresh_rows(named, [session.acquisitions[i].order_id for i in ids[:5]])
    assert whole == []
    bob.set_lock_level([ids[0]], "hard")
    differed = session.refresh_rows([i for c in feed.poll() for i in c.acquisition_ids])
    assert differed.acquisitions == (ids[0],) and str(session.acquisitions[ids[0]].lock_level) == "hard"
    assert whole == [[ids[0]]]
    feed.close()
