"""Jobs run off the GUI thread and report back on it."""
import threading
import time

from app.workers.jobs import JobRunner


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
