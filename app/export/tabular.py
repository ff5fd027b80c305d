"""CSV and JSON schedule writers."""
from __future__ import annotations

import csv
import json
from typing import IO

from app.domain import to_iso, utc_now

from .rows import COLUMNS, acquisition_row, sorted_acquisitions


def write_csv(stream: IO[str], acquisitions, **_: object) -> None:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for a in sorted_acquisitions(acquisitions):
        writer.writerow({k: ("" if v is None else v) for k, v in acquisition_row(a).items()})


def write_json(stream: IO[str], acquisitions, *, workspace_name: str = "", window=None, **_: object) -> None:
    window = window or {}
    doc = {"format": "mission-planning-workbench/schedule", "version": 1, "workspace": workspace_name,
           "exported_at": to_iso(utc_now().replace(microsecond=0)),
           "window": {k: (to_iso(v) if v else None) for k, v in window.items()},
           "acquisitions": [acquisition_row(a) for a in sorted_acquisitions(acquisitions)]}
    json.dump(doc, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
