"""File ▸ Open Database…: a SQLite file or a database URL (PostgreSQL for a team), picked from the
recent list or typed, with the password in its own masked field. The recent list is kept with
passwords masked (``user:***@``): a server entry asks for its password again."""
from __future__ import annotations

from PySide6 import QtWidgets

from app.services.database import masked, needs_password, with_password

from .validation import ok_cancel

URL_HINT = ("A SQLite file (path), or a URL such as postgresql+psycopg://planner@dbhost:5432/mission "
            "(give the password below)")


class OpenDatabaseDialog(QtWidgets.QDialog):
    """``location()``: what to open (the password put back into a URL), or "" when nothing is given."""

    def __init__(self, recent: list[str], current: str = "", parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open Database")
        self.setModal(True)
        self.place = QtWidgets.QComboBox()
        self.place.setEditable(True)
        self.place.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.place.addItems(recent)
        self.place.setCurrentText(masked(current) if current else (recent[0] if recent else ""))
        self.place.setMinimumContentsLength(48)
        self.place.lineEdit().setPlaceholderText("database file or URL")
        self.place.setToolTip(URL_HINT)
        browse = QtWidgets.QPushButton("SQLite file…")
        browse.clicked.connect(self._browse)
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.place, 1)
        row.addWidget(browse)
        place_box = QtWidgets.QWidget()
        place_box.setLayout(row)
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("only for a server that asks for one")
        hint = QtWidgets.QLabel(URL_HINT)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        form = QtWidgets.QFormLayout()
        form.addRow("Database", place_box)
        form.addRow("", hint)
        form.addRow("Password", self.password)
        self.buttons, self.ok_button = ok_cancel(self, "Open")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(600)
        self.place.currentTextChanged.connect(self._update)
        self._update()

    def location(self) -> str:
        text = self.place.currentText().strip()
        password = self.password.text()
        if "://" in text and (password or needs_password(text)):
            return with_password(text, password)
        return text

    def _update(self, *_args) -> None:
        text = self.place.currentText().strip()
        self.ok_button.setEnabled(bool(text))
        # A server entry from the recent list had its password masked: it must be typed again.
        self.password.setEnabled("://" in text)
        if needs_password(text):
            self.password.setFocus()

    def _browse(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open Database", "",
                                                        "Workbench database (*.db *.sqlite *.sqlite3);;All files (*)")
        if path:
            self.place.setCurrentText(path)
