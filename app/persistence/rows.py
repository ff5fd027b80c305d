"""Conversion between rows and the domain dataclasses (ORM objects never leave this package).

Reads select the columns in the dataclass field order so a row builds its dataclass directly,
without an ORM identity map (cheap for the 10⁴-row horizon of a busy week).
"""
from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import Any, Iterable, Sequence

from sqlalchemy import Column

from app.domain import (Acquisition, AuditEntry, Conflict, GroundStation, Order, OrderConstraints,
                        Plan, PlanItem, PowerModel, ResolutionOption, Satellite, Target, Workspace,
                        WorkspaceSettings, to_iso)
from app.domain.times import UTC
from app.domain import parse_utc
from app.domain.enums import (AcquisitionSource, AcquisitionState, ChangeType, LockLevel, Mode, ResolutionAction,
                              parse_enum)
from app.domain.placement import current_names

from .models import (COLUMN_OF, AcquisitionRow, AuditRow, ConflictRow, GroundStationRow, OrderRow, PlanItemRow,
                     PlanRow, SatelliteRow, TargetRow)


def _columns(model: type, names: Sequence[str]) -> tuple[Column, ...]:
    # Table columns, not ORM attributes: a select of them runs as plain Core (no ORM loading
    # machinery per row), which is what makes the horizon query cheap.
    return tuple(model.__table__.c[COLUMN_OF.get(n, n)] for n in names)


def _fields(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


ACQUISITION_FIELDS = _fields(Acquisition)
ACQUISITION_COLUMNS = _columns(AcquisitionRow, ACQUISITION_FIELDS)

PLAN_ITEM_FIELDS = _fields(PlanItem)
PLAN_ITEM_COLUMNS = _columns(PlanItemRow, PLAN_ITEM_FIELDS)

_ORDER_MAP = {"constraints": "constraints_json", "extra": "extra_json"}
ORDER_FIELDS = _fields(Order)
ORDER_COLUMNS = _columns(OrderRow, [_ORDER_MAP.get(n, n) for n in ORDER_FIELDS])

_PLAN_MAP = {"config": "config_json", "metrics": "metrics_json"}
PLAN_FIELDS = _fields(Plan)
PLAN_COLUMNS = _columns(PlanRow, [_PLAN_MAP.get(n, n) for n in PLAN_FIELDS])

CONFLICT_COLUMNS = _columns(ConflictRow, (
    "id", "type", "severity", "description", "acquisition_ids_json", "resolution_options_json", "workspace_id",
    "satellite_id", "detected_at", "resolved_at", "resolution_action", "resolution_notes"))
AUDIT_COLUMNS = _columns(AuditRow, ("id", "at", "who", "action", "entity", "entity_id", "before_json",
                                    "after_json", "workspace_id"))
TARGET_COLUMNS = _columns(TargetRow, ("id", "lat", "lon", "alt_m", "priority"))
STATION_COLUMNS = _columns(GroundStationRow, ("id", "lat", "lon", "alt_m", "mask_deg"))
SATELLITE_COLUMNS = _columns(SatelliteRow, ("id", "norad_id", "mode", "tle_line1", "tle_line2", "params_json"))


def acquisition(row: Sequence[Any]) -> Acquisition:
    return Acquisition(*row)


class WrittenAcquisitions:
    """Acquisitions a write inserted, kept as the values it wrote (storage form: times as text,
    enums as their values) and turned into domain objects only when first asked for — exactly
    what reading those rows back would give (each column's own result processing)."""

    def __init__(self) -> None:
        self._values: list[dict[str, Any]] = []
        self._dialect: Any = None
        self._changed: dict[str, dict[str, Any]] = {}
        self._rows: tuple[Acquisition, ...] | None = None

    def add(self, values: Sequence[dict[str, Any]], dialect: Any) -> None:
        self._values.extend(values)
        self._dialect = dialect
        self._rows = None

    def change(self, ids: Iterable[str], **fields: Any) -> None:
        """Later in the same transaction these rows changed ``fields`` (values in storage form)."""
        for i in ids:
            self._changed.setdefault(i, {}).update(fields)
        self._rows = None

    def take(self, other: "WrittenAcquisitions") -> None:
        """Add what ``other`` holds (a transaction's rows, once it committed)."""
        if other._values:
            self.add(other._values, other._dialect)
        for i, fields in other._changed.items():
            self.change([i], **fields)

    def __len__(self) -> int:
        return len(self._values)

    def acquisitions(self) -> tuple[Acquisition, ...]:
        if self._rows is None:
            procs = [(c.name, c.type.result_processor(self._dialect, None)) for c in ACQUISITION_COLUMNS]
            out = []
            for v in self._values:
                if v["id"] in self._changed:
                    v = {**v, **self._changed[v["id"]]}
                out.append(Acquisition(*[v[name] if proc is None or v[name] is None else proc(v[name])
                                         for name, proc in procs]))
            self._rows = tuple(out)
        return self._rows


_CHANGE_TYPES = {m.value: m for m in ChangeType}


def change_type(stored: Any, replaces_acquisition_id: str | None) -> ChangeType:
    """A plan item's change type from its stored value (text or already an enum). A row the 2.2
    migration could not classify (None) is ``moved`` when it replaces an acquisition, else ``added``."""
    if stored is None:
        return ChangeType.MOVED if replaces_acquisition_id else ChangeType.ADDED
    return _CHANGE_TYPES.get(stored, stored)


def plan_item(row: Sequence[Any]) -> PlanItem:
    item = PlanItem(*row)
    if item.change_type is None:
        return dataclasses.replace(item, change_type=change_type(None, item.replaces_acquisition_id))
    return item


def order(row: Sequence[Any]) -> Order:
    values = list(row)
    i = ORDER_FIELDS.index("constraints")
    values[i] = OrderConstraints.from_dict(values[i])
    return Order(*values)


def plan(row: Sequence[Any]) -> Plan:
    return Plan(*row)


def conflict(row: Sequence[Any]) -> Conflict:
    (cid, ctype, severity, description, acq_ids, options, ws_id, sat_id, detected, resolved,
     action, notes) = row
    opts = tuple(ResolutionOption(action=ResolutionAction(o["action"]), acquisition_id=o["acquisition_id"],
                                  description=o.get("description", ""), params=o.get("params") or {})
                 for o in options or ())
    return Conflict(id=cid, type=ctype, severity=severity, description=description or "",
                    acquisition_ids=tuple(acq_ids), resolution_options=opts, workspace_id=ws_id,
                    satellite_id=sat_id, detected_at=detected, resolved_at=resolved,
                    resolution_action=action, resolution_notes=notes)


def conflict_values(c: Conflict, workspace_id: str, detected_at: datetime) -> dict[str, Any]:
    options = [{"action": str(o.action), "acquisition_id": o.acquisition_id,
                "description": o.description, "params": dict(o.params)} for o in c.resolution_options]
    return {"id": c.id, "detected_at": c.detected_at or detected_at, "type": c.type,
            "severity": c.severity, "description": c.description,
            "acquisition_ids_json": list(c.acquisition_ids), "resolution_options_json": options,
            "satellite_id": c.satellite_id, "resolved_at": c.resolved_at,
            "resolution_action": c.resolution_action, "resolution_notes": c.resolution_notes,
            "workspace_id": workspace_id}


def audit_entry(row: Sequence[Any]) -> AuditEntry:
    """An audit row; its before/after JSON under the current placement names (rows written before
    one naming say ``start_time``, ``roll_angle_deg`` …)."""
    aid, at, who, action, entity, entity_id, before, after, ws = row
    return AuditEntry(aid, at, who, action, entity, entity_id, current_names(before), current_names(after), ws)


def target(row: Sequence[Any]) -> Target:
    return Target(*row)


def ground_station(row: Sequence[Any]) -> GroundStation:
    return GroundStation(*row)


# --- Satellites: typed columns for identity and orbit, the rest as JSON parameters -----------------

_SAT_COLUMN_FIELDS = ("id", "norad_id", "mode", "tle_line1", "tle_line2")


def satellite(row: Sequence[Any]) -> Satellite:
    sat_id, norad, mode, l1, l2, params = row
    params = dict(params or {})
    known = set(_fields(Satellite))
    params = {k: v for k, v in params.items() if k in known}
    if params.get("power") is not None:
        params["power"] = PowerModel(**params["power"])
    if "sar_modes" in params:
        params["sar_modes"] = tuple(params["sar_modes"])
    return Satellite(id=sat_id, norad_id=norad, mode=mode, tle_line1=l1, tle_line2=l2, **params)


def satellite_values(s: Satellite, workspace_id: str) -> dict[str, Any]:
    params = {}
    for f in dataclasses.fields(Satellite):
        if f.name in _SAT_COLUMN_FIELDS:
            continue
        value = getattr(s, f.name)
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)
        elif isinstance(value, tuple):
            value = list(value)
        params[f.name] = value
    return {"workspace_id": workspace_id, "id": s.id, "norad_id": int(s.norad_id or 0), "mode": s.mode,
            "tle_line1": s.tle_line1, "tle_line2": s.tle_line2, "params_json": params}


def target_values(t: Target, workspace_id: str) -> dict[str, Any]:
    return {"workspace_id": workspace_id, "id": t.id, "lat": t.lat, "lon": t.lon, "alt_m": t.alt_m,
            "priority": t.priority}


def station_values(g: GroundStation, workspace_id: str) -> dict[str, Any]:
    return {"workspace_id": workspace_id, "id": g.id, "lat": g.lat, "lon": g.lon, "alt_m": g.alt_m,
            "mask_deg": g.mask_deg}


# --- Workspace settings as JSON ------------------------------------------------------------------

_SETTINGS_TIMES = ("horizon_start", "horizon_end", "scenario_clock")


def settings_to_json(s: WorkspaceSettings) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(WorkspaceSettings):
        value = getattr(s, f.name)
        if isinstance(value, datetime):
            value = to_iso(value)
        elif isinstance(value, tuple):
            value = list(value)
        elif hasattr(value, "value"):
            value = value.value
        out[f.name] = value
    return out


def settings_from_json(data: dict[str, Any] | None) -> WorkspaceSettings:
    from app.domain import parse_optional_utc

    if not data:
        return WorkspaceSettings()
    known = set(_fields(WorkspaceSettings))
    kwargs = {k: v for k, v in data.items() if k in known}
    for key in _SETTINGS_TIMES:
        if key in kwargs:
            kwargs[key] = parse_optional_utc(kwargs[key], f"settings.{key}")
    if "weights" in kwargs:
        kwargs["weights"] = tuple(float(w) for w in kwargs["weights"])
    return WorkspaceSettings(**kwargs)


def workspace(row: Sequence[Any]) -> Workspace:
    ws_id, name, created, settings = row
    return Workspace(id=ws_id, name=name, created_at=created, settings=settings_from_json(settings))


# --- JSON-able views (horizon response, audit snapshots) -----------------------------------------

#: Field names of each dataclass type seen by ``to_jsonable`` (``dataclasses.fields`` is slow per call).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_jsonable(obj: Any) -> Any:
    """A dataclass (or value) as JSON-able data: times as ISO 8601 Z, enums as their values."""
    if isinstance(obj, Enum):
        return obj.value
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if isinstance(obj, datetime):
        return to_iso(obj)
    names = _FIELD_NAMES.get(type(obj))
    if names is None and dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in dataclasses.fields(obj))
    if names is not None:
        return {name: to_jsonable(getattr(obj, name)) for name in names}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    return obj


_ACQ_TIME_FIELDS = ("start", "end", "created_at", "updated_at")
_ACQ_ENUM_FIELDS = ("mode", "state", "lock_level", "source")


def iso_z(dt: datetime) -> str:
    """``to_iso`` (ISO 8601, Z, microseconds only when present), faster for UTC datetimes."""
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    return dt.replace(tzinfo=None).isoformat() + "Z"


def acquisition_from_json(data: dict[str, Any]) -> Acquisition:
    """An acquisition from its JSON snapshot (``to_jsonable``: an audit entry's before/after),
    written under the current or the old placement names (``start_time``, ``roll_angle_deg`` …)."""
    d = current_names(data)
    values = {k: d[k] for k in ACQUISITION_FIELDS if k in d}
    for key in _ACQ_TIME_FIELDS:
        if values.get(key) is not None:
            values[key] = parse_utc(values[key], key)
    for key, enum in (("mode", Mode), ("state", AcquisitionState), ("lock_level", LockLevel),
                      ("source", AcquisitionSource)):
        if values.get(key) is not None:
            values[key] = parse_enum(enum, values[key], key)
    return Acquisition(**values)


def acquisition_dict(a: Acquisition) -> dict[str, Any]:
    """An acquisition as the JSON-able dict of the seed's horizon response (all fields, placement
    fields under the seed's names: ``start_time``, ``end_time``, ``roll_angle_deg`` …)."""
    out = {name: getattr(a, name) for name in ACQUISITION_FIELDS}
    for key in _ACQ_TIME_FIELDS:
        if out[key] is not None:
            out[key] = iso_z(out[key])
    for key in _ACQ_ENUM_FIELDS:
        value = out[key]
        if isinstance(value, Enum):
            out[key] = value.value
    return {COLUMN_OF.get(k, k): v for k, v in out.items()}
