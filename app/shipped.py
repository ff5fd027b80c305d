"""Where the files shipped with the application live: ``data/`` (the demo scenario, TLEs) and
``resources/`` (style sheet, icons, coastlines).

In the repository they are top-level folders next to ``app/``; an installed wheel carries them
inside the package as ``app/_data`` and ``app/_resources`` (mapped in setup.py), so
``pip install .`` works without the checkout.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder ``name`` ("data" or "resources"): the checkout's if present, else the wheel's."""
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / f"_{name}"
