"""Workspaces and their scenario: settings, satellites, targets, ground stations, groups, v1 blobs."""
from __future__ import annotations

import json
import secrets
from typing import Any, Iterable, Sequence

from sqlalchemy import Connection, delete, select, update

from app.domain import (GroundStation, NotFoundError, Satellite, Target, ValidationError, Workspace,
                        WorkspaceSettings, new_id, utc_now)

from . import rows
from .models import (GroundStationRow, SatelliteGroupRow, SatelliteRow, TargetRow, WorkspaceBlobRow,
                     WorkspaceRow)
from .store import StoreBase, chunks, ids_list, text_field

_WS_COLUMNS = (WorkspaceRow.id, WorkspaceRow.name, WorkspaceRow.created_at, WorkspaceRow.settings_json)
_BLOB_FIELDS = ("scenario_config_json", "analysis_state_json", "planning_state_json", "orders_state_json",
                "ui_state_json", "czml_blob", "config_hash")


def _settings(value: Any) -> WorkspaceSettings:
    if value is None:
        return WorkspaceSettings()
    if isinstance(value, WorkspaceSettings):
        return value
    if isinstance(value, dict):
        try:
            return rows.settings_from_json(value)
        except TypeError as exc:
            raise ValidationError("settings", str(exc)) from None
    raise ValidationError("settings", f"expected WorkspaceSettings or a dict, got {type(value).__name__}")


def _checked(items: Iterable[Any], cls: type, key: str) -> list[Any]:
    out, seen = [], set()
    for i, item in enumerate(items or ()):
        if not isinstance(item, cls):
            raise ValidationError(f"{key}[{i}]", f"expected a {cls.__name__}, got {type(item).__name__}")
        if item.id in seen:
            raise ValidationError(f"{key}[{i}].id", f"duplicate id {item.id!r}")
        seen.add(item.id)
        out.append(item)
    return out


class WorkspaceStore(StoreBase):

    # --- workspaces ------------------------------------------------------------------------------

    def create_workspace(self, name: str, settings: WorkspaceSettings | dict[str, Any] | None = None) -> Workspace:
        """A new, empty workspace. Names are unique; a taken name is refused."""
        with self._write() as s:
            return self._insert_workspace(s, name, settings)

    def _insert_workspace(self, s: Connection, name: Any, settings: Any) -> Workspace:
        name = text_field(name, "name")
        settings = _settings(settings)
        if s.execute(select(WorkspaceRow.id).where(WorkspaceRow.name == name)).first() is not None:
            raise ValidationError("name", f"a workspace named {name!r} already exists")
        now = utc_now()
        ws = Workspace(id=new_id("ws"), name=name, created_at=now, settings=settings)
        s.execute(WorkspaceRow.__table__.insert(), [{
            "id": ws.id, "name": name, "created_at": now, "updated_at": now,
            "settings_json": rows.settings_to_json(settings), "schema_version": "2.0"}])
        self._audit(s, "create", "workspace", ws.id, None, {"name": name, "settings": settings}, ws.id, now)
        return ws

    def create_workspace_from_scenario(self, name: str, settings: WorkspaceSettings | dict | None = None,
                                       satellites: Sequence[Satellite] = (), targets: Sequence[Target] = (),
                                       ground_stations: Sequence[GroundStation] = (),
                                       orders: Sequence[dict[str, Any]] = ()) -> Workspace:
        """A workspace with its whole scenario and orders, in one transaction (all or nothing)."""
        with self._write() as s:
            ws = self._insert_workspace(s, name, settings)
            self._replace_scenario(s, ws.id, satellites, targets, ground_stations)
            self._insert_orders(s, ws.id, list(orders))  # type: ignore[attr-defined]
        return ws

    def get_workspace(self, workspace_id: str) -> Workspace | None:
        """The workspace with this id, or None (no legacy migration: see ``load_workspace``)."""
        with self._read() as s:
            row = s.execute(select(*_WS_COLUMNS).where(WorkspaceRow.id == workspace_id)).first()
        return rows.workspace(row) if row else None

    def list_workspaces(self) -> list[Workspace]:
        """All workspaces by name."""
        with self._read() as s:
            return [rows.workspace(r) for r in s.execute(select(*_WS_COLUMNS).order_by(WorkspaceRow.name))]

    def find_workspace(self, name_or_id: str) -> Workspace:
        """The workspace with this id, else with this name (NotFoundError otherwise); runs the
        legacy v1 migration once if the workspace needs it."""
        if not isinstance(name_or_id, str) or not name_or_id.strip():
            raise ValidationError("workspace", f"a workspace name or id is required, got {name_or_id!r}")
        key = name_or_id.strip()
        with self._read() as s:
            row = s.execute(select(*_WS_COLUMNS).where(WorkspaceRow.id == key)).first()
            if row is None:
                found = s.execute(select(*_WS_COLUMNS).where(WorkspaceRow.name == key)).all()
                if len(found) > 1:
                    raise ValidationError("workspace", f"{len(found)} workspaces are named {key!r}; use the id")
                row = found[0] if found else None
        if row is None:
            raise NotFoundError("workspace", key)
        return self.load_workspace(row[0])

    def load_workspace(self, workspace_id: str) -> Workspace:
        """Open a workspace: runs the legacy v1 migration (seed 000) once if its blob holds
        AcceptedOrders and it has no acquisitions yet. NotFoundError if there is no such workspace."""
        self._migrate_legacy_orders(workspace_id)  # type: ignore[attr-defined]
        ws = self.get_workspace(workspace_id)
        if ws is None:
            raise NotFoundError("workspace", workspace_id)
        return ws

    def update_workspace_settings(self, workspace_id: str, settings: WorkspaceSettings | dict[str, Any]) -> Workspace:
        """Replace the workspace's planning settings (validated; audited with before/after)."""
        settings = _settings(settings)
        with self._write() as s:
            before = self._workspace_settings(s, workspace_id)
            now = utc_now()
            s.execute(update(WorkspaceRow).where(WorkspaceRow.id == workspace_id)
                      .values(settings_json=rows.settings_to_json(settings), updated_at=now))
            self._audit(s, "update_settings", "workspace", workspace_id, before, settings, workspace_id, now)
            row = s.execute(select(*_WS_COLUMNS).where(WorkspaceRow.id == workspace_id)).one()
        return rows.workspace(row)

    # --- scenario --------------------------------------------------------------------------------

    def replace_scenario(self, workspace_id: str, satellites: Sequence[Satellite] = (),
                         targets: Sequence[Target] = (), ground_stations: Sequence[GroundStation] = ()) -> None:
        """Replace the workspace's satellites, targets and ground stations as a whole."""
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            self._replace_scenario(s, workspace_id, satellites, targets, ground_stations)

    def _replace_scenario(self, s: Connection, ws: str, satellites, targets, stations) -> None:
        sats = _checked(satellites, Satellite, "satellites")
        tgts = _checked(targets, Target, "targets")
        gss = _checked(stations, GroundStation, "ground_stations")
        for model in (SatelliteRow, TargetRow, GroundStationRow):
            s.execute(delete(model).where(model.workspace_id == ws))
        if sats:
            s.execute(SatelliteRow.__table__.insert(), [rows.satellite_values(x, ws) for x in sats])
        if tgts:
            s.execute(TargetRow.__table__.insert(), [rows.target_values(x, ws) for x in tgts])
        if gss:
            s.execute(GroundStationRow.__table__.insert(), [rows.station_values(x, ws) for x in gss])
        s.execute(update(WorkspaceRow).where(WorkspaceRow.id == ws)
                  .values(satellites_count=len(sats), targets_count=len(tgts), updated_at=utc_now()))
        self._audit(s, "replace_scenario", "workspace", ws, None,
                    {"satellites": [x.id for x in sats], "targets": len(tgts),
                     "ground_stations": [x.id for x in gss]}, ws)

    def _upsert(self, workspace_id: str, items: Sequence[Any], cls: type, model: type, key: str, values) -> None:
        checked = _checked(items, cls, key)
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            ids = [x.id for x in checked]
            for part in chunks(ids):
                s.execute(delete(model).where(model.workspace_id == workspace_id, model.id.in_(part)))
            if checked:
                s.execute(model.__table__.insert(), [values(x, workspace_id) for x in checked])
            self._audit(s, "upsert", key, workspace_id, None, {"ids": ids}, workspace_id)

    def upsert_satellites(self, workspace_id: str, satellites: Sequence[Satellite]) -> None:
        """Insert or replace these satellites (by id) in the workspace."""
        self._upsert(workspace_id, satellites, Satellite, SatelliteRow, "satellites", rows.satellite_values)

    def upsert_targets(self, workspace_id: str, targets: Sequence[Target]) -> None:
        """Insert or replace these targets (by id). Lat/lon in degrees (WGS84), altitude in m."""
        self._upsert(workspace_id, targets, Target, TargetRow, "targets", rows.target_values)

    def upsert_ground_stations(self, workspace_id: str, stations: Sequence[GroundStation]) -> None:
        """Insert or replace these ground stations (by id); ``mask_deg`` is the elevation mask."""
        self._upsert(workspace_id, stations, GroundStation, GroundStationRow, "ground_stations",
                     rows.station_values)

    def list_satellites(self, workspace_id: str) -> list[Satellite]:
        """The workspace's satellites by id."""
        with self._read() as s:
            return [rows.satellite(r) for r in s.execute(
                select(*rows.SATELLITE_COLUMNS).where(SatelliteRow.workspace_id == workspace_id)
                .order_by(SatelliteRow.id))]

    def list_targets(self, workspace_id: str) -> list[Target]:
        """The workspace's targets by id."""
        with self._read() as s:
            return [rows.target(r) for r in s.execute(
                select(*rows.TARGET_COLUMNS).where(TargetRow.workspace_id == workspace_id).order_by(TargetRow.id))]

    def list_ground_stations(self, workspace_id: str) -> list[GroundStation]:
        """The workspace's ground stations by id."""
        with self._read() as s:
            return [rows.ground_station(r) for r in s.execute(
                select(*rows.STATION_COLUMNS).where(GroundStationRow.workspace_id == workspace_id)
                .order_by(GroundStationRow.id))]

    # --- satellite groups ------------------------------------------------------------------------

    def create_satellite_group(self, workspace_id: str, name: str, satellite_ids: Sequence[str]) -> dict[str, Any]:
        """A named group of the workspace's satellites → {"id", "name", "satellite_ids", "workspace_id"}."""
        name = text_field(name, "name")
        ids = ids_list(satellite_ids, "satellite_ids")
        if not ids:
            raise ValidationError("satellite_ids", "a group needs at least one satellite")
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            known = {r[0] for r in s.execute(select(SatelliteRow.id).where(SatelliteRow.workspace_id == workspace_id))}
            for i, sat in enumerate(ids):
                if sat not in known:
                    raise ValidationError(f"satellite_ids[{i}]", f"unknown satellite {sat!r} in this workspace")
            taken = s.execute(select(SatelliteGroupRow.id).where(
                SatelliteGroupRow.workspace_id == workspace_id, SatelliteGroupRow.name == name)).first()
            if taken:
                raise ValidationError("name", f"a satellite group named {name!r} already exists")
            group = {"id": f"group_{secrets.token_hex(6)}", "name": name, "satellite_ids": ids,
                     "workspace_id": workspace_id}
            s.execute(SatelliteGroupRow.__table__.insert(), [{
                "id": group["id"], "name": name, "satellite_ids_json": ids, "workspace_id": workspace_id}])
            self._audit(s, "create", "satellite_group", group["id"], None, group, workspace_id)
        return group

    def list_satellite_groups(self, workspace_id: str) -> list[dict[str, Any]]:
        """The workspace's satellite groups by name: {"id", "name", "satellite_ids", "workspace_id"}."""
        with self._read() as s:
            result = s.execute(select(SatelliteGroupRow.id, SatelliteGroupRow.name, SatelliteGroupRow.satellite_ids_json)
                               .where(SatelliteGroupRow.workspace_id == workspace_id).order_by(SatelliteGroupRow.name))
            return [{"id": r[0], "name": r[1], "satellite_ids": list(r[2]), "workspace_id": workspace_id}
                    for r in result]

    # --- legacy v1 blobs (seed 001 §1.5) ---------------------------------------------------------

    def put_workspace_blob(self, workspace_id: str, **fields: Any) -> None:
        """Store the workspace's v1 state blobs (``orders_state_json=…`` etc.); dicts/lists are
        written as JSON text. Fields not given keep their stored value."""
        unknown = sorted(set(fields) - set(_BLOB_FIELDS))
        if unknown:
            raise ValidationError(unknown[0], f"unknown blob field; known: {', '.join(_BLOB_FIELDS)}")
        values = {}
        for key, value in fields.items():
            if key == "czml_blob":
                if value is not None and not isinstance(value, (bytes, bytearray)):
                    raise ValidationError(key, "must be bytes")
            elif value is not None and not isinstance(value, str):
                try:
                    value = json.dumps(value)
                except (TypeError, ValueError) as exc:
                    raise ValidationError(key, f"cannot be stored as JSON: {exc}") from None
            values[key] = value
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            exists = s.execute(select(WorkspaceBlobRow.id).where(WorkspaceBlobRow.workspace_id == workspace_id)).first()
            if exists:
                if values:
                    s.execute(update(WorkspaceBlobRow).where(WorkspaceBlobRow.workspace_id == workspace_id).values(values))
            else:
                s.execute(WorkspaceBlobRow.__table__.insert(), [{"workspace_id": workspace_id, **values}])
            self._audit(s, "put_blob", "workspace", workspace_id, None, {"fields": sorted(values)}, workspace_id)

    def get_workspace_blob(self, workspace_id: str) -> dict[str, Any] | None:
        """The workspace's v1 blobs as stored (text), or None."""
        cols = [getattr(WorkspaceBlobRow, f) for f in _BLOB_FIELDS]
        with self._read() as s:
            row = s.execute(select(*cols).where(WorkspaceBlobRow.workspace_id == workspace_id)).first()
        return dict(zip(_BLOB_FIELDS, row)) if row else None
