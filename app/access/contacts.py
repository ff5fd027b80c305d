"""Ground-station contact windows (spec section 4): intervals in which the satellite's elevation
above the station's WGS84 horizon is at least the station's mask, with rise, culmination (maximum
elevation) and set refined to 0.01 s. No atmospheric refraction."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np

from app.domain.scenario import GroundStation, Satellite
from app.domain.schedule import ContactWindow
from app.domain.times import from_epoch

from .ephemeris import SkyTables
from .geometry import sin_elevation, sin_elevation_rate
from .ground import GroundPoints
from .horizon import check_horizon
from .orbits import OrbitTable
from .progress import CancelCheck, Monitor, ProgressCallback
from .windows import refine, scan


def _mask_central_angle(points: GroundPoints, mask_deg: np.ndarray):
    """``radius_km -> (n, stations)`` central angles (rad) of each station's mask circle."""
    radius = np.linalg.norm(points.position, axis=1)[None, :]
    mask = np.radians(mask_deg)[None, :]

    def angle(r: np.ndarray) -> np.ndarray:
        return np.arccos(np.clip(radius * np.cos(mask) / r[:, None], -1.0, 1.0)) - mask
    return angle


def compute_contacts(satellites: Sequence[Satellite], stations: Sequence[GroundStation], start: datetime,
                     end: datetime, *, mask_deg: float | None = None, progress: ProgressCallback | None = None,
                     cancel: CancelCheck | None = None) -> list[ContactWindow]:
    """Contact windows of every satellite with every station within [start, end] (windows in
    progress at either end are cut there). ``mask_deg`` (deg) overrides every station's own
    ``mask_deg``. ``max_elevation_deg`` is the elevation at culmination. Sorted by (rise,
    satellite_id, station_id). Progress and cancel as in ``compute_opportunities``."""
    t0, t1 = check_horizon(start, end)
    if mask_deg is not None and not 0.0 <= mask_deg < 90.0:
        raise ValueError(f"mask_deg: must be between 0 and 90 degrees, got {mask_deg!r}")
    monitor = Monitor(progress, cancel, "contact computation")
    monitor.check()
    if not satellites or not stations:
        monitor.report(1.0, "no satellites or no stations")
        return []
    monitor.report(0.0, f"propagating {len(satellites)} orbits")
    orbit = OrbitTable(satellites, t0, t1, SkyTables(t0, t1))
    points = GroundPoints.of(stations)
    masks = np.array([s.mask_deg if mask_deg is None else mask_deg for s in stations], dtype=np.float64)
    sin_mask = np.sin(np.radians(masks))
    out: list[ContactWindow] = []
    for i, sat in enumerate(satellites):
        monitor.check()

        def slope(p: np.ndarray, t: np.ndarray, i: int = i) -> np.ndarray:
            r, v = orbit.state(i, t)
            return sin_elevation_rate(r, v, points.position[p], points.normal[p])

        def margin(p: np.ndarray, t: np.ndarray, i: int = i) -> np.ndarray:
            r = orbit.position(i, t)
            return sin_elevation(r, points.position[p], points.normal[p]) - sin_mask[p]

        w = refine(*scan(orbit, i, points, _mask_central_angle(points, masks), t0, t1), slope, margin)
        top = np.degrees(np.arcsin(np.clip(margin(w.point, w.peak) + sin_mask[w.point], -1.0, 1.0)))
        out.extend(ContactWindow(sat.id, points.ids[p], from_epoch(float(a)), from_epoch(float(c)),
                                 from_epoch(float(b)), float(e))
                   for p, a, c, b, e in zip(w.point, w.start, w.peak, w.end, top))
        monitor.report((i + 1) / len(satellites), f"{sat.id}: {len(w.point)} contacts")
    out.sort(key=lambda c: (c.rise, c.satellite_id, c.station_id))
    return out
