"""File ▸ Export Schedule…: format, time range and file in one dialog (issue 15).

The range defaults to what the timeline shows; the folder to the last one used (kept in
QSettings), the first time the planner's Documents folder, never the working directory.
``result()`` has the arguments of ``export_service.export_schedule``.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6 import QtCore, QtWidgets

from app.domain import ValidationError, parse_utc, to_iso

from .validation import error_label, field_with_error, mark, ok_cancel

FORMAT_LABELS = {"csv": "CSV (spreadsheet)", "json": "JSON", "ics": "iCalendar (operations calendar)",
                 "kml": "KML (Google Earth footprints)", "aeossp-solution": "AEOSSP benchmark solution (JSON)"}
#: The file extension of each format.
EXTENSIONS = {"csv": "csv", "json": "json", "ics": "ics", "kml": "kml", "aeossp-solution": "json"}
SETTINGS_KEY = "export/last_folder"


def default_folder(settings: QtCore.QSettings) -> Path:
    """The last folder exported to, else the user's Documents folder (else the home folder)."""
    last = settings.value(SETTINGS_KEY)
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    docs = QtCore.QStandardPaths.writableLocation(QtCore.QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs and Path(docs).is_dir() else Path.home()


class ExportDialog(QtWidgets.QDialog):
    def __init__(self, workspace_name: str, start: datetime, end: datetime, settings: QtCore.QSettings,
                 fmt: str = "csv", parent: QtWidgets.QWidget | None = None) -> None:
        """``start``/``end``: the range the timeline shows (the default range to export)."""
        super().__init__(parent)
        self.setWindowTitle("Export Schedule")
        self.setModal(True)
        self._settings = settings
        self._name = workspace_name
        self._errors: dict[str, str] = {}
        self.format = QtWidgets.QComboBox()
        for key, label in FORMAT_LABELS.items():
            self.format.addItem(label, key)
        self.format.setCurrentIndex(max(0, self.format.findData(fmt)))
        self.start = QtWidgets.QLineEdit(to_iso(start.replace(microsecond=0)))
        self.end = QtWidgets.QLineEdit(to_iso(end.replace(microsecond=0)))
        self.path = QtWidgets.QLineEdit(str(default_folder(settings) / f"{workspace_name}.{EXTENSIONS[fmt]}"))
        self.excel = QtWidgets.QCheckBox("Excel-friendly (UTF-8 with BOM, values rounded)")
        self.excel.setToolTip("For opening the CSV file in Excel directly")
        browse = QtWidgets.QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QtWidgets.QHBoxLayout()
        path_row.setContentsMargins(0, 0, 0, 0)
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        path_box = QtWidgets.QWidget()
        path_box.setLayout(path_row)
        self.error_labels = {k: error_label() for k in ("start", "end", "path")}
        for label in self.error_labels.values():
            policy = label.sizePolicy()
            policy.setRetainSizeWhenHidden(True)  # messages never move the form
            label.setSizePolicy(policy)
            label.setMinimumHeight(label.fontMetrics().height())
        form = QtWidgets.QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("From (UTC)", field_with_error(self.start, self.error_labels["start"]))
        form.addRow("To (UTC)", field_with_error(self.end, self.error_labels["end"], "Default: the range the timeline shows"))
        form.addRow("File", field_with_error(path_box, self.error_labels["path"]))
        form.addRow("", self.excel)
        self.buttons, self.ok_button = ok_cancel(self, "Export")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.format.currentIndexChanged.connect(self._on_format)
        for w in (self.start, self.end, self.path):
            w.textChanged.connect(self.validate)
        self.validate()

    def errors(self) -> dict[str, str]:
        return dict(self._errors)

    def validate(self, *_args) -> bool:
        errors: dict[str, str] = {}
        times = {}
        for key, edit in (("start", self.start), ("end", self.end)):
            try:
                times[key] = parse_utc(edit.text(), key)
            except ValidationError as exc:
                errors[key] = exc.reason
        if len(times) == 2 and times["end"] <= times["start"]:
            errors["end"] = "must be after the start"
        path = Path(self.path.text().strip()) if self.path.text().strip() else None
        if path is None:
            errors["path"] = "choose a file"
        elif not path.parent.is_dir():
            errors["path"] = f"no such folder: {path.parent}"
        for key, label in self.error_labels.items():
            mark({"start": self.start, "end": self.end, "path": self.path}[key], label, errors.get(key, ""))
        self._errors = errors
        self.ok_button.setEnabled(not errors)
        return not errors

    def result(self) -> dict[str, Any]:  # noqa: A003 - the dialog's answer
        """{"fmt", "out", "start", "end", "excel"} for ``export_schedule``; remembers the folder."""
        if not self.validate():
            field, reason = next(iter(self._errors.items()))
            raise ValidationError(field, reason)
        out = Path(self.path.text().strip())
        self._settings.setValue(SETTINGS_KEY, str(out.parent))
        return {"fmt": self.format.currentData(), "out": str(out), "start": to_iso(parse_utc(self.start.text())),
                "end": to_iso(parse_utc(self.end.text())),
                "excel": self.format.currentData() == "csv" and self.excel.isChecked()}

    def accept(self) -> None:
        if self.validate():
            super().accept()

    def _on_format(self, *_args) -> None:
        path = Path(self.path.text().strip() or f"{self._name}.csv")
        self.path.setText(str(path.with_suffix("." + EXTENSIONS[self.format.currentData()])))
        self.excel.setEnabled(self.format.currentData() == "csv")

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "Export Schedule", self.path.text())
        if path:
            self.path.setText(path)
