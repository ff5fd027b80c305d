"""Subcommands of this module are added by the engine that owns them."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """No subcommands yet."""
