"""Where the shipped resources live (style sheet, icons) and cached access to them."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6 import QtGui, QtWidgets

from app.shipped import shipped_dir

#: ``resources/`` at the project root (next to ``app/``), or inside the installed package.
RESOURCES_DIR = shipped_dir("resources")


def resources_dir() -> Path:
    """The resources folder; raises FileNotFoundError naming the path if it is missing."""
    if not RESOURCES_DIR.is_dir():
        raise FileNotFoundError(f"resources: folder not found at {RESOURCES_DIR}")
    return RESOURCES_DIR


def icon_path(name: str) -> Path:
    """Path of ``resources/icons/<name>.svg``; raises FileNotFoundError for an unknown icon."""
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in (resources_dir() / "icons").glob("*.svg")))
        raise FileNotFoundError(f"icon: no icon {name!r}; known: {known}")
    return path


@lru_cache(maxsize=None)
def icon(name: str) -> QtGui.QIcon:
    """The named icon (cached: a QIcon per row of a 10,000-row list must not re-read the file)."""
    return QtGui.QIcon(str(icon_path(name)))


def style_sheet() -> str:
    """The application style sheet (``resources/style.qss``), with ``@ICONS@`` replaced by the
    icons folder (Qt style sheets resolve ``url()`` against the working directory otherwise)."""
    text = (resources_dir() / "style.qss").read_text(encoding="utf-8")
    return text.replace("@ICONS@", (resources_dir() / "icons").as_posix())


def apply_style(app: QtWidgets.QApplication) -> None:
    """Fusion style + the workbench style sheet + the app icon, so every platform looks the same."""
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    app.setWindowIcon(icon("app"))
