"""Identifiers: a type prefix and 12 random hex characters (spec section 2)."""
from __future__ import annotations

import secrets
from datetime import datetime

from .times import UTC

PREFIXES = ("ord", "acq", "plan", "planitem", "conflict", "ws", "run")


def new_id(prefix: str) -> str:
    if prefix not in PREFIXES:
        raise ValueError(f"prefix: unknown id prefix {prefix!r}")
    return f"{prefix}_{secrets.token_hex(6)}"


def new_run_id(now: datetime | None = None) -> str:
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return f"run_{now:%Y%m%d_%H%M%S}_{secrets.token_hex(3)}"


def opportunity_id(satellite_id: str, target_id: str, tca: datetime, variant: str) -> str:
    """Deterministic opportunity id: satellite, target, TCA to the second, variant."""
    stamp = tca.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
    return f"{satellite_id}_{target_id}_{stamp}_{variant}"
