"""Targets and ground stations from files: CSV (``name,lat,lon[,alt_m][,priority][,mask_deg]``)
and GeoJSON points. Every row is validated; the first bad one refuses the whole file.

Latitude and longitude are WGS84 degrees (north and east positive), altitude in metres above the
ellipsoid, ``mask_deg`` the minimum elevation of a ground station's contacts in degrees.
"""
from __future__ import annotations

import csv
import json
import io
from pathlib import Path
from typing import Any, Literal

from app.domain import checks
from app.domain.errors import ValidationError
from app.domain.scenario import GroundStation, Target

from .textfiles import read_text

COLUMNS = ("name", "lat", "lon", "alt_m", "priority", "mask_deg")
REQUIRED = ("name", "lat", "lon")


def _site(kind: str, values: dict[str, str], where: str) -> Target | GroundStation:
    name = checks.name(values["name"], f"{where}.name")
    lat = checks.latitude(checks.number_text(values["lat"], f"{where}.lat"), f"{where}.lat")
    lon = checks.longitude(checks.number_text(values["lon"], f"{where}.lon"), f"{where}.lon")

    def optional(column: str, default: float, lo: float, hi: float) -> float:
        text = values.get(column, "").strip()
        return default if not text else checks.in_range(checks.number_text(text, f"{where}.{column}"), lo, hi,
                                                       f"{where}.{column}")

    alt_m = optional("alt_m", 0.0, -500.0, 9000.0)
    mask = optional("mask_deg", 5.0, 0.0, 89.0)
    priority_text = values.get("priority", "").strip()
    priority = checks.priority(priority_text, f"{where}.priority") if priority_text else 3
    if kind == "target":
        return Target(name, lat, lon, alt_m, priority)
    return GroundStation(name, lat, lon, alt_m, mask)


def load_sites_csv(path: str | Path, kind: Literal["target", "station"] = "target") -> list[Target] | list[GroundStation]:
    """Targets (``kind="target"``) or ground stations (``kind="station"``) from a CSV file.

    Header ``name,lat,lon[,alt_m][,priority][,mask_deg]`` in any order; ``priority`` applies to
    targets and ``mask_deg`` to stations (each is still validated when present in the other kind).
    Empty optional cells take the defaults alt 0 m, priority 3, mask 5°. Rows count the file's
    lines (header = row 1); errors are ``ValidationError(f"{path}:row {n}.{column}", reason)``.
    """
    if kind not in ("target", "station"):
        raise ValidationError("kind", f"must be target or station, got {kind!r}")
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    sites: list[Target] | list[GroundStation] = []
    seen: dict[str, int] = {}
    rows = _rows(reader, path)
    for row in rows:
        n = reader.line_num
        if not row or all(not cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            for column in header:
                if column not in COLUMNS:
                    raise ValidationError(f"{path}:row {n}.{column or '(blank)'}",
                                          f"unknown column; known: {', '.join(COLUMNS)}")
                if header.count(column) > 1:
                    raise ValidationError(f"{path}:row {n}.{column}", "column appears twice")
            missing = [c for c in REQUIRED if c not in header]
            if missing:
                raise ValidationError(f"{path}:row {n}", f"missing column {missing[0]} (header needs "
                                                         f"{', '.join(REQUIRED)})")
            continue
        if len(row) != len(header):
            raise ValidationError(f"{path}:row {n}", f"expected {len(header)} values, found {len(row)}")
        site = _site(kind, dict(zip(header, row)), f"{path}:row {n}")
        if site.id in seen:
            raise ValidationError(f"{path}:row {n}.name", f"duplicate name {site.id!r} (first on row {seen[site.id]})")
        seen[site.id] = n
        sites.append(site)  # type: ignore[arg-type]
    if header is None:
        raise ValidationError(str(path), f"empty file: expected a header {','.join(REQUIRED)}[,...]")
    if not sites:
        raise ValidationError(str(path), "no rows after the header")
    return sites


def load_targets_geojson(path: str | Path) -> list[Target]:
    """Targets from a GeoJSON FeatureCollection of Points (``[lon, lat]`` or ``[lon, lat, alt_m]``)
    with properties ``name`` (required), ``priority`` and ``alt_m`` (metres; overrides the third
    coordinate). Errors name the feature: ``ValidationError(f"{path}:features[{i}].<field>", reason)``.
    """
    text = read_text(path)
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{path}:line {exc.lineno}", f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise ValidationError(str(path), "nested too deeply to be GeoJSON") from None
    checks.json_depth(doc, str(path))
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ValidationError(str(path), "expected a GeoJSON FeatureCollection with a features list")
    targets: list[Target] = []
    seen: set[str] = set()
    for i, feature in enumerate(doc["features"]):
        where = f"{path}:features[{i}]"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ValidationError(where, "expected a GeoJSON Feature")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            raise ValidationError(f"{where}.geometry", "expected a Point geometry")
        coords = geometry.get("coordinates")
        if not isinstance(coords, list) or len(coords) not in (2, 3):
            raise ValidationError(f"{where}.geometry.coordinates", "expected [lon, lat] or [lon, lat, alt_m]")
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            raise ValidationError(f"{where}.properties", "expected an object")
        name = checks.name(props.get("name"), f"{where}.properties.name")
        lon = checks.longitude(coords[0], f"{where}.geometry.coordinates[0]")
        lat = checks.latitude(coords[1], f"{where}.geometry.coordinates[1]")
        alt_value = props.get("alt_m", coords[2] if len(coords) == 3 else 0.0)
        alt_m = checks.in_range(alt_value, -500.0, 9000.0, f"{where}.properties.alt_m")
        priority = checks.priority(props.get("priority", 3), f"{where}.properties.priority")
        if name in seen:
            raise ValidationError(f"{where}.properties.name", f"duplicate name {name!r}")
        seen.add(name)
        targets.append(Target(name, lat, lon, alt_m, priority))
    if not targets:
        raise ValidationError(str(path), "the FeatureCollection has no features")
    return targets


def _rows(reader, path):
    """The reader's rows; a csv error (a cell over the csv module's 128 KiB limit, a stray quote)
    becomes a one-line refusal naming the row."""
    try:
        yield from reader
    except csv.Error as exc:
        raise ValidationError(f"{path}:row {reader.line_num}", f"not CSV: {exc}") from None
