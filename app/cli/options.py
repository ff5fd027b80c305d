"""argparse types for numeric options: finite numbers and bounded whole numbers.

``type=float`` would accept ``nan``, ``inf`` and ``1e400``; these refuse them while the command
line is parsed, before any database is opened (argparse names the option in its message).
"""
from __future__ import annotations

import argparse

from app.domain import ValidationError, checks


def finite(text: str) -> float:
    """A finite number (``nan``, ``inf``, ``1e400`` and words refused)."""
    try:
        return checks.number_text(text, "value")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


def count(text: str) -> int:
    """A whole number from 0 to 1,000,000 (list limits and offsets)."""
    try:
        return checks.integer_text(text, "value", 0, 1_000_000)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None


def version(text: str) -> int:
    """A row version: a whole number ≥ 1."""
    try:
        return checks.integer_text(text, "value", 1, 2**62)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.reason) from None
