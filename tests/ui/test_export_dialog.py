"""Export dialog (issue 15): time range defaulting to the visible range, the last folder used
(first time: Documents, never the working directory), the format's extension."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from PySide6 import QtCore

from app.ui.dialogs.export_dialog import SETTINGS_KEY, ExportDialog, default_folder

UTC = timezone.utc
A, B = datetime(2026, 8, 12, 6, tzinfo=UTC), datetime(2026, 8, 13, 6, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path):
    return QtCore.QSettings(str(tmp_path / "s.ini"), QtCore.QSettings.Format.IniFormat)


def make(qtbot, settings, **kw):
    d = ExportDialog("demo", A, B, settings, **kw)
    qtbot.addWidget(d)
    d.show()
    return d


def test_first_time_documents_then_the_last_folder(qtbot, settings, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    QtCore.QStandardPaths.setTestModeEnabled(True)
    try:
        first = default_folder(settings)
        assert first != tmp_path  # not the working directory
        d = make(qtbot, settings)
        assert d.path.text() == str(first / "demo.csv")
        out = tmp_path / "exports"
        out.mkdir()
        d.path.setText(str(out / "week.csv"))
        r = d.result()
        assert r == {"fmt": "csv", "out": str(out / "week.csv"), "start": "2026-08-12T06:00:00Z",
                     "end": "2026-08-13T06:00:00Z", "excel": False}
        assert settings.value(SETTINGS_KEY) == str(out)
        again = make(qtbot, settings, fmt="ics")
        assert again.path.text() == str(out / "demo.ics")
    finally:
        QtCore.QStandardPaths.setTestModeEnabled(False)


def test_range_and_file_are_checked_and_the_extension_follows_the_format(qtbot, settings, tmp_path):
    d = make(qtbot, settings)
    d.path.setText(str(tmp_path / "x.csv"))
    d.format.setCurrentIndex(d.format.findData("kml"))
    assert d.path.text() == str(tmp_path / "x.kml")
    d.end.setText("2026-08-11T00:00:00Z")
    assert "end" in d.errors() and not d.ok_button.isEnabled()
    d.end.setText("2026-08-14T00:00:00Z")
    d.path.setText(str(tmp_path / "missing" / "x.kml"))
    assert "path" in d.errors()
    d.path.setText(str(tmp_path / "x.kml"))
    assert d.errors() == {} and d.result()["end"] == "2026-08-14T00:00:00Z"
