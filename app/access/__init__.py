"""The access engine: from TLEs, targets and ground stations to imaging opportunities, contact
windows and sunlight (spec sections 3 and 4). Pure functions on domain objects; no Qt, no database.

Units everywhere: degrees, kilometres (internally), metres for site altitudes, seconds, UTC.
"""
from .contacts import compute_contacts
from .filters import cap_per_order, filter_for_order
from .opportunities import compute_opportunities
from .progress import Cancelled
from .sites import load_sites_csv, load_targets_geojson
from .sunlight import sunlit_intervals
from .tle import TleRecord, is_stale, load_tle_file, parse_tle_text
from .tracks import GroundTrack, Scene, ground_tracks, scene_footprints

__all__ = ["Cancelled", "GroundTrack", "Scene", "TleRecord", "cap_per_order", "compute_contacts",
           "compute_opportunities", "filter_for_order",
           "ground_tracks", "is_stale", "load_sites_csv", "load_targets_geojson", "load_tle_file",
           "parse_tle_text", "scene_footprints", "sunlit_intervals"]
