"""Targets and ground stations from CSV and GeoJSON: good files, and each bad row named."""
import json

import pytest

from app.access import load_sites_csv, load_targets_geojson
from app.domain import GroundStation, Target, ValidationError


def _write(tmp_path, text, name="sites.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_targets_and_stations_from_csv_with_defaults(tmp_path):
    path = _write(tmp_path, "name,lat,lon,alt_m,priority,mask_deg\n"
                            "Athens,37.98,23.73,70,2,\nQuito,-0.18,-78.47,,,10\n")
    targets = load_sites_csv(path, "target")
    assert targets == [Target("Athens", 37.98, 23.73, 70.0, 2), Target("Quito", -0.18, -78.47, 0.0, 3)]
    stations = load_sites_csv(path, "station")
    assert stations[1] == GroundStation("Quito", -0.18, -78.47, 0.0, 10.0)
    assert stations[0].mask_deg == 5.0


def test_columns_in_any_order_and_blank_lines(tmp_path):
    path = _write(tmp_path, "lon, lat ,name\n\n23.73,37.98,Athens\n")
    assert load_sites_csv(path) == [Target("Athens", 37.98, 23.73)]


@pytest.mark.parametrize("text, field, words", [
    ("name,lat,lon\nA,123,10\n", "row 2.lat", "between -90 and 90, got 123"),
    ("name,lat,lon\nA,1,10\nB,north,10\n", "row 3.lat", "not a number"),
    ("name,lat,lon,colour\nA,1,10,red\n", "row 1.colour", "unknown column"),
    ("name,lat\nA,1\n", "row 1", "missing column lon"),
    ("name,lat,lon\nA,1,10,5\n", "row 2", "expected 3 values, found 4"),
    ("name,lat,lon,priority\nA,1,10,9\n", "row 2.priority", "1..5"),
    ("name,lat,lon\nA,1,10\nA,2,20\n", "row 3.name", "duplicate"),
    ("name,lat,lon,alt_m\nA,1,10,99999\n", "row 2.alt_m", "between"),
])
def test_bad_rows_are_named_with_the_reason(tmp_path, text, field, words):
    path = _write(tmp_path, text)
    with pytest.raises(ValidationError) as info:
        load_sites_csv(path, "target")
    assert info.value.field == f"{path}:{field}"
    assert words in info.value.reason


def test_station_mask_is_validated(tmp_path):
    path = _write(tmp_path, "name,lat,lon,mask_deg\nS,1,10,95\n")
    with pytest.raises(ValidationError, match="mask_deg"):
        load_sites_csv(path, "station")


def test_empty_and_non_utf8_files_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="empty file"):
        load_sites_csv(_write(tmp_path, ""))
    path = tmp_path / "latin1.csv"
    path.write_bytes("name,lat,lon\nMünchen,48.1,11.6\n".encode("latin-1"))
    with pytest.raises(ValidationError) as info:
        load_sites_csv(path)
    assert info.value.field == f"{path}:line 2" and "offset 14" in info.value.reason


def _feature(name, lon, lat, **props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"name": name, **props}}


def test_geojson_points(tmp_path):
    doc = {"type": "FeatureCollection", "features": [_feature("Athens", 23.73, 37.98, priority=1, alt_m=70),
                                                     _feature("Quito", -78.47, -0.18)]}
    path = _write(tmp_path, json.dumps(doc), "t.geojson")
    assert load_targets_geojson(path) == [Target("Athens", 37.98, 23.73, 70.0, 1), Target("Quito", -0.18, -78.47)]


@pytest.mark.parametrize("feature, field", [
    (_feature("A", 10, 123), "features[1].geometry.coordinates[1]"),
    ({"type": "Feature", "geometry": {"type": "LineString", "coordinates": []}}, "features[1].geometry"),
    (_feature("", 10, 10), "features[1].properties.name"),
    (_feature("B", 10, 10, priority=0), "features[1].properties.priority"),
])
def test_geojson_errors_name_the_feature(tmp_path, feature, field):
    doc = {"type": "FeatureCollection", "features": [_feature("Ok", 1, 1), feature]}
    path = _write(tmp_path, json.dumps(doc), "t.geojson")
    with pytest.raises(ValidationError) as info:
        load_targets_geojson(path)
    assert info.value.field == f"{path}:{field}"


def test_geojson_that_is_not_json_names_the_line(tmp_path):
    path = _write(tmp_path, '{"type": "FeatureCollection",\n "features": [\n', "t.geojson")
    with pytest.raises(ValidationError) as info:
        load_targets_geojson(path)
    assert info.value.field == f"{path}:line 3"
