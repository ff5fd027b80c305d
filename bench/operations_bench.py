"""Operations benchmark (issue #12): a clock step on a 20,000-acquisition workspace, and importing a
10,000-row execution report.

    python bench/operations_bench.py                 # ~1 min here
    python bench/operations_bench.py --acquisitions 5000 --report-rows 2000 --repeat 3

Builds a file database (WAL) with one workspace of N committed acquisitions spread evenly over 7 days on
50 satellites, then measures:

* the first application of time passing at the horizon start (every acquisition of the first 24 h is
  soft- or hard-locked at once), then one-hour clock steps (about 1/168 of the schedule starts executing,
  as many enter the frozen zone and the soft-lock window): median of ``--repeat``;
* reference in the same run: ``set_lock_level`` of the same number of acquisitions as the first step
  promoted (the planner's bulk lock), and a step that changes nothing (the query alone);
* importing a report of ``--report-rows`` rows (90 % completed, 10 % failed with a reason) with
  ``app.services.execution.import_execution_report``: file parsing and the one transaction, median of
  ``--repeat`` on fresh copies of the database.
"""
from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.domain import WorkspaceSettings  # noqa: E402
from app.persistence import ScheduleDB  # noqa: E402
from app.services import execution  # noqa: E402
from app.services.execution import parse_report_file  # noqa: E402

T0 = datetime(2026, 8, 10, tzinfo=timezone.utc)


def build(path: Path, n: int) -> str:
    db = ScheduleDB(path)
    ws = db.create_workspace("ops", WorkspaceSettings(horizon_start=T0, horizon_end=T0 + timedelta(days=7),
                                                      scenario_clock=T0 - timedelta(hours=1)))
    spacing = 7 * 86400.0 / n
    for lo in range(0, n, 10_000):
        items = []
        for k in range(lo, min(n, lo + 10_000)):
            start = T0 + timedelta(seconds=k * spacing)
            items.append({"opportunity_id": f"SAT-{k % 50:02d}_T{k}_{k}_max", "satellite_id": f"SAT-{k % 50:02d}",
                          "target_id": f"T{k}", "start": start, "end": start + timedelta(seconds=10),
                          "roll_deg": 5.0, "value": 0.5})
        db.commit_direct(items, workspace_id=ws.id, mode="OPTICAL")
    db.close()
    return ws.id


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--acquisitions", type=int, default=20_000)
    ap.add_argument("--report-rows", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        base = folder / "ops.db"
        t = time.perf_counter()
        ws_id = build(base, args.acquisitions)
        print(f"[built {args.acquisitions:,} acquisitions in {time.perf_counter() - t:.1f} s]", flush=True)

        db = ScheduleDB(base)
        t = time.perf_counter()
        first = db.move_clock(ws_id, T0)
        first_s = time.perf_counter() - t
        n_first = len(first.executing) + len(first.hard_locked) + len(first.soft_locked)
        steps, promoted = [], []
        for h in range(1, args.repeat + 1):
            t = time.perf_counter()
            r = db.move_clock(ws_id, T0 + timedelta(hours=h))
            steps.append(time.perf_counter() - t)
            promoted.append(len(r.executing) + len(r.hard_locked) + len(r.soft_locked))
        idle = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            db.move_clock(ws_id, T0 + timedelta(hours=args.repeat))
            idle.append(time.perf_counter() - t)
        # Reference: the planner's bulk lock of as many acquisitions as the first step promoted.
        late = [a.id for a in db.list_acquisitions(ws_id, start_time=T0 + timedelta(days=3),
                                                   end_time=T0 + timedelta(days=7))][:n_first]
        t = time.perf_counter()
        db.set_lock_level(late, "soft")
        lock_s = time.perf_counter() - t
        # Reach the point where ``report_rows`` acquisitions have started.
        spacing = 7 * 86400.0 / args.acquisitions
        db.move_clock(ws_id, T0 + timedelta(seconds=args.report_rows * spacing + 1))
        executing = [a for a in db.list_acquisitions(ws_id) if a.state == "executing"][:args.report_rows]
        db.close()
        report = folder / "report.csv"
        with report.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["acquisition_id", "outcome", "reason", "cloud_pct"])
            for k, a in enumerate(executing):
                w.writerow([a.id, "failed" if k % 10 == 0 else "completed", "clouds" if k % 10 == 0 else "",
                            str(k % 100)])
        parse, total = [], []
        for k in range(args.repeat):
            copy = folder / f"copy{k}.db"
            shutil.copy(base, copy)
            t = time.perf_counter()
            parse_report_file(report)
            parse.append(time.perf_counter() - t)
            cdb = ScheduleDB(copy)
            t = time.perf_counter()
            result = execution.import_execution_report(cdb, ws_id, report)
            total.append(time.perf_counter() - t)
            assert len(result.completed) + len(result.failed) == len(executing)
            cdb.close()

    rows = [
        ("what", "figure", "budget", "reference (same run)"),
        (f"first time passing at the horizon start ({n_first:,} promoted)", f"{first_s * 1000:.0f} ms", "< 200 ms",
         f"set_lock_level of {len(late):,}: {lock_s * 1000:.0f} ms"),
        (f"clock step of 1 h, {args.acquisitions:,} acquisitions (median of {args.repeat}; "
         f"~{statistics.median(promoted):.0f} promoted)", f"{ms(steps):.1f} ms", "< 200 ms",
         f"a step changing nothing: {ms(idle):.1f} ms"),
        (f"import a {len(executing):,}-row execution report (median of {args.repeat})", f"{ms(total):.0f} ms",
         "< 1000 ms", f"parsing alone: {ms(parse):.0f} ms"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for i, row in enumerate(rows):
        print("| " + " | ".join(c.ljust(widths[j]) for j, c in enumerate(row)) + " |")
        if i == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")


if __name__ == "__main__":
    main()
