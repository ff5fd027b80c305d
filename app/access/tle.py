"""Two-line element sets: parsing with every line checked, file loading, staleness.

Accepted layouts: 3-line sets (a name line, then lines 1 and 2; a Space-Track ``0 `` prefix on the
name is dropped) and bare 2-line sets (the name is then the catalogue number). Blank lines and
lines starting with ``#`` are ignored. Each TLE line must be 69 characters long (trailing
whitespace is ignored), start with its line number, carry a valid mod-10 checksum and numeric
fields in the standard columns, and lines 1 and 2 of a pair must name the same catalogue number.
The first bad line stops the import: nothing from the text is returned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sgp4.api import Satrec

from app.domain import checks
from app.domain.errors import ValidationError
from app.domain.times import UTC

from .frames import JD_UNIX_EPOCH
from .textfiles import read_text

TLE_LENGTH = 69

_FLOAT = r" *[+-]?\d*\.\d+"
_IMPLIED = r"[ +-]\d{5}[+-]\d"  # implied decimal point and exponent: " 73621-4"
_CATALOGUE = r"[0-9A-Z][0-9]{4}"  # Alpha-5 allows a letter first
#: Checked fields: (first column, last column (1-based, inclusive), name, pattern).
_LINE1_FIELDS = (
    (3, 7, "catalogue number", _CATALOGUE),
    (8, 8, "classification", r"[UCS ]"),
    (19, 20, "epoch year", r"\d{2}"),
    (21, 32, "epoch day", r"[ \d]{3}\.\d{8}"),
    (34, 43, "first derivative of mean motion", _FLOAT),
    (45, 52, "second derivative of mean motion", _IMPLIED),
    (54, 61, "B* drag term", _IMPLIED),
    (63, 63, "ephemeris type", r"[\d ]"),
    (65, 68, "element set number", r" *\d+"),
)
_LINE2_FIELDS = (
    (3, 7, "catalogue number", _CATALOGUE),
    (9, 16, "inclination", _FLOAT),
    (18, 25, "right ascension of the ascending node", _FLOAT),
    (27, 33, "eccentricity", r"\d{7}"),
    (35, 42, "argument of perigee", _FLOAT),
    (44, 51, "mean anomaly", _FLOAT),
    (53, 63, "mean motion", _FLOAT),
    (64, 68, "revolution number", r" *\d+"),
)
_BLANKS = {1: (2, 9, 18, 33, 44, 53, 62, 64), 2: (2, 8, 17, 26, 34, 43, 52)}
_FIELDS = {number: [(first, last, label, re.compile(pattern, re.ASCII)) for first, last, label, pattern in fields]
           for number, fields in ((1, _LINE1_FIELDS), (2, _LINE2_FIELDS))}


@dataclass(frozen=True, slots=True)
class TleRecord:
    """One element set: the satellite's name, NORAD catalogue number, both lines and the epoch (UTC)."""

    name: str
    norad_id: int
    line1: str
    line2: str
    epoch: datetime


_CHECKSUM_VALUES = bytes(b - 48 if 48 <= b <= 57 else (1 if b == 45 else 0) for b in range(256))


def checksum(line: str) -> int:
    """The TLE checksum of the first 68 characters: sum of digits, each ``-`` counts 1, modulo 10."""
    return sum(line[:68].encode("latin-1", "replace").translate(_CHECKSUM_VALUES)) % 10


#: Alpha-5 letters for the hundred-thousands of a catalogue number: A = 10 … Z = 33 (no I, no O).
_ALPHA5 = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _catalogue_number(text: str) -> int:
    """Decode a 5-character catalogue number, Alpha-5 included (A = 10 … Z = 33, skipping I and O)."""
    if text[0].isdigit():
        return int(text)
    return (10 + _ALPHA5.index(text[0])) * 10000 + int(text[1:])


def catalogue_text(number: int) -> str:
    """The 5-character catalogue field of a TLE line for ``number`` (0 … 339,999): digits below
    100,000, Alpha-5 above (``180000`` → ``J0000``)."""
    if number < 100_000:
        return f"{number:05d}"
    head, rest = divmod(number, 10_000)
    return _ALPHA5[head - 10] + f"{rest:04d}"


def with_catalogue(line: str, number: int) -> str:
    """A TLE line with its catalogue field (columns 3–7) set to ``number`` and its checksum redone."""
    body = line[:2] + catalogue_text(number) + line[7:68]
    return body + str(checksum(body))


def _check_line(line: str, number: int, where: str) -> None:
    if len(line) != TLE_LENGTH:
        raise ValidationError(where, f"TLE line {number} must be {TLE_LENGTH} characters long, "
                                     f"found {len(line)}")
    if not line.startswith(f"{number} "):
        raise ValidationError(where, f"expected TLE line {number} (starting '{number} '), "
                                     f"found {line[:2]!r}")
    for col in _BLANKS[number]:
        if line[col - 1] != " ":
            raise ValidationError(where, f"column {col} must be blank, found {line[col - 1]!r}")
    for first, last, label, pattern in _FIELDS[number]:
        text = line[first - 1:last]
        if not pattern.fullmatch(text):
            raise ValidationError(where, f"columns {first}-{last} ({label}): not a valid number: {text!r}")
    if line[68] not in "0123456789":
        raise ValidationError(where, f"column 69 (checksum) must be a digit, found {line[68]!r}")
    expected = checksum(line)
    if int(line[68]) != expected:
        raise ValidationError(where, f"checksum mismatch: column 69 says {line[68]}, "
                                     f"the line sums to {expected}")


def _record(name: str | None, line1: str, line2: str, where2: str) -> TleRecord:
    n1, n2 = _catalogue_number(line1[2:7]), _catalogue_number(line2[2:7])
    if n1 != n2:
        raise ValidationError(where2, f"catalogue number {n2} does not match line 1's {n1}")
    sat = Satrec.twoline2rv(line1, line2)
    if sat.error != 0 or not 0.0 <= sat.ecco < 1.0 or sat.no_kozai <= 0.0:
        raise ValidationError(where2, f"SGP4 cannot use these elements (eccentricity {sat.ecco:g}, "
                                      f"mean motion {line2[52:63].strip()})")
    posix = (sat.jdsatepoch - JD_UNIX_EPOCH + sat.jdsatepochF) * 86400.0
    epoch = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=round(posix * 1e6))
    return TleRecord(name or str(n1), n1, line1, line2, epoch)


def parse_tle_text(text: str, source: str = "<text>") -> list[TleRecord]:
    """Parse 3-line or bare 2-line element sets; every line is checked before anything is returned.

    Raises ``ValidationError(f"{source}:line {n}", reason)`` on the first bad line (``n`` counts
    the lines of the text from 1), and ``ValidationError(source, ...)`` when the text holds no TLE.
    """
    records: list[TleRecord] = []
    name: tuple[int, str] | None = None
    line1: tuple[int, str] | None = None
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        where = f"{source}:line {n}"
        if not line.strip() or line.lstrip().startswith("#"):
            if line1 is not None:
                raise ValidationError(f"{source}:line {line1[0]}", "TLE line 1 is not followed by line 2")
            continue
        if line1 is not None:
            _check_line(line, 2, where)
            records.append(_record(name[1] if name else None, line1[1], line, where))
            name, line1 = None, None
        elif line.startswith(("1 ", "2 ")) or len(line) == TLE_LENGTH and line[0] in "12":
            _check_line(line, 1, where)
            line1 = (n, line)
        elif name is not None:
            raise ValidationError(f"{source}:line {name[0]}",
                                  f"name line {name[1]!r} is not followed by TLE line 1")
        else:
            title = line[2:] if line.startswith("0 ") else line
            # the name becomes a satellite id: the same text checks as every name (length, control
            # and direction characters), named by file and line
            name = (n, checks.text(title.strip(), where, 80))
    if line1 is not None:
        raise ValidationError(f"{source}:line {line1[0]}", "TLE line 1 is not followed by line 2")
    if name is not None:
        raise ValidationError(f"{source}:line {name[0]}", f"name line {name[1]!r} is not followed by TLE line 1")
    if not records:
        raise ValidationError(source, "empty file: no TLE found")
    return records


def load_tle_file(path: str | Path) -> list[TleRecord]:
    """Read a UTF-8 file of element sets: TLEs (see ``parse_tle_text``) or an OMM document in JSON,
    CSV or XML (``access.omm``, recognised by its content); non-UTF-8 bytes are refused with the
    line and byte offset of the first bad byte."""
    from .omm import looks_like_omm, parse_omm_text  # omm builds on this module

    text = read_text(path)
    if looks_like_omm(text):
        return parse_omm_text(text, str(path))
    return parse_tle_text(text, str(path))


def is_stale(record_or_epoch: TleRecord | datetime, horizon_start: datetime, stale_days: float) -> bool:
    """True when the element set's epoch is more than ``stale_days`` days before ``horizon_start``."""
    epoch = record_or_epoch.epoch if isinstance(record_or_epoch, TleRecord) else record_or_epoch
    return (horizon_start - epoch).total_seconds() > stale_days * 86400.0
