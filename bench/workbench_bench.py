"""Main-window figures of budgets.md ("GUI"): cold start to an interactive window, and the
GUI-thread heartbeat gap while planning runs on a worker (reference: the same run on the GUI
thread, measured in the same process).

    QT_QPA_PLATFORM=offscreen python bench/workbench_bench.py      # ~4 min
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLD = r"""
import time, sys
t0 = time.perf_counter()
from PySide6 import QtCore, QtWidgets
from PySide6.QtTest import QTest
app = QtWidgets.QApplication([])
from app.ui.resources import apply_style
from app.ui.app import open_main_window
apply_style(app)
w = open_main_window(sys.argv[1], QtCore.QSettings(sys.argv[2], QtCore.QSettings.Format.IniFormat))
w.show()
QTest.qWaitForWindowExposed(w)
app.processEvents()
print(time.perf_counter() - t0)
"""


def cold_start(db: str, ini: str, runs: int = 3) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        inner = float(subprocess.run([sys.executable, "-c", COLD, db, ini], check=True, capture_output=True,
                                     text=True).stdout.strip().splitlines()[-1])
        out.append((time.perf_counter() - t0, inner))
    return out


def add_busy_orders(db_url: str, count: int, seed: int = 11) -> None:
    """``count`` more orders on the demo's targets (priorities 1-5, windows of 1-5 days in the
    horizon): a week a CP-SAT run does not prove within its 10 s limit."""
    import random
    from datetime import timedelta

    from app.services import orders
    from app.services.database import open_database
    from app.services.workspaces import resolve_workspace

    rnd = random.Random(seed)
    db = open_database(db_url)
    try:
        ws = resolve_workspace(db, "demo")
        targets = [t.id for t in db.list_targets(ws.id)]
        start = ws.settings.horizon_start
        for _ in range(count):
            day = rnd.randrange(0, 5)
            orders.add_order(db, ws.id, rnd.choice(targets), rnd.randint(1, 5),
                             window_start=start + timedelta(days=day),
                             window_end=start + timedelta(days=day + rnd.randint(1, 7 - day)))
    finally:
        db.close()


def heartbeat(db: str, ini: str, time_limit: float) -> tuple[float, float, float, float]:
    from PySide6 import QtCore, QtWidgets
    from app.services import access_service
    from app.services.planning import PlanOptions, run_planning
    from app.ui.app import freeze_startup_objects
    from app.ui.main_window import MainWindow

    access_service.clear_cache()  # each run computes its access, as the first Plan of a session does
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    w = MainWindow(db, "demo", QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    w.candidate_on_close = "discard"  # quitting with the run's candidate must not wait for an answer
    w.show()
    app.processEvents()
    freeze_startup_objects()  # as app.ui.app.main does once the window is shown
    options = PlanOptions(mode="incremental", algorithm="optimal", time_limit_s=time_limit)
    gaps, last = [0.0], [time.perf_counter()]

    def beat():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
    timer = QtCore.QTimer()
    timer.timeout.connect(beat)
    timer.start(10)
    loop = QtCore.QEventLoop()
    # Stop 300 ms after the job ends, so that applying the result on the GUI thread (candidate
    # plan, ghost bars, lists) is inside the measurement.
    w.jobs.busyChanged.connect(lambda busy: None if busy else QtCore.QTimer.singleShot(300, loop.quit))
    t0 = time.perf_counter()
    last[0] = t0
    w.start_planning(options)
    loop.exec()
    run_s = time.perf_counter() - t0 - 0.3
    timer.stop()
    worker_gap = max(gaps[2:]) if len(gaps) > 2 else 0.0
    # Reference: the same run on the GUI thread (what a naive window would do).
    access_service.clear_cache()
    t1 = time.perf_counter()
    run_planning(w.db, w.ws.id, options)
    blocked = time.perf_counter() - t1
    w.close()
    return worker_gap, run_s, blocked, len(gaps)


def add_big_week(db_url: str, n: int = 20_000) -> str:
    """A workspace ``big``: the demo's satellites and targets, ``n`` committed 10 s acquisitions
    spread evenly over its week (one order each). Returns its id."""
    from datetime import timedelta

    from app.services.database import open_database
    from app.services.workspaces import create_workspace

    db = open_database(db_url)
    try:
        demo = db.find_workspace("demo")
        ws = create_workspace(db, "big", demo.settings.horizon_start, 7, copy_from="demo")
        sats = [sat.id for sat in db.list_satellites(ws.id)]
        targets = [t.id for t in db.list_targets(ws.id)]
        orders = db.create_orders(ws.id, [{"target_id": targets[i % len(targets)], "priority": 1 + i % 5}
                                          for i in range(n)])
        step = 7 * 86400.0 / (n / len(sats))
        items = []
        for i, order in enumerate(orders):
            start = ws.settings.horizon_start + timedelta(seconds=3600 + step * (i // len(sats)) + (i % len(sats)))
            items.append({"opportunity_id": f"{sats[i % len(sats)]}_{order.target_id}_{start:%Y%m%dT%H%M%S}_max",
                          "satellite_id": sats[i % len(sats)], "target_id": order.target_id, "start": start,
                          "end": start + timedelta(seconds=10), "roll_deg": (i % 60) - 30.0,
                          "pitch_deg": 0.0, "value": 0.5, "order_id": order.id})
        plan = db.create_plan("best_fit", {}, "sha256:bench-big", None, {"accepted": n}, ws.id)
        db.create_plan_items(plan.id, items)
        db.commit_plan(plan.id, [], "none", None, ws.id)
        return ws.id
    finally:
        db.close()


def select_and_lock(db: str, ini: str, ws_id: str, repeat: int = 5) -> tuple[list[float], list[int], float]:
    """Rubber-band select of ~1,000 unlocked bars then Edit ▸ Lock hard, in the main window on ``big``:
    selection (hit test, lists, Inspector), the lock written, the views reloaded and repainted.
    Returns the times (s), the selection sizes and the time of one full reload (the reference)."""
    from PySide6 import QtCore, QtWidgets

    from app.ui.main_window import MainWindow

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    w = MainWindow(db, ws_id, QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    w.resize(1600, 900)
    w.show()
    app.processEvents()
    rows = len(w.timeline.rows())
    x0, x1 = w.timeline.x_range()
    span = (x1 - x0) * 1000.0 / len(w.acquisitions)  # a time band holding ~1,000 bars over every row
    times, sizes = [], []
    for k in range(repeat):
        lo = x0 + (k + 1) * (x1 - x0) / (repeat + 2)
        t = time.perf_counter()
        ids = w.timeline.select_in_rect(lo, lo + span, -0.5, rows - 0.5)
        app.processEvents()
        w.edits.lock_selection("hard")
        w.timeline.plot.viewport().repaint()
        app.processEvents()
        times.append(time.perf_counter() - t)
        sizes.append(len(ids))
    t = time.perf_counter()
    w.reload()
    reload_s = time.perf_counter() - t
    w.close()
    return times, sizes, reload_s


BUSY_ORDERS = 600
HEARTBEAT_RUNS = 3


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp())
    db, ini = str(tmp / "bench.db"), str(tmp / "ui.ini")
    from app.services.database import open_database
    from app.services.demo import ensure_demo
    first = time.perf_counter()
    d = open_database(db)
    ensure_demo(d)
    d.close()
    demo_s = time.perf_counter() - first
    cold = cold_start(db, ini)
    big = add_big_week(db)
    lock_times, lock_sizes, reload_s = select_and_lock(db, ini, big)
    add_busy_orders(db, BUSY_ORDERS)
    runs = [heartbeat(db, ini, 10.0) for _ in range(HEARTBEAT_RUNS)]
    gaps = sorted(r[0] for r in runs)
    _, run_s, blocked, beats = runs[0]
    rows = [
        ("first start: demo imported, planned and committed", f"{demo_s:.2f} s", "—", "—"),
        ("cold start to an exposed, interactive window (process start → exposed, median of 3)",
         f"{sorted(c[0] for c in cold)[1]:.2f} s", "< 3 s", f"inside Python: {sorted(c[1] for c in cold)[1]:.2f} s"),
        (f"GUI-thread heartbeat: largest gap during a {run_s:.0f} s planning run on a worker ({beats} beats); "
         f"median of {HEARTBEAT_RUNS} runs (each run's: {' / '.join(f'{g * 1000:.0f}' for g in gaps)} ms)",
         f"{gaps[len(gaps) // 2] * 1000:.0f} ms", "< 100 ms", f"same run on the GUI thread: {blocked * 1000:.0f} ms gap"),
        (f"rubber-band select of ~1,000 bars + Lock hard, main window on 20,000 committed acquisitions "
         f"(selections of {min(lock_sizes):,}-{max(lock_sizes):,}), median of {len(lock_times)}",
         f"{sorted(lock_times)[len(lock_times) // 2] * 1000:.0f} ms", "< 200 ms",
         f"a full reload of the workspace into every view (what Lock did before): {reload_s * 1000:.0f} ms"),
    ]
    print("| what | figure | budget | reference (same run) |")
    print("| --- | --- | --- | --- |")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
