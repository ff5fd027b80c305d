"""``python -m app access opportunities|contacts`` (spec section 14): columns, formats, flags,
stale-TLE warnings, and bad input reported as exit 2 with a one-line error."""
import csv
import io
import json
from pathlib import Path

import pytest

from app.cli.access_cmd import CONTACT_COLUMNS, OPPORTUNITY_COLUMNS, satellite_id
from app.cli.main import main

TLE_DIR = Path(__file__).resolve().parents[2] / "data" / "tle"
SAR = str(TLE_DIR / "sar-constellation.2026-08-10.tle")
WINDOW = ["--start", "2026-08-10T00:00:00Z", "--end", "2026-08-10T12:00:00Z"]


@pytest.fixture
def targets(tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text("name,lat,lon,priority\nAthens,37.98,23.73,1\nQuito,-0.18,-78.47,3\nOslo,59.91,10.75,2\n")
    return str(path)


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_opportunities_json_rows_have_the_spec_columns(capsys, targets):
    code, out, err = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets, *WINDOW, "--sar")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(tuple(r) == OPPORTUNITY_COLUMNS for r in rows)
    assert {r["variant"] for r in rows} >= {"max", "early_30"}
    first = rows[0]
    assert first["start"].endswith("Z") and first["tca"].startswith("2026-08-10T")
    assert first["look_side"] in ("LEFT", "RIGHT") and first["pass_direction"] in ("ASCENDING", "DESCENDING")
    assert {r["satellite"] for r in rows} <= {"SENTINEL-1A", "SENTINEL-1C", "ICEYE-X2", "ICEYE-X5", "ICEYE-X4",
                                              "CAPELLA-11", "CAPELLA-14", "CAPELLA-13"}
    assert "stale" not in err


def test_opportunities_csv_max_variants_and_limits(capsys, targets):
    code, out, _ = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets, *WINDOW, "--sar",
                        "--variants", "max", "--max-roll-deg", "20", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and tuple(rows[0]) == OPPORTUNITY_COLUMNS
    assert {r["variant"] for r in rows} == {"max"}
    assert all(float(r["off_nadir_deg"]) <= 20.0 and abs(float(r["roll_deg"])) <= 20.0 for r in rows)


@pytest.mark.parametrize("option", ["--max-roll-deg", "--max-off-nadir-deg", "--max-pitch-deg"])
def test_a_limit_out_of_range_is_named_by_its_option(capsys, targets, option):
    code, out, err = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets, *WINDOW,
                          option, "120")
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and option in err and "between 0 and 89" in err


def test_optical_drops_night_passes(capsys, targets):
    _, sar_out, _ = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets, *WINDOW,
                         "--sar", "--variants", "max")
    _, opt_out, _ = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets, *WINDOW,
                         "--optical", "--variants", "max")
    sar, optical = json.loads(sar_out), json.loads(opt_out)
    assert len(optical) < len(sar)
    assert all(r["sun_elevation_deg"] >= 10.0 for r in optical)
    assert any(r["sun_elevation_deg"] < 0.0 for r in sar)


def test_contacts(capsys, tmp_path):
    stations = tmp_path / "stations.csv"
    stations.write_text("name,lat,lon,alt_m,mask_deg\nSvalbard,78.23,15.41,450,5\nKiruna,67.86,20.96,390,5\n")
    code, out, _ = _run(capsys, "access", "contacts", "--tle", SAR, "--stations", str(stations), *WINDOW)
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 20 and all(tuple(r) == CONTACT_COLUMNS for r in rows)
    assert all(r["rise"] <= r["culmination"] <= r["set"] and r["max_elevation_deg"] >= 5.0 for r in rows)
    code, out, _ = _run(capsys, "access", "contacts", "--tle", SAR, "--stations", str(stations), *WINDOW,
                        "--mask-deg", "30", "--format", "csv")
    high = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(high) < len(rows) and all(float(r["max_elevation_deg"]) >= 30.0 for r in high)


def test_stale_tle_is_warned_on_stderr(capsys, targets):
    code, _, err = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets,
                        "--start", "2026-08-20T00:00:00Z", "--end", "2026-08-20T01:00:00Z")
    assert code == 0
    assert "warning: stale TLE: ICEYE-X2 (NORAD 43800)" in err


def test_bad_inputs_exit_2_with_the_line_or_row(capsys, tmp_path, targets):
    bad_tle = tmp_path / "bad.tle"
    lines = (TLE_DIR / "sar-constellation.2026-08-10.tle").read_text().splitlines()
    lines[3] = lines[3][:-1] + str((int(lines[3][-1]) + 1) % 10)
    bad_tle.write_text("\n".join(lines) + "\n")
    code, out, err = _run(capsys, "access", "opportunities", "--tle", str(bad_tle), "--targets", targets, *WINDOW)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {bad_tle}:line 4: checksum mismatch") and err.count("\n") == 1

    bad_targets = tmp_path / "lat.csv"
    bad_targets.write_text("name,lat,lon\nNowhere,123,10\n")
    code, _, err = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", str(bad_targets), *WINDOW)
    assert code == 2 and f"{bad_targets}:row 2.lat: must be between -90 and 90, got 123" in err

    code, _, err = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets,
                        "--start", "2026-08-10T12:00:00Z", "--end", "2026-08-10T00:00:00Z")
    assert code == 2 and "end: must be after start" in err

    code, _, err = _run(capsys, "access", "contacts", "--tle", SAR, "--stations", targets, "--start",
                        "2026-08-10T00:00:00", "--end", "2026-08-10T01:00:00Z")
    assert code == 2 and "naive" in err

    code, _, err = _run(capsys, "access", "opportunities", "--tle", SAR, "--targets", targets, *WINDOW,
                        "--variants", "some")
    assert code == 2 and "invalid choice" in err


def test_satellite_ids_from_tle_names():
    assert satellite_id("CAPELLA-11 (ACADIA-1)") == "CAPELLA-11"
    assert satellite_id("PLEIADES NEO 3") == "PLEIADES-NEO-3"
    assert satellite_id("  ICEYE-X2  ") == "ICEYE-X2"
