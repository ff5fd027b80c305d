"""Team mode benchmark (issue #13), on SQLite and PostgreSQL in one run:

* commit of a 10,000-item plan WITH the re-check (the plan's schedule version is stale, so every
  item is checked inside the commit transaction against the 10,000+ acquisitions already on the
  same satellites that day, under the conflict detector's slew model); median of ``--repeat``;
  once more with the battery re-checked too (the plan has its horizon; the satellites get a
  battery large enough for this dense schedule, so the simulation runs over every satellite's
  day and finds nothing);
* horizon query (one week, one workspace) over ``--acquisitions`` rows (PostgreSQL here; the SQLite
  figure is db_bench's);
* two writer processes for ``--seconds`` s editing the same 40 acquisitions (lock level with the
  version they read) and now and then committing a one-item plan for one of 200 shared orders:
  edits/s, refusals (stale or re-check), lost updates (successful edits − version increments)
  and orders served twice at the end — both must be 0.

    python bench/team_bench.py --pg-url postgresql+psycopg://mpw:mpw@127.0.0.1:54329/mpw_test
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from app.domain import PowerModel  # noqa: E402
from app.persistence import ScheduleDB  # noqa: E402
from app.services import commits  # noqa: E402
from app.services.scenario_file import load_scenario_file  # noqa: E402
from app.services.workspaces import import_scenario  # noqa: E402

UTC = timezone.utc
DAY = datetime(2026, 8, 11, tzinfo=UTC)


def fresh_url(kind: str, folder: Path, pg_url: str | None, name: str) -> str:
    """A new empty database: a SQLite file, or a new schema of the PostgreSQL database."""
    if kind == "sqlite":
        return str(folder / f"{name}.db")
    schema = f"bench_{name}_{os.getpid()}"
    eng = create_engine(pg_url, poolclass=NullPool)
    with eng.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    eng.dispose()
    return make_url(pg_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False)


def drop(kind: str, url: str, pg_url: str | None) -> None:
    if kind == "postgresql":
        schema = make_url(url).query["options"].split("=")[1]
        eng = create_engine(pg_url, poolclass=NullPool)
        with eng.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        eng.dispose()


def _items(orders, sats, offset_s: float) -> list[dict]:
    out = []
    for i, o in enumerate(orders):
        sat = sats[i % len(sats)]
        start = DAY + timedelta(seconds=(i // len(sats)) * 100.0 + offset_s)
        out.append({"opportunity_id": f"{sat}_{o.target_id}_{i}_{offset_s:g}", "satellite_id": sat,
                    "target_id": o.target_id, "start": start, "end": start + timedelta(seconds=10),
                    "roll_deg": 10.0, "pitch_deg": 0.0, "roll_end_deg": 10.0, "pitch_end_deg": 0.0,
                    "value": 0.5, "order_id": o.id})
    return out


#: A battery the dense bench schedule never drains (capacity, initial, idle, imaging, slew, charge, reserve).
AMPLE_BATTERY = PowerModel(100000.0, 100000.0, 1.0, 10.0, 5.0, 100.0, 10.0)


def bench_commit(url: str, n: int, repeat: int, battery: bool = False) -> dict:
    db = ScheduleDB(url, user="bench")
    scenario = load_scenario_file(ROOT / "data" / "demo_scenario.json")
    ws = import_scenario(db, scenario, "team")
    config = {"mode": "incremental"}
    if battery:
        db.upsert_satellites(ws.id, [dataclasses.replace(s, power=AMPLE_BATTERY) for s in db.list_satellites(ws.id)])
        config.update(horizon_start="2026-08-10T00:00:00Z", horizon_end="2026-08-17T00:00:00Z")
    sats = [s.id for s in scenario.satellites]
    targets = [t.id for t in scenario.targets]
    times, cpu, checked = [], [], []
    for r in range(repeat + 1):
        orders = db.create_orders(ws.id, [{"target_id": targets[i % len(targets)], "priority": 3}
                                          for i in range(n)])
        stale = db.schedule_version(ws.id) - 1  # computed "before" the last change: re-check everything
        plan = db.create_plan("best_fit", config, f"sha256:team-{r}", None, {}, ws.id,
                              schedule_version=stale)
        # Each commit's items sit 20 s after the previous commit's on every satellite (10 s long,
        # same attitude): feasible, but every one is checked against its neighbours.
        db.create_plan_items(plan.id, _items(orders, sats, offset_s=20.0 * r))
        current = len(db.list_acquisitions(ws.id))
        t, c0 = time.perf_counter(), time.process_time()
        commits.commit_plan(db, ws.id, plan.id)
        if r:  # the first commit only builds the schedule the next ones are checked against
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c0)
            checked.append(current)
    db.close()
    return {"commit_s": times, "cpu_s": cpu, "against": checked}


def bench_horizon(url: str, total: int, queries: int) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from db_bench import WEEK, YEAR_START, build_big  # noqa: PLC0415 - the same database builder
    t = time.perf_counter()
    ws_ids = build_big(url, total, 10)
    build_s = time.perf_counter() - t
    db = ScheduleDB(url, user="bench")
    ws_id = ws_ids[len(ws_ids) // 2]
    rng = random.Random(2)
    weeks = [YEAR_START + timedelta(days=rng.randrange(0, 350)) for _ in range(queries)]
    db.get_acquisitions_in_horizon(weeks[0], weeks[0] + WEEK, ws_id)
    samples, rows = [], []
    for start in weeks:
        t = time.perf_counter()
        rows.append(len(db.get_acquisitions_in_horizon(start, start + WEEK, ws_id)))
        samples.append(time.perf_counter() - t)
    db.close()
    return {"query_s": samples, "rows": rows, "build_s": build_s}


WRITER = r"""
import json, random, sys, time
from datetime import timedelta
sys.path.insert(0, sys.argv[4])
from app.domain import DomainError
from app.persistence import ScheduleDB
from app.services import commits
url, ws, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
db = ScheduleDB(url, user=sys.argv[5])
rng = random.Random(sys.argv[5])
acq_ids = json.loads(sys.argv[6]); orders = db.list_orders(workspace_id=ws, limit=None)
sats = [s.id for s in db.list_satellites(ws)]
ok = refused = commits_ok = commits_refused = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    if rng.random() < 0.1:
        o = rng.choice(orders)
        start = db.get_workspace(ws).settings.horizon_start + timedelta(hours=rng.uniform(30, 150))
        version = db.schedule_version(ws)
        try:
            plan = db.create_plan("first_fit", {"mode": "incremental"}, f"sha256:{rng.random()}", None, {}, ws,
                                  schedule_version=version)
            sat = rng.choice(sats)
            db.create_plan_items(plan.id, [{"opportunity_id": f"{sat}_{o.target_id}_{start:%H%M%S}",
                "satellite_id": sat, "target_id": o.target_id, "start": start,
                "end": start + timedelta(seconds=20), "roll_deg": 5.0, "order_id": o.id}])
            commits.commit_plan(db, ws, plan.id)
            commits_ok += 1
        except DomainError:
            commits_refused += 1
        continue
    aid = rng.choice(acq_ids)
    a = db.get_acquisition(aid)
    try:
        r = db.set_lock_level([aid], rng.choice(["none", "soft", "hard"]), expected_versions={aid: a.version})
        ok += len(r["updated"])
    except DomainError:
        refused += 1
print(json.dumps({"edits": ok, "refused": refused, "commits": commits_ok, "commits_refused": commits_refused}))
"""


def bench_writers(url: str, seconds: float) -> dict:
    db = ScheduleDB(url, user="bench")
    scenario = load_scenario_file(ROOT / "data" / "demo_scenario.json")
    ws = import_scenario(db, scenario, "writers")
    orders = db.create_orders(ws.id, [{"target_id": scenario.targets[i % len(scenario.targets)].id, "priority": 3}
                                      for i in range(200)])
    plan = db.create_plan("best_fit", {}, "sha256:writers", None, {}, ws.id, schedule_version=db.schedule_version(ws.id))
    sats = [s.id for s in scenario.satellites]
    items = []
    for i, o in enumerate(orders[:40]):
        start = scenario.settings.horizon_start + timedelta(hours=4, seconds=600 * i)
        items.append({"opportunity_id": f"w{i}", "satellite_id": sats[i % len(sats)], "target_id": o.target_id,
                      "start": start, "end": start + timedelta(seconds=10), "roll_deg": 5.0,
                      "order_id": o.id})
    db.create_plan_items(plan.id, items)
    created = [a["id"] for a in db.commit_plan(plan.id, [], "none", None, ws.id)["acquisitions_created"]]
    before = {a.id: a.version for a in db.get_acquisitions(created)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, url, ws.id, str(seconds), str(ROOT), who,
                               json.dumps(created)], stdout=subprocess.PIPE, text=True) for who in ("ann", "ben")]
    outs = [json.loads(p.communicate(timeout=seconds + 120)[0].strip().splitlines()[-1]) for p in procs]
    after = {a.id: a.version for a in db.get_acquisitions(created)}
    bumps = sum(after[i] - before[i] for i in created)
    live = [a for a in db.list_acquisitions(ws.id) if str(a.state) != "failed"]
    twice = sum(1 for n in Counter(a.order_id for a in live if a.order_id).values() if n > 1)
    db.close()
    edits = sum(o["edits"] for o in outs)
    return {"edits": edits, "refused": sum(o["refused"] for o in outs), "commits": sum(o["commits"] for o in outs),
            "commits_refused": sum(o["commits_refused"] for o in outs), "lost": edits - bumps, "twice": twice,
            "seconds": seconds}


def run(kinds: list[str], pg_url: str | None, items: int, repeat: int, acquisitions: int, queries: int,
        seconds: float) -> list[tuple[str, ...]]:
    table = [("database", "what", "figure", "budget")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in kinds:
            url = fresh_url(kind, folder, pg_url, "commit")
            c = bench_commit(url, items, repeat)
            drop(kind, url, pg_url)
            table.append((kind, f"commit a {items:,}-item plan with the re-check (against "
                                f"{int(statistics.median(c['against'])):,} acquisitions; median of {repeat}; "
                                f"process CPU {statistics.median(c['cpu_s']) * 1000:.0f} ms)",
                          f"{statistics.median(c['commit_s']) * 1000:.0f} ms", "< 1000 ms"))
            url = fresh_url(kind, folder, pg_url, "commitb")
            c = bench_commit(url, items, repeat, battery=True)
            drop(kind, url, pg_url)
            table.append((kind, f"the same with the battery re-checked on all 15 satellites (process CPU "
                                f"{statistics.median(c['cpu_s']) * 1000:.0f} ms)",
                          f"{statistics.median(c['commit_s']) * 1000:.0f} ms", "< 1000 ms"))
            if kind == "postgresql" and acquisitions:
                url = fresh_url(kind, folder, pg_url, "big")
                h = bench_horizon(url, acquisitions, queries)
                drop(kind, url, pg_url)
                table.append((kind, f"horizon query, 1 week, 1 workspace, {acquisitions:,} acquisitions "
                                    f"({int(statistics.median(h['rows'])):,} rows, median of {queries}; "
                                    f"built in {h['build_s']:.0f} s)",
                              f"{statistics.median(h['query_s']) * 1000:.1f} ms", "< 50 ms"))
            url = fresh_url(kind, folder, pg_url, "writers")
            w = bench_writers(url, seconds)
            drop(kind, url, pg_url)
            table.append((kind, f"two writers, {seconds:g} s, the same 40 acquisitions + commits of 200 shared "
                                "orders: edits/s, refused (stale), commits ok/refused",
                          f"{w['edits'] / seconds:.0f}/s, {w['refused']} refused, {w['commits']}/{w['commits_refused']}",
                          "—"))
            table.append((kind, "lost updates / orders served twice", f"{w['lost']} / {w['twice']}", "0 / 0"))
    return table


def print_table(table) -> None:
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for k, row in enumerate(table):
        print("| " + " | ".join(c.ljust(widths[i]) for i, c in enumerate(row)) + " |")
        if k == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("MPW_TEST_PG_URL"),
                        help="a PostgreSQL database to use (default $MPW_TEST_PG_URL); none: SQLite only")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--acquisitions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.pg_url else [])
    print_table(run(kinds, args.pg_url, args.items, args.repeat, args.acquisitions, args.queries, args.seconds))


if __name__ == "__main__":
    main()
