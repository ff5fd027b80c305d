"""Ground tracks against skyfield's own sub-satellite points; footprints' size and orientation."""
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from skyfield.api import EarthSatellite, load, wgs84

from app.access import Scene, compute_opportunities, ground_tracks, scene_footprints
from app.domain import Target

UTC = timezone.utc
TS = load.timescale(builtin=True)
START = datetime(2026, 8, 10, tzinfo=UTC)


def test_sub_satellite_points_agree_with_skyfield(make_satellite):
    sats = [make_satellite("SENTINEL-1A"), make_satellite("PLEIADES 1A")]
    tracks = ground_tracks(sats, START, START + timedelta(hours=3), step_s=60.0)
    assert [t.satellite_id for t in tracks] == [s.id for s in sats]
    for sat, track in zip(sats, tracks):
        assert len(track.times) == 181 and track.times[-1] - track.times[0] == pytest.approx(3 * 3600.0)
        es = EarthSatellite(sat.tle_line1, sat.tle_line2, ts=TS)
        when = TS.from_datetimes([datetime.fromtimestamp(t, UTC) for t in track.times])
        ref = wgs84.subpoint_of(es.at(when))
        assert np.max(np.abs(track.lat - ref.latitude.degrees)) < 0.01
        dlon = (track.lon - ref.longitude.degrees + 180.0) % 360.0 - 180.0
        assert np.max(np.abs(dlon)) < 0.01
        assert np.all((track.lon >= -180.0) & (track.lon <= 180.0))
        # A polar orbit reaches high latitudes in three hours.
        assert np.max(np.abs(track.lat)) > 75.0


def test_footprint_is_the_imaged_strip_along_the_ground_track(make_satellite):
    sat = make_satellite("SENTINEL-1A", mode="SAR", max_off_nadir_deg=45.0, max_roll_deg=45.0)
    athens = Target("Athens", 37.98, 23.73)
    opps = compute_opportunities([sat], [athens], START, START + timedelta(days=2), duration_s=20.0)
    assert opps, "Sentinel-1A sees Athens within two days"
    opp = opps[0]
    [ring] = scene_footprints([sat], [Scene(sat.id, athens.lat, athens.lon, opp.start, opp.end, 30.0)])
    assert ring.shape == (5, 2) and np.allclose(ring[0], ring[-1])
    # Centred on the target.
    assert np.mean(ring[:4], axis=0) == pytest.approx([athens.lat, athens.lon], abs=1e-6)
    km = np.column_stack((ring[:, 0] * 111.32, ring[:, 1] * 111.32 * np.cos(np.radians(athens.lat))))
    sides = np.linalg.norm(np.diff(km, axis=0), axis=1)
    # Length: ~6.8 km/s of sub-satellite speed over 20 s; width: the swath.
    assert sides[0] == pytest.approx(30.0, rel=1e-6)
    assert 120.0 < sides[1] < 150.0
    # The long side is parallel to the ground track: the track's bearing at its point nearest to
    # Athens, carried to Athens along the geodesic between them (parallel transport keeps the
    # angle to that geodesic), within half a degree.
    [track] = ground_tracks([sat], opp.start - timedelta(minutes=3), opp.end + timedelta(minutes=3), step_s=1.0)
    near = int(np.argmin(_distance(track.lat, track.lon, athens.lat, athens.lon)))
    track_bearing = _bearing(track.lat[near - 1], track.lon[near - 1], track.lat[near + 1], track.lon[near + 1])
    to_target = _bearing(track.lat[near], track.lon[near], athens.lat, athens.lon)
    arriving = _bearing(athens.lat, athens.lon, track.lat[near], track.lon[near]) + 180.0
    expected = track_bearing - to_target + arriving
    strip = km[0] - km[3]
    strip_bearing = np.degrees(np.arctan2(strip[1], strip[0]))
    assert abs((strip_bearing - expected + 90.0) % 180.0 - 90.0) < 0.5


def _bearing(lat1, lon1, lat2, lon2):
    """Initial great-circle bearing (degrees from north) from point 1 to point 2."""
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    return np.degrees(np.arctan2(np.sin(dl) * np.cos(p2), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)))


def _distance(lat1, lon1, lat2, lon2):
    p1, p2, dl = np.radians(lat1), np.radians(lat2), np.radians(lon2 - lon1)
    return np.arccos(np.clip(np.sin(p1) * np.sin(p2) + np.cos(p1) * np.cos(p2) * np.cos(dl), -1.0, 1.0))


def test_footprints_need_known_satellites(make_satellite):
    sat = make_satellite("SENTINEL-1A")
    with pytest.raises(KeyError, match="GHOST"):
        scene_footprints([sat], [Scene("GHOST", 0.0, 0.0, START, START + timedelta(seconds=10), 20.0)])
