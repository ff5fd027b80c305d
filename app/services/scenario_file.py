"""The scenario file (spec §14): a whole workspace as JSON, validated as a whole before anything is written.

Every error carries its JSON path (``satellites[2].max_roll_deg: must be between 0 and 89, got 120``); unknown keys
are refused.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.access.omm import omm_record
from app.access.tle import parse_tle_text
from app.domain import (WEIGHT_PRESETS, GroundStation, OrderConstraints, PowerModel, Satellite, Target,
                        ValidationError, WorkspaceSettings, checks, limits, parse_optional_utc, to_iso)

from .order_refs import reference_problem

FORMAT = "mission-planning-workbench/scenario"
VERSION = 1
MAX_FILE_BYTES = 50 * 1024 * 1024
_TOP_KEYS = {"format", "version", "name", "settings", "satellites", "targets", "ground_stations", "orders"}
_ORDER_KEYS = {"external_ref", "target_id", "lat", "lon", "priority", "value", "requested_window_start",
               "requested_window_end", "duration_s", "constraints", "notes"}
_ORDER_CONSTRAINT_KEYS = {"sensor_type", "max_incidence_deg", "look_side", "pass_direction", "preferred_satellite",
                          "mode", "sar_mode", "min_sun_elevation_deg"}
_SETTINGS_TIMES = ("horizon_start", "horizon_end", "scenario_clock")


class ScenarioError(ValidationError):
    """A scenario file with one or more errors; ``errors`` lists (json_path, reason)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        first_path, first_reason = errors[0]
        more = f" (+{len(errors) - 1} more: " + "; ".join(f"{p}: {r}" for p, r in errors[1:6]) + ")" \
            if len(errors) > 1 else ""
        super().__init__(first_path, first_reason + more)


@dataclass
class Scenario:
    """A validated scenario: domain objects plus orders as dicts ready for ``ScheduleDB.create_orders``."""

    name: str
    settings: WorkspaceSettings
    satellites: list[Satellite] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    ground_stations: list[GroundStation] = field(default_factory=list)
    orders: list[dict[str, Any]] = field(default_factory=list)


class _Collector:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def add(self, path: str, reason: str) -> None:
        self.errors.append((path, reason))

    def from_exc(self, path: str, exc: ValidationError) -> None:
        leaf = exc.field.rsplit(".", 1)[-1] if "." in exc.field else ""
        self.add(f"{path}.{leaf}" if leaf else path, exc.reason)

    def keys(self, obj: Any, allowed: set[str], path: str, required: tuple[str, ...] = ()) -> bool:
        if not isinstance(obj, dict):
            self.add(path, f"must be an object, got {type(obj).__name__}")
            return False
        for key in sorted(set(obj) - allowed):
            self.add(f"{path}.{key}", "unknown key")
        for key in required:
            if obj.get(key) in (None, ""):
                self.add(f"{path}.{key}", "required")
        return True


def _field_names(cls: type) -> set[str]:
    return {f.name for f in dataclasses.fields(cls)}


def load_scenario_file(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises ScenarioError listing every problem with its JSON path."""
    p = Path(path)
    if not p.is_file():
        raise ValidationError(str(path), "no such file")
    if p.stat().st_size > MAX_FILE_BYTES:
        raise ValidationError(str(path), f"file larger than {MAX_FILE_BYTES // 2**20} MiB: not a scenario")
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    return parse_scenario(checks.load_json(text, str(path)))


def parse_scenario(data: Any, name: str | None = None) -> Scenario:
    """Validate a scenario document (already parsed JSON)."""
    checks.json_depth(data)
    c = _Collector()
    if not c.keys(data, _TOP_KEYS, "$", required=("format", "version")):
        raise ScenarioError(c.errors)
    if data.get("format") not in (None, FORMAT):
        c.add("format", f"must be {FORMAT!r}")
    if data.get("version") not in (None, VERSION):
        c.add("version", f"unsupported version {data.get('version')!r}; this app reads version {VERSION}")
    name = name or data.get("name") or ""
    if not isinstance(name, str) or not name.strip():
        c.add("name", "required (or give --name)")
        name = ""
    else:
        try:
            checks.name(name, "name")
        except ValidationError as exc:
            c.add(exc.field, exc.reason)
    settings = _settings(data.get("settings") or {}, c)
    satellites = _entities(data.get("satellites", []), "satellites", c, _satellite)
    targets = _entities(data.get("targets", []), "targets", c, _target)
    stations = _entities(data.get("ground_stations", []), "ground_stations", c, _station)
    target_ids = {t.id for t in targets}
    orders: list[dict[str, Any]] = []
    extra_targets: dict[str, Target] = {}
    raw_orders = data.get("orders", [])
    if not isinstance(raw_orders, list):
        c.add("orders", "must be a list")
        raw_orders = []
    refs: dict[str, int] = {}
    for i, raw in enumerate(raw_orders):
        order = _order(raw, f"orders[{i}]", c, target_ids, satellites, extra_targets)
        if order is not None:
            ref = order["external_ref"].strip() if isinstance(order["external_ref"], str) else None
            if ref and ref in refs:  # one request, one order: as order files report duplicates
                c.add(f"orders[{i}].external_ref", f"{ref!r} is already the reference of orders[{refs[ref]}]")
                continue
            if ref:
                refs[ref] = i
            orders.append(order)
    if c.errors:
        raise ScenarioError(c.errors)
    return Scenario(name=name.strip(), settings=settings, satellites=satellites,
                    targets=targets + list(extra_targets.values()), ground_stations=stations, orders=orders)


def _entities(raw: Any, key: str, c: _Collector, build) -> list:
    if not isinstance(raw, list):
        c.add(key, "must be a list")
        return []
    out, seen = [], set()
    for i, item in enumerate(raw):
        path = f"{key}[{i}]"
        obj = build(item, path, c)
        if obj is None:
            continue
        if obj.id in seen:
            c.add(f"{path}.id", f"duplicate id {obj.id!r}")
            continue
        seen.add(obj.id)
        out.append(obj)
    return out


def _construct(cls: type, kwargs: dict[str, Any], path: str, c: _Collector):
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        c.from_exc(path, exc)
    except TypeError as exc:
        c.add(path, str(exc))
    return None


def _satellite(raw: Any, path: str, c: _Collector) -> Satellite | None:
    # The orbit is either a TLE (tle_line1/tle_line2) or an OMM element set (``omm``: an object of
    # CelesTrak's JSON fields, needed once catalogue numbers pass 99,999), checked as in the files.
    allowed = _field_names(Satellite) | {"omm"}
    has_omm = isinstance(raw, dict) and raw.get("omm") is not None
    orbit = ("omm",) if has_omm else ("tle_line1", "tle_line2")
    if not c.keys(raw, allowed, path, required=("id",) + orbit):
        return None
    if has_omm and any(raw.get(k) not in (None, "") for k in ("tle_line1", "tle_line2")):
        c.add(f"{path}.omm", "give either omm or tle_line1/tle_line2, not both")
        return None
    if any(raw.get(k) in (None, "") for k in ("id",) + orbit) or set(raw) - allowed:
        return None
    if has_omm:
        try:
            record = omm_record(raw["omm"], f"{path}.omm")
        except ValidationError as exc:
            c.add(exc.field, exc.reason)
            return None
        raw = {k: v for k, v in raw.items() if k != "omm"} | {"tle_line1": record.line1, "tle_line2": record.line2}
        if raw.get("norad_id") in (None, 0):  # the OMM always names it
            raw["norad_id"] = record.norad_id
    kwargs = {k: v for k, v in raw.items() if v is not None or k in ("min_sun_elevation_deg", "power")}
    power = raw.get("power")
    if power is not None:
        if not c.keys(power, _field_names(PowerModel), f"{path}.power"):
            return None
        kwargs["power"] = _construct(PowerModel, power, f"{path}.power", c)
        if kwargs["power"] is None:
            return None
    if "sar_modes" in kwargs:
        if not isinstance(kwargs["sar_modes"], list):
            c.add(f"{path}.sar_modes", f"must be a list of mode names, got {type(kwargs['sar_modes']).__name__}")
            return None
        kwargs["sar_modes"] = tuple(kwargs["sar_modes"])
    record = _tle_record(raw["tle_line1"], raw["tle_line2"], path, c)
    if record is None:
        return None
    norad = raw.get("norad_id")
    if isinstance(norad, int) and not isinstance(norad, bool) and norad not in (0, record.norad_id):
        c.add(f"{path}.norad_id", f"{norad} differs from the TLE's catalogue number {record.norad_id}")
        return None
    return _construct(Satellite, kwargs, path, c)


def tle_problem(line1: Any, line2: Any) -> str | None:
    """Why a TLE pair is unusable (the TLE file loader's checks: columns, checksum, elements), or None."""
    c = _Collector()
    return None if _tle_record(line1, line2, "tle", c) is not None else c.errors[0][1]


_tle_problem = tle_problem  # the name other importers (aeossp_case) use


def _tle_record(line1: Any, line2: Any, path: str, c: _Collector):
    """The TLE pair checked exactly as the TLE file loader checks it (columns, checksum, elements)."""
    for key, line in (("tle_line1", line1), ("tle_line2", line2)):
        try:
            checks.text(line, f"{path}.{key}", 80)
        except ValidationError as exc:
            c.add(exc.field, exc.reason)
            return None
    try:
        return parse_tle_text(f"{line1.rstrip()}\n{line2.rstrip()}\n", path)[0]
    except ValidationError as exc:
        key = "tle_line2" if exc.field.endswith("line 2") else "tle_line1"
        c.add(f"{path}.{key}", exc.reason)
        return None


def _target(raw: Any, path: str, c: _Collector) -> Target | None:
    if not c.keys(raw, _field_names(Target), path, required=("id", "lat", "lon")):
        return None
    if any(raw.get(k) is None for k in ("id", "lat", "lon")):
        return None
    return _construct(Target, {k: v for k, v in raw.items() if v is not None}, path, c)


def _station(raw: Any, path: str, c: _Collector) -> GroundStation | None:
    if not c.keys(raw, _field_names(GroundStation), path, required=("id", "lat", "lon")):
        return None
    if any(raw.get(k) is None for k in ("id", "lat", "lon")):
        return None
    return _construct(GroundStation, {k: v for k, v in raw.items() if v is not None}, path, c)


def _settings(raw: Any, c: _Collector) -> WorkspaceSettings:
    allowed = _field_names(WorkspaceSettings)
    if not c.keys(raw, allowed, "settings"):
        return WorkspaceSettings()
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in allowed or value is None:
            continue
        if key in _SETTINGS_TIMES:
            try:
                kwargs[key] = parse_optional_utc(value, f"settings.{key}")
            except ValidationError as exc:
                c.add(f"settings.{key}", exc.reason)
        elif key == "weights":
            weights = _weights(value, c)
            if weights is not None:
                kwargs[key] = weights
        else:
            kwargs[key] = value
    try:
        return WorkspaceSettings(**kwargs)
    except ValidationError as exc:
        c.add(exc.field, exc.reason)
    except TypeError as exc:
        c.add("settings", str(exc))
    return WorkspaceSettings()


def _weights(value: Any, c: _Collector) -> tuple[float, float, float] | None:
    if isinstance(value, str):
        if value not in WEIGHT_PRESETS:
            c.add("settings.weights", f"unknown preset {value!r}; presets: {', '.join(WEIGHT_PRESETS)}")
            return None
        return WEIGHT_PRESETS[value]
    if not c.keys(value, {"priority", "geometry", "timing"}, "settings.weights"):
        return None
    try:
        return tuple(checks.number(value.get(k, 0.0), f"settings.weights.{k}")  # type: ignore[return-value]
                     for k in ("priority", "geometry", "timing"))
    except ValidationError as exc:
        c.add(exc.field, exc.reason)
        return None


def _order(raw: Any, path: str, c: _Collector, target_ids: set[str], satellites: list[Satellite],
           extra_targets: dict[str, Target]) -> dict[str, Any] | None:
    if not c.keys(raw, _ORDER_KEYS, path):
        return None
    n_errors = len(c.errors)
    target_id = raw.get("target_id")
    if target_id is not None:
        try:
            target_id = checks.name(target_id, f"{path}.target_id")
        except ValidationError as exc:
            c.add(exc.field, exc.reason)
            return None
    lat, lon = raw.get("lat"), raw.get("lon")
    if target_id not in target_ids:
        if lat is None or lon is None:
            shown = repr(target_id) if len(repr(target_id)) <= 40 else repr(target_id)[:37] + "..."
            c.add(f"{path}.target_id", f"unknown target {shown} (give lat/lon to define it)"
                  if target_id else "required (or lat/lon)")
        else:
            try:
                lat, lon = checks.latitude(lat, f"{path}.lat"), checks.longitude(lon, f"{path}.lon")
                if target_id is None:
                    target_id = raw.get("external_ref") or f"{lat:.4f},{lon:.4f}"
                checks.name(target_id, f"{path}.target_id")
            except ValidationError as exc:
                c.add(exc.field, exc.reason)
                return None
            target = _construct(Target, {"id": target_id, "lat": lat, "lon": lon}, path, c)
            if target is not None:
                extra_targets.setdefault(target.id, target)
    constraints_raw = raw.get("constraints") or {}
    constraints: dict[str, Any] = {}
    if c.keys(constraints_raw, _ORDER_CONSTRAINT_KEYS, f"{path}.constraints"):
        constraints = {k: v for k, v in constraints_raw.items() if v is not None}
    for key in ("value", "duration_s"):
        if raw.get(key) is not None:
            constraints[key] = raw[key]
    for key, max_length, multiline in (("notes", limits.MAX_NOTES_CHARS, True),
                                       ("external_ref", limits.MAX_NAME_CHARS, False)):
        try:
            checks.optional_text(raw.get(key), f"{path}.{key}", max_length, multiline=multiline)
        except ValidationError as exc:
            c.add(exc.field, exc.reason)
    problem = reference_problem(constraints, satellites)
    if problem is not None:
        c.add(f"{path}.constraints.{problem[0]}", problem[1])
    try:
        OrderConstraints.from_dict(constraints)
    except ValidationError as exc:
        leaf = exc.field.rsplit(".", 1)[-1]
        # value and duration_s sit on the order itself in the file; the rest under constraints
        c.add(f"{path}.{leaf}" if leaf in ("value", "duration_s") else f"{path}.{exc.field}", exc.reason)
    times = {}
    for key in ("requested_window_start", "requested_window_end"):
        try:
            times[key] = parse_optional_utc(raw.get(key), f"{path}.{key}")
        except ValidationError as exc:
            c.add(exc.field, exc.reason)
    try:
        raw_priority = raw.get("priority", 3)
        if isinstance(raw_priority, str):  # JSON: a number, not text
            raise ValidationError(f"{path}.priority", f"must be an integer 1..5, got text {raw_priority!r}")
        priority = checks.priority(raw_priority, f"{path}.priority")
    except ValidationError as exc:
        c.add(exc.field, exc.reason)
        priority = 3
    s, e = times.get("requested_window_start"), times.get("requested_window_end")
    if s and e and e <= s:
        c.add(f"{path}.requested_window_end", "must be after requested_window_start")
    if len(c.errors) > n_errors:
        return None
    return {"target_id": target_id, "priority": priority, "requested_window_start": s,
            "requested_window_end": e, "constraints": constraints, "source": "batch",
            "notes": raw.get("notes"), "external_ref": raw.get("external_ref")}


def scenario_to_dict(name: str, settings: WorkspaceSettings, satellites, targets, stations, orders) -> dict[str, Any]:
    """Serialise a workspace into the scenario format (round-trips through ``parse_scenario``)."""
    def clean(obj) -> dict[str, Any]:
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if dataclasses.is_dataclass(value):
                value = clean(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif hasattr(value, "value"):
                value = value.value
            out[f.name] = value
        return out

    st = clean(settings)
    for key in _SETTINGS_TIMES:
        st[key] = to_iso(getattr(settings, key)) if getattr(settings, key) else None
    st["weights"] = dict(zip(("priority", "geometry", "timing"), settings.weights))
    out_orders = []
    for o in orders:
        cons = o.constraints.to_dict()
        value, duration = cons.pop("value", None), cons.pop("duration_s", None)
        out_orders.append({
            "external_ref": o.external_ref, "target_id": o.target_id, "priority": o.priority, "value": value,
            "requested_window_start": to_iso(o.requested_window_start) if o.requested_window_start else None,
            "requested_window_end": to_iso(o.requested_window_end) if o.requested_window_end else None,
            "duration_s": duration, "constraints": cons, "notes": o.notes})
    return {"format": FORMAT, "version": VERSION, "name": name, "settings": st,
            "satellites": [clean(s) for s in satellites], "targets": [clean(t) for t in targets],
            "ground_stations": [clean(g) for g in stations], "orders": out_orders}
