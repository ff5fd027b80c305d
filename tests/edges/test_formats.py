"""Formats other tools read: OMM (JSON, CSV, XML) wherever TLEs are accepted, KML valid against
the OGC KML 2.2 schema with real footprints, ICS written with icalendar (UID, SEQUENCE, METHOD,
LOCATION)."""
import csv
import importlib.util
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
from sgp4.api import Satrec

from app.access import load_tle_file
from app.cli.main import main
from app.domain import ValidationError
from app.persistence import ScheduleDB
from app.services import imports

ROOT = Path(__file__).resolve().parents[2]
SENTINEL = ROOT / "data" / "tle" / "sentinel-2.2026-10-01.tle"


def _omm_fields(name: str, line1: str, line2: str) -> dict:
    """The OMM fields of a TLE, as CelesTrak writes them (numbers in JSON)."""
    sat = Satrec.twoline2rv(line1, line2)
    epoch = datetime(1949, 12, 31) + timedelta(days=sat.jdsatepoch - 2433281.5 + sat.jdsatepochF)
    return {"OBJECT_NAME": name, "OBJECT_ID": f"20{line1[9:11]}-{line1[11:17].strip()}",
            "EPOCH": epoch.strftime("%Y-%m-%dT%H:%M:%S.%f"), "MEAN_MOTION": float(line2[52:63]),
            "ECCENTRICITY": float("0." + line2[26:33]), "INCLINATION": float(line2[8:16]),
            "RA_OF_ASC_NODE": float(line2[17:25]), "ARG_OF_PERICENTER": float(line2[34:42]),
            "MEAN_ANOMALY": float(line2[43:51]), "EPHEMERIS_TYPE": 0, "CLASSIFICATION_TYPE": "U",
            "NORAD_CAT_ID": int(line1[2:7]), "ELEMENT_SET_NO": int(line1[64:68]),
            "REV_AT_EPOCH": int(line2[63:68]), "BSTAR": sat.bstar, "MEAN_MOTION_DOT": float(line1[33:43]),
            "MEAN_MOTION_DDOT": 0.0}


def _sentinels():
    lines = [l for l in SENTINEL.read_text().splitlines() if l and not l.startswith("#")]
    return [(lines[i], lines[i + 1], lines[i + 2]) for i in range(0, len(lines), 3)]


def _write_omm(path: Path, flavour: str, records: list[dict]) -> Path:
    if flavour == "json":
        path.write_text(json.dumps(records), encoding="utf-8")
    elif flavour == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(records)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    else:
        meta = ("OBJECT_NAME", "OBJECT_ID")
        mean = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
                "MEAN_ANOMALY")
        tle = ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
               "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
        def block(tag, keys, r):
            return f"<{tag}>" + "".join(f"<{k}>{r[k]}</{k}>" for k in keys) + f"</{tag}>"
        segments = "".join(
            f"<segment>{block('metadata', meta, r)}<data>{block('meanElements', mean, r)}"
            f"{block('tleParameters', tle, r)}</data></segment>" for r in records)
        path.write_text(f'<?xml version="1.0" encoding="UTF-8"?><ndm><omm><body>{segments}</body></omm></ndm>',
                        encoding="utf-8")
    return path


@pytest.mark.parametrize("flavour", ["json", "csv", "xml"])
def test_omm_round_trip_matches_the_tle(tmp_path, flavour):
    sets = _sentinels()
    path = _write_omm(tmp_path / f"s2.{flavour}", flavour, [_omm_fields(*s) for s in sets])
    records = load_tle_file(path)
    tle = {r.norad_id: r for r in load_tle_file(SENTINEL)}
    assert [r.name for r in records] == [s[0] for s in sets]
    for r in records:
        ref = tle[r.norad_id]
        assert abs((r.epoch - ref.epoch).total_seconds()) < 1e-3
        a, b = Satrec.twoline2rv(r.line1, r.line2), Satrec.twoline2rv(ref.line1, ref.line2)
        for field in ("ecco", "inclo", "nodeo", "argpo", "mo", "no_kozai", "bstar"):
            assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-6, abs=1e-9), field


@pytest.mark.parametrize("norad, field", [(125544, "C5544"), (100000, "A0000"), (179999, "H9999"),
                                          (180000, "J0000"), (229999, "N9999"), (230000, "P0000"),
                                          (339999, "Z9999")])
def test_omm_six_digit_catalogue_number(tmp_path, norad, field):
    """Alpha-5 skips I and O (sgp4's own writer does not for 18xxxx and 23xxxx)."""
    name, l1, l2 = _sentinels()[0]
    fields = _omm_fields(name, l1, l2)
    fields["NORAD_CAT_ID"] = norad
    (record,) = load_tle_file(_write_omm(tmp_path / "big.json", "json", [fields]))
    assert record.norad_id == norad and record.line1[2:7] == record.line2[2:7] == field


@pytest.mark.parametrize("field, value, reason", [
    ("ECCENTRICITY", 0.9999999, "between"), ("MEAN_MOTION", float("nan"), "finite"),
    ("NORAD_CAT_ID", 400000, "beyond"), ("EPOCH", "2026-13-01T00:00:00", "not an OMM epoch"),
    ("EPOCH", "0500-01-01T00:00:00", "outside"), ("INCLINATION", True, "number"),
    ("MEAN_MOTION", None, "required"),
])
def test_bad_omm_names_the_record_and_field(tmp_path, field, value, reason):
    name, l1, l2 = _sentinels()[1]
    good = _omm_fields(*_sentinels()[0])
    bad = _omm_fields(name, l1, l2)
    bad[field] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([good, bad], allow_nan=True), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        load_tle_file(path)
    assert info.value.field == f"{path}:[1].{field}" and reason in info.value.reason


def test_omm_import_refreshes_satellites_like_a_tle(tmp_path):
    db = ScheduleDB(str(tmp_path / "w.db"))
    from .conftest import small_doc
    from app.services.scenario_file import parse_scenario
    from app.services.workspaces import import_scenario
    doc = small_doc()
    sets = _sentinels()
    doc["satellites"][0].update(id="S2A", norad_id=int(sets[0][1][2:7]), tle_line1=sets[0][1], tle_line2=sets[0][2])
    import_scenario(db, parse_scenario(doc), "ops")
    path = _write_omm(tmp_path / "s2.csv", "csv", [_omm_fields(*s) for s in sets])
    result = imports.import_tles(db, "ops", path)
    assert result["updated"] == ["S2A"] and len(result["unmatched"]) == 2


# --- KML -------------------------------------------------------------------------------------------

def _kml_schema():
    etree = pytest.importorskip("lxml.etree")
    spec = importlib.util.find_spec("pykml")
    if spec is None:
        pytest.skip("the OGC KML 2.2 schema comes with pykml")
    xsd = Path(list(spec.submodule_search_locations)[0]) / "schemas" / "ogckml22.xsd"
    return etree, etree.XMLSchema(etree.parse(str(xsd)))


def test_kml_export_valid_against_ogc_schema_with_real_footprints(ops_db, tmp_path, capsys):
    etree, schema = _kml_schema()
    out = tmp_path / "s.kml"
    assert main(["export", "--workspace", "ops", "--format", "kml", "--out", str(out), "--db", ops_db]) == 0
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    rings = doc.findall(".//k:Folder[k:name='Acquisitions']/k:Placemark/k:Polygon//k:coordinates", ns)
    assert len(rings) == 4
    for ring in rings:
        points = [tuple(map(float, p.split(",")[:2])) for p in ring.text.split()]
        assert len(points) == 5 and points[0] == points[-1]
        # a strip along the ground track: not an axis-aligned square (sun-synchronous orbits are inclined)
        xs = {round(x, 6) for x, _ in points[:4]}
        assert len(xs) == 4


def test_kml_of_the_writer_tests_valid_too(tmp_path):
    etree, schema = _kml_schema()
    from tests.export.test_writers import TARGETS, _acqs
    from app.export import write_schedule
    path = write_schedule("kml", tmp_path / "s.kml", _acqs(), targets=TARGETS, workspace_name="demo & co")
    assert schema.validate(etree.parse(str(path))), schema.error_log
    empty = write_schedule("kml", tmp_path / "e.kml", [])
    assert schema.validate(etree.parse(str(empty))), schema.error_log


# --- ICS -------------------------------------------------------------------------------------------

def test_ics_uid_stable_sequence_from_version_publish_location(ops_db, tmp_path, capsys):
    out1, out2 = tmp_path / "a.ics", tmp_path / "b.ics"
    assert main(["export", "--workspace", "ops", "--format", "ics", "--out", str(out1), "--db", ops_db]) == 0
    db = ScheduleDB(ops_db)
    ws = db.find_workspace("ops")
    acq = db.list_acquisitions(ws.id)[0]
    db.set_lock_level([acq.id], "soft")  # a change: the row version goes up
    version = db.get_acquisitions([acq.id])[0].version
    db.close()
    assert main(["export", "--workspace", "ops", "--format", "ics", "--out", str(out2), "--db", ops_db]) == 0
    first, second = (icalendar.Calendar.from_ical(p.read_bytes()) for p in (out1, out2))
    assert str(first["METHOD"]) == "PUBLISH" and str(first["VERSION"]) == "2.0"
    e1 = {str(e["UID"]): e for e in first.walk("VEVENT")}
    e2 = {str(e["UID"]): e for e in second.walk("VEVENT")}
    assert set(e1) == set(e2) and len(e1) == 4
    uid = f"{acq.id}@mission-planning-workbench"
    assert int(e1[uid]["SEQUENCE"]) == version - 2 and int(e2[uid]["SEQUENCE"]) == version - 1
    assert str(e2[uid]["LOCATION"]).startswith(acq.target_id)
    assert e2[uid].decoded("DTSTART") == acq.start.astimezone(timezone.utc)
