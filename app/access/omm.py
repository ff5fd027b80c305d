"""CCSDS Orbit Mean-Elements Messages (OMM), as CelesTrak publishes them in JSON, CSV and XML.

OMM carries the same SGP4 mean elements as a TLE without the five-digit limit of its catalogue
number. Each element set is checked field by field (names as in the file: ``[2].ECCENTRICITY``,
``line 3.MEAN_MOTION``, ``segment[1].EPOCH``), turned into an SGP4 satellite by ``sgp4.omm`` and
written back as TLE lines (Alpha-5 catalogue numbers up to 339,999), which then pass the same
checks as a TLE file (``tle._check_line``/``_record``): an OMM is accepted exactly where a TLE is.
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from datetime import datetime
from typing import Any

from sgp4 import exporter, omm
from sgp4.api import Satrec

from app.domain import checks
from app.domain.errors import ValidationError

from .tle import TleRecord, _check_line, _record, with_catalogue

#: Fields sgp4's OMM reader needs.
REQUIRED = ("OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
            "ARG_OF_PERICENTER", "MEAN_ANOMALY", "NORAD_CAT_ID", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
#: Numeric fields and their accepted ranges.
_RANGES = {
    "MEAN_MOTION": (0.05, 20.0), "ECCENTRICITY": (0.0, 0.999), "INCLINATION": (0.0, 180.0),
    "RA_OF_ASC_NODE": (0.0, 360.0), "ARG_OF_PERICENTER": (0.0, 360.0), "MEAN_ANOMALY": (0.0, 360.0),
    "BSTAR": (-1.0, 1.0), "MEAN_MOTION_DOT": (-1.0, 1.0), "MEAN_MOTION_DDOT": (-1.0, 1.0),
}
#: The largest catalogue number a TLE can carry (Alpha-5 "Z9999").
MAX_TLE_CATALOGUE = 339_999
_DEFAULTS = {"CLASSIFICATION_TYPE": "U", "EPHEMERIS_TYPE": "0", "ELEMENT_SET_NO": "999", "REV_AT_EPOCH": "0"}


def looks_like_omm(text: str) -> str | None:
    """The OMM flavour of ``text`` ("json", "xml", "csv") or None (then it is read as TLEs)."""
    head = text.lstrip()[:2000]
    if head.startswith(("[", "{")):
        return "json"
    if head.startswith("<"):
        return "xml"
    first = head.splitlines()[0] if head else ""
    if "NORAD_CAT_ID" in first and "," in first:
        return "csv"
    return None


def _epoch(value: Any, where: str) -> str:
    text = checks.text(value, where, 40).strip()
    for fmt in ("%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"):
        try:
            parsed = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    else:
        raise ValidationError(where, f"not an OMM epoch (YYYY-MM-DDThh:mm:ss[.ffffff]): {text[:40]!r}")
    if not 1957 <= parsed.year <= 2200:
        raise ValidationError(where, f"epoch year {parsed.year} is outside 1957..2200")
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _record_from_fields(fields: dict[str, Any], where: str, text_source: bool) -> TleRecord:
    if not isinstance(fields, dict):
        raise ValidationError(where, "must be an object of OMM fields")
    missing = [k for k in REQUIRED if fields.get(k) in (None, "")]
    if missing:
        raise ValidationError(f"{where}.{missing[0]}", "required OMM field missing")
    clean: dict[str, str] = {}
    number = checks.number_text if text_source else checks.number
    for key, (lo, hi) in _RANGES.items():
        value = fields[key]
        if not text_source and isinstance(value, str):  # CelesTrak's JSON has numbers here
            value = checks.number_text(value, f"{where}.{key}")
        value = number(value, f"{where}.{key}")
        if not lo <= value <= hi:
            raise ValidationError(f"{where}.{key}", f"must be between {lo:g} and {hi:g}, got {value:.10g}")
        clean[key] = repr(value)
    norad = checks.integer_text(fields["NORAD_CAT_ID"], f"{where}.NORAD_CAT_ID", 1, 999_999_999)
    if norad > MAX_TLE_CATALOGUE:
        raise ValidationError(f"{where}.NORAD_CAT_ID", f"{norad} is beyond what the workbench can store "
                                                       f"(catalogue numbers up to {MAX_TLE_CATALOGUE:,})")
    clean["NORAD_CAT_ID"] = str(norad)
    clean["EPOCH"] = _epoch(fields["EPOCH"], f"{where}.EPOCH")
    object_id = checks.text(fields["OBJECT_ID"], f"{where}.OBJECT_ID", 20).strip()
    clean["OBJECT_ID"] = object_id if len(object_id) >= 3 else "UNKNOWN"
    for key, default in _DEFAULTS.items():
        value = fields.get(key)
        clean[key] = default if value in (None, "") else str(value).strip()
    for key in ("EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH"):
        clean[key] = str(checks.integer_text(clean[key], f"{where}.{key}", 0, 99_999 if key != "ELEMENT_SET_NO"
                                             else 9_999))
    if clean["CLASSIFICATION_TYPE"] not in ("U", "C", "S"):
        raise ValidationError(f"{where}.CLASSIFICATION_TYPE", "must be U, C or S")
    name = fields.get("OBJECT_NAME")
    name = checks.text(name, f"{where}.OBJECT_NAME", 80).strip() if name not in (None, "") else None
    sat = Satrec()
    try:
        omm.initialize(sat, clean)
        # sgp4 (2.27) writes 18xxxx and 23xxxx as I/O, letters Alpha-5 skips: the catalogue
        # field is written here, by the same table the TLE reader decodes.
        line1, line2 = (with_catalogue(line, int(clean["NORAD_CAT_ID"])) for line in exporter.export_tle(sat))
    except (ValueError, KeyError, OverflowError) as exc:
        raise ValidationError(where, f"SGP4 cannot use these elements ({exc})") from None
    _check_line(line1, 1, where)
    _check_line(line2, 2, where)
    return _record(name, line1, line2, where)


def omm_record(fields: Any, where: str) -> TleRecord:
    """One OMM element set given as an object of CelesTrak JSON fields (a scenario satellite's
    ``omm``), checked field by field (``where.ECCENTRICITY``) exactly as in an OMM file."""
    return _record_from_fields(fields, where, text_source=False)


def parse_omm_text(text: str, source: str = "<text>") -> list[TleRecord]:
    """Every element set of an OMM document (JSON list/object, CSV with a header, XML ndm/omm),
    all checked before anything is returned."""
    flavour = looks_like_omm(text)
    records: list[TleRecord] = []
    if flavour == "json":
        doc = checks.load_json(text, source)
        items = doc if isinstance(doc, list) else [doc]
        for i, item in enumerate(items):
            records.append(_record_from_fields(item, f"{source}:[{i}]", text_source=False))
    elif flavour == "csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        try:
            for row in reader:
                if None in row:
                    raise ValidationError(f"{source}:line {reader.line_num}", "more values than header columns")
                records.append(_record_from_fields({k.strip(): (v or "").strip() for k, v in row.items() if k},
                                                   f"{source}:line {reader.line_num}", text_source=True))
        except csv.Error as exc:
            raise ValidationError(f"{source}:line {reader.line_num + 1}", f"not CSV: {exc}") from None
    elif flavour == "xml":
        try:
            segments = list(omm.parse_xml(io.StringIO(text)))
        except ET.ParseError as exc:
            raise ValidationError(source, f"not OMM XML: {exc}") from None
        except AttributeError:
            raise ValidationError(source, "not OMM XML: expected segment/metadata/data/meanElements") from None
        for i, fields in enumerate(segments):
            records.append(_record_from_fields(fields, f"{source}:segment[{i}]", text_source=True))
    else:
        raise ValidationError(source, "not an OMM document (JSON, CSV with NORAD_CAT_ID, or XML)")
    if not records:
        raise ValidationError(source, "no element set found")
    return records
