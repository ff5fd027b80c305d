"""Live view of the team's changes: another process's commit shows up in the feed within 2 s,
with the rows and who changed them (issue #13), on SQLite and PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from app.persistence import ScheduleDB

from .helpers import committed

ROOT = Path(__file__).resolve().parents[2]
BOB = """
import sys
from app.persistence import ScheduleDB
db = ScheduleDB(sys.argv[1], user="bob")
db.set_lock_level(sys.argv[2].split(","), "hard")
db.close()
"""


def test_another_process_change_seen_within_2_s_with_rows_and_who(db_path, ws):
    alice = ScheduleDB(db_path, user="alice")
    try:
        _, acqs, _ = committed(alice, ws.id, n=3)
        feed = alice.change_feed(ws.id)
        try:
            assert feed.poll() == []  # what was there before the feed is not news
            ids = [a.id for a in acqs[:2]]
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            subprocess.run([sys.executable, "-c", BOB, str(db_path), ",".join(ids)], check=True, env=env,
                           timeout=60)
            t0 = time.monotonic()
            changes = []
            while not changes and time.monotonic() - t0 < 2.0:
                changes = feed.poll(0.2)
            assert time.monotonic() - t0 < 2.0
            assert {c.acquisition_ids[0] for c in changes} == set(ids)
            assert {(c.who, c.entry.action) for c in changes} == {("bob", "set_lock_level")}
            assert feed.poll() == []  # reported once
            # A commit (audited on the plan) names the acquisitions it created.
            _, more, _ = committed(alice, ws.id, n=2, satellite="SAT-2")
            seen = []
            t0 = time.monotonic()
            while not seen and time.monotonic() - t0 < 2.0:
                seen = feed.poll(0.2)
            assert {a.id for a in more} <= {i for c in seen for i in c.acquisition_ids}
        finally:
            feed.close()
    finally:
        alice.close()
