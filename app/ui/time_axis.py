"""The timeline's two-level UTC time axis (issue 15): a context row (days, or months) under a
detail row (hours, 6-hour marks, or day numbers), at every zoom.

``time_ticks`` decides the ticks and their words from the visible span and the axis width alone
(no Qt), so tests read the labels of each zoom directly; ``TwoLevelTimeAxis`` draws them: the
detail row with pyqtgraph's own tick machinery (so grid lines follow it), the context row below
it, with the leftmost context label pinned to the left edge when its day began off screen (an
hour view always says which day it shows).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pyqtgraph as pg
from PySide6 import QtCore, QtGui

UTC = timezone.utc
HOUR = 3600.0
DAY = 86400.0
#: Detail-row steps (s) tried from the finest; a labelled step needs ``LABEL_MIN_PX`` per tick.
_HOUR_STEPS = (60.0, 300.0, 600.0, 900.0, 1800.0, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR)
LABEL_MIN_PX = 52.0
#: Below this many pixels per 6-hour step the marks are ticks without words.
SIX_HOUR_LABEL_MIN_PX = 32.0
#: Pixels per day for a day's full name (``Thu 13 Aug``: ~81 px bold at 9 pt, plus its margins).
DAY_NAME_MIN_PX = 92.0
#: Pixels per day for weekday and date (``Thu 13``, ~50 px bold): a week in a 1366 px window's
#: timeline (~540 px); below this, days are named by their number only (a month's view).
WEEKDAY_MIN_PX = 58.0
#: Pixels needed left of the first midnight for the month alone (``Aug``, ~27 px bold, plus margins).
MONTH_PIN_MIN_PX = 44.0


@dataclass(frozen=True)
class TickPlan:
    """Ticks of one view: ``detail`` (epoch s, words; words may be empty for plain marks) on the
    upper row, ``context`` (epoch s, words) on the lower row; ``pinned`` is the context label of
    the left edge when the period it names began before the view (None otherwise)."""

    detail: tuple[tuple[float, str], ...]
    context: tuple[tuple[float, str], ...]
    pinned: str | None
    step_s: float


def _utc(t: float) -> datetime:
    return datetime.fromtimestamp(t, UTC)


def _floor(t: float, step: float) -> float:
    """Multiples of ``step`` from midnight UTC (steps ≤ 1 day divide a day)."""
    day0 = _utc(t).replace(hour=0, minute=0, second=0, microsecond=0).timestamp()
    return day0 + ((t - day0) // step) * step


def _steps(x0: float, x1: float, step: float) -> list[float]:
    t = _floor(x0, step)
    if t < x0:
        t += step
    out = []
    while t <= x1 + 1e-6 and len(out) < 2000:
        out.append(t)
        t += step
    return out


def _days(x0: float, x1: float) -> list[float]:
    return _steps(x0, x1, DAY)


def _months(x0: float, x1: float) -> list[float]:
    d = _utc(x0).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    out = []
    while d.timestamp() <= x1:
        if d.timestamp() >= x0:
            out.append(d.timestamp())
        d = (d + timedelta(days=32)).replace(day=1)
    return out


def time_ticks(x0: float, x1: float, width_px: float) -> TickPlan:
    """The two rows of the axis for the view [x0, x1] (epoch seconds, UTC) ``width_px`` wide.

    * up to ~2 days: hours (or minutes) labelled ``09:00Z`` over days ``Thu 13 Aug``;
    * a week: 6-hour marks (``06Z``, ``12Z``, ``18Z`` when there is room) over ``Thu 13 Aug``, or,
      narrower (a 1366 px window), unlabelled 6-hour marks over ``Thu 13``, the month pinned left of
      the first midnight or, without room there, in the first day's label (``Mon 10 Aug``) and on
      each month's 1st;
    * a month: day numbers over ``Aug 2026 UTC``.
    """
    span = max(x1 - x0, 1e-9)
    px_per_s = max(width_px, 1.0) / span
    step = next((s for s in _HOUR_STEPS if s * px_per_s >= LABEL_MIN_PX), None)
    if step is not None:
        detail = tuple((t, _utc(t).strftime("%H:%MZ")) for t in _steps(x0, x1, step))
        return TickPlan(detail, _day_labels(x0, x1, px_per_s), _pinned_day(x0, px_per_s), step)
    if DAY * px_per_s >= DAY_NAME_MIN_PX:
        six = 6 * HOUR
        words = 6 * HOUR * px_per_s >= SIX_HOUR_LABEL_MIN_PX
        detail = tuple((t, (_utc(t).strftime("%HZ") if words and _utc(t).hour else ""))
                       for t in _steps(x0, x1, six))
        return TickPlan(detail, _day_labels(x0, x1, px_per_s), _pinned_day(x0, px_per_s), six)
    if DAY * px_per_s >= WEEKDAY_MIN_PX:
        detail = tuple((t, "") for t in _steps(x0, x1, 6 * HOUR))
        days = _days(x0, x1)
        # The month alone, pinned left of the first midnight when there is room for it there …
        room = (days[0] - x0) * px_per_s if days else width_px
        pinned = _utc(x0).strftime("%b") if room >= MONTH_PIN_MIN_PX else None
        # … else the first day says it (a view starting at midnight), as does each month's 1st.
        return TickPlan(detail, _days_with_months(days, first_named=pinned is None), pinned, 6 * HOUR)
    every = 1 if DAY * px_per_s >= 22 else 2 if DAY * px_per_s >= 11 else 7
    days = _days(x0, x1)
    detail = tuple((t, str(_utc(t).day) if _day_number_shown(_utc(t), every) else "") for t in days)
    context = tuple((t, _utc(t).strftime("%b %Y UTC")) for t in _months(x0, x1))
    first = _utc(x0)
    pinned = first.strftime("%b %Y UTC") if not context or context[0][0] > x0 else None
    return TickPlan(detail, context, pinned, DAY)


def _days_with_months(days: list[float], first_named: bool) -> tuple[tuple[float, str], ...]:
    """``Thu 13`` per day, ``Mon 10 Aug`` for the first day (when ``first_named``) and for each
    month's 1st. A day is narrower than its full name here, so the label after a full name stays
    empty (its boundary mark remains) rather than overlap it; of two full names in a row the
    month's 1st is kept."""
    named = [(k == 0 and first_named) or _utc(t).day == 1 for k, t in enumerate(days)]
    for k in range(len(days) - 1):
        if named[k] and named[k + 1]:
            named[k] = False
    words = []
    for k, t in enumerate(days):
        if named[k]:
            words.append(_utc(t).strftime("%a %d %b"))
        elif k and named[k - 1]:
            words.append("")
        else:
            words.append(_utc(t).strftime("%a %d"))
    return tuple(zip(days, words))


def _day_number_shown(d: datetime, every: int) -> bool:
    """Every ``every``-th day from the 1st, but not one closer than ``every`` days to the next
    month's 1st (``31`` then ``1`` would touch)."""
    month_days = ((d.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)).day
    return (d.day - 1) % every == 0 and (every == 1 or month_days - d.day + 1 >= every)


def _day_labels(x0: float, x1: float, px_per_s: float) -> tuple[tuple[float, str], ...]:
    fmt = "%a %d %b" if DAY * px_per_s >= DAY_NAME_MIN_PX else "%d"
    return tuple((t, _utc(t).strftime(fmt)) for t in _days(x0, x1))


def _pinned_day(x0: float, px_per_s: float) -> str | None:
    """The day at the left edge, when its midnight is off screen (to the left)."""
    day0 = _floor(x0, DAY)
    if day0 >= x0:
        return None
    return _utc(x0).strftime("%a %d %b")


class TwoLevelTimeAxis(pg.AxisItem):
    """Bottom axis with the ``time_ticks`` rows (UTC whatever the machine's zone)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(orientation="bottom", **kwargs)
        self._plan: TickPlan | None = None
        self._context_font = QtGui.QFont()
        self._context_font.setBold(True)
        self.setStyle(autoExpandTextSpace=False)
        metrics = QtGui.QFontMetrics(self._context_font)
        self._row_h = metrics.height()
        # Two rows of text under the ticks.
        self.setHeight(int(2 * self._row_h + 14))

    def plan(self) -> TickPlan | None:
        """The ticks drawn last (for tests and screenshots' captions)."""
        return self._plan

    def tickValues(self, minVal, maxVal, size):  # noqa: N802,N803 - pyqtgraph API
        self._plan = time_ticks(float(minVal), float(maxVal), float(size))
        return [(self._plan.step_s, [t for t, _ in self._plan.detail])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph API
        words = dict(self._plan.detail) if self._plan else {}
        return [words.get(v, "") for v in values]

    def generateDrawSpecs(self, p):  # noqa: N802 - pyqtgraph API
        specs = super().generateDrawSpecs(p)
        if specs is None or self._plan is None:
            return specs
        axis_spec, tick_specs, text_specs = specs
        view = self.linkedView()
        if view is None:
            return specs
        # The axis's own strip (boundingRect also spans the plot when grid lines are on).
        bounds = self.mapRectFromParent(self.geometry())
        y = bounds.top() + self._row_h + 8
        metrics = QtGui.QFontMetrics(self._context_font)
        flags = int(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignVCenter)
        placed: list[tuple[float, float]] = []
        context = []
        for t, words in self._plan.context:
            x = self.mapFromScene(view.mapViewToScene(QtCore.QPointF(t, 0.0))).x()
            w = metrics.horizontalAdvance(words) + 6
            context.append((x, w, words))
            # A boundary mark from the detail row down through the context row.
            tick_specs.append((pg.mkPen("#6b7785"), QtCore.QPointF(x, bounds.top()),
                               QtCore.QPointF(x, y + self._row_h)))
        if self._plan.pinned:
            w = metrics.horizontalAdvance(self._plan.pinned) + 6
            nxt = context[0][0] if context else bounds.right()
            if bounds.left() + w + 4 <= nxt:
                context.insert(0, (bounds.left() + 2, w, self._plan.pinned))
        for x, w, words in context:
            if x + w > bounds.right() + 1 or any(a < x + w and x < b for a, b in placed):
                continue
            placed.append((x, x + w))
            text_specs.append((QtCore.QRectF(x + 3, y, w, self._row_h), flags, words))
        self._context_specs = len(placed)
        return axis_spec, tick_specs, text_specs

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs):  # noqa: N802,N803 - pyqtgraph API
        # Detail words in the tick font, context words (the last ``_context_specs``) in bold.
        n = getattr(self, "_context_specs", 0)
        detail, context = (textSpecs[:-n], textSpecs[-n:]) if n else (textSpecs, [])
        super().drawPicture(p, axisSpec, tickSpecs, detail)
        if context:
            p.setFont(self._context_font)
            p.setPen(self.textPen())
            for rect, flags, text in context:
                p.drawText(rect, int(flags), text)
