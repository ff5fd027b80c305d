"""The demo workspace (``data/demo_scenario.json``), planned and committed so that the workbench
opens on a meaningful schedule, with a few orders left in the Inbox for the planner."""
from __future__ import annotations

import json
from collections.abc import Callable

from app.domain import NotFoundError, Workspace
from app.persistence import ScheduleDB

from .commits import commit_plan
from .planning import PlanOptions, run_planning
from .scenario_file import parse_scenario
from .workspaces import DATA_DIR, import_scenario, resolve_workspace

DEMO_SCENARIO = DATA_DIR / "demo_scenario.json"
DEMO_NAME = "demo"
#: Orders (the last by reference) left unplanned, as if they had just arrived.
INBOX_ORDERS = 12


def ensure_demo(db: ScheduleDB, *, schedule: bool = True,
                progress: Callable[[float, str], None] | None = None) -> Workspace:
    """The demo workspace, imported the first time with its 60 orders in the Inbox. With
    ``schedule`` (what the workbench opens on), a workspace that was never planned is then planned
    (best fit, from scratch) for all but the last ``INBOX_ORDERS`` orders and committed, with the
    acquisitions of priority-1 orders hard-locked."""
    try:
        ws = resolve_workspace(db, DEMO_NAME)
    except NotFoundError:
        scenario = parse_scenario(json.loads(DEMO_SCENARIO.read_text(encoding="utf-8")))
        ws = import_scenario(db, scenario, DEMO_NAME)
    if not schedule or db.list_plans(ws.id):
        return ws
    orders = sorted(db.list_orders(workspace_id=ws.id, limit=None), key=lambda o: o.external_ref or o.id)
    first = tuple(o.id for o in orders[:-INBOX_ORDERS] if o.status == "new")
    result = run_planning(db, ws.id, PlanOptions(mode="from_scratch", algorithm="best_fit", order_ids=first),
                          progress=progress)
    record = commit_plan(db, ws.id, result.plan_id)
    urgent = {o.id for o in orders if o.priority == 1}
    locked = [a.id for a in record.created if a.order_id in urgent]
    if locked:
        db.set_lock_level(locked, "hard")
    return ws
