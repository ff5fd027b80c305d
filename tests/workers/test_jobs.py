"""Jobs run off the GUI thread and report back on it."""
import gc
import threading
import time

from app.workers.jobs import JobRunner, full_collections_deferred


def test_job_result_arrives_on_gui_thread(qtbot):
    runner = JobRunner()
    gui_thread = threading.get_ident()
    seen = {}

    def work(state):
        seen["worker"] = threading.get_ident()
        state.progress(1, 2, "half")
        return 42

    progress = []
    with qtbot.waitSignal(runner.busyChanged, check_params_cb=lambda busy: not busy, timeout=5000):
        runner.start("calc", work, on_done=lambda r: seen.update(result=r, slot=threading.get_ident()),
                     on_progress=lambda d, t, s: progress.append((d, t, s)))
    assert seen["result"] == 42
    assert seen["worker"] != gui_thread and seen["slot"] == gui_thread
    qtbot.waitUntil(lambda: progress == [(1.0, 2.0, "half")])


def test_new_job_of_same_kind_cancels_old(qtbot):
    runner = JobRunner()
    events = []

    def slow(state):
        while not state.cancelled():
            time.sleep(0.01)
        return "late"

    runner.start("plan", slow, on_done=events.append, on_cancelled=lambda: events.append("cancelled"))
    runner.start("plan", lambda state: "fresh", on_done=events.append)
    qtbot.waitUntil(lambda: sorted(events) == ["cancelled", "fresh"], timeout=5000)
    assert runner.wait(2000)


def test_error_message_reported(qtbot):
    runner = JobRunner()
    errors = []

    def bad(state):
        raise ValueError("priority: must be 1..5, got 9")

    runner.start("x", bad, on_error=errors.append)
    qtbot.waitUntil(lambda: errors == ["priority: must be 1..5, got 9"], timeout=5000)


def test_no_full_collection_while_jobs_run_and_thresholds_come_back(qtbot):
    """A long job defers the collector's full passes (they stall the GUI thread); nested
    deferrals keep them deferred until the last one ends; then the thresholds are the original ones."""
    original = gc.get_threshold()
    seen = []

    def job(state):
        seen.append(gc.get_threshold())
        with full_collections_deferred():
            seen.append(gc.get_threshold())
        seen.append(gc.get_threshold())
        return len(seen)

    runner = JobRunner()
    with qtbot.waitSignal(runner.busyChanged, timeout=10000, check_params_cb=lambda busy: not busy):
        runner.start("gc", job, long=True)
    assert [t[2] for t in seen] == [1_000_000] * 3 and all(t[:2] == original[:2] for t in seen)
    assert gc.get_threshold() == original
    # A short job (one per selection change) leaves the collector alone.
    seen.clear()
    with qtbot.waitSignal(runner.busyChanged, timeout=10000, check_params_cb=lambda busy: not busy):
        runner.start("gc", lambda state: seen.append(gc.get_threshold()))
    assert seen == [original]


def test_finished_jobs_are_freed(qtbot):
    """A session starts a job per selection change (swap choices, map layers): none may outlive
    its end (Qt holds the signal connections, and PySide held every QRunnable it was given)."""
    import weakref
    runner = JobRunner()
    refs = []
    for k in range(20):
        with qtbot.waitSignal(runner.busyChanged, timeout=10000, check_params_cb=lambda busy: not busy):
            refs.append(weakref.ref(runner.start("small", lambda state, k=k: k * 2, on_done=lambda r: None)))
    qtbot.wait(20)  # the signals' deleteLater
    gc.collect()
    assert sum(r() is not None for r in refs) == 0
