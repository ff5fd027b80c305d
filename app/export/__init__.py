"""Schedule export writers (spec §13): pure functions over domain objects."""
from __future__ import annotations

from pathlib import Path

from app.domain import ValidationError

from .aeossp import write_aeossp_solution
from .ical import write_ical
from .kml import write_kml
from .safe_file import write_file
from .tabular import write_csv, write_json

_WRITERS = {"csv": write_csv, "json": write_json, "ics": write_ical, "kml": write_kml,
            "aeossp-solution": write_aeossp_solution}
FORMATS = tuple(_WRITERS)


def write_schedule(fmt: str, path: str | Path, acquisitions, *, targets=(), satellites=(),
                   workspace_name: str = "", window=None, protected=(), follow_symlinks: bool = False,
                   excel: bool = False, footprints=None) -> Path | str:
    """Write ``acquisitions`` to ``path`` in ``fmt`` (csv | json | ics | kml | aeossp-solution), sorted by
    start time then id, through ``safe_file.write_file`` (temporary file renamed into place; ``"-"`` is
    stdout; links, folders and SQLite files refused). ``excel``: CSV for spreadsheets (see write_csv).
    Returns the path written (or ``"-"``)."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValidationError("format", f"must be one of {'|'.join(FORMATS)}, got {fmt!r}")
    if excel and fmt != "csv":
        raise ValidationError("excel", f"only for csv, not {fmt}")
    newline = "" if fmt in ("csv", "ics") else None
    extra: dict = {"excel": True} if excel else {}
    if footprints is not None:
        extra["footprints"] = footprints
    written = write_file(path, lambda stream: writer(stream, acquisitions, targets=targets, satellites=satellites,
                                                  workspace_name=workspace_name, window=window or {}, **extra),
                         newline=newline, encoding="utf-8", protected=protected, follow_symlinks=follow_symlinks)
    return written if written == "-" else Path(written)
