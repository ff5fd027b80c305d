"""``gui``, ``demo``, ``orders``, ``workspace``, ``plan``, ``conflicts``, ``export`` subcommands."""
from __future__ import annotations

import argparse


def _gui(args: argparse.Namespace) -> int:
    print("The GUI is not built yet.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="open the workbench window")
    p.add_argument("--db", help="database URL or path (default: the user data directory)")
    p.set_defaults(handler=_gui)
