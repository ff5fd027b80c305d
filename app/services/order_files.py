"""Orders from CSV or JSON files: every row validated, a bad file refused whole (row, field, reason)."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from app.domain import OrderConstraints, ValidationError, checks, limits, parse_optional_utc

# Every order constraint of the spec (section 3): one missing here would be kept as an extra
# text column and silently not apply.
_CONSTRAINTS = ("max_incidence_deg", "look_side", "pass_direction", "preferred_satellite", "sensor_type",
                "mode", "sar_mode", "min_sun_elevation_deg", "duration_s", "value")
COLUMNS = ("target", "priority", "lat", "lon", "window_start", "window_end", *_CONSTRAINTS, "notes", "external_ref")
_NUMERIC = {"lat", "lon", "max_incidence_deg", "min_sun_elevation_deg", "duration_s", "value"}


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise ValidationError(str(path), "no such file")
    size = path.stat().st_size
    if size == 0:
        raise ValidationError(str(path), "empty file")
    if size > limits.MAX_ORDER_FILE_BYTES:
        raise ValidationError(str(path), f"file of {size / 2**20:.1f} MiB is larger than "
                                         f"{limits.MAX_ORDER_FILE_BYTES // 2**20} MiB, the most an order file may "
                                         "have; split it into smaller files")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(str(path), f"not UTF-8 text (invalid byte at offset {exc.start})") from None


def _extra(raw: dict[str, Any], where: str) -> dict[str, str] | None:
    """The columns the workbench has no field for, kept as text (``orders.extra``)."""
    extra: dict[str, str] = {}
    for key in sorted(k for k in raw if k not in COLUMNS):
        name = checks.name(key, f"{where}.{key}", 64) if isinstance(key, str) else None
        value = raw[key]
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise ValidationError(f"{where}.{name}", "an extra column must hold text or a number")
        if isinstance(value, float):
            value = repr(checks.number(value, f"{where}.{name}"))
        extra[name] = checks.text(str(value), f"{where}.{name}", limits.MAX_NAME_CHARS * 5)
    return extra or None


def _row(raw: dict[str, Any], where: str, text: bool) -> dict[str, Any]:
    """One validated order row; ``text`` says the cells are CSV text (numbers are then parsed),
    otherwise (JSON) numbers must be JSON numbers and text must be strings. Columns the workbench
    has no field for are kept in ``extra``."""
    extra = _extra(raw, where)
    data = {k: (None if v in ("", None) else v) for k, v in raw.items() if k in COLUMNS}
    for key in _NUMERIC:
        if data.get(key) is not None:
            data[key] = checks.number_text(data[key], f"{where}.{key}") if text else checks.number(
                data[key], f"{where}.{key}")
    if data.get("target") is None:
        raise ValidationError(f"{where}.target", "required")
    target = checks.name(data["target"], f"{where}.target")
    for key in ("look_side", "pass_direction", "preferred_satellite", "sensor_type", "mode", "sar_mode",
                "window_start", "window_end", "external_ref"):
        checks.optional_text(data.get(key), f"{where}.{key}")
    checks.optional_text(data.get("notes"), f"{where}.notes", limits.MAX_NOTES_CHARS, multiline=True)
    raw_priority = data.get("priority") if data.get("priority") is not None else 3
    if not text and isinstance(raw_priority, str):
        raise ValidationError(f"{where}.priority", f"must be an integer 1..5 (1 = highest), got {raw_priority!r}")
    priority = checks.priority(raw_priority, f"{where}.priority")
    if (data.get("lat") is None) != (data.get("lon") is None):
        raise ValidationError(f"{where}.lat", "give both lat and lon, or neither")
    if data.get("lat") is not None:
        checks.latitude(data["lat"], f"{where}.lat")
        checks.longitude(data["lon"], f"{where}.lon")
    start = parse_optional_utc(data.get("window_start"), f"{where}.window_start")
    end = parse_optional_utc(data.get("window_end"), f"{where}.window_end")
    if start and end and end <= start:
        raise ValidationError(f"{where}.window_end", "must be after window_start")
    constraints = {k: data[k] for k in _CONSTRAINTS if data.get(k) is not None}
    try:
        constraints = OrderConstraints.from_dict(constraints).to_dict()
    except ValidationError as exc:
        raise ValidationError(f"{where}.{exc.field.rsplit('.', 1)[-1]}", exc.reason) from None
    return {"target_id": target, "priority": priority, "requested_window_start": start,
            "requested_window_end": end, "constraints": constraints, "source": "batch",
            "notes": data.get("notes"), "external_ref": data.get("external_ref"),
            "lat": data.get("lat"), "lon": data.get("lon"), "where": where, "extra": extra}


def _check_row_count(path: Path, n: int) -> None:
    """Refuse a file of more orders than ``limits.MAX_ORDER_FILE_ROWS`` (before validating any)."""
    if n > limits.MAX_ORDER_FILE_ROWS:
        raise ValidationError(str(path), f"{n:,} orders are more than the {limits.MAX_ORDER_FILE_ROWS:,} one order "
                                         "file may hold; split it into smaller files")


def parse_order_file(path: str | Path) -> list[dict[str, Any]]:
    """Parse a ``.csv`` or ``.json`` order file into validated rows (nothing is written here).

    CSV rows are named by file line (``line 4.priority``), JSON items by index (``orders[2].priority``).
    Files over ``limits.MAX_ORDER_FILE_BYTES`` or ``limits.MAX_ORDER_FILE_ROWS`` orders are refused.
    """
    p = Path(path)
    text = _read_text(p)
    if p.suffix.lower() == ".json":
        doc = checks.load_json(text, str(p))
        items = doc.get("orders") if isinstance(doc, dict) else doc
        if not isinstance(items, list):
            raise ValidationError(str(p), 'expected a list of orders or {"orders": [...]}')
        _check_row_count(p, len(items))
        rows = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise ValidationError(f"orders[{i}]", "must be an object")
            rows.append(_row(item, f"orders[{i}]", text=False))
    elif p.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames:
            raise ValidationError(str(p), "no header line")
        header = [h.strip() for h in reader.fieldnames]
        if "target" not in header:
            raise ValidationError("line 1.target", f"required column missing; known: {', '.join(COLUMNS)}")
        for h in header:
            if h not in COLUMNS:
                checks.name(h, f"line 1.{h[:40]}", 64)
        if len(set(header)) != len(header):
            raise ValidationError("line 1", "a column name appears twice")
        records = []
        try:
            for record in reader:
                if None in record:
                    raise ValidationError(f"line {reader.line_num}", "more values than header columns")
                records.append((reader.line_num, record))
        except csv.Error as exc:  # a cell over the csv module's 128 KiB limit, a stray quote
            raise ValidationError(f"line {reader.line_num + 1}", f"not CSV: {exc}") from None
        _check_row_count(p, len(records))
        rows = [_row({k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in record.items()},
                     f"line {line}", text=True) for line, record in records]
    else:
        raise ValidationError(str(p), "order files must end in .csv or .json")
    if not rows:
        raise ValidationError(str(p), "no orders in the file")
    return rows
