"""What the map shows: ground tracks around a moment, the footprints of chosen acquisitions and
the planning status of every target."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from app.access import GroundTrack, Scene, ground_tracks, scene_footprints
from app.domain import Acquisition, Order
from app.domain.enums import AcquisitionState, Mode, OrderStatus
from app.persistence import ScheduleDB

from .workspaces import resolve_workspace

#: Swath (km) drawn for an acquisition that records none: typical of the demo's sensors
#: (very-high-resolution optical ~20 km, SAR stripmap ~30 km).
NOMINAL_SWATH_KM = {Mode.OPTICAL: 20.0, Mode.SAR: 30.0}
#: Tracks cover this much either side of the moment shown: about one orbit in all.
TRACK_HALF_SPAN = timedelta(minutes=50)
TRACK_STEP_S = 20.0
#: At most this many footprints are drawn (the earliest ones of the selection).
MAX_FOOTPRINTS = 2000

#: Target statuses, best first: what the map colours a target by.
TARGET_STATUSES = ("committed", "tentative", "inbox", "none")
_IMAGED = {AcquisitionState.COMMITTED, AcquisitionState.LOCKED, AcquisitionState.EXECUTING,
           AcquisitionState.COMPLETED}


@dataclass(frozen=True)
class Footprint:
    acquisition_id: str
    satellite_id: str
    target_id: str
    state: str
    ring: np.ndarray  # (5, 2) latitude, longitude in degrees, closed


@dataclass(frozen=True)
class MapLayers:
    moment: datetime
    start: datetime
    end: datetime
    tracks: list[GroundTrack]
    footprints: list[Footprint]
    omitted_footprints: int = 0

    def position(self, satellite_id: str) -> tuple[float, float] | None:
        """(latitude, longitude) of the satellite at ``moment``."""
        for track in self.tracks:
            if track.satellite_id == satellite_id:
                k = int(np.argmin(np.abs(track.times - self.moment.timestamp())))
                return float(track.lat[k]), float(track.lon[k])
        return None


def map_layers(db: ScheduleDB, workspace: str, acquisitions: Sequence[Acquisition],
               moment: datetime | None = None, all_tracks: bool = False) -> MapLayers:
    """Tracks of the satellites of ``acquisitions`` (all satellites when none, or with
    ``all_tracks``) over one orbit around ``moment`` (default: the middle of the acquisitions),
    and their footprints."""
    ws = resolve_workspace(db, workspace)
    satellites = db.list_satellites(ws.id)
    if moment is None:
        if not acquisitions:
            raise ValueError("map_layers: a moment is needed when no acquisition is given")
        first = min(a.start for a in acquisitions)
        moment = first + (max(a.end for a in acquisitions) - first) / 2
    wanted = {a.satellite_id for a in acquisitions}
    shown = [s for s in satellites if all_tracks or not wanted or s.id in wanted]
    start, end = moment - TRACK_HALF_SPAN, moment + TRACK_HALF_SPAN
    tracks = ground_tracks(shown, start, end, TRACK_STEP_S)
    targets = {t.id: t for t in db.list_targets(ws.id)}
    drawn = sorted((a for a in acquisitions if a.target_id in targets), key=lambda a: a.start)[:MAX_FOOTPRINTS]
    rings = scene_footprints(shown, [Scene(a.satellite_id, targets[a.target_id].lat, targets[a.target_id].lon,
                                           a.start, a.end,
                                           a.swath_width_km or NOMINAL_SWATH_KM.get(a.mode, 20.0)) for a in drawn])
    footprints = [Footprint(a.id, a.satellite_id, a.target_id, str(a.state), ring) for a, ring in zip(drawn, rings)]
    return MapLayers(moment, start, end, tracks, footprints, len(acquisitions) - len(drawn))


def target_statuses(orders: Iterable[Order], acquisitions: Iterable[Acquisition]) -> dict[str, str]:
    """Per target id, the best of: committed (a committed acquisition images it), tentative,
    inbox (an order waits to be planned), none."""
    rank = {s: k for k, s in enumerate(TARGET_STATUSES)}
    status: dict[str, str] = {}

    def offer(target_id: str, value: str) -> None:
        status[target_id] = min(status.get(target_id, "none"), value, key=rank.__getitem__)

    for order in orders:
        offer(order.target_id, "inbox" if order.status == OrderStatus.NEW else "none")
    for a in acquisitions:
        if a.state in _IMAGED:
            offer(a.target_id, "committed")
        elif a.state == AcquisitionState.TENTATIVE:
            offer(a.target_id, "tentative")
    return status
