"""Pieces shared by the inspector pages: a message banner, read-only field forms, headers."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6 import QtCore, QtGui, QtWidgets

from app.domain.wording import group_refusals

from ..resources import icon


class MessageBanner(QtWidgets.QFrame):
    """A coloured box with a message and, for refusals, one line per refused item and its reason."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.setProperty("error", "false")
        self.icon = QtWidgets.QLabel()
        self.text = QtWidgets.QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QtWidgets.QListWidget()
        self.details.setMaximumHeight(140)
        self.details.setWordWrap(True)
        self.details.hide()
        self.close_button = QtWidgets.QToolButton()
        self.close_button.setText("✕")
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.clear)
        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.icon, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.text, 1)
        top.addWidget(self.close_button, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(top)
        layout.addWidget(self.details)
        self.hide()

    def show_message(self, text: str, error: bool = False) -> None:
        self._set_kind(error)
        self.text.setText(text)
        self.details.clear()
        self.details.hide()
        self.show()

    def show_refusals(self, refusals: Mapping[str, str], total: int | None = None,
                      name_of: Callable[[str], str] | None = None) -> None:
        """Refused items (id → reason) grouped by reason, the largest group first: one line per
        reason with its count, the items' plain names under it (ids in their tooltips);
        ``total``: how many were asked for; ``name_of(id)``: an item's plain name."""
        if not refusals:
            self.clear()
            return
        self._set_kind(True)
        n = len(refusals)
        of = f" of {total}" if total is not None else ""
        self.text.setText(f"<b>{n}{of} refused</b> (nothing was changed for {'it' if n == 1 else 'them'}):")
        self.details.clear()
        bold = self.details.font()
        bold.setBold(True)
        for group in group_refusals(refusals, name_of):
            head = QtWidgets.QListWidgetItem(group.heading)
            head.setIcon(icon("error"))
            head.setFont(bold)
            self.details.addItem(head)
            for item_id, name in group.items:
                it = QtWidgets.QListWidgetItem(f"    {name}")
                it.setToolTip(item_id)
                self.details.addItem(it)
        self.details.show()
        self.show()

    def clear(self) -> None:
        self.text.clear()
        self.details.clear()
        self.hide()

    def message(self) -> str:
        """Everything the banner says, as plain text (for tests and the status bar)."""
        lines = [QtGui.QTextDocumentFragment.fromHtml(self.text.text()).toPlainText()]
        lines += [self.details.item(i).text() for i in range(self.details.count())]
        return "" if self.isHidden() else "\n".join(x for x in lines if x)

    def _set_kind(self, error: bool) -> None:
        self.setProperty("error", "true" if error else "false")
        self.icon.setPixmap(icon("error" if error else "info").pixmap(16, 16))
        self.style().unpolish(self)
        self.style().polish(self)


class FieldForm(QtWidgets.QWidget):
    """A two-column form of read-only values, addressable by key (``form.value("roll")``)."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QtWidgets.QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setHorizontalSpacing(10)
        self._layout.setVerticalSpacing(3)
        self._layout.setLabelAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
        self._values: dict[str, QtWidgets.QLabel] = {}

    def add(self, key: str, label: str, tooltip: str = "") -> QtWidgets.QLabel:
        name = QtWidgets.QLabel(label)
        name.setProperty("role", "hint")
        value = QtWidgets.QLabel("—")
        value.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
                                      | QtCore.Qt.TextInteractionFlag.LinksAccessibleByMouse)
        value.setWordWrap(True)
        # Long ids have no break opportunity: let the column clip them (full text in the
        # tooltip) rather than widen the whole inspector beyond its dock.
        value.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        value.setMinimumWidth(40)
        if tooltip:
            name.setToolTip(tooltip)
            value.setToolTip(tooltip)
            value.setProperty("fixedTooltip", True)
        self._layout.addRow(name, value)
        self._values[key] = value
        return value

    def set(self, key: str, text: str) -> None:
        label = self._values[key]
        label.setText(text)
        if not label.property("fixedTooltip"):
            label.setToolTip(QtGui.QTextDocumentFragment.fromHtml(text).toPlainText() if "<" in text else text)

    def value(self, key: str) -> str:
        return self._values[key].text()

    def label(self, key: str) -> QtWidgets.QLabel:
        return self._values[key]

    def keys(self) -> list[str]:
        return list(self._values)


def header_label(text: str = "") -> QtWidgets.QLabel:
    lbl = QtWidgets.QLabel(text)
    lbl.setProperty("role", "title")
    lbl.setWordWrap(True)
    return lbl


def reason_label() -> QtWidgets.QLabel:
    """The "why is this disabled" line shown next to refused controls."""
    lbl = QtWidgets.QLabel()
    lbl.setProperty("role", "reason")
    lbl.setWordWrap(True)
    lbl.hide()
    return lbl


def set_reason(label: QtWidgets.QLabel, reason: str) -> None:
    label.setText(reason)
    label.setVisible(bool(reason))


def scrolled(widget: QtWidgets.QWidget) -> QtWidgets.QScrollArea:
    """``widget`` in a scroll area that scrolls only vertically: the page always takes the dock's
    width (labels wrap, buttons stay in sight) instead of running past its right edge."""
    # An ignored horizontal policy makes the area size the page to its viewport's width, not to
    # the page's minimum size hint (a long unbreakable text must not widen the page).
    policy = widget.sizePolicy()
    policy.setHorizontalPolicy(QtWidgets.QSizePolicy.Policy.Ignored)
    widget.setSizePolicy(policy)
    area = QtWidgets.QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area
