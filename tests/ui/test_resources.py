from PySide6 import QtGui

from app.ui import resources


def test_style_sheet_and_every_icon_load(qapp):
    qss = resources.style_sheet()
    assert "QTableView" in qss and "QToolTip" in qss
    names = sorted(p.stem for p in (resources.resources_dir() / "icons").glob("*.svg"))
    assert {"committed", "tentative", "locked", "error", "warning", "info", "app"} <= set(names)
    for name in names:
        pm = resources.icon(name).pixmap(16, 16)
        assert not pm.isNull(), name
        img = pm.toImage()
        assert any(QtGui.QColor(img.pixel(x, y)).alpha() > 0 for x in range(16) for y in range(16)), name


def test_unknown_icon_names_the_known_ones():
    try:
        resources.icon_path("nope")
    except FileNotFoundError as exc:
        assert "nope" in str(exc) and "committed" in str(exc)
    else:
        raise AssertionError("expected FileNotFoundError")
