"""Small validators shared by the entities; each raises ValidationError naming the field."""
from __future__ import annotations

import math

from .errors import ValidationError


def number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise ValidationError(field, f"not a number: {value!r}") from None
    result = float(value)
    if not math.isfinite(result):
        raise ValidationError(field, f"not a finite number: {value!r}")
    return result


def in_range(value: object, lo: float, hi: float, field: str) -> float:
    result = number(value, field)
    if not lo <= result <= hi:
        raise ValidationError(field, f"must be between {lo:g} and {hi:g}, got {result:g}")
    return result


def positive(value: object, field: str, allow_zero: bool = False) -> float:
    result = number(value, field)
    if result < 0 or (result == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ValidationError(field, f"must be {bound}, got {result:g}")
    return result


def name(value: object, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"must be a non-empty name, got {value!r}")
    return value.strip()


def latitude(value: object, field: str = "lat") -> float:
    return in_range(value, -90.0, 90.0, field)


def longitude(value: object, field: str = "lon") -> float:
    return in_range(value, -180.0, 180.0, field)


def priority(value: object, field: str = "priority") -> int:
    if isinstance(value, bool):
        raise ValidationError(field, f"must be an integer 1..5 (1 = highest), got {value!r}")
    try:
        result = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(field, f"must be an integer 1..5 (1 = highest), got {value!r}") from None
    if result != value and not (isinstance(value, str) and value.strip().lstrip("+-").isdigit()):
        raise ValidationError(field, f"must be an integer 1..5 (1 = highest), got {value!r}")
    if not 1 <= result <= 5:
        raise ValidationError(field, f"must be 1..5 (1 = highest), got {result}")
    return result
