"""ScheduleDB benchmark (budgets.md, "ScheduleDB"): commit, horizon query, cold open.

    python bench/db_bench.py                 # full run: 1,000,000 acquisitions (~2-3 min, ~1 GB temp)
    python bench/db_bench.py --acquisitions 200000 --repeat 3   # quicker

Figures, each with its budget and a reference measured in the same run:

* commit of a 10,000-item plan (one transaction; orders → committed, plan → committed), median of
  ``--repeat`` commits; reference: the same 10,000 acquisitions inserted as one ORM object each
  (``session.add`` per row, one commit) — what the brief rules out;
* horizon query (one week, one workspace) over a database of ``--acquisitions`` rows, as domain
  objects, median over ``--queries`` weeks; reference: the same SQL forced to a full table scan
  (``NOT INDEXED``); SQLite's EXPLAIN QUERY PLAN is printed;
* cold open (new engine, schema check, first horizon query) in this process, and in a fresh
  Python process (imports included).

The 1M database is built in a temp dir with executemany in chunks of 50,000 rows: 10 workspaces
× 100,000 acquisitions over the year 2026, 50 satellites each (about 1,900 per workspace-week).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy.orm import Session  # noqa: E402

from app.persistence import ScheduleDB  # noqa: E402
from app.persistence.models import ACQUISITIONS, AcquisitionRow  # noqa: E402
from app.persistence.store import bulk_insert, new_ids, storage_insert  # noqa: E402
from app.persistence.types import format_utc  # noqa: E402

UTC = timezone.utc
YEAR_START = datetime(2026, 1, 1, tzinfo=UTC)
WEEK = timedelta(days=7)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def _items(n: int, orders: list, day: datetime) -> list[dict]:
    out = []
    for i in range(n):
        start = day + timedelta(seconds=60 * (i % 1440) + (i // 1440))
        out.append({"opportunity_id": f"SAT-{i % 50}_T{i}_{start:%Y%m%dT%H%M%S}_max", "satellite_id": f"SAT-{i % 50}",
                    "target_id": f"T{i}", "start": start, "end": start + timedelta(seconds=10),
                    "roll_deg": (i % 60) - 30.0, "pitch_deg": 0.0, "value": 0.5,
                    "order_id": orders[i].id if orders else None})
    return out


def bench_commit(folder: Path, n: int, repeat: int) -> dict:
    db = ScheduleDB(folder / "commit.db", user="bench")
    ws = db.create_workspace("commit")
    commit_s, items_s = [], []
    for r in range(repeat):
        orders = db.create_orders(ws.id, [{"target_id": f"T{i}", "priority": 3} for i in range(n)])
        plan = db.create_plan("best_fit", {"run": r}, f"sha256:bench-{r}", None, {"accepted": n}, ws.id)
        t = time.perf_counter()
        db.create_plan_items(plan.id, _items(n, orders, YEAR_START + timedelta(days=r)))
        items_s.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = db.commit_plan(plan.id, [], "soft", "OPTICAL", ws.id)
        commit_s.append(time.perf_counter() - t)
        assert result["committed"] == n and len(result["orders_updated"]) == n
    # Reference: one ORM object per acquisition, the same rows, one transaction.
    ref_s = []
    for r in range(max(1, repeat // 2)):
        now = datetime.now(UTC)
        t = time.perf_counter()
        with Session(db.engine) as session, session.begin():
            for aid, it in zip(new_ids("acq", n), _items(n, [], YEAR_START + timedelta(days=100 + r))):
                session.add(AcquisitionRow(
                    id=aid, created_at=now, updated_at=now, satellite_id=it["satellite_id"], target_id=it["target_id"],
                    start=it["start"], end=it["end"], roll_deg=it["roll_deg"],
                    pitch_deg=0.0, roll_end_deg=it["roll_deg"], pitch_end_deg=0.0, state="committed",
                    lock_level="soft", source="auto", opportunity_id=it["opportunity_id"], workspace_id=ws.id))
        ref_s.append(time.perf_counter() - t)
    # The GUI's rubber-band select of 1,000 bars + Lock (database part).
    ids = [a.id for a in db.list_acquisitions(ws.id)[:1000]]
    t = time.perf_counter()
    res = db.set_lock_level(ids, "hard", now=YEAR_START - timedelta(days=1))
    lock_s = time.perf_counter() - t
    assert len(res["updated"]) == 1000
    db.close()
    return {"commit": commit_s, "items": items_s, "ref": ref_s, "lock": lock_s}


def build_big(path: Path, total: int, workspaces: int, satellites: int = 50, chunk: int = 50_000) -> list[str]:
    """A database of ``total`` acquisitions spread over ``workspaces`` workspaces and the year 2026."""
    db = ScheduleDB(path, user="bench")
    ws_ids = [db.create_workspace(f"big-{k}").id for k in range(workspaces)]
    per_ws = total // workspaces
    span = (365 * 86400) / per_ws  # seconds between consecutive acquisitions of one workspace
    stmt = storage_insert(ACQUISITIONS)
    stamp = format_utc(datetime.now(UTC))
    rng = random.Random(1)
    if db.engine.dialect.name == "sqlite":
        with db._write() as session:  # one build transaction per chunk below
            session.exec_driver_sql("PRAGMA cache_size=-262144")
    for ws_id in ws_ids:
        for first in range(0, per_ws, chunk):
            count = min(chunk, per_ws - first)
            rows = []
            blank = {c.name: None for c in ACQUISITIONS.columns}  # columns added by later migrations
            for j, aid in zip(range(first, first + count), new_ids("acq", count)):
                start = YEAR_START + timedelta(seconds=j * span + rng.random() * 0.5 * span)
                roll = rng.uniform(-30.0, 30.0)
                rows.append({
                    **blank, "id": aid, "created_at": stamp, "updated_at": stamp, "satellite_id": f"SAT-{j % satellites}",
                    "target_id": f"T{rng.randrange(1000)}", "start_time": format_utc(start),
                    "end_time": format_utc(start + timedelta(seconds=10)), "mode": "OPTICAL",
                    "roll_angle_deg": roll, "pitch_angle_deg": 0.0, "roll_end_deg": roll, "pitch_end_deg": 0.0,
                    "incidence_angle_deg": abs(roll) * 1.1, "look_side": "RIGHT" if roll > 0 else "LEFT",
                    "pass_direction": "ASCENDING", "sar_mode": None, "swath_width_km": None,
                    "scene_length_km": None, "state": "committed" if j % 5 else "tentative",
                    "lock_level": "soft" if j % 3 == 0 else "none", "source": "auto", "order_id": None,
                    "plan_id": None, "opportunity_id": f"opp_{j}", "quality_score": 0.8, "maneuver_time_s": 20.0,
                    "slack_time_s": 100.0, "workspace_id": ws_id, "version": 1})
            with db._write() as session:
                bulk_insert(session, stmt, rows)
    db.close()
    return ws_ids


def bench_horizon(path: Path, ws_ids: list[str], queries: int) -> dict:
    db = ScheduleDB(path, user="bench")
    ws_id = ws_ids[len(ws_ids) // 2]
    rng = random.Random(2)
    weeks = [YEAR_START + timedelta(days=rng.randrange(0, 350)) for _ in range(queries)]
    db.get_acquisitions_in_horizon(weeks[0], weeks[0] + WEEK, ws_id)  # warm the page cache
    query_s, rows, response_s = [], [], []
    for start in weeks:
        t = time.perf_counter()
        got = db.get_acquisitions_in_horizon(start, start + WEEK, ws_id)
        query_s.append(time.perf_counter() - t)
        rows.append(len(got))
        t = time.perf_counter()
        db.get_horizon(start, start + WEEK, ws_id, now=start)
        response_s.append(time.perf_counter() - t)
    plan = db.explain_horizon(weeks[0], weeks[0] + WEEK, ws_id)
    # Reference: the same SQL and parameters with the indexes switched off (a full scan).
    stmt = db.horizon_statement(weeks[0], weeks[0] + WEEK, ws_id)
    compiled = stmt.compile(dialect=db.engine.dialect)
    raw = compiled.construct_params()
    params = tuple(compiled.binds[n].type.bind_processor(db.engine.dialect)(raw[n])
                   if compiled.binds[n].type.bind_processor(db.engine.dialect) else raw[n]
                   for n in compiled.positiontup)
    scan_sql = str(compiled).replace("FROM acquisitions", "FROM acquisitions NOT INDEXED", 1)
    scan_s = []
    with db.engine.connect() as conn:
        for _ in range(3):
            t = time.perf_counter()
            n_scan = len(conn.exec_driver_sql(scan_sql, params).all())
            scan_s.append(time.perf_counter() - t)
        scan_plan = [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + scan_sql, params).all()]
        conn.rollback()
    assert n_scan == rows[0], (n_scan, rows[0])
    all_ws_s = []
    for start in weeks[:5]:
        t = time.perf_counter()
        all_rows = len(db.get_acquisitions_in_horizon(start, start + WEEK))
        all_ws_s.append(time.perf_counter() - t)
    db.close()
    return {"query": query_s, "rows": rows, "response": response_s, "plan": plan, "scan": scan_s,
            "scan_plan": scan_plan, "all_ws": all_ws_s, "all_rows": all_rows, "ws_id": ws_id, "week": weeks[0]}


COLD_CHILD = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[3])
from app.persistence import ScheduleDB
from datetime import datetime, timedelta
t1 = time.perf_counter()
db = ScheduleDB(sys.argv[1])
start = datetime.fromisoformat(sys.argv[2])
n = len(db.get_acquisitions_in_horizon(start, start + timedelta(days=7), db.list_workspaces()[5].id))
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, n)
"""


def bench_cold(path: Path, ws_id: str, week: datetime) -> dict:
    t = time.perf_counter()
    db = ScheduleDB(path, user="bench")
    db.get_acquisitions_in_horizon(week, week + WEEK, ws_id)
    in_process = time.perf_counter() - t
    db.close()
    out = subprocess.run([sys.executable, "-c", COLD_CHILD, str(path), week.isoformat(), str(ROOT)],
                         capture_output=True, text=True, check=True).stdout.split()
    return {"in_process": in_process, "imports": float(out[0]), "open_query": float(out[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acquisitions", type=int, default=1_000_000)
    parser.add_argument("--workspaces", type=int, default=10)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--dir", help="work folder (default: a temp dir, removed afterwards)")
    parser.add_argument("--pg-url", default=os.environ.get("MPW_TEST_PG_URL"),
                        help="also run the team-mode figures on this PostgreSQL database (default $MPW_TEST_PG_URL)")
    parser.add_argument("--pg-acquisitions", type=int, default=None,
                        help="size of the PostgreSQL horizon database (default: --acquisitions)")
    parser.add_argument("--writers-s", type=float, default=30.0, help="duration of the two-writers run (s)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        c = bench_commit(folder, args.items, args.repeat)
        print(f"[commit bench: {time.perf_counter() - t:.1f} s]", flush=True)
        t = time.perf_counter()
        big = folder / "big.db"
        ws_ids = build_big(big, args.acquisitions, args.workspaces)
        build_s = time.perf_counter() - t
        print(f"[built {args.acquisitions:,} acquisitions in {build_s:.1f} s, "
              f"{big.stat().st_size / 2**20:.0f} MiB]", flush=True)
        h = bench_horizon(big, ws_ids, args.queries)
        cold = bench_cold(big, h["ws_id"], h["week"])

    commit_ms, ref_ms = _median_ms(c["commit"]), _median_ms(c["ref"])
    query_ms, scan_ms = _median_ms(h["query"]), _median_ms(h["scan"])
    rows = int(statistics.median(h["rows"]))
    table = [
        ("what", "figure", "budget", "reference (same run)", "ratio"),
        (f"commit a {args.items:,}-item plan (median of {args.repeat})", f"{commit_ms:.0f} ms", "< 1000 ms",
         f"ORM object per row: {ref_ms:.0f} ms", f"{ref_ms / commit_ms:.1f}× faster"),
        (f"create_plan_items, {args.items:,} items (median)", f"{_median_ms(c['items']):.0f} ms", "—", "—", "—"),
        (f"horizon query, 1 week, 1 workspace, {args.acquisitions:,} acquisitions ({rows:,} rows, median of "
         f"{args.queries})", f"{query_ms:.1f} ms", "< 50 ms", f"full scan (NOT INDEXED): {scan_ms:.0f} ms",
         f"{scan_ms / query_ms:.0f}× faster"),
        ("get_horizon response (same week, JSON-able dicts + statistics)", f"{_median_ms(h['response']):.1f} ms",
         "—", "—", "—"),
        (f"horizon query, 1 week, all {args.workspaces} workspaces ({h['all_rows']:,} rows)",
         f"{_median_ms(h['all_ws']):.1f} ms", "—", "—", "—"),
        ("cold open (engine + schema check + first horizon query), in process", f"{cold['in_process'] * 1000:.0f} ms",
         "< 1000 ms", f"warm query: {query_ms:.1f} ms", f"{cold['in_process'] * 1000 / query_ms:.1f}×"),
        ("cold open in a fresh Python process: imports + (open + first query)",
         f"{cold['imports'] * 1000:.0f} + {cold['open_query'] * 1000:.0f} ms", "< 1000 ms (total)", "—", "—"),
        ("set_lock_level of 1,000 acquisitions (database part of rubber-band Lock)", f"{c['lock'] * 1000:.0f} ms",
         "< 200 ms (whole GUI action)", "—", "—"),
        (f"build of the {args.acquisitions:,}-row database (executemany, chunks of 50,000)", f"{build_s:.1f} s",
         "—", "—", "—"),
    ]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    print()
    for k, row in enumerate(table):
        print("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\nEXPLAIN QUERY PLAN (horizon query):")
    for step in h["plan"]:
        print("   ", step)
    print("EXPLAIN QUERY PLAN (reference, NOT INDEXED):")
    for step in h["scan_plan"]:
        print("   ", step)
    # Team mode (issue #13): commit with the re-check, horizon on PostgreSQL, two writers — same run.
    import team_bench
    kinds = ["sqlite"] + (["postgresql"] if args.pg_url else [])
    pg_n = args.acquisitions if args.pg_acquisitions is None else args.pg_acquisitions
    print("\nTeam mode (bench/team_bench.py):")
    team_bench.print_table(team_bench.run(kinds, args.pg_url, args.items, args.repeat, pg_n, args.queries,
                                          args.writers_s))


if __name__ == "__main__":
    main()
