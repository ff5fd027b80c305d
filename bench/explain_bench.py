"""``explain`` on the ops week (budgets.md reference workload; issue 15: < 2 s for one order).

    python bench/explain_bench.py                 # builds the workspace (~2-4 min), then ~1 min
    python bench/explain_bench.py --db /tmp/ops.db   # reuse (or keep) the built workspace

The workspace: the access benchmark's 50 satellites and 1,000 land targets (``bench/access_bench``),
the 4 demo ground stations, a 7-day horizon and 1,000 orders (one per target, priorities 1-5,
windows of 1-3 days or, for a quarter, 2 hours; a third with incidence ≤ 20°), planned from scratch (best fit) and committed.
Then orders that planning left unserved are explained one by one, each **with a cold access cache**
(the worst case: the order's target is propagated for all 50 satellites), and, as the reference,
one incremental planning run of the whole workspace is timed in the same process.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from access_bench import START, satellites, targets  # noqa: E402

from app.domain import WorkspaceSettings  # noqa: E402
from app.persistence import ScheduleDB  # noqa: E402
from app.services import access_service, explain  # noqa: E402
from app.services.commits import commit_plan  # noqa: E402
from app.services.planning import PlanOptions, run_planning  # noqa: E402
from app.services.scenario_file import Scenario, parse_scenario  # noqa: E402
from app.services.workspaces import DATA_DIR, import_scenario, resolve_workspace  # noqa: E402


def build(db: ScheduleDB) -> None:
    import numpy as np
    demo = parse_scenario(json.loads((DATA_DIR / "demo_scenario.json").read_text(encoding="utf-8")))
    tgts = targets(1000)
    rng = np.random.default_rng(15)
    orders = []
    for k, t in enumerate(tgts):
        # A quarter with a 2-hour window (often no pass in it), a third with a tight incidence limit.
        s = START + timedelta(hours=int(rng.integers(3, 6 * 24)))
        span = timedelta(hours=2) if k % 4 == 0 else timedelta(days=int(rng.integers(1, 4)))
        e = min(s + span, START + timedelta(days=7))
        cons = {"max_incidence_deg": 20.0} if k % 3 == 0 else {}
        orders.append({"target_id": t.id, "priority": 1 + k % 5, "requested_window_start": s,
                       "requested_window_end": e, "constraints": cons, "external_ref": f"OPS-{k:04d}"})
    settings = WorkspaceSettings(horizon_start=START, horizon_end=START + timedelta(days=7), scenario_clock=START)
    ws = import_scenario(db, Scenario("ops", settings, satellites(50), tgts, demo.ground_stations, orders), "ops")
    t = time.perf_counter()
    result = run_planning(db, ws.id, PlanOptions(mode="from_scratch", algorithm="best_fit"))
    commit_plan(db, ws.id, result.plan_id)
    print(f"built: {len(result.items)} acquisitions, {len(result.unserved)} unserved, "
          f"plan + commit {time.perf_counter() - t:.1f} s", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", help="database file to build or reuse")
    ap.add_argument("--orders", type=int, default=7, help="unserved orders to explain")
    args = ap.parse_args(argv)
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "ops.db"
    db = ScheduleDB(path)
    try:
        try:
            ws = resolve_workspace(db, "ops")
        except Exception:
            build(db)
            ws = resolve_workspace(db, "ops")
        served = {a.order_id for a in db.list_acquisitions(ws.id)}
        unserved = [o for o in db.list_orders(workspace_id=ws.id, limit=None) if o.id not in served]
        times, kinds, checks = [], [], []
        for o in unserved[:args.orders]:
            access_service.clear_cache()
            t = time.perf_counter()
            e = explain.explain(db, ws.id, o.id)
            times.append(time.perf_counter() - t)
            kinds.append(e.kind)
            checks.append(len(e.suggestions))
        access_service.clear_cache()
        t = time.perf_counter()
        run_planning(db, ws.id, PlanOptions(mode="incremental", algorithm="best_fit"))
        ref = time.perf_counter() - t
    finally:
        db.close()
    med = statistics.median(times)
    print("| what | figure | budget | reference (same run) | ratio |")
    print("|---|---|---|---|---|")
    print(f"| explain one unserved order, ops week, cold access cache (median of {len(times)}; "
          f"max {max(times):.2f} s) | {med:.2f} s | < 2 s | incremental plan of the whole week: {ref:.1f} s | "
          f"{ref / med:.0f}× faster |")
    print(f"kinds: {dict((k, kinds.count(k)) for k in sorted(set(kinds)))}; suggestions per order: {checks}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
