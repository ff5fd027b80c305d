"""Ground tracks (sub-satellite points) and the ground footprints of acquisitions, for the map.

The footprint of an acquisition is the imaged strip: centred on the target, its along-track side
follows the sub-satellite ground velocity at mid-acquisition (so ascending and descending passes
draw differently), its length is the distance the sub-satellite point covers while imaging and
its width is the swath. Flat-Earth corners around the target are exact enough at scene scale.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from app.domain.scenario import Satellite

from .ephemeris import SkyTables
from .frames import WGS84_A_KM, ecef_to_geodetic
from .horizon import check_horizon
from .orbits import OrbitTable

#: Kilometres per degree of latitude (and of longitude at the equator), mean sphere.
_KM_PER_DEG = 111.32


@dataclass(frozen=True)
class GroundTrack:
    """Sub-satellite points of one satellite: POSIX seconds, geodetic latitude and longitude
    (degrees, longitude in [-180, 180))."""

    satellite_id: str
    times: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


@dataclass(frozen=True)
class Scene:
    """One acquisition to draw: who images which point when, with which swath (km)."""

    satellite_id: str
    lat: float
    lon: float
    start: datetime
    end: datetime
    swath_km: float


def ground_tracks(satellites: Sequence[Satellite], start: datetime, end: datetime,
                  step_s: float = 30.0) -> list[GroundTrack]:
    """The sub-satellite points of each satellite every ``step_s`` seconds over [start, end]."""
    t0, t1 = check_horizon(start, end)
    if not satellites:
        return []
    orbit = OrbitTable(satellites, t0, t1, SkyTables(t0, t1))
    times = np.append(np.arange(t0, t1, float(step_s)), t1)
    tracks = []
    for i, sat in enumerate(satellites):
        lat, lon, _ = ecef_to_geodetic(orbit.position(i, times))
        tracks.append(GroundTrack(sat.id, times, lat, lon))
    return tracks


def scene_footprints(satellites: Sequence[Satellite], scenes: Sequence[Scene]) -> list[np.ndarray]:
    """Per scene, its footprint as a closed ring of five (lat, lon) corners in degrees."""
    if not scenes:
        return []
    index = {s.id: i for i, s in enumerate(satellites)}
    missing = sorted({sc.satellite_id for sc in scenes} - set(index))
    if missing:
        raise KeyError(f"scene_footprints: unknown satellite {missing[0]!r}")
    t_start = np.array([sc.start.timestamp() for sc in scenes])
    t_end = np.array([sc.end.timestamp() for sc in scenes])
    t0, t1 = float(t_start.min()), float(max(t_end.max(), t_start.min() + 1.0))
    orbit = OrbitTable(satellites, t0, t1, SkyTables(t0, t1))
    rings = []
    for k, sc in enumerate(scenes):
        r, v = orbit.state(index[sc.satellite_id], np.array([(t_start[k] + t_end[k]) / 2.0]))
        r, v = r[0], v[0]
        lat0, lon0 = np.radians(sc.lat), np.radians(sc.lon)
        east = np.array([-np.sin(lon0), np.cos(lon0), 0.0])
        north = np.array([-np.sin(lat0) * np.cos(lon0), -np.sin(lat0) * np.sin(lon0), np.cos(lat0)])
        ground_speed = np.hypot(v @ east, v @ north) * WGS84_A_KM / np.linalg.norm(r)
        heading = np.arctan2(v @ east, v @ north)
        length = max(ground_speed * (t_end[k] - t_start[k]), 1.0)
        along = np.array([np.sin(heading), np.cos(heading)]) * length / 2.0
        across = np.array([np.cos(heading), -np.sin(heading)]) * sc.swath_km / 2.0
        corners = np.array([along + across, along - across, -along - across, -along + across, along + across])
        lat = sc.lat + corners[:, 1] / _KM_PER_DEG
        lon = sc.lon + corners[:, 0] / (_KM_PER_DEG * max(np.cos(lat0), 1e-6))
        rings.append(np.column_stack((lat, lon)))
    return rings
