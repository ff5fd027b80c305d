"""A small real workspace with a committed schedule and a candidate plan, and a database dump
(every row of every table) to prove that a refused command wrote nothing."""
import hashlib
import json
import shutil
import sqlite3

import pytest

from app.persistence import ScheduleDB
from app.services import commits, planning
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario
from tests.conftest import DEMO, SMALL_SATELLITES


def small_doc(n_targets: int = 6) -> dict:
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    doc["satellites"] = [s for s in doc["satellites"] if s["id"] in SMALL_SATELLITES]
    doc["targets"] = doc["targets"][:n_targets]
    doc["settings"]["horizon_end"] = "2026-08-11T00:00:00Z"
    doc["orders"] = [{"external_ref": f"T-{k:02d}", "target_id": t["id"], "priority": 1 + k % 5,
                      "constraints": {}} for k, t in enumerate(doc["targets"][:n_targets - 2])]
    return doc


def dump(path) -> tuple[dict[str, int], str]:
    """Row counts per table and a hash of every row (sorted), read with plain sqlite3."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        digest = hashlib.sha256()
        counts = {}
        for table in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{table}"'))
            counts[table] = len(rows)
            digest.update(table.encode())
            for r in rows:
                digest.update(r.encode())
        return counts, digest.hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """workspace ``ops``: 4 orders committed, then 2 more orders held by a candidate plan."""
    path = tmp_path_factory.mktemp("template") / "ops.db"
    db = ScheduleDB(str(path))
    doc = small_doc()
    import_scenario(db, parse_scenario(doc), "ops")
    first = planning.run_planning(db, "ops", planning.PlanOptions(algorithm="first_fit"))
    commits.commit_plan(db, "ops", first.plan_id)
    ws = db.find_workspace("ops")
    db.create_orders(ws.id, [{"target_id": t["id"], "priority": 2, "external_ref": f"C-{t['id']}"}
                             for t in doc["targets"][-2:]])
    planning.run_planning(db, "ops", planning.PlanOptions(mode="incremental", algorithm="first_fit"))
    db.close()
    return path


@pytest.fixture
def ops_db(template_db, tmp_path):
    """A private copy of the template database (path as str)."""
    path = tmp_path / "ops.db"
    shutil.copy(template_db, path)
    return str(path)
