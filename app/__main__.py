"""``python -m app``: no arguments or ``gui [--db D]`` open the workbench; other commands run headless."""
import sys

from app.entry import main

sys.exit(main())
