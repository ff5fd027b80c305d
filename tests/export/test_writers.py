"""Each export format, read back with an independent reader."""
import csv
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from app.domain import Acquisition, Target, ValidationError
from app.export import FORMATS, write_schedule
from app.export.kml import KML_NS

T0 = datetime(2026, 8, 11, 9, 15, 26, tzinfo=timezone.utc)
TARGETS = [Target(id="Paris, France; centre", lat=48.8566, lon=2.3522), Target(id="Athens", lat=37.98, lon=23.73)]


def _acqs():
    return [
        Acquisition(id="acq_000000000002", workspace_id="ws", satellite_id="ICEYE-X2", target_id="Athens",
                    start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=1, seconds=10),
                    roll_deg=-12.5, pitch_deg=3.0, incidence_deg=14.2, state="committed",
                    lock_level="hard", order_id="ord_1"),
        Acquisition(id="acq_000000000001", workspace_id="ws", satellite_id="PLEIADES 1A",
                    target_id="Paris, France; centre", start=T0, end=T0 + timedelta(seconds=8),
                    roll_deg=20.0, state="tentative"),
    ]


def test_csv_round_trip(tmp_path):
    path = write_schedule("csv", tmp_path / "s.csv", _acqs(), targets=TARGETS)
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [r["id"] for r in rows] == ["acq_000000000001", "acq_000000000002"]
    assert rows[0]["target_id"] == "Paris, France; centre"
    assert rows[1]["start_time"] == "2026-08-11T10:15:26Z" and float(rows[1]["roll_deg"]) == -12.5
    assert rows[1]["lock_level"] == "hard" and rows[1]["state"] == "committed"


def test_json_round_trip(tmp_path):
    path = write_schedule("json", tmp_path / "s.json", _acqs(), workspace_name="demo",
                          window={"from": T0, "to": None})
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "mission-planning-workbench/schedule" and doc["workspace"] == "demo"
    assert doc["window"] == {"from": "2026-08-11T09:15:26Z", "to": None}
    assert doc["acquisitions"][1]["incidence_deg"] == 14.2 and doc["acquisitions"][0]["duration_s"] == 8.0


def test_ical_read_by_icalendar(tmp_path):
    path = write_schedule("ics", tmp_path / "s.ics", _acqs(), targets=TARGETS)
    raw = path.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    assert str(first["UID"]) == "acq_000000000001@mission-planning-workbench"
    assert first.decoded("DTSTART") == T0 and first.decoded("DTEND") == T0 + timedelta(seconds=8)
    assert str(first["SUMMARY"]) == "Paris, France; centre — PLEIADES 1A"
    assert "roll +20.00 deg" in str(first["DESCRIPTION"])
    assert events[1]["GEO"].latitude == pytest.approx(37.98)


def test_kml_read_by_elementtree(tmp_path):
    path = write_schedule("kml", tmp_path / "s.kml", _acqs(), targets=TARGETS)
    root = ET.parse(path).getroot()
    ns = {"k": KML_NS}
    folders = root.findall("k:Document/k:Folder", ns)
    assert [f.find("k:name", ns).text for f in folders] == ["Targets", "Acquisitions"]
    assert len(folders[0].findall("k:Placemark", ns)) == 2
    acqs = folders[1].findall("k:Placemark", ns)
    assert [p.get("id") for p in acqs] == ["acq_000000000001", "acq_000000000002"]
    assert acqs[0].find("k:TimeSpan/k:begin", ns).text == "2026-08-11T09:15:26Z"
    ring = acqs[1].find("k:Polygon/k:outerBoundaryIs/k:LinearRing/k:coordinates", ns).text.split()
    lons = [float(c.split(",")[0]) for c in ring]
    lats = [float(c.split(",")[1]) for c in ring]
    assert ring[0] == ring[-1] and min(lons) < 23.73 < max(lons) and min(lats) < 37.98 < max(lats)


def test_empty_schedule_still_valid(tmp_path):
    for fmt in FORMATS:
        path = write_schedule(fmt, tmp_path / f"e.{fmt}", [])
        assert path.stat().st_size > 0
    assert list(icalendar.Calendar.from_ical((tmp_path / "e.ics").read_bytes()).walk("VEVENT")) == []
    ET.parse(tmp_path / "e.kml")


def test_unknown_format_refused_and_nothing_written(tmp_path):
    with pytest.raises(ValidationError, match="format: must be one of csv\\|json\\|ics\\|kml"):
        write_schedule("xlsx", tmp_path / "s.xlsx", _acqs())
    assert not (tmp_path / "s.xlsx").exists()
