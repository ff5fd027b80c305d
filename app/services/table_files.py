"""Reading the row files of operations (execution reports, cloud forecasts): CSV with a header, or
JSON ``{"<key>": [rows]}``. Rows are numbered from 1 (the first data row), as refusals name them.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from app.domain import ValidationError, checks

#: Larger files are refused before reading (a 10,000-row report is about 1 MiB).
MAX_FILE_BYTES = 32 * 1024 * 1024


def read_rows(path: str | Path, columns: tuple[str, ...] | None,
              json_key: str | None) -> list[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) of every data row, keys in the header's order; columns not in
    ``columns`` are refused by name (``columns`` None: any header).

    ``.json`` files are ``{json_key: [objects]}`` (when ``json_key`` is given); anything else is CSV.
    Empty CSV cells read as None.
    """
    p = Path(path)
    if not p.is_file():
        raise ValidationError(str(p), "no such file")
    size = p.stat().st_size
    if size == 0:
        raise ValidationError(str(p), "empty file")
    if size > MAX_FILE_BYTES:
        raise ValidationError(str(p), f"file of {size / 2**20:.1f} MiB is larger than {MAX_FILE_BYTES // 2**20} MiB")
    data = p.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError(f"{p}:line {line}", f"not UTF-8 text (byte offset {exc.start})") from None
    if p.suffix.lower() == ".json":
        if json_key is None:
            raise ValidationError(str(p), "a CSV file is expected")
        return _json_rows(p, text, columns, json_key)
    return _csv_rows(p, text, columns)


def _json_rows(p: Path, text: str, columns: tuple[str, ...] | None, key: str) -> list[tuple[int, dict[str, Any]]]:
    doc = checks.load_json(text, str(p))
    if not isinstance(doc, dict) or not isinstance(doc.get(key), list):
        raise ValidationError(str(p), f'expected {{"{key}": [rows]}}')
    unknown = sorted(set(doc) - {key})
    if unknown:
        raise ValidationError(f"{p}.{unknown[0]}", f'unknown key; the file holds {{"{key}": [rows]}}')
    out = []
    for n, item in enumerate(doc[key], start=1):
        if not isinstance(item, dict):
            raise ValidationError(f"row {n}", f"must be an object, got {type(item).__name__}")
        _check_columns(item, columns, n)
        out.append((n, item))
    return out


def _csv_rows(p: Path, text: str, columns: tuple[str, ...] | None) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(str(p), "empty file") from None
    except csv.Error as exc:
        raise ValidationError(f"{p}:line 1", f"not CSV: {exc}") from None
    header = [h.strip() for h in header]
    _check_columns(dict.fromkeys(header), columns, 0)
    if len(set(header)) != len(header):
        raise ValidationError("header", "a column appears twice")
    out = []
    n = 0
    try:
        for cells in reader:
            if not any(c.strip() for c in cells):
                continue
            n += 1
            if len(cells) != len(header):
                raise ValidationError(f"row {n}", f"has {len(cells)} cells, the header has {len(header)}")
            out.append((n, {h: (c.strip() or None) for h, c in zip(header, cells)}))
    except csv.Error as exc:
        raise ValidationError(f"row {n + 1}", f"not CSV: {exc}") from None
    return out


def _check_columns(row: dict[str, Any], columns: tuple[str, ...] | None, n: int) -> None:
    if columns is None:  # the caller reads the header itself (e.g. a gridded forecast)
        return
    unknown = sorted(k for k in row if k not in columns)
    if unknown:
        where = "header" if n == 0 else f"row {n}"
        raise ValidationError(f"{where}.{unknown[0]}", f"unknown column; known: {', '.join(columns)}")


def number(value: Any, field: str, lo: float | None = None, hi: float | None = None) -> float:
    """A finite number (a CSV cell's text or a JSON number; never a bool) within [lo, hi] when given."""
    result = checks.number_text(value, field)
    if lo is not None and hi is not None:
        return checks.in_range(result, lo, hi, field)
    return result


def text(value: Any, field: str, required: bool = False, max_len: int = 500) -> str | None:
    """A stripped one-line string without control or direction characters (None when empty and not
    required)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(field, "required")
        return None
    return checks.text(value, field, max_len).strip()
