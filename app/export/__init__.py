"""Schedule export writers (spec §13): pure functions over domain objects."""
from __future__ import annotations

from pathlib import Path

from app.domain import ValidationError

from .aeossp import write_aeossp_solution
from .ical import write_ical
from .kml import write_kml
from .tabular import write_csv, write_json

_WRITERS = {"csv": write_csv, "json": write_json, "ics": write_ical, "kml": write_kml,
            "aeossp-solution": write_aeossp_solution}
FORMATS = tuple(_WRITERS)


def write_schedule(fmt: str, path: str | Path, acquisitions, *, targets=(), satellites=(),
                   workspace_name: str = "", window=None) -> Path:
    """Write ``acquisitions`` to ``path`` in ``fmt`` (csv | json | ics | kml | aeossp-solution); sorted by start time then id."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValidationError("format", f"must be one of {'|'.join(FORMATS)}, got {fmt!r}")
    out = Path(path)
    newline = "" if fmt in ("csv", "ics") else None
    with out.open("w", encoding="utf-8", newline=newline) as stream:
        writer(stream, acquisitions, targets=targets, satellites=satellites,
               workspace_name=workspace_name, window=window or {})
    return out
