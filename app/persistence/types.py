"""Column types: UTC times as fixed-width ISO text, JSON as text, enums as their string values."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from enum import Enum
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.types import TypeDecorator

from app.domain import ValidationError

UTC = timezone.utc


def format_utc(value: datetime, field: str = "time") -> str:
    """``2026-08-07T09:15:26.000000Z``: always 27 characters, so text order is time order."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, f"naive time {value} refused: give a zone (Z or +00:00)")
    if not 1000 <= value.year <= 9999:
        raise ValidationError(field, f"year {value.year} out of range 1000..9999")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC ``datetime`` stored as fixed-width ISO 8601 text with a ``Z`` suffix.

    Fixed width (microseconds always written) makes string comparison equal to time comparison,
    so an index on the column serves range queries. Naive datetimes are refused.
    """

    impl = String(27)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return format_utc(value)
        raise ValidationError("time", f"expected an aware datetime, got {type(value).__name__}")

    def process_result_value(self, value: str | None, dialect) -> datetime | None:
        if value is None:
            return None
        # Python 3.11 parses the trailing Z as UTC.
        return datetime.fromisoformat(value)


def json_default(value: Any) -> Any:
    """JSON encoding of the values that planning code puts in configs and metrics."""
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if hasattr(value, "tolist"):  # numpy arrays
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(value: Any, field: str = "json") -> str:
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=json_default,
                          ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValidationError(field, f"cannot be stored as JSON: {exc}") from None


class JsonText(TypeDecorator):
    """Any JSON value stored as compact text with sorted keys (stable for hashing and diffing)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect) -> str | None:
        return None if value is None else dumps(value)

    def process_result_value(self, value: str | None, dialect) -> Any:
        return None if value is None else json.loads(value)


class EnumText(TypeDecorator):
    """A ``StrEnum`` stored as its value; rows hold strings, Python gets enum members back.

    An unknown stored value (e.g. written by a legacy tool) comes back as the plain string.
    """

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_cls: type[Enum]) -> None:
        super().__init__()
        self.enum_cls = enum_cls
        self._members = dict(enum_cls._value2member_map_)

    def process_bind_param(self, value: Any, dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, Enum):
            return value.value
        return str(value)

    def process_result_value(self, value: str | None, dialect) -> Any:
        if value is None:
            return None
        return self._members.get(value, value)
