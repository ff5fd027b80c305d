"""Ground points (targets, stations) as arrays for the vectorised kernels."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.domain.scenario import GroundStation, Target

from .frames import geodetic_to_ecef, unit


@dataclass(frozen=True)
class GroundPoints:
    """Earth-fixed positions (km), unit WGS84 normals and unit geocentric directions, each (n, 3)."""

    ids: tuple[str, ...]
    position: np.ndarray
    normal: np.ndarray
    direction: np.ndarray

    @classmethod
    def of(cls, sites: Sequence[Target | GroundStation]) -> "GroundPoints":
        """Arrays for targets or stations (latitude/longitude in degrees, altitude in metres)."""
        lat = np.array([s.lat for s in sites], dtype=np.float64)
        lon = np.array([s.lon for s in sites], dtype=np.float64)
        alt = np.array([s.alt_m for s in sites], dtype=np.float64)
        position, normal = geodetic_to_ecef(lat, lon, alt)
        return cls(tuple(s.id for s in sites), position, normal, unit(position))

    @property
    def rank(self) -> np.ndarray:
        """Position of each point's id in the sorted ids (for ordering results like the ids)."""
        return np.argsort(np.argsort(np.array(self.ids, dtype=object)))

    @property
    def min_radius_km(self) -> float:
        """Smallest geocentric radius of the points (km)."""
        return float(np.linalg.norm(self.position, axis=1).min())
