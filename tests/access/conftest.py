"""Shared fixtures of the access tests: real element sets from ``data/tle``, the DE421 file."""
import warnings
from pathlib import Path

import pytest
import skyfield_data
from skyfield.api import Loader

from app.access import load_tle_file
from app.domain import Satellite

TLE_DIR = Path(__file__).resolve().parents[2] / "data" / "tle"


@pytest.fixture(scope="session")
def tle():
    """All real TLE records of ``data/tle`` by name."""
    records = {}
    for name in ("eo-optical.2026-04-13.tle", "sar-constellation.2026-08-10.tle", "sentinel-2.2026-10-01.tle"):
        for rec in load_tle_file(TLE_DIR / name):
            records.setdefault(rec.name, rec)
    return records


@pytest.fixture
def make_satellite(tle):
    """``make_satellite(tle_name, **agility)``: a Satellite from a real TLE."""
    def make(name: str, **kwargs) -> Satellite:
        rec = tle[name]
        return Satellite(kwargs.pop("id", name.replace(" ", "-")), rec.line1, rec.line2, norad_id=rec.norad_id,
                         **kwargs)
    return make


@pytest.fixture(scope="session")
def de421():
    """skyfield's DE421 ephemeris from skyfield-data (its IERS-expiry warning silenced: unused)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        path = skyfield_data.get_skyfield_data_path()
    return Loader(path, verbose=False)("de421.bsp")
