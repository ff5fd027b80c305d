"""About: what the workbench is and the versions it runs on (for bug reports)."""
from __future__ import annotations

import platform

import numpy
import pyqtgraph
import PySide6
from PySide6 import QtCore, QtWidgets

import app

from ..resources import icon


def version_lines() -> list[tuple[str, str]]:
    return [("Workbench", app.__version__), ("Python", platform.python_version()),
            ("Qt", QtCore.qVersion()), ("PySide6", PySide6.__version__),
            ("pyqtgraph", pyqtgraph.__version__), ("numpy", numpy.__version__),
            ("Platform", platform.platform(terse=True))]


class AboutDialog(QtWidgets.QDialog):
    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Mission Planning Workbench")
        logo = QtWidgets.QLabel()
        logo.setPixmap(icon("app").pixmap(64, 64))
        title = QtWidgets.QLabel("Mission Planning Workbench")
        title.setProperty("role", "title")
        text = QtWidgets.QLabel(
            "Turns imaging orders into a committed, conflict-free schedule of acquisitions for an "
            "Earth-observation constellation: access computation, five scheduling algorithms, "
            "incremental planning and reshuffling under lock policies, an audited, undoable schedule.\n\n"
            "All times are UTC. Angles: roll + = right of the ground track, pitch + = forward.")
        text.setWordWrap(True)
        form = QtWidgets.QFormLayout()
        for name, value in version_lines():
            v = QtWidgets.QLabel(value)
            v.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(name, v)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        head = QtWidgets.QHBoxLayout()
        head.addWidget(logo)
        head.addWidget(title, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
