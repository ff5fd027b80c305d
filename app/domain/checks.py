"""Small validators shared by every boundary (files, CLI, GUI forms, services); each raises
ValidationError naming the field and the reason, in one line.

Types are exact: a JSON ``true`` is not the number 1 and ``"12"`` is not a number (text sources
such as CSV cells and command-line options go through ``number_text``/``integer_text`` first).
Numbers are finite; text has a length bound and no control or bidirectional-override characters.
"""
from __future__ import annotations

import math
import re
from typing import Any

from . import limits
from .errors import ValidationError

#: C0/C1 control characters (tab and newline are allowed only in multi-line text such as notes).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates (U+202A..U+202E, U+2066..U+2069) and the
#: invisible marks: they make ``abc`` display as ``cba`` in lists and exports ("Trojan Source").
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def number(value: object, field: str) -> float:
    """A finite int or float (``bool`` and text refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        kind = "true/false" if isinstance(value, bool) else ("text" if isinstance(value, str)
                                                           else type(value).__name__)
        raise ValidationError(field, f"must be a number, got {kind} {_show(value)}")
    try:
        result = float(value)
    except OverflowError:
        raise ValidationError(field, f"number out of range: {_show(value)}") from None
    if not math.isfinite(result):
        raise ValidationError(field, f"must be a finite number, got {_show(value)}")
    return result


def number_text(value: object, field: str) -> float:
    """A finite number from a text cell or option (``"12.5"``); numbers pass through ``number``."""
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed = float(text)
        except ValueError:
            raise ValidationError(field, f"not a number: {_show(value)}") from None
        return number(parsed, field)
    return number(value, field)


def integer(value: object, field: str, lo: int | None = None, hi: int | None = None) -> int:
    """An exact integer (``3.0`` accepted, ``3.5``, ``true`` and text refused) within [lo, hi]."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        number(value, field)  # refuses bool/text/NaN with the usual wording
        raise ValidationError(field, f"must be a whole number, got {_show(value)}")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ValidationError(field, f"must be between {lo} and {hi}, got {_show(value)}")
    return value


def integer_text(value: object, field: str, lo: int | None = None, hi: int | None = None) -> int:
    """``integer`` for a text cell or option (``"3"``, ``" +3 "``)."""
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            raise ValidationError(field, f"must be a whole number, got {_show(value)}")
        value = int(text)
    return integer(value, field, lo, hi)


def in_range(value: object, lo: float, hi: float, field: str) -> float:
    result = number(value, field)
    if not lo <= result <= hi:
        raise ValidationError(field, f"must be between {lo:g} and {hi:g}, got {result:g}")
    return result


def positive(value: object, field: str, allow_zero: bool = False, hi: float | None = None) -> float:
    result = number(value, field)
    if result < 0 or (result == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ValidationError(field, f"must be {bound}, got {result:g}")
    if hi is not None and result > hi:
        raise ValidationError(field, f"must be at most {hi:g}, got {result:g}")
    return result


def text(value: object, field: str, max_length: int = limits.MAX_NAME_CHARS, *, multiline: bool = False,
         allow_empty: bool = True) -> str:
    """A string of at most ``max_length`` characters without control or bidi-override characters.

    ``multiline`` allows tab and newline (notes)."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be text, got {type(value).__name__} {_show(value)}")
    if len(value) > max_length:
        raise ValidationError(field, f"longer than {max_length:,} characters ({len(value):,})")
    bad = (_CONTROL if multiline else _CONTROL_ONE_LINE).search(value)
    if bad:
        raise ValidationError(field, f"control character U+{ord(bad.group()):04X} at position {bad.start() + 1}")
    bad = _BIDI.search(value)
    if bad:
        raise ValidationError(field, f"invisible direction character U+{ord(bad.group()):04X} "
                                     f"at position {bad.start() + 1}")
    if not allow_empty and not value.strip():
        raise ValidationError(field, "must not be empty")
    return value


def optional_text(value: object, field: str, max_length: int = limits.MAX_NAME_CHARS, *,
                  multiline: bool = False) -> str | None:
    return None if value is None else text(value, field, max_length, multiline=multiline)


def name(value: object, field: str, max_length: int = limits.MAX_NAME_CHARS) -> str:
    """A non-empty one-line name (ids, targets, workspaces), stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"must be a non-empty name, got {_show(value)}")
    return text(value, field, max_length).strip()


def latitude(value: object, field: str = "lat") -> float:
    return in_range(value, -90.0, 90.0, field)


def longitude(value: object, field: str = "lon") -> float:
    return in_range(value, -180.0, 180.0, field)


def priority(value: object, field: str = "priority") -> int:
    """An order or target priority, 1 (highest) .. 5 (lowest); digits as text are accepted
    (command line, CSV), ``true`` and ``3.5`` are not."""
    try:
        result = integer_text(value, field)
    except ValidationError:
        raise ValidationError(field, f"must be an integer 1..5 (1 = highest), got {_show(value)}") from None
    if not 1 <= result <= 5:
        raise ValidationError(field, f"must be 1..5 (1 = highest), got {result}")
    return result


def json_depth(doc: Any, field: str = "$", max_depth: int = limits.MAX_JSON_DEPTH) -> None:
    """Refuse documents nested deeper than ``max_depth`` (iterative: no recursion limit to hit)."""
    stack = [(doc, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            raise ValidationError(field, f"nested deeper than {max_depth} levels")
        stack.extend((child, depth + 1) for child in children)


def load_json(text_: str, field: str, max_depth: int = limits.MAX_JSON_DEPTH) -> Any:
    """``json.loads`` with one-line errors (bad JSON, nesting deeper than ``max_depth``).

    ``NaN``/``Infinity`` literals (not JSON, but Python writes them) become non-finite floats that
    ``number`` then refuses naming the field's path, rather than the whole file."""
    import json

    try:
        doc = json.loads(text_)
    except json.JSONDecodeError as exc:
        raise ValidationError(field, f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:  # the C decoder recurses once per level
        raise ValidationError(field, f"nested deeper than {max_depth} levels") from None
    json_depth(doc, field, max_depth)
    return doc
