"""The demo workspace (``data/demo_scenario.json``), planned and committed so that the workbench
opens on a meaningful schedule, with a few orders left in the Inbox for the planner."""
from __future__ import annotations

import json

from app.domain import NotFoundError, Workspace
from app.domain.progress import FractionProgress
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
                progress: FractionProgress | None = None) -> Workspace:
    """The demo workspace, imported the first time with its 60 orders in the Inbox. With
    ``schedule`` (what the workbench opens on), a workspace that was never planned is then planned
    (best fit, from scratch) for all but the last ``INBOX_ORDERS`` orders and committed, with the
    acquisitions of priority-1 orders hard-locked.

    Every step is one transaction and the schedule step is recognised by its result (a plan was
    committed), so a run interrupted anywhere (a kill during the first start) is completed by
    the next one: the import happened or not; planning left at most a candidate, which the
    next run replaces; commit and hard locks land together."""
    try:
        ws = resolve_workspace(db, DEMO_NAME)
    except NotFoundError:
        scenario = parse_scenario(json.loads(DEMO_SCENARIO.read_text(encoding="utf-8")))
        ws = import_scenario(db, scenario, DEMO_NAME)
    if not schedule or db.list_plans(ws.id, status=("committed", "superseded")):
        return ws
    orders = sorted(db.list_orders(workspace_id=ws.id, limit=None), key=lambda o: o.external_ref or o.id)
    # "planned": held by the candidate of an interrupted run, which this run replaces
    first = tuple(o.id for o in orders[:-INBOX_ORDERS] if o.status in ("new", "planned"))
    result = run_planning(db, ws.id, PlanOptions(mode="from_scratch", algorithm="best_fit", order_ids=first),
                          progress=progress)
    urgent = tuple(o.id for o in orders if o.priority == 1)
    commit_plan(db, ws.id, result.plan_id, hard_lock_orders=urgent)
    return ws
