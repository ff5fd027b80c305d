"""``python -m app``: no arguments or ``gui [--db D]`` open the workbench; other commands run headless."""
import sys

argv = sys.argv[1:]
if not argv or argv[0] == "gui" or argv[0].startswith("--db"):
    from app.ui.app import main as gui_main

    sys.exit(gui_main(argv[1:] if argv and argv[0] == "gui" else argv))

from app.cli.main import main  # noqa: E402 - the headless path never loads Qt

sys.exit(main())
