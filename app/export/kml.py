"""KML 2.2 writer: target placemarks and acquisition footprints for Google Earth."""
from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from typing import IO

from .rows import acquisition_row, sorted_acquisitions

KML_NS = "http://www.opengis.net/kml/2.2"
#: Nominal footprint half-size when the acquisition has no swath width (km).
DEFAULT_SWATH_KM = 10.0
_STATE_COLOURS = {"committed": "ff3caa3c", "tentative": "ff32c8f0", "locked": "ff909090"}


def _footprint(lat: float, lon: float, swath_km: float) -> str:
    """A square of side ``swath_km`` centred on the target, as KML lon,lat coordinates."""
    half = swath_km / 2.0
    dlat = half / 111.32
    dlon = half / (111.32 * max(math.cos(math.radians(lat)), 1e-6))
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    return " ".join(f"{lon + sx * dlon:.6f},{lat + sy * dlat:.6f},0" for sx, sy in corners)


def write_kml(stream: IO[str], acquisitions, *, targets=(), workspace_name: str = "", **_: object) -> None:
    ET.register_namespace("", KML_NS)
    root = ET.Element(f"{{{KML_NS}}}kml")
    doc = ET.SubElement(root, "Document")
    ET.SubElement(doc, "name").text = f"Schedule {workspace_name}".strip()
    for state, colour in _STATE_COLOURS.items():
        style = ET.SubElement(doc, "Style", id=f"acq_{state}")
        ET.SubElement(ET.SubElement(style, "PolyStyle"), "color").text = "80" + colour[2:]
        ET.SubElement(ET.SubElement(style, "LineStyle"), "color").text = colour
    by_target = {t.id: t for t in targets}
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = "Targets"
    for t in sorted(by_target.values(), key=lambda t: t.id):
        pm = ET.SubElement(folder, "Placemark")
        ET.SubElement(pm, "name").text = t.id
        ET.SubElement(ET.SubElement(pm, "Point"), "coordinates").text = f"{t.lon:.6f},{t.lat:.6f},{t.alt_m:.1f}"
    folder = ET.SubElement(doc, "Folder")
    ET.SubElement(folder, "name").text = "Acquisitions"
    for a in sorted_acquisitions(acquisitions):
        row = acquisition_row(a)
        pm = ET.SubElement(folder, "Placemark", id=a.id)
        ET.SubElement(pm, "name").text = f"{a.target_id} — {a.satellite_id}"
        ET.SubElement(pm, "styleUrl").text = f"#acq_{row['state'] if row['state'] in _STATE_COLOURS else 'locked'}"
        span = ET.SubElement(pm, "TimeSpan")
        ET.SubElement(span, "begin").text = row["start_time"]
        ET.SubElement(span, "end").text = row["end_time"]
        data = ET.SubElement(pm, "ExtendedData")
        for key, value in row.items():
            ET.SubElement(ET.SubElement(data, "Data", name=key), "value").text = "" if value is None else str(value)
        target = by_target.get(a.target_id)
        if target is not None:
            ring = ET.SubElement(ET.SubElement(ET.SubElement(pm, "Polygon"), "outerBoundaryIs"), "LinearRing")
            ET.SubElement(ring, "coordinates").text = _footprint(target.lat, target.lon,
                                                                 a.swath_width_km or DEFAULT_SWATH_KM)
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
