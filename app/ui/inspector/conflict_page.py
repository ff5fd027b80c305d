"""Inspector page for one conflict: type, severity, acquisitions, resolution options."""
from __future__ import annotations

from collections.abc import Mapping

from PySide6 import QtCore, QtWidgets

from app.domain import Acquisition, Conflict

from ..conflicts_view import TYPE_LABELS
from ..formatting import utc_text
from ..palette import SEVERITY_COLOURS
from ..resources import icon
from .parts import FieldForm, MessageBanner, header_label, reason_label, set_reason


class ConflictPage(QtWidgets.QWidget):
    resolutionPreviewRequested = QtCore.Signal(str, int)
    resolutionApplyRequested = QtCore.Signal(str, int)
    acquisitionLinkActivated = QtCore.Signal(str)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict: Conflict | None = None
        self.header = header_label()
        self.severity_icon = QtWidgets.QLabel()
        self.form = FieldForm()
        self.form.add("id", "Conflict")
        self.form.add("type", "Type")
        self.form.add("severity", "Severity")
        self.form.add("satellite", "Satellite")
        self.form.add("description", "Description")
        self.form.add("detected", "Detected")
        self.acq_list = QtWidgets.QListWidget()
        self.acq_list.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.acq_list.setTextElideMode(QtCore.Qt.TextElideMode.ElideMiddle)
        self.acq_list.setToolTip("Double-click to inspect the acquisition")
        self.acq_list.itemDoubleClicked.connect(
            lambda it: self.acquisitionLinkActivated.emit(it.data(QtCore.Qt.ItemDataRole.UserRole)))
        self.options = QtWidgets.QListWidget()
        self.options.setWordWrap(True)
        self.options.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.options.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.options.setMaximumHeight(170)
        self.options.currentRowChanged.connect(self._update_buttons)
        self.options.itemDoubleClicked.connect(lambda _it: self._emit(self.resolutionPreviewRequested))
        self.preview_button = QtWidgets.QPushButton("Preview")
        self.preview_button.setToolTip("Show the change on the timeline without applying it")
        self.apply_button = QtWidgets.QPushButton("Apply Resolution")
        self.apply_button.setProperty("primary", True)
        self.preview_button.clicked.connect(lambda: self._emit(self.resolutionPreviewRequested))
        self.apply_button.clicked.connect(lambda: self._emit(self.resolutionApplyRequested))
        self.no_option_reason = reason_label()
        self.banner = MessageBanner()

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.severity_icon)
        top.addWidget(self.header, 1)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.form)
        layout.addWidget(_section("Acquisitions"))
        layout.addWidget(self.acq_list)
        layout.addWidget(_section("Resolution options"))
        layout.addWidget(self.options)
        layout.addWidget(self.no_option_reason)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_conflict(self, conflict: Conflict,
                      acquisitions: Mapping[str, Acquisition] | None = None) -> None:
        """``acquisitions`` (optional) lets the list name targets and times, not only ids."""
        self.conflict = conflict
        colour = SEVERITY_COLOURS[conflict.severity]
        kind = TYPE_LABELS.get(conflict.type.value, conflict.type.value)
        self.header.setText(f"{kind} <span style='color:{colour}'>({conflict.severity.value})</span>")
        self.severity_icon.setPixmap(icon(conflict.severity.value).pixmap(20, 20))
        self.form.set("id", conflict.id)
        self.form.set("type", conflict.type.value)
        self.form.set("severity", f"<span style='color:{colour}'><b>{conflict.severity.value}</b></span>")
        self.form.set("satellite", conflict.satellite_id or "—")
        self.form.set("description", conflict.description)
        self.form.set("detected", utc_text(conflict.detected_at))
        self.acq_list.clear()
        for aid in conflict.acquisition_ids:
            a = (acquisitions or {}).get(aid)
            text = f"{a.target_id} · {a.satellite_id} · {utc_text(a.start)}  ({aid})" if a else aid
            item = QtWidgets.QListWidgetItem(text)
            item.setData(QtCore.Qt.ItemDataRole.UserRole, aid)
            self.acq_list.addItem(item)
        self.acq_list.setFixedHeight(8 + 20 * max(1, min(self.acq_list.count(), 5)))
        self.options.clear()
        for opt in conflict.resolution_options:
            item = QtWidgets.QListWidgetItem(f"{opt.description}")
            item.setToolTip(f"{opt.action.value} on {opt.acquisition_id} {dict(opt.params) or ''}")
            self.options.addItem(item)
        if conflict.resolution_options:
            self.options.setCurrentRow(0)
        set_reason(self.no_option_reason, "" if conflict.resolution_options else
                   "No feasible resolution was found: edit or delete one of the acquisitions.")
        self.banner.clear()
        self._update_buttons()

    def option_texts(self) -> list[str]:
        return [self.options.item(i).text() for i in range(self.options.count())]

    def _update_buttons(self, *_args) -> None:
        ok = self.options.currentRow() >= 0
        self.preview_button.setEnabled(ok)
        self.apply_button.setEnabled(ok)

    def _emit(self, signal) -> None:
        row = self.options.currentRow()
        if self.conflict is not None and row >= 0:
            signal.emit(self.conflict.id, row)


def _section(text: str) -> QtWidgets.QLabel:
    lbl = QtWidgets.QLabel(text)
    lbl.setStyleSheet("font-weight: bold; color: #1f3a5f; padding-top: 4px;")
    return lbl
