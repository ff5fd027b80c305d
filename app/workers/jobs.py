"""Run service calls on a QThreadPool, relaying progress, result and error to the GUI thread.

A job is a plain function ``fn(state)``; it reports with ``state.progress(done, total, text)`` and polls
``state.cancelled()``. Starting a job of a kind that is already running cancels the old one (Orange3/superqt style).
Results are delivered through queued signals, so slots run on the GUI thread.
"""
from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6 import QtCore


_deferral_lock = threading.Lock()
_deferrals = 0
_saved_threshold: tuple[int, int, int] | None = None
#: The oldest generation's threshold while jobs run: in effect, no full collection.
_DEFERRED_GEN2 = 1_000_000


@contextmanager
def full_collections_deferred() -> Iterator[None]:
    """While long jobs run (``JobRunner.start(..., long=True)``: planning), the collector makes no
    full (oldest-generation) pass.

    A full pass walks every object of the process, the window's included, and a worker that
    triggers one while allocating a planning run's objects holds the GIL for 100-150 ms: the GUI
    thread stalls. The young generations are still collected. When the last job ends, the objects
    that survived it (results the GUI is about to show, caches) are frozen like the startup
    objects (``gc.freeze``), so the full pass that the restored thresholds soon trigger, often on
    the GUI thread while it applies the result, no longer walks them. Frozen objects are still
    freed by reference counting; only reference cycles among them would outlive their use, and
    the results (frozen dataclasses, numpy arrays) hold none. Short jobs (swap choices, map
    layers: one per selection change) do not do this, so that a long session does not freeze the
    garbage of its many small jobs."""
    global _deferrals, _saved_threshold
    with _deferral_lock:
        if _deferrals == 0:
            _saved_threshold = gc.get_threshold()
            gc.set_threshold(_saved_threshold[0], _saved_threshold[1], _DEFERRED_GEN2)
        _deferrals += 1
    try:
        yield
    finally:
        with _deferral_lock:
            _deferrals -= 1
            if _deferrals == 0 and _saved_threshold is not None:
                gc.freeze()
                gc.set_threshold(*_saved_threshold)


class JobState:
    """What a running job sees: progress reporting and cancellation polling (thread-safe)."""

    def __init__(self, signals: "JobSignals") -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def progress(self, done: float, total: float, text: str = "") -> None:
        self._signals.progress.emit(float(done), float(total), text)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()


class JobSignals(QtCore.QObject):
    progress = QtCore.Signal(float, float, str)
    finished = QtCore.Signal(object)
    failed = QtCore.Signal(str, str)  # message, traceback
    cancelled = QtCore.Signal()


class Job:
    """One run of ``fn`` on the pool. A plain object handed to the pool as a callable: PySide
    keeps a reference to every QRunnable subclass instance it was given, so those never die."""

    def __init__(self, kind: str, fn: Callable[[JobState], Any], long: bool = False) -> None:
        self.kind = kind
        self.fn = fn
        self.long = long
        self.signals = JobSignals()
        self.state = JobState(self.signals)

    def run(self) -> None:  # runs on a pool thread
        try:
            if self.long:
                with full_collections_deferred():
                    result = self.fn(self.state)
            else:
                result = self.fn(self.state)
        except Exception as exc:  # reported to the GUI, which shows the message
            if self.state.cancelled():
                self.signals.cancelled.emit()
            else:
                self.signals.failed.emit(" ".join(str(exc).split()) or type(exc).__name__,
                                         traceback.format_exc())
            return
        if self.state.cancelled():
            self.signals.cancelled.emit()
        else:
            self.signals.finished.emit(result)


class JobRunner(QtCore.QObject):
    """Starts jobs on a thread pool; one running job per kind; ``busyChanged`` drives the status bar."""

    busyChanged = QtCore.Signal(bool)

    def __init__(self, parent: QtCore.QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QtCore.QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: dict[str, Job] = {}

    def start(self, kind: str, fn: Callable[[JobState], Any], *,
              on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[str], None] | None = None,
              on_progress: Callable[[float, float, str], None] | None = None,
              on_cancelled: Callable[[], None] | None = None, long: bool = False) -> Job:
        """Start ``fn(state)`` on the pool; ``long`` for jobs of seconds that allocate a lot
        (see ``full_collections_deferred``)."""
        old = self._running.get(kind)
        if old is not None:
            old.state.cancel()
        job = Job(kind, fn, long)
        self._running[kind] = job

        def ended(callback: Callable[..., None] | None, *args: Any) -> None:
            if self._running.get(kind) is job:
                del self._running[kind]
            self.busyChanged.emit(bool(self._running))
            try:
                if callback is not None:
                    callback(*args)
            finally:
                # The connections are held by Qt, out of the garbage collector's sight: the job, its
                # signals and these closures would stay alive for the rest of the session.
                job.fn = None
                job.signals.deleteLater()

        if on_progress:
            job.signals.progress.connect(on_progress)
        job.signals.finished.connect(lambda result: ended(on_done, result))
        job.signals.failed.connect(lambda msg, tb: ended(on_error, msg))
        job.signals.cancelled.connect(lambda: ended(on_cancelled))
        self.busyChanged.emit(True)
        self.pool.start(job.run)
        return job

    def cancel(self, kind: str | None = None) -> None:
        for k, job in list(self._running.items()):
            if kind is None or k == kind:
                job.state.cancel()

    def running(self, kind: str | None = None) -> bool:
        return bool(self._running) if kind is None else kind in self._running

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
