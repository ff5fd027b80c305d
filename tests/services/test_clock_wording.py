"""The status bar's sentence after the clock moves: the time as the workbench writes it, no ISO."""
from __future__ import annotations

from datetime import datetime, timezone

from app.domain.operations import TimePassing
from app.services.clock import time_passing_text


def test_time_passing_text_reads_like_the_rest():
    when = datetime(2026, 8, 10, tzinfo=timezone.utc)
    r = TimePassing("ws_000000000001", None, when, False, soft_locked=("acq_000000000001",) * 6)
    assert time_passing_text(r) == "Clock Mon 10 Aug 00:00Z: 6 soft-locked."
    assert time_passing_text(TimePassing("ws", when, when, True)) == "Clock Mon 10 Aug 00:00Z (live): nothing changed."
