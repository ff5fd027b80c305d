"""The AEOSSP benchmark's solution format: ``{"actions": [...]}``, one observation per acquisition.

Mapping (the inverse of the case import, app/services/aeossp_case.py): satellite id → ``satellite_id``,
target id (= the task id) → ``task_id``, start and end → ``start_time``/``end_time`` in ISO 8601 with
``Z``, rounded to the whole second (the import puts every start and duration on the action grid,
which is whole seconds). Failed acquisitions are left out (they no longer occupy the spacecraft).
"""
from __future__ import annotations

import json
from datetime import timedelta
from typing import IO

from app.domain import to_iso

_LEFT_OUT_STATES = ("failed",)


def _second(t):
    rounded = t.replace(microsecond=0)
    return rounded + timedelta(seconds=1) if t.microsecond >= 500_000 else rounded


def solution_actions(acquisitions) -> list[dict[str, str]]:
    """The ``actions`` list, sorted by (start, satellite, task)."""
    rows = []
    for a in acquisitions:
        if str(getattr(a.state, "value", a.state)) in _LEFT_OUT_STATES:
            continue
        rows.append({"type": "observation", "satellite_id": a.satellite_id, "task_id": a.target_id,
                     "start_time": to_iso(_second(a.start)), "end_time": to_iso(_second(a.end))})
    rows.sort(key=lambda r: (r["start_time"], r["satellite_id"], r["task_id"]))
    return rows


def write_aeossp_solution(stream: IO[str], acquisitions, **_: object) -> None:
    json.dump({"actions": solution_actions(acquisitions)}, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
