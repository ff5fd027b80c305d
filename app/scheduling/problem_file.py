"""The scheduling problem file of spec section 14 (JSON): parse and validate into a Problem.

Every error is a ValidationError naming the JSON path (``opportunities[3].end``) and the reason;
unknown keys are refused.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain import checks
from app.domain import SlewModel, ValidationError, parse_utc
from app.domain.enums import parse_enum
from app.domain.times import to_epoch

from .problem import Candidate, FixedItem, Problem, SatelliteSpec
from .slew import Agility

_SAT_KEYS = {"id", "roll_rate_dps", "roll_accel_dps2", "pitch_rate_dps", "pitch_accel_dps2", "settle_time_s",
             "max_roll_deg", "max_pitch_deg", "slew_model", "sequential_slew"}
_OPP_KEYS = {"id", "satellite_id", "order_id", "start", "end", "roll_deg", "pitch_deg", "value", "variant",
             "roll_end_deg", "pitch_end_deg"}
_FIX_KEYS = {"id", "satellite_id", "order_id", "start", "end", "roll_deg", "pitch_deg", "roll_end_deg",
             "pitch_end_deg"}
_TOP_KEYS = {"satellites", "opportunities", "fixed"}


def _obj(value: Any, path: str, keys: set[str], required: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(path, f"expected an object, got {type(value).__name__}")
    unknown = sorted(set(value) - keys)
    if unknown:
        raise ValidationError(f"{path}.{unknown[0]}", f"unknown key; known: {', '.join(sorted(keys))}")
    for k in required:
        if k not in value or value[k] is None:
            raise ValidationError(f"{path}.{k}", "missing")
    return value


def _num(d: dict, key: str, path: str, default: float | None = None, positive: bool = False,
         allow_zero: bool = True) -> float | None:
    v = d.get(key, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValidationError(f"{path}.{key}", f"expected a number, got {v!r}")
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValidationError(f"{path}.{key}", f"not a finite number: {v!r}")
    if positive and (v < 0 or (v == 0 and not allow_zero)):
        raise ValidationError(f"{path}.{key}", f"must be {'≥' if allow_zero else '>'} 0, got {v:g}")
    return v


def _str(d: dict, key: str, path: str) -> str | None:
    v = d.get(key)
    if v is None:
        return None
    if not isinstance(v, str) or not v.strip():
        raise ValidationError(f"{path}.{key}", f"expected a non-empty string, got {v!r}")
    return checks.text(v, f"{path}.{key}")  # ids: bounded, no control or direction characters


def _list(data: dict, key: str) -> list:
    v = data.get(key, [])
    if v is None:
        return []
    if not isinstance(v, list):
        raise ValidationError(key, f"expected a list, got {type(v).__name__}")
    return v


def _variant(v: str | None, path: str) -> str | None:
    if v is None:
        return None
    if v == "max":
        return v
    for prefix in ("early_", "late_"):
        if v.startswith(prefix) and v[len(prefix):].isdigit():
            return v
    raise ValidationError(path, f"must be max, early_N or late_N, got {v!r}")


def parse_problem(data: Any) -> Problem:
    """Validate a decoded problem document and build the Problem."""
    if not isinstance(data, dict):
        raise ValidationError("problem", f"expected a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise ValidationError(unknown[0], f"unknown key; known: {', '.join(sorted(_TOP_KEYS))}")
    sats = []
    for k, raw in enumerate(_list(data, "satellites")):
        path = f"satellites[{k}]"
        d = _obj(raw, path, _SAT_KEYS, ("id",))
        sid = _str(d, "id", path)
        slew_model = parse_enum(SlewModel, d.get("slew_model", "per_axis"), f"{path}.slew_model")
        seq = d.get("sequential_slew", False)
        if not isinstance(seq, bool):
            raise ValidationError(f"{path}.sequential_slew", f"expected true or false, got {seq!r}")
        ag = Agility(
            _num(d, "roll_rate_dps", path, 1.0, True, False), _num(d, "roll_accel_dps2", path, 0.5, True, False),
            _num(d, "pitch_rate_dps", path, 1.0, True, False), _num(d, "pitch_accel_dps2", path, 0.5, True, False),
            _num(d, "settle_time_s", path, 5.0, True), slew_model == SlewModel.EIGEN_AXIS, seq)
        sats.append(SatelliteSpec(sid, ag, _num(d, "max_roll_deg", path, None, True),
                                  _num(d, "max_pitch_deg", path, None, True)))
    known = {s.id for s in sats}

    def times(d: dict, path: str) -> tuple[float, float]:
        start = to_epoch(parse_utc(d["start"], f"{path}.start"))
        end = to_epoch(parse_utc(d["end"], f"{path}.end"))
        if end <= start:
            raise ValidationError(f"{path}.end", f"must be after start ({d['end']} ≤ {d['start']})")
        return start, end

    def sat_of(d: dict, path: str) -> str:
        sid = _str(d, "satellite_id", path)
        if sid not in known:
            raise ValidationError(f"{path}.satellite_id", f"unknown satellite {sid!r}")
        return sid

    cands = []
    for k, raw in enumerate(_list(data, "opportunities")):
        path = f"opportunities[{k}]"
        d = _obj(raw, path, _OPP_KEYS, ("id", "satellite_id", "order_id", "start", "end", "roll_deg"))
        start, end = times(d, path)
        value = _num(d, "value", path, 1.0, True)
        cands.append(Candidate(_str(d, "id", path), sat_of(d, path), _str(d, "order_id", path), start, end,
                               _num(d, "roll_deg", path), _num(d, "pitch_deg", path, 0.0), value,
                               _variant(_str(d, "variant", path), f"{path}.variant"),
                               _num(d, "roll_end_deg", path), _num(d, "pitch_end_deg", path)))
    fixed = []
    for k, raw in enumerate(_list(data, "fixed")):
        path = f"fixed[{k}]"
        d = _obj(raw, path, _FIX_KEYS, ("id", "satellite_id", "start", "end", "roll_deg"))
        start, end = times(d, path)
        fixed.append(FixedItem(_str(d, "id", path), sat_of(d, path), start, end, _num(d, "roll_deg", path),
                               _num(d, "pitch_deg", path, 0.0), _num(d, "roll_end_deg", path),
                               _num(d, "pitch_end_deg", path), _str(d, "order_id", path)))
    problem = Problem.build(sats, cands, fixed)
    bad = problem.fixed_conflicts()
    if bad:
        a, b = bad[0]
        n = problem.n_candidates
        need = problem.slew_between(a, b)
        have = problem.L_start[b] - problem.L_end[a]
        raise ValidationError(f"fixed[{b - n}]", f"fixed items {problem.ids[a]!r} → {problem.ids[b]!r} are "
                                                 f"infeasible together (need {need:.1f} s, have {have:.1f} s)")
    return problem


def load_problem(path: str | Path) -> Problem:
    """Read and validate a problem file. Unreadable or malformed JSON → ValidationError with the position."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValidationError(str(p), "no such file") from None
    except UnicodeDecodeError as exc:
        raise ValidationError(str(p), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_problem(checks.load_json(text, p.name))
