"""Compare Plans (seed 001 §5.4): current vs proposed, side by side, ▲/▼ per metric coloured
better (green) or worse (red), the change list, Keep Current / Accept Proposed.

Input: ``{"current": {metric: value}, "proposed": {...}, "deltas": {...} (optional), "changes":
[str | {"type", "target_id", "acquisition_id", "shift_s", "from_satellite", "to_satellite",
"description"}]}``. ▲ means the value went up, ▼ down; the colour says whether that is better.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from app.domain import parse_utc

from ..formatting import day_time, duration_text, shift, without_ids
from ..palette import BETTER_COLOUR, NEUTRAL_COLOUR, WORSE_COLOUR

#: metric key → (label, +1 if higher is better / −1 if lower is better / 0 neutral, kind)
METRICS: dict[str, tuple[str, int, str]] = {
    "coverage": ("Coverage", +1, "fraction"),
    "accepted": ("Acquisitions", +1, "count"),
    "orders_served": ("Orders served", +1, "count"),
    "rejected": ("Orders not served", -1, "count"),
    "total_value": ("Total value", +1, "float"),
    "mean_quality": ("Avg quality", +1, "quality"),
    "avg_quality": ("Avg quality", +1, "quality"),
    "mean_incidence_deg": ("Mean incidence", -1, "deg"),
    "total_maneuver_s": ("Total manoeuvre time", -1, "seconds"),
    "total_maneuver_time_s": ("Total manoeuvre time", -1, "seconds"),
    "total_imaging_s": ("Total imaging", +1, "seconds"),
    "utilisation": ("Utilisation", +1, "fraction"),
    "conflicts": ("Conflicts", -1, "count"),
    "error_conflicts": ("Error conflicts", -1, "count"),
    "stale_tle_count": ("Stale TLEs", -1, "count"),
    "optimality_gap": ("Optimality gap", -1, "fraction"),
    "runtime_ms": ("Runtime", 0, "ms"),
}
CHANGE_WORDS = {"moved": "moved", "added": "NEW acquisition added", "removed": "removed",
                "satellite_switched": "switched satellite", "unchanged": "unchanged"}


def format_metric(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    kind = METRICS.get(key, ("", 0, "float"))[2]
    if kind == "fraction":
        return f"{100 * value:.1f} %" if abs(value) <= 1.0 else f"{value:.1f} %"
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "seconds":
        return f"{value:,.0f} s" if abs(value) < 600 else duration_text(value)
    if kind == "quality":
        return f"{value:.2f}"
    if kind == "deg":
        return f"{value:.1f}°"
    if kind == "ms":
        return f"{value:,.0f} ms"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def arrow(key: str, delta: float | None) -> tuple[str, str, str]:
    """(glyph, colour, word) for a change: ▲ up / ▼ down / = same, coloured better/worse."""
    if delta is None or abs(delta) < 1e-12:
        return "=", NEUTRAL_COLOUR, "unchanged"
    glyph = "▲" if delta > 0 else "▼"
    better = METRICS.get(key, ("", 0, ""))[1]
    if better == 0:
        return glyph, NEUTRAL_COLOUR, "changed"
    good = (delta > 0) == (better > 0)
    return glyph, BETTER_COLOUR if good else WORSE_COLOUR, "better" if good else "worse"


def change_text(change: Any) -> str:
    """One line of the change list in words, e.g. ``Athens: moved +12 min 00 s, now Thu 13 Aug 09:45Z``
    (the acquisition's id is in ``change_details``, shown as the line's tooltip)."""
    if isinstance(change, str):
        return change
    if not isinstance(change, Mapping):
        return str(change)
    if change.get("description"):
        return without_ids(str(change["description"]), "an acquisition")
    kind = str(change.get("type", "changed"))
    who = change.get("target_id") or "an order"
    text = f"{who}: {CHANGE_WORDS.get(kind, kind)}"
    seconds = change.get("shift_seconds", change.get("shift_s"))
    if seconds is not None:
        text += f" {shift(float(seconds))}"
    old_sat = change.get("old_satellite_id") or change.get("from_satellite")
    new_sat = change.get("new_satellite_id") or change.get("to_satellite")
    if kind == "satellite_switched" or (old_sat and new_sat and old_sat != new_sat):
        text += f" ({old_sat or '?'} → {new_sat or '?'})"
    elif kind == "added" and new_sat:
        text += f" on {new_sat}"
    start = change.get("new_start")
    if start and kind != "removed":
        text += f", {'now ' if kind != 'added' else ''}{day_time(parse_utc(start))}"
    return text


def change_details(change: Any) -> str:
    """The ids behind a change line (for its tooltip): acquisition, order, opportunity."""
    if not isinstance(change, Mapping):
        return ""
    return "\n".join(f"{label}: {change[key]}" for key, label in (("acquisition_id", "acquisition"),
                                                                   ("order_id", "order"),
                                                                   ("opportunity_id", "opportunity"))
                     if change.get(key))


class CompareDialog(QtWidgets.QDialog):
    """``exec()`` returns Accepted for Accept Proposed; ``choice()`` says ``proposed``/``current``."""

    def __init__(self, comparison: Mapping[str, Any], parent: QtWidgets.QWidget | None = None,
                 current_title: str = "Current plan", proposed_title: str = "Proposed plan") -> None:
        super().__init__(parent)
        self.setWindowTitle("Compare Plans")
        self.setModal(True)
        current = dict(comparison.get("current") or {})
        proposed = dict(comparison.get("proposed") or {})
        deltas = dict(comparison.get("deltas") or {})
        changes = list(comparison.get("changes") or [])
        self._choice = "current"
        self.rows: dict[str, tuple[str, str, str, str]] = {}

        keys = [k for k in METRICS if k in current or k in proposed]
        keys += sorted(k for k in set(current) | set(proposed)
                       if k not in METRICS and _numeric(current.get(k, proposed.get(k))))
        self.table = QtWidgets.QTableWidget(len(keys), 4)
        self.table.setHorizontalHeaderLabels(["Metric", current_title, proposed_title, ""])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.NoSelection)
        self.table.setShowGrid(False)
        bold = QtGui.QFont()
        bold.setBold(True)
        for r, key in enumerate(keys):
            label = METRICS.get(key, (key.replace("_", " ").capitalize(), 0, ""))[0]
            cur, new = current.get(key), proposed.get(key)
            delta = deltas.get(key)
            if delta is None and _numeric(cur) and _numeric(new):
                delta = float(new) - float(cur)
            glyph, colour, word = arrow(key, delta)
            cells = (label, format_metric(key, cur), format_metric(key, new), f"{glyph} {word}")
            for c, text in enumerate(cells):
                item = QtWidgets.QTableWidgetItem(text)
                if c in (1, 2):
                    item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
                if c == 3:
                    item.setForeground(QtGui.QColor(colour))
                    item.setFont(bold)
                    if delta is not None:
                        item.setToolTip(f"change: {delta:+.4g}")
                self.table.setItem(r, c, item)
            self.rows[key] = cells
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(min(60 + 26 * len(keys), 360))

        visible = [c for c in changes if not (isinstance(c, Mapping) and c.get("type") == "unchanged")]
        counts = Counter(str(c.get("type", "changed")) for c in changes if isinstance(c, Mapping))
        summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in sorted(counts.items()))
        self.changes_title = QtWidgets.QLabel(f"Changes ({len(visible)})" + (f": {summary}" if summary else ""))
        self.changes_title.setProperty("role", "title")
        self.change_list = QtWidgets.QListWidget()
        for c in visible:
            item = QtWidgets.QListWidgetItem(f"• {change_text(c)}")
            item.setToolTip(change_details(c))
            self.change_list.addItem(item)
        if not visible:
            self.change_list.addItem("No change: the proposed plan keeps every acquisition.")

        self.keep_button = QtWidgets.QPushButton("Keep Current")
        self.accept_button = QtWidgets.QPushButton("Accept Proposed Plan")
        self.accept_button.setProperty("primary", True)
        self.keep_button.setAutoDefault(False)
        self.accept_button.setDefault(True)
        self.keep_button.clicked.connect(self._keep)
        self.accept_button.clicked.connect(self._accept)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addStretch(1)
        buttons.addWidget(self.accept_button)
        layout = QtWidgets.QVBoxLayout(self)
        title = QtWidgets.QLabel("Current vs proposed: ▲ up, ▼ down; green = better, red = worse")
        title.setProperty("role", "hint")
        layout.addWidget(title)
        layout.addWidget(self.table)
        layout.addWidget(self.changes_title)
        layout.addWidget(self.change_list, 1)
        layout.addLayout(buttons)
        self.resize(620, 560)

    def choice(self) -> str:
        return self._choice

    def change_texts(self) -> list[str]:
        return [self.change_list.item(i).text() for i in range(self.change_list.count())]

    def _keep(self) -> None:
        self._choice = "current"
        self.reject()

    def _accept(self) -> None:
        self._choice = "proposed"
        self.accept()


def _numeric(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)
