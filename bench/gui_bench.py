"""GUI benchmark (budgets.md, "GUI"): the timeline with 50 rows × 20,000 bars.

    QT_QPA_PLATFORM=offscreen python bench/gui_bench.py [--bars 20000] [--rows 50] [--repeat 30]

Figures, each with the reference measured in the same run:

* full repaint of the timeline widget (``plot.grab()``: axes, zones, grid and every bar), week view
  and day view, median of ``--repeat``. Budget < 30 ms. Reference: the same bars drawn the way the
  architecture note warns against, one ``QGraphicsRectItem`` per bar, in the same view.
* rubber-band select of ~1,000 bars: vectorised hit test + selection update + the repaint that shows
  it, and the same through ``selectionChanged`` into the Inspector's multi-selection page (what the
  planner waits for). Budget < 200 ms (the Lock's database part is in the db section). Reference: a
  Python loop over the bars doing the same hit test.
* the same repaints with every resource lane shown (50 satellites with power and memory models:
  contacts, sunlit/eclipse, battery and memory along the schedule and a candidate plan). The lanes
  item keeps its pixels between repaints that do not move the view (Qt's DeviceCoordinateCache);
  the "drawn again" rows drop that cache before each repaint, as a pan or a zoom does.
* ``set_acquisitions`` of 20,000 domain objects (building the numpy arrays), for information.
* Delete of ~1,000 selected acquisitions and Commit of a 1,000-item candidate plan in the main window
  on 20,000 committed acquisitions: the command through the session to the repainted timeline and
  Inspector. Budget < 200 ms. Reference: a full reload of the workspace into every view (what both
  edits did before the session). ``--edits-only`` runs just these.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # workbench_bench's big workspace

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6 import QtGui, QtWidgets  # noqa: E402

from app.ui.inspector_panel import InspectorPanel  # noqa: E402
from app.ui.palette import BAR_COLOURS, bar_category  # noqa: E402
from app.ui.resources import apply_style  # noqa: E402
from app.ui.sample_schedule import sample_schedule  # noqa: E402
from app.ui.timeline_bars import BAR_BOTTOM, BAR_TOP  # noqa: E402
from app.ui.timeline_view import TimelineView  # noqa: E402


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def median_cpu_ms(fn, repeat: int) -> float:
    """Median CPU time of this process (ms): what the repaint costs, whatever else the host runs."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return 1000 * statistics.median(times)


def synthetic_lanes(s):
    """Lanes for every satellite of the sample schedule through the real service function."""
    from datetime import timedelta

    from app.domain import ContactWindow, PowerModel, Satellite
    from app.services.resource_lanes import compute_lanes

    tle1 = "1 43800U 18099AB  26222.00000000  .00000000  00000-0  00000-0 0  9990"
    tle2 = "2 43800  97.7000 100.0000 0010000 100.0000 260.0000 15.00000000    09"
    power = PowerModel(battery_capacity_wh=1600.0, initial_battery_wh=1200.0, reserve_wh=200.0, idle_power_w=30.0,
                       imaging_power_w=500.0, slew_power_w=300.0, sunlit_charge_power_w=120.0)
    sats = [Satellite(sid, tle1, tle2, power=power, memory_gbit=200.0, data_per_acquisition_gbit=4.0,
                      downlink_rate_mbps=300.0) for sid in s.satellite_ids]
    h0, h1 = s.horizon_start.timestamp(), s.horizon_end.timestamp()
    sunlit, contacts = {}, []
    for k, sid in enumerate(s.satellite_ids):
        phase = 97.0 * k
        sunlit[sid] = [(t, t + 3600.0) for t in np.arange(h0 + phase, h1, 5700.0)]
        for j, t in enumerate(np.arange(h0 + 3 * phase, h1, 86400.0 / 20)):
            rise = s.horizon_start + timedelta(seconds=float(t - h0))
            contacts.append(ContactWindow(sid, f"Station-{j % 4}", rise, rise + timedelta(minutes=4),
                                          rise + timedelta(minutes=8), 30.0))
    t = time.perf_counter()
    lanes = compute_lanes(sats, s.acquisitions, s.plan_items, s.horizon_start, s.horizon_end, sunlit, contacts)
    return lanes, 1000 * (time.perf_counter() - t)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bars", type=int, default=20_000)
    ap.add_argument("--rows", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--edits-only", action="store_true",
                    help="only the main window's Delete and Commit of 1,000 on 20,000 acquisitions")
    args = ap.parse_args()

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    apply_style(app)
    if args.edits_only:
        print_table(delete_and_commit())
        return 0
    s = sample_schedule(n_satellites=args.rows, n_acquisitions=args.bars, n_conflicts=20, n_ghosts=200,
                        n_orders_new=0)
    view = TimelineView()
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    view.set_rows(s.satellite_ids)
    t = time.perf_counter()
    view.set_acquisitions(s.acquisitions, s.conflict_acquisition_ids)
    set_ms = 1000 * (time.perf_counter() - t)
    view.set_ghost_items(s.plan_items)
    view.set_zones(s.now, s.freeze_cutoff, s.planning_end, s.horizon_start, s.horizon_end)
    rows: list[tuple[str, str, str, str, str]] = []

    view.zoom_preset("week")
    app.processEvents()
    view.plot.grab()
    week_ms = median_ms(view.plot.grab, args.repeat)
    exposed_week = view.bars.last_paint_stats
    view.zoom_preset("day")
    app.processEvents()
    view.plot.grab()
    day_ms = median_ms(view.plot.grab, args.repeat)

    # The same views with every resource lane drawn (contacts, sunlit/eclipse, battery and memory
    # along the schedule and the candidate plan): synthetic orbits of 95 min (60 sunlit), 4 stations
    # seen ~5 times a day each for 8 min, every satellite with a power and a memory model.
    lanes, lanes_build_ms = synthetic_lanes(s)
    view.set_resource_lanes(lanes)
    view.show_resource_lanes(True)
    view.zoom_preset("week")
    app.processEvents()
    view.plot.grab()
    lanes_week_ms = median_ms(view.plot.grab, args.repeat)

    def redraw_lanes():
        view.lanes.update()  # drops the lanes' cached pixels, as a pan or zoom does
        view.plot.grab()
    lanes_week_redraw_ms = median_ms(redraw_lanes, args.repeat)
    lanes_week_redraw_cpu = median_cpu_ms(redraw_lanes, args.repeat)
    lane_stats = dict(view.lanes.last_paint_stats)
    # Reference: the same lines drawn as QPainter segments (thinned per pixel column), as before
    # they were rasterised by numpy.
    import app.ui.resource_lanes_item as lanes_item
    density, lanes_item.RASTER_DENSITY = lanes_item.RASTER_DENSITY, float("inf")
    lanes_week_segments_ms = median_ms(redraw_lanes, args.repeat)
    lanes_week_segments_cpu = median_cpu_ms(redraw_lanes, args.repeat)
    segments_drawn = sum(view.lanes.last_paint_stats.get(k, 0)
                         for k in ('battery', 'battery_candidate', 'memory', 'memory_candidate'))
    lanes_item.RASTER_DENSITY = density

    # What a planner does: pan (Qt scrolls the lanes' cached pixels and draws only the new strip)
    # and zoom (the whole lanes drawn again), each step a few percent, as a wheel or a drag does.
    steps = {"k": 0}

    def pan_step():
        x0, x1 = view.x_range()
        d = (x1 - x0) * 0.03 * (1 if steps["k"] % 10 < 5 else -1)
        steps["k"] += 1
        view.zoom_to(x0 + d, x1 + d)
        view.plot.grab()

    def zoom_step():
        x0, x1 = view.x_range()
        f = 1.05 if steps["k"] % 2 else 1 / 1.05
        steps["k"] += 1
        m, h = (x0 + x1) / 2, (x1 - x0) / 2 * f
        view.zoom_to(m - h, m + h)
        view.plot.grab()
    lanes_pan = (median_ms(pan_step, args.repeat), median_cpu_ms(pan_step, args.repeat))
    lanes_zoom = (median_ms(zoom_step, args.repeat), median_cpu_ms(zoom_step, args.repeat))
    view.zoom_preset("week")
    app.processEvents()
    view.zoom_preset("day")
    app.processEvents()
    view.plot.grab()
    lanes_day_ms = median_ms(view.plot.grab, args.repeat)
    lanes_day_redraw_ms = median_ms(redraw_lanes, args.repeat)
    view.show_resource_lanes(False)

    # Reference: one QGraphicsRectItem per bar in the same view (the item-per-bar design).
    view.zoom_preset("week")
    app.processEvents()
    view.bars.hide()
    items = []
    brushes = {}
    no_pen = pg.mkPen(None)
    container = QtWidgets.QGraphicsRectItem()  # invisible parent: hiding it hides the reference
    container.setPen(no_pen)
    container.setParentItem(view.viewbox.childGroup)
    t = time.perf_counter()
    for a in s.acquisitions:
        c = bar_category(a, a.id in s.conflict_acquisition_ids, s.freeze_cutoff)
        brush = brushes.setdefault(c, QtGui.QBrush(QtGui.QColor(BAR_COLOURS[c][0])))
        r = view.rows().index(a.satellite_id)
        item = QtWidgets.QGraphicsRectItem(a.start.timestamp(), r + BAR_TOP,
                                           max((a.end - a.start).total_seconds(), 1.0),
                                           BAR_BOTTOM - BAR_TOP)
        item.setBrush(brush)
        item.setPen(no_pen)
        # Parented under one container in the view's child group (ViewBox.addItem per item,
        # and removing 20,000 items again, trip a PySide 6.12 refcount bug).
        item.setParentItem(container)
        items.append(item)
    ref_build_ms = 1000 * (time.perf_counter() - t)
    app.processEvents()
    view.plot.grab()
    ref_week_ms = median_ms(view.plot.grab, max(5, args.repeat // 3))
    container.hide()
    view.bars.show()
    app.processEvents()

    rows.append((f"full repaint, week view, {args.rows} rows × {args.bars:,} bars (median of {args.repeat})",
                 f"{week_ms:.1f} ms", "< 30 ms", f"item per bar: {ref_week_ms:.1f} ms",
                 f"{ref_week_ms / week_ms:.1f}× faster"))
    rows.append((f"full repaint, day view (median of {args.repeat})", f"{day_ms:.1f} ms", "< 30 ms", "—", "—"))
    rows.append(("  bars exposed / rects drawn in the week view (per-pixel merge)",
                 f"{exposed_week['exposed']:,} / {exposed_week['drawn']:,}", "—", "—", "—"))
    rows.append((f"full repaint with all resource lanes, week view (median of {args.repeat})",
                 f"{lanes_week_ms:.1f} ms", "< 30 ms", f"without lanes: {week_ms:.1f} ms",
                 f"+{lanes_week_ms - week_ms:.1f} ms"))
    rows.append((f"full repaint with all resource lanes, day view (median of {args.repeat})",
                 f"{lanes_day_ms:.1f} ms", "< 30 ms", f"without lanes: {day_ms:.1f} ms",
                 f"+{lanes_day_ms - day_ms:.1f} ms"))
    rows.append(("  … lanes drawn again (their cache dropped, as after a pan or zoom), week view",
                 f"{lanes_week_redraw_ms:.1f} ms (CPU {lanes_week_redraw_cpu:.1f} ms)", "< 30 ms",
                 f"lines as {segments_drawn:,} QPainter segments: {lanes_week_segments_ms:.1f} ms "
                 f"(CPU {lanes_week_segments_cpu:.1f} ms)",
                 f"{lanes_week_segments_cpu / lanes_week_redraw_cpu:.2f}× (CPU)"))
    rows.append(("  … a pan of 3 % with all lanes, week view (median of the steps)",
                 f"{lanes_pan[0]:.1f} ms (CPU {lanes_pan[1]:.1f} ms)", "< 30 ms", "—", "—"))
    rows.append(("  … a zoom of 5 % with all lanes, week view (lanes drawn again)",
                 f"{lanes_zoom[0]:.1f} ms (CPU {lanes_zoom[1]:.1f} ms)", "< 30 ms", "—", "—"))
    rows.append(("  … lanes drawn again, day view", f"{lanes_day_redraw_ms:.1f} ms", "< 30 ms",
                 f"without lanes: {day_ms:.1f} ms", f"+{lanes_day_redraw_ms - day_ms:.1f} ms"))
    rows.append(("  lane items drawn in the week view (rects / line segments / line × pixel columns rasterised)",
                 f"{sum(lane_stats[k] for k in ('eclipse', 'sunlit', 'contact', 'violation')):,} / "
                 f"{sum(lane_stats[k] for k in ('battery', 'battery_candidate', 'memory', 'memory_candidate')):,} / "
                 f"{lane_stats.get('raster_columns', 0):,}",
                 "—", f"lanes computed in {lanes_build_ms:.0f} ms (once, cached)", "—"))

    # Rubber band over ~1,000 bars: hit test + selection update + the repaint that shows it.
    x0, x1 = view.x_range()
    frac = 1000 / args.bars
    while True:  # widen the band until it holds at least 1,000 bars
        band = (x0, x0 + frac * (x1 - x0), 0.0, float(args.rows))
        n_sel = len(view.bars.indices_in_rect(*band, view._min_width()))
        if n_sel >= min(1000, args.bars) or frac >= 1.0:
            break
        frac *= 1.03

    def select_and_paint():
        view.set_selection([])
        view.select_in_rect(*band)
        view.plot.grab()

    select_ms = median_ms(select_and_paint, max(5, args.repeat // 3))

    inspector = InspectorPanel()
    inspector.resize(360, 800)
    inspector.show()
    by_id = {a.id: a for a in s.acquisitions}
    view.selectionChanged.connect(lambda ids: inspector.show_acquisitions([by_id[i] for i in ids]))

    def select_inspect_paint():
        view.set_selection([])
        view.select_in_rect(*band)
        view.plot.grab()
        inspector.grab()

    inspect_ms = median_ms(select_inspect_paint, max(5, args.repeat // 3))

    starts = [a.start.timestamp() for a in s.acquisitions]
    ends = [a.end.timestamp() for a in s.acquisitions]
    row_of = {sid: i for i, sid in enumerate(view.rows())}
    rws = [row_of[a.satellite_id] for a in s.acquisitions]

    def python_loop():
        return [i for i in range(len(starts)) if ends[i] >= band[0] and starts[i] <= band[1]
                and rws[i] + BAR_BOTTOM >= band[2] and rws[i] + BAR_TOP <= band[3]]

    loop_ms = median_ms(python_loop, 10)
    hit_ms = median_ms(lambda: view.bars.indices_in_rect(*band, view._min_width()), 20)
    rows.append((f"rubber-band select of {n_sel:,} bars: hit test + selection + repaint", f"{select_ms:.1f} ms",
                 "< 200 ms", "—", "—"))
    rows.append(("  … + Inspector multi-selection page built and painted", f"{inspect_ms:.1f} ms", "< 200 ms",
                 "—", "—"))
    rows.append(("  hit test alone (numpy, sorted starts)", f"{hit_ms:.2f} ms", "—",
                 f"Python loop: {loop_ms:.1f} ms", f"{loop_ms / hit_ms:.0f}× faster"))
    rows.append((f"set_acquisitions of {args.bars:,} domain objects", f"{set_ms:.0f} ms", "—",
                 f"item-per-bar build: {ref_build_ms:.0f} ms", f"{ref_build_ms / set_ms:.1f}× faster"))

    view.close()
    rows += delete_and_commit()
    print_table(rows)
    return 0


def print_table(rows: list[tuple[str, str, str, str, str]]) -> None:
    header = ("what", "figure", "budget", "reference (same run)", "ratio")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(5)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |")


def delete_and_commit(repeat: int = 3) -> list[tuple[str, str, str, str, str]]:
    """Delete of ~1,000 selected acquisitions and Commit of a 1,000-item candidate plan in the main
    window on a workspace of 20,000 committed acquisitions (``bench/workbench_bench.add_big_week``),
    each timed from the command to the repainted timeline and Inspector; median of ``repeat`` (each
    Delete undone before the next). Reference: a full reload of the workspace into every view,
    which is what both edits did before the session."""
    import tempfile
    from datetime import timedelta

    from PySide6 import QtCore

    from app.services.database import open_database
    from app.services.demo import ensure_demo
    from app.ui.main_window import MainWindow
    from workbench_bench import add_big_week

    tmp = Path(tempfile.mkdtemp())
    db_url, ini = str(tmp / "bench.db"), str(tmp / "ui.ini")
    d = open_database(db_url)
    ensure_demo(d)
    d.close()
    big = add_big_week(db_url)
    app = QtWidgets.QApplication.instance()
    w = MainWindow(db_url, big, QtCore.QSettings(ini, QtCore.QSettings.Format.IniFormat))
    w.candidate_on_close = "keep"
    w.resize(1600, 900)
    w.show()
    app.processEvents()
    n_acq = len(w.acquisitions)
    rows_n = len(w.timeline.rows())
    x0, x1 = w.timeline.x_range()
    span = (x1 - x0) * 1000.0 / n_acq

    def repaint():
        w.timeline.plot.viewport().repaint()
        w.inspector.repaint()
        app.processEvents()

    delete_s, sizes = [], []
    for k in range(repeat):
        lo = x0 + (k + 1) * (x1 - x0) / (repeat + 2)
        ids = w.timeline.select_in_rect(lo, lo + span, -0.5, rows_n - 0.5)
        app.processEvents()
        t = time.perf_counter()
        w.edits.delete_selection()
        repaint()
        delete_s.append(time.perf_counter() - t)
        sizes.append(len(ids))
        assert len(w.acquisitions) == n_acq - len(ids)
        w.action_undo.trigger()
        app.processEvents()
    t = time.perf_counter()
    w.reload()
    repaint()
    reload_s = time.perf_counter() - t

    SPACING_S = 300  # between one satellite's items (s)
    # A candidate of 1,000 items (new orders) in free hours after the horizon's acquisitions (a commit
    # re-checks its items against the schedule: they must not overlap it). Two kinds, alternating:
    # "fresh", planned against the schedule as it is (the plan records the schedule version, as
    # Plan… does: the commit checks the orders already served but re-runs no feasibility check),
    # and "re-checked" (no recorded version: the commit re-checks every item against the schedule,
    # overlaps, slews, battery and memory, as when another planner committed since).
    commit_s: dict[str, list[float]] = {"fresh": [], "re-checked": []}
    k = 0
    for _ in range(repeat):
        for kind in commit_s:
            db = w.db
            ws = w.ws
            sats = [s.id for s in db.list_satellites(ws.id)]
            targets = [t.id for t in db.list_targets(ws.id)]
            version = db.schedule_version(ws.id) if kind == "fresh" else None
            orders = db.create_orders(ws.id, [{"target_id": targets[i % len(targets)], "priority": 2}
                                              for i in range(1000)])
            base = ws.settings.horizon_end + timedelta(hours=2 + 8 * k)  # each run past the last one's items
            k += 1
            items = [{"opportunity_id": f"bench{k}_{i}", "satellite_id": sats[i % len(sats)],
                      "target_id": o.target_id,
                      "start": base + timedelta(seconds=SPACING_S * (i // len(sats))),
                      "end": base + timedelta(seconds=SPACING_S * (i // len(sats)) + 5), "roll_deg": 0.0,
                      "pitch_deg": 0.0, "value": 0.5, "order_id": o.id} for i, o in enumerate(orders)]
            # The plan's horizon (as the planner stores it) covers its items: the commit re-checks
            # battery and memory over it, so the items are spaced as a satellite can take them.
            horizon = {"horizon_start": ws.settings.horizon_start.isoformat(),
                       "horizon_end": (base + timedelta(days=1)).isoformat()}
            plan = db.create_plan("best_fit", {"mode": "incremental", **horizon}, f"sha256:bench-commit-{k}", None,
                                  {"accepted": 1000}, ws.id, schedule_version=version)
            db.create_plan_items(plan.id, items)
            w.reload()
            app.processEvents()
            assert w.candidate is not None and w.candidate.plan_id == plan.id
            t = time.perf_counter()
            assert w.commit(confirm=False), w.statusBar().currentMessage()
            repaint()
            commit_s[kind].append(time.perf_counter() - t)
    w.close()
    ms = lambda xs: 1000 * statistics.median(xs)  # noqa: E731
    return [
        (f"Delete of {min(sizes):,}-{max(sizes):,} selected acquisitions, main window on {n_acq:,}: command to "
         f"repainted timeline and Inspector (median of {repeat})", f"{ms(delete_s):.0f} ms", "< 200 ms",
         f"full reload into every view: {1000 * reload_s:.0f} ms", f"{reload_s / statistics.median(delete_s):.1f}×"),
        (f"Commit of a 1,000-item candidate plan on the same workspace, planned against the schedule as it is "
         f"(median of {repeat})", f"{ms(commit_s['fresh']):.0f} ms", "< 200 ms", f"full reload: {1000 * reload_s:.0f} ms",
         f"{reload_s / statistics.median(commit_s['fresh']):.1f}×"),
        (f"… the same with every item re-checked (schedule changed since; battery over the horizon) "
         f"(median of {repeat}; each: {', '.join(f'{1000 * x:.0f}' for x in commit_s['re-checked'])} ms, the first "
         "computing the horizon's sunlight)", f"{ms(commit_s['re-checked']):.0f} ms", "< 200 ms",
         f"full reload: {1000 * reload_s:.0f} ms", f"{reload_s / statistics.median(commit_s['re-checked']):.1f}×"),
    ]


if __name__ == "__main__":
    sys.exit(main())
