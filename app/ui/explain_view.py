"""Why an Inbox order is not scheduled, and what would make it fit (issue 15), for the Inspector.

Shows an ``app.services.explain.Explanation``: the reason in one sentence, the supporting lines,
and each checked suggestion with the acquisition it would give and an Apply button. Apply only
emits ``applyRequested`` with the suggestion: the window runs it as an undoable command and
re-plans (the view never talks to a service). Ids appear only in tooltips.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets

from app.domain.wording import moment
from app.services.explain import Explanation, Suggestion

from .formatting import duration_text, roll_text

_KIND_TITLES = {
    "served": "Scheduled", "planned": "In the candidate plan", "not_planned": "Not planned yet",
    "no_pass": "No pass", "filtered": "Filtered by its constraints", "out_of_reach": "Out of reach",
    "lost": "Lost to other acquisitions",
}


def _without_heading(reason: str, heading: str) -> str:
    """The reason without a leading repeat of the heading ("Not planned yet: it fits as …" under
    "Not planned yet" reads "It fits as …"): each thing is said once."""
    prefix = heading + ":"
    if reason.lower().startswith(prefix.lower()):
        rest = reason[len(prefix):].strip()
        return rest[:1].upper() + rest[1:] if rest else reason
    return reason


class ExplainView(QtWidgets.QWidget):
    """The "Why not?" section of an Inbox order's page."""

    #: Apply one suggestion (the ``Suggestion`` object).
    applyRequested = QtCore.Signal(object)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QtWidgets.QLabel()
        self.title.setObjectName("explainTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.reason = QtWidgets.QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QtWidgets.QLabel()
        self.details.setWordWrap(True)
        self.details.setProperty("role", "hint")
        self.fix_title = QtWidgets.QLabel("What would make it fit (each checked by re-planning):")
        self.fix_title.setWordWrap(True)
        self._rows = QtWidgets.QVBoxLayout()
        self._rows.setSpacing(6)
        self.apply_buttons: list[QtWidgets.QPushButton] = []
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.reason)
        layout.addWidget(self.details)
        layout.addWidget(self.fix_title)
        layout.addLayout(self._rows)
        self.set_busy()

    def set_busy(self, order_name: str = "") -> None:
        """While the explanation is computed on a worker."""
        self._clear()
        self.title.setText("Why is it not scheduled?")
        self.reason.setText(f"Checking {order_name}…" if order_name else "")
        self.details.hide()
        self.fix_title.hide()

    def set_explanation(self, e: Explanation) -> None:
        self._clear()
        self.title.setText(_KIND_TITLES.get(e.kind, "Why not"))
        self.title.setToolTip(f"order id {e.order_id}")
        self.reason.setText(_without_heading(e.reason, self.title.text()))
        self.details.setText("\n".join(f"· {d}" for d in e.details))
        self.details.setVisible(bool(e.details))
        self.fix_title.setVisible(bool(e.suggestions))
        if not e.suggestions and e.kind not in ("served", "planned", "not_planned"):
            self.fix_title.setText("No single change found that would serve it.")
            self.fix_title.show()
        else:
            self.fix_title.setText("What would make it fit (each checked by re-planning):")
        for s in e.suggestions:
            self._rows.addWidget(self._row(s))

    def _row(self, s: Suggestion) -> QtWidgets.QWidget:
        box = QtWidgets.QFrame()
        box.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        lay = QtWidgets.QHBoxLayout(box)
        lay.setContentsMargins(6, 4, 6, 4)
        text = QtWidgets.QLabel(f"{s.change.text}<br><span style='color:#5b6776'>→ {s.name}</span>")
        text.setWordWrap(True)
        p = s.acquisition
        geometry = [f"{moment(p.start)} for {duration_text(p.duration_s)} on {p.satellite_id}",
                    f"roll {roll_text(p.roll_deg)}"]
        if p.incidence_deg is not None:
            geometry.append(f"incidence {p.incidence_deg:.1f}°")
        geometry += [str(getattr(x, "value", x)).lower() for x in (p.look_side, p.pass_direction) if x]
        # What the planner weighs first; the ids after it, for support.
        text.setToolTip(" · ".join(geometry) + f"\nopportunity id {s.opportunity_id}"
                        + (f"\nacquisition id {s.change.acquisition_id}" if s.change.acquisition_id else ""))
        lay.addWidget(text, 1)
        button = QtWidgets.QPushButton("Plan it" if s.change.kind == "plan" else "Apply")
        button.setToolTip("Make this change (undoable), then plan the order incrementally")
        button.clicked.connect(lambda _=False, s=s: self.applyRequested.emit(s))
        lay.addWidget(button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        self.apply_buttons.append(button)
        return box

    def _clear(self) -> None:
        self.apply_buttons = []
        while self._rows.count():
            item = self._rows.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
