"""Operations in the workbench (spec §10 "Time passing"): the clock in the status bar, File ▸ Clock
(step, set, live), File ▸ Advance Horizon…, and the execution-report / cloud-forecast importers that
File ▸ Import lists (``file_actions.IMPORTS``). Each is one service call; refusals are shown in words.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.domain import DomainError
from app.domain.operations import HorizonReport, TimePassing
from app.domain.wording import day_time, plural
from app.services import clock, execution, forecasts, horizons

from .formatting import utc_text
from . import menus

#: A live clock re-applies time passing this often (ms).
LIVE_TICK_MS = 60_000


def install(window, file_menu: QtWidgets.QMenu) -> None:
    """Add the clock label to the status bar, File ▸ Clock and File ▸ Advance Horizon…, and apply time
    passing now (opening a workspace applies it, spec §10)."""
    window.clock_label = QtWidgets.QLabel()
    window.clock_label.setObjectName("clock_label")
    window.clock_label.setToolTip("The workspace clock: the planning \"now\" (File ▸ Clock to move it)")
    window.statusBar().add_first_permanent(window.clock_label)
    menu = file_menu.addMenu("Clock")
    menus.add_action(window, menu, "Step clock…", lambda: step_clock(window), "Ctrl+Shift+T", "clock_step")
    menus.add_action(window, menu, "Set clock…", lambda: set_clock(window), None, "clock_set")
    menus.add_action(window, menu, "Follow live UTC", lambda: go_live(window), None, "clock_live")
    menus.add_action(window, file_menu, "Advance Horizon…", lambda: advance_horizon(window), None, "advance_horizon")
    timer = QtCore.QTimer(window)
    timer.setInterval(LIVE_TICK_MS)
    timer.timeout.connect(lambda: _live_tick(window))
    timer.start()
    window.live_clock_timer = timer
    on_open(window)


def on_open(window) -> TimePassing | None:
    """Apply time passing at the opened workspace's clock; say what it changed."""
    try:
        result = clock.apply_time_passing(window.db, window.ws.id)
    except DomainError as exc:  # e.g. a concurrent edit: the next move applies it
        window.statusBar().showMessage(f"Time passing not applied: {exc}", 15000)
        return None
    if result.changed:
        window.statusBar().showMessage(clock.time_passing_text(result), 15000)
    return result


def clock_text(now, live: bool) -> str:
    """The status bar's clock: ``Clock Mon 10 Aug 06:00Z (scenario)`` (weekday and date, as the axis)."""
    return f"Clock {day_time(now)} ({'live UTC' if live else 'scenario'})"


def show_clock(window, now) -> None:
    """Refresh the status bar's clock (called by the window's reload)."""
    label = getattr(window, "clock_label", None)
    if label is not None:
        label.setText(clock_text(now, window.ws.settings.scenario_clock is None))


def _moved(window, result: TimePassing) -> TimePassing:
    window.reload()
    window.statusBar().showMessage(clock.time_passing_text(result), 15000)
    return result


def _refused(window, title: str, exc: Exception) -> None:
    QtWidgets.QMessageBox.warning(window, title, f"{exc}\n\nNothing was changed.")


def step_clock(window, step: str | None = None) -> TimePassing | None:
    """File ▸ Clock ▸ Step clock…: move the clock by 6h, 90m, 1d12h, -3h …"""
    if step is None:
        step, ok = QtWidgets.QInputDialog.getText(window, "Step clock", "Move the clock by (e.g. 6h, 90m, 1d12h, -3h):",
                                                  text="1h")
        if not ok:
            return None
    try:
        return _moved(window, clock.step_clock(window.db, window.ws.id, step))
    except DomainError as exc:
        _refused(window, "Step clock", exc)
        return None


def set_clock(window, when: str | None = None) -> TimePassing | None:
    """File ▸ Clock ▸ Set clock…: an ISO 8601 time with its zone."""
    if when is None:
        current = window.now().strftime("%Y-%m-%dT%H:%M:%SZ")
        when, ok = QtWidgets.QInputDialog.getText(window, "Set clock", "Clock (UTC, e.g. 2026-08-11T06:00:00Z):",
                                                  text=current)
        if not ok:
            return None
    try:
        return _moved(window, clock.set_clock(window.db, window.ws.id, when))
    except DomainError as exc:
        _refused(window, "Set clock", exc)
        return None


def go_live(window) -> TimePassing | None:
    """File ▸ Clock ▸ Follow live UTC."""
    try:
        return _moved(window, clock.go_live(window.db, window.ws.id))
    except DomainError as exc:
        _refused(window, "Follow live UTC", exc)
        return None


def _live_tick(window) -> None:
    if window.ws.settings.scenario_clock is not None or window.jobs.running():
        return
    result = on_open(window)
    if result is not None and result.changed:
        window.reload()


def report_message(path: str, window) -> str:
    """File ▸ Import ▸ Execution report…: the whole file or nothing; the message counts what changed."""
    r = execution.import_execution_report(window.db, window.ws.id, path)
    parts = [f"{len(r.completed)} completed", f"{len(r.failed)} failed"]
    if r.orders_returned:
        n = len(r.orders_returned)
        parts.append(f"{plural(n, 'order')} back in the Inbox")
    return "Execution report: " + ", ".join(parts)


def forecast_message(path: str, window) -> str:
    """File ▸ Import ▸ Cloud forecast…"""
    r = forecasts.import_forecast(window.db, window.ws.id, path)
    places = plural(r['locations'], 'place')
    return (f"Cloud forecast: {r['points']} points at {places}, {utc_text(r['from'], False)} – "
            f"{utc_text(r['to'], False)}; optical values are weighted by P(clear) from the next plan on")


def report_text(r: HorizonReport) -> str:
    """The closed horizon's report in words."""
    failed = ", ".join(f"{reason} {n}" for reason, n in r.failed_by_reason.items()) or "none"
    sats = "\n".join(f"  {sat}: " + ", ".join(f"{n} {state}" for state, n in sorted(c.items()))
                     for sat, c in r.acquisitions_per_satellite.items()) or "  none"
    carried = ", ".join(f"{n} {state}" for state, n in sorted(r.carried_over.items())) or "nothing"
    return (f"Closed horizon {utc_text(r.closed_start, False)} – {utc_text(r.closed_end, False)}\n"
            f"Orders served: {r.orders_served}; failed acquisitions: {sum(r.failed_by_reason.values())} "
            f"(by reason: {failed})\nValue delivered: {r.value_delivered:.2f}\n"
            f"Acquisitions per satellite:\n{sats}\nCarried over: {carried}\n"
            f"Next horizon {utc_text(r.next_start, False)} – {utc_text(r.next_end, False)}")


def advance_horizon(window, confirm: bool = True) -> HorizonReport | None:
    """File ▸ Advance Horizon…: close the horizon at the clock (after a confirmation) and show its report."""
    if confirm:
        answer = QtWidgets.QMessageBox.question(
            window, "Advance Horizon",
            f"Close the horizon at the clock ({utc_text(window.now(), False)})?\n\nCompleted and failed "
            "acquisitions are archived; committed and executing ones are carried into the next horizon.")
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return None
    try:
        report = horizons.advance_horizon(window.db, window.ws.id)
    except DomainError as exc:
        _refused(window, "Advance Horizon", exc)
        return None
    window.undo_stack.clear()  # closing a horizon is history, as a clock step is
    window.reload()
    window.timeline.zoom_to_horizon()
    window.statusBar().showMessage(f"Horizon closed: {report.orders_served} orders served", 15000)
    if confirm:
        QtWidgets.QMessageBox.information(window, "Horizon closed", report_text(report))
    return report
