"""CSV and JSON schedule writers."""
from __future__ import annotations

import csv
import json
from typing import IO

from app.domain import to_iso, utc_now

from .rows import COLUMNS, acquisition_row, sorted_acquisitions


#: A text cell starting with one of these is a formula to a spreadsheet ("=HYPERLINK(…)").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Decimals kept in ``excel`` mode (angles to 0.001°, seconds to 1 ms, scores to 0.001).
EXCEL_DECIMALS = 3


def csv_cell(value: object, excel: bool = False) -> object:
    """One cell: empty for None; text that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's advice); numbers stay numbers (a negative roll is not text), rounded
    to EXCEL_DECIMALS in ``excel`` mode."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if excel and isinstance(value, float):
        return round(value, EXCEL_DECIMALS)
    return value


def write_csv(stream: IO[str], acquisitions, *, excel: bool = False, **_: object) -> None:
    """The schedule as CSV. ``excel``: a UTF-8 byte-order mark (so Excel reads accents), CRLF line
    ends and rounded numbers."""
    if excel:
        stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\r\n" if excel else "\n")
    writer.writeheader()
    for a in sorted_acquisitions(acquisitions):
        writer.writerow({k: csv_cell(v, excel) for k, v in acquisition_row(a).items()})


def write_json(stream: IO[str], acquisitions, *, workspace_name: str = "", window=None, **_: object) -> None:
    window = window or {}
    doc = {"format": "mission-planning-workbench/schedule", "version": 1, "workspace": workspace_name,
           "exported_at": to_iso(utc_now().replace(microsecond=0)),
           "window": {k: (to_iso(v) if v else None) for k, v in window.items()},
           "acquisitions": [acquisition_row(a) for a in sorted_acquisitions(acquisitions)]}
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
