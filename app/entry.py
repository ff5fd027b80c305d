"""The program's front door (``python -m app`` and the installed ``mission-workbench``).

No arguments, ``gui [--db D]`` or ``--db D`` open the workbench window; anything else runs the
headless command line (which never loads Qt). Without a display the window is not attempted:
Qt would abort the process with a misleading message about a missing xcb library.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Sequence


def _wants_gui(argv: Sequence[str]) -> bool:
    return not argv or argv[0] == "gui" or argv[0].startswith("--db")


def display_problem(environ: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why no window can open here, or None. Only Linux/BSD need a display server; an explicit
    ``QT_QPA_PLATFORM`` (offscreen, vnc, …) is the user's choice and is respected."""
    env = os.environ if environ is None else environ
    platform = platform or sys.platform
    if platform.startswith(("win", "darwin")) or env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return ("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set): the workbench window needs a "
            "desktop session; run QT_QPA_PLATFORM=offscreen for a headless window, or use the commands "
            "(mission-workbench --help)")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if _wants_gui(argv) and not any(a in ("-h", "--help") for a in argv):
        problem = display_problem()
        if problem is not None:
            print(f"error: {problem}", file=sys.stderr)
            return 2
        from app.ui.app import main as gui_main

        return gui_main(argv[1:] if argv and argv[0] == "gui" else argv)
    from app.cli.main import main as cli_main  # the headless path never loads Qt

    return cli_main(argv)
