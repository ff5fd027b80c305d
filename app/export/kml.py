"""KML 2.2 writer: target placemarks and acquisition footprints for Google Earth and GIS tools.

The document validates against the OGC KML 2.2 schema (tests check it with ``ogckml22.xsd``):
elements appear in the schema's order (a Feature's TimeSpan before its styleUrl, a Style's
LineStyle before its PolyStyle). Each acquisition is drawn with its real footprint when the
caller passes one (``footprints``: acquisition id → closed ring of (lat, lon) degrees, the imaged
strip oriented along the ground track, see ``access.tracks.scene_footprints``); otherwise a square
of the swath width around the target.
"""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import IO

from .rows import acquisition_row, sorted_acquisitions

KML_NS = "http://www.opengis.net/kml/2.2"
#: Nominal footprint side when neither a footprint nor a swath width is known (km).
DEFAULT_SWATH_KM = 10.0
_STATE_COLOURS = {"committed": "ff3caa3c", "tentative": "ff32c8f0", "locked": "ff909090"}


def _square(lat: float, lon: float, swath_km: float) -> list[tuple[float, float]]:
    """A square of side ``swath_km`` centred on the target, as (lat, lon) corners, closed."""
    half = swath_km / 2.0
    dlat = half / 111.32
    dlon = half / (111.32 * max(math.cos(math.radians(lat)), 1e-6))
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    return [(lat + sy * dlat, lon + sx * dlon) for sx, sy in corners]


def _coordinates(ring: Sequence[Sequence[float]]) -> str:
    points = [(float(lat), float(lon)) for lat, lon in ring]
    if points[0] != points[-1]:
        points.append(points[0])
    # KML is lon,lat[,alt]; longitudes wrapped into [-180, 180]
    return " ".join(f"{((lon + 180.0) % 360.0) - 180.0:.6f},{lat:.6f},0" for lat, lon in points)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{KML_NS}}}{tag}", attrib)
    if text is not None:
        element.text = text
    return element


def write_kml(stream: IO[str], acquisitions, *, targets=(), workspace_name: str = "",
              footprints: Mapping[str, Sequence[Sequence[float]]] | None = None, **_: object) -> None:
    ET.register_namespace("", KML_NS)
    footprints = footprints or {}
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = _sub(root, "Document")
    _sub(doc, "name", f"Schedule {workspace_name}".strip())
    for state, colour in _STATE_COLOURS.items():
        style = _sub(doc, "Style", id=f"acq_{state}")
        _sub(_sub(style, "LineStyle"), "color", colour)
        _sub(_sub(style, "PolyStyle"), "color", "80" + colour[2:])
    by_target = {t.id: t for t in targets}
    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Targets")
    for t in sorted(by_target.values(), key=lambda t: t.id):
        pm = _sub(folder, "Placemark")
        _sub(pm, "name", t.id)
        _sub(_sub(pm, "Point"), "coordinates", f"{t.lon:.6f},{t.lat:.6f},{t.alt_m:.1f}")
    folder = _sub(doc, "Folder")
    _sub(folder, "name", "Acquisitions")
    for a in sorted_acquisitions(acquisitions):
        row = acquisition_row(a)
        pm = _sub(folder, "Placemark", id=a.id)
        _sub(pm, "name", f"{a.target_id} — {a.satellite_id}")
        span = _sub(pm, "TimeSpan")
        _sub(span, "begin", row["start_time"])
        _sub(span, "end", row["end_time"])
        _sub(pm, "styleUrl", f"#acq_{row['state'] if row['state'] in _STATE_COLOURS else 'locked'}")
        data = _sub(pm, "ExtendedData")
        for key, value in row.items():
            _sub(_sub(data, "Data", name=key), "value", "" if value is None else str(value))
        ring = footprints.get(a.id)
        target = by_target.get(a.target_id)
        if ring is None and target is not None:
            ring = _square(target.lat, target.lon, a.swath_width_km or DEFAULT_SWATH_KM)
        if ring is not None:
            boundary = _sub(_sub(_sub(pm, "Polygon"), "outerBoundaryIs"), "LinearRing")
            _sub(boundary, "coordinates", _coordinates(ring))
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
