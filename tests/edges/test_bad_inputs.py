"""Every bad input of issue #14, table-driven: exit 2, one line on stderr naming the field, and
the database byte-for-byte as it was (row counts and a hash of every row)."""
import json
import shutil
from pathlib import Path

import pytest

from app.cli.main import main
from app.persistence import ScheduleDB

from .conftest import dump, small_doc

GOOD_L1 = "1 38012U 11076F   26103.30212009  .00000098  00000-0  30959-4 0  9995"
GOOD_L2 = "2 38012  98.1995 179.2692 0001232  74.7360  14.4539 14.58569605762536"


def _checksum(line: str) -> str:
    total = sum(int(c) for c in line[:68] if c.isdigit()) + line[:68].count("-")
    return line[:68] + str(total % 10)


def _set(path: str, value):
    """A mutation of the scenario document: ``path`` like ``satellites.0.sar_modes``."""
    def mutate(doc):
        *parents, leaf = path.split(".")
        node = doc
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(leaf) if isinstance(node, list) else leaf] = value
        return doc
    return mutate


_SENTINEL = 987654321.123


def _raw(path: str, literal: str):
    """A textual mutation at ``path`` (for what JSON cannot express: NaN, Infinity, 1e999)."""
    return ("raw", _set(path, _SENTINEL), literal)


def _omm(**changes):
    """Satellite 0's orbit as an OMM element set (``omm``) instead of its TLE, with ``changes``
    (a value None removes the field; ``_tle`` keeps the TLE lines as well)."""
    from .test_formats import _omm_fields

    def mutate(doc):
        sat = doc["satellites"][0]
        fields = _omm_fields(sat["id"], sat["tle_line1"], sat["tle_line2"])
        if not changes.pop("_tle", False):
            del sat["tle_line1"], sat["tle_line2"]
        for key, value in changes.items():
            if value is None:
                fields.pop(key)
            else:
                fields[key] = value
        sat["omm"] = fields
        return doc
    return mutate


SCENARIO_CASES = [
    # (id, mutation, field named in the error)
    ("deep-nesting", "deep", "nested deeper"),
    ("year-1-offset", _set("settings.horizon_start", "0001-01-01T00:30:00+01:00"), "settings.horizon_start"),
    ("year-9999-offset", _set("settings.horizon_end", "9999-12-31T23:30:00-01:00"), "settings.horizon_end"),
    ("year-0500", _set("orders.0.requested_window_start", "0500-01-01T00:00:00Z"),
     "orders[0].requested_window_start"),
    ("priority-infinity", _raw("orders.0.priority", "Infinity"), "orders[0].priority"),
    ("priority-1e999", _raw("orders.0.priority", "1e999"), "orders[0].priority"),
    ("norad-2**70", _set("satellites.0.norad_id", 2**70), "satellites[0].norad_id"),
    ("sar-modes-5", _set("satellites.0.sar_modes", 5), "satellites[0].sar_modes"),
    ("nan-ideal-incidence", _raw("settings.ideal_incidence_deg", "NaN"),
     "settings.ideal_incidence_deg"),
    ("nan-max-incidence", _set("satellites.2.max_incidence_deg", float("nan")), "satellites[2].max_incidence_deg"),
    ("nan-memory", _set("satellites.0.memory_gbit", float("nan")), "satellites[0].memory_gbit"),
    ("freeze-1e300", _set("settings.freeze_window_hours", 1e300), "settings.freeze_window_hours"),
    ("sensor-type-object", _set("satellites.0.sensor_type", {"a": 1}), "satellites[0].sensor_type"),
    ("duration-1e12", _set("orders.0.duration_s", 1e12), "orders[0].duration_s"),
    ("horizon-20-years", _set("settings.horizon_end", "2046-08-10T00:00:00Z"), "settings.horizon_end"),
    ("tle-garbage-epoch", _set("satellites.0.tle_line1", _checksum(GOOD_L1[:18] + "2610x.30212009" + GOOD_L1[32:])),
     "satellites[0].tle_line1"),
    ("tle-eccentricity-0.9999999", _set("satellites.0.tle_line2", _checksum(GOOD_L2[:26] + "9999999" + GOOD_L2[33:])),
     "satellites[0].tle_line2"),
    ("lat-true", _set("targets.0.lat", True), "targets[0].lat"),
    ("lat-string", _set("targets.0.lat", "12.5"), "targets[0].lat"),
    ("priority-string", _set("orders.0.priority", "2"), "orders[0].priority"),
    ("roll-rate-string", _set("satellites.0.roll_rate_dps", "3"), "satellites[0].roll_rate_dps"),
    ("weights-bool", _set("settings.weights", {"priority": True, "geometry": 1, "timing": 1}),
     "settings.weights.priority"),
    ("negative-tle-stale-days", _set("settings.tle_stale_days", -1), "settings.tle_stale_days"),
    ("nul-in-target-id", _set("targets.0.id", "Par\x00is"), "targets[0].id"),
    ("rlo-in-satellite-id", _set("satellites.0.id", "SAT\u202e1"), "satellites[0].id"),
    ("rlo-in-external-ref", _set("orders.0.external_ref", "REF\u202e1"), "orders[0].external_ref"),
    ("long-notes", _set("orders.0.notes", "x" * 10_001), "orders[0].notes"),
    ("49-MB-notes", _set("orders.0.notes", "x" * 49_000_000), "orders[0].notes"),
    ("unknown-preferred-satellite", _set("orders.0.constraints", {"preferred_satellite": "NOPE"}),
     "orders[0].constraints.preferred_satellite"),
    ("unknown-mode", _set("satellites.0.mode", "LIDAR"), "satellites[0].mode"),
    ("unknown-look-side", _set("orders.0.constraints", {"look_side": "UP"}), "orders[0].constraints.look_side"),
    ("horizon-end-before-start", _set("settings.horizon_end", "2026-08-09T00:00:00Z"), "settings.horizon_end"),
    ("max-roll-123", _set("satellites.0.max_roll_deg", 123), "satellites[0].max_roll_deg"),
    ("order-lat-text", _set("orders.0", {"lat": "x", "lon": 1, "priority": 1}), "orders[0].lat"),
    ("time-grid-0", _set("settings.time_grid_s", 0), "settings.time_grid_s"),
    ("imaging-time-1e9", _set("satellites.0.imaging_time_s", 1e9), "satellites[0].imaging_time_s"),
    ("battery-inf", _raw("satellites.0.power.battery_capacity_wh", "Infinity"),
     "satellites[0].power.battery_capacity_wh"),
    ("sequential-slew-text", _set("satellites.0.sequential_slew", "yes"), "satellites[0].sequential_slew"),
    ("name-control-char", _set("name", "ops\x1b[31m"), "name"),
    # OMM instead of a TLE: the OMM file loader's checks, the field named under the satellite's omm.
    ("omm-eccentricity-0.9999999", _omm(ECCENTRICITY=0.9999999), "satellites[0].omm.ECCENTRICITY"),
    ("omm-garbage-epoch", _omm(EPOCH="2026-13-01T00:00:00"), "satellites[0].omm.EPOCH"),
    ("omm-epoch-year-0500", _omm(EPOCH="0500-01-01T00:00:00"), "satellites[0].omm.EPOCH"),
    ("omm-mean-motion-nan", _omm(MEAN_MOTION=float("nan")), "satellites[0].omm.MEAN_MOTION"),
    ("omm-inclination-bool", _omm(INCLINATION=True), "satellites[0].omm.INCLINATION"),
    ("omm-norad-400000", _omm(NORAD_CAT_ID=400000), "satellites[0].omm.NORAD_CAT_ID"),
    ("omm-norad-2**70", _omm(NORAD_CAT_ID=2**70), "satellites[0].omm.NORAD_CAT_ID"),
    ("omm-missing-mean-motion", _omm(MEAN_MOTION=None), "satellites[0].omm.MEAN_MOTION"),
    ("omm-name-rlo", _omm(OBJECT_NAME="SAT\u202e1"), "satellites[0].omm.OBJECT_NAME"),
    ("omm-not-an-object", lambda doc: _set("satellites.0.omm", [1, 2])(_omm()(doc)), "satellites[0].omm"),
    ("omm-and-tle", _omm(_tle=True), "satellites[0].omm"),
    ("order-external-ref-twice", _set("orders.1.external_ref", "T-00"), "orders[1].external_ref"),
    ("order-mode-no-satellite-has", lambda doc: _set("orders.0.constraints", {"mode": "SAR"})(
        _set("satellites", doc["satellites"][:2])(doc)), "orders[0].constraints.mode"),
    ("order-sensor-type-unknown", _set("orders.0.constraints", {"sensor_type": "LIDAR"}),
     "orders[0].constraints.sensor_type"),
    ("omm-norad-differs", lambda doc: _set("satellites.0.norad_id", 12345)(_omm()(doc)), "satellites[0].norad_id"),
]


def _scenario_file(tmp_path, mutation) -> str:
    path = tmp_path / "scenario.json"
    if mutation == "deep":
        path.write_text('{"format": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
        return str(path)
    doc = small_doc()
    if isinstance(mutation, tuple):
        text = json.dumps(mutation[1](doc))
        assert text.count(repr(_SENTINEL)) == 1
        path.write_text(text.replace(repr(_SENTINEL), mutation[2]), encoding="utf-8")
    else:
        path.write_text(json.dumps(mutation(doc), allow_nan=True), encoding="utf-8")
    return str(path)


def _refused(argv, db_path, capsys, field):
    before = dump(db_path)
    rc = main(argv)
    err = capsys.readouterr().err
    assert rc == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert field in err, err
    assert "Traceback" not in err
    assert dump(db_path) == before
    return err


@pytest.mark.parametrize("case", SCENARIO_CASES, ids=[c[0] for c in SCENARIO_CASES])
def test_bad_scenario_refused_nothing_written(case, ops_db, tmp_path, capsys):
    _, mutation, field = case
    path = _scenario_file(tmp_path, mutation)
    _refused(["workspace", "import", path, "--name", "other", "--db", ops_db], ops_db, capsys, field)


def test_good_scenario_still_imports(ops_db, tmp_path, capsys):
    """The table's base document is valid: each refusal above is due to its one change."""
    path = _scenario_file(tmp_path, lambda doc: doc)
    assert main(["workspace", "import", path, "--name", "other", "--db", ops_db]) == 0


@pytest.mark.parametrize("norad", [None, 125544])
def test_scenario_satellite_from_omm_imports_like_its_tle(ops_db, tmp_path, capsys, norad):
    """OMM wherever TLEs are accepted: a scenario satellite given as ``omm`` gets the same orbit
    (a six-digit catalogue number as Alpha-5), and its passes are those of the TLE."""
    from sgp4.api import Satrec
    doc = small_doc()
    tle = (doc["satellites"][0]["tle_line1"], doc["satellites"][0]["tle_line2"])
    changes = {} if norad is None else {"NORAD_CAT_ID": norad}
    path = tmp_path / "omm.json"
    omm_doc = _omm(**changes)(small_doc())
    omm_doc["satellites"][0].pop("norad_id", None)
    path.write_text(json.dumps(omm_doc), encoding="utf-8")
    assert main(["workspace", "import", str(path), "--name", "orbits", "--db", ops_db]) == 0, capsys.readouterr().err
    db = ScheduleDB(ops_db)
    try:
        sat = next(s for s in db.list_satellites(db.find_workspace("orbits").id) if s.id == doc["satellites"][0]["id"])
    finally:
        db.close()
    assert sat.norad_id == (norad or int(tle[0][2:7]))
    a, b = Satrec.twoline2rv(sat.tle_line1, sat.tle_line2), Satrec.twoline2rv(*tle)
    for field in ("ecco", "inclo", "nodeo", "argpo", "mo", "no_kozai", "bstar", "jdsatepoch"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), rel=1e-6, abs=1e-9), field
    jd = b.jdsatepoch + 0.5
    assert a.sgp4(jd, 0.0)[1] == pytest.approx(b.sgp4(jd, 0.0)[1], abs=1e-3)  # km, half a day after the epoch


ORDER_CSV_CASES = [
    ("priority-true", "target,priority\nTokyo,true\n", "line 2.priority"),
    ("priority-2.5", "target,priority\nTokyo,2.5\n", "line 2.priority"),
    ("lat-nan", "target,priority,lat,lon\nNew,1,nan,2\n", "line 2.lat"),
    ("lat-inf", "target,priority,lat,lon\nNew,1,inf,2\n", "line 2.lat"),
    ("duration-1e12", "target,priority,duration_s\nTokyo,1,1e12\n", "line 2.duration_s"),
    ("year-0500", "target,priority,window_start\nTokyo,1,0500-01-01T00:00:00Z\n", "line 2.window_start"),
    ("year-1-offset", "target,priority,window_end\nTokyo,1,0001-01-01T00:00:00+05:00\n", "line 2.window_end"),
    ("rlo-notes", "target,priority,notes\nTokyo,1,ab\u202ecd\n", "line 2.notes"),
    ("nul-target", "target,priority\nTo\x00kyo,1\n", "line 2"),
    ("long-external-ref", "target,priority,external_ref\nTokyo,1," + "r" * 201 + "\n", "line 2.external_ref"),
    ("unknown-preferred-satellite", "target,priority,preferred_satellite\nTokyo,1,NOPE\n",
     "line 2.preferred_satellite"),
    ("unknown-look-side", "target,priority,look_side\nTokyo,1,UP\n", "line 2.look_side"),
    ("unknown-target-no-coordinates", "target,priority\nAtlantis,1\n", "line 2.target"),
    ("sensor-type-no-satellite-has", "target,priority,sensor_type\nTokyo,1,LIDAR\n", "line 2.sensor_type"),
    ("mode-unknown", "target,priority,mode\nTokyo,1,INFRARED\n", "line 2.mode"),
    ("min-sun-elevation-nan", "target,priority,min_sun_elevation_deg\nTokyo,1,nan\n",
     "line 2.min_sun_elevation_deg"),
    ("cell-over-128-KiB", "target,priority,notes\nTokyo,1," + "x" * 200_000 + "\n", "line 2"),
]


@pytest.mark.parametrize("case", ORDER_CSV_CASES, ids=[c[0] for c in ORDER_CSV_CASES])
def test_bad_order_csv_refused_nothing_written(case, ops_db, tmp_path, capsys):
    _, content, field = case
    path = tmp_path / "orders.csv"
    path.write_text(content, encoding="utf-8")
    _refused(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db], ops_db, capsys, field)


ORDER_JSON_CASES = [
    ("deep", "[" * 100_000 + "]" * 100_000, "nested deeper"),
    ("lat-true", json.dumps([{"target": "New", "lat": True, "lon": 1}]), "orders[0].lat"),
    ("lat-string", json.dumps([{"target": "New", "lat": "1", "lon": 1}]), "orders[0].lat"),
    ("priority-string", json.dumps([{"target": "Tokyo", "priority": "1"}]), "orders[0].priority"),
    ("priority-infinity", '[{"target": "Tokyo", "priority": Infinity}]', "orders[0].priority"),
    ("target-number", json.dumps([{"target": 5}]), "orders[0].target"),
    ("notes-object", json.dumps([{"target": "Tokyo", "notes": {"a": 1}}]), "orders[0].notes"),
    ("sensor-type-no-satellite-has", json.dumps([{"target": "Tokyo", "sensor_type": "LIDAR"}]),
     "orders[0].sensor_type"),
    ("mode-number", json.dumps([{"target": "Tokyo", "mode": 3}]), "orders[0].mode"),
]


@pytest.mark.parametrize("case", ORDER_JSON_CASES, ids=[c[0] for c in ORDER_JSON_CASES])
def test_bad_order_json_refused_nothing_written(case, ops_db, tmp_path, capsys):
    _, content, field = case
    path = tmp_path / "orders.json"
    path.write_text(content, encoding="utf-8")
    _refused(["orders", "import", str(path), "--workspace", "ops", "--db", ops_db], ops_db, capsys, field)


ADD = ["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "1"]
OPTION_CASES = [
    ("add-lat-nan", ["orders", "add", "--workspace", "ops", "--target", "New", "--priority", "1",
                     "--lat", "nan", "--lon", "1"], "--lat"),
    ("add-priority-true", ["orders", "add", "--workspace", "ops", "--target", "Tokyo", "--priority", "true"],
     "priority"),
    ("add-duration-inf", ADD + ["--duration-s", "inf"], "--duration-s"),
    ("add-duration-1e12", ADD + ["--duration-s", "1e12"], "duration_s"),
    ("add-incidence-1e400", ADD + ["--max-incidence-deg", "1e400"], "--max-incidence-deg"),
    ("add-notes-nul", ADD + ["--notes", "a\x00b"], "notes"),
    ("add-notes-rlo", ADD + ["--notes", "a\u202eb"], "notes"),
    ("add-external-ref-long", ADD + ["--external-ref", "r" * 201], "external_ref"),
    ("add-window-year-1", ADD + ["--window-start", "0001-01-01T00:00:00+01:00"], "window_start"),
    ("add-window-year-9999", ADD + ["--window-end", "9999-12-31T23:59:59-01:00"], "window_end"),
    ("add-unknown-preferred-satellite", ADD + ["--preferred-satellite", "NOPE"], "preferred_satellite"),
    ("list-limit-negative", ["orders", "list", "--workspace", "ops", "--limit", "-1"], "--limit"),
    ("update-expected-version-text", ["orders", "update", "x", "--priority", "1", "--expected-version", "abc"],
     "--expected-version"),
    ("plan-time-limit-inf", ["plan", "--workspace", "ops", "--time-limit", "inf"], "--time-limit"),
    ("plan-time-limit-nan", ["plan", "--workspace", "ops", "--time-limit", "nan"], "--time-limit"),
    ("plan-time-limit-huge", ["plan", "--workspace", "ops", "--time-limit", "1e9"], "time_limit_s"),
    ("plan-horizon-20-years", ["plan", "--workspace", "ops", "--horizon-start", "2026-08-10T00:00:00Z",
                               "--horizon-end", "2046-08-10T00:00:00Z"], "horizon_end"),
    ("plan-horizon-year-1", ["plan", "--workspace", "ops", "--horizon-start", "0001-01-01T00:00:00+01:00"],
     "horizon_start"),
    ("plan-max-shift-nan", ["plan", "--workspace", "ops", "--mode", "reshuffle", "--policy",
                            "soft_lock_windowed", "--max-shift-minutes", "nan"], "--max-shift-minutes"),
    ("export-from-year-9999", ["export", "--workspace", "ops", "--format", "json", "--out", "{tmp}/x.json",
                               "--from", "9999-12-31T23:00:00-05:00"], "from"),
    ("add-sensor-type-no-satellite-has", ADD + ["--sensor-type", "LIDAR"], "sensor_type"),
    ("plan-max-shift-1e300", ["plan", "--workspace", "ops", "--mode", "reshuffle", "--policy",
                              "soft_lock_windowed", "--max-shift-minutes", "1e300"], "max_shift_minutes"),
    ("plan-threshold-1e6", ["plan", "--workspace", "ops", "--mode", "reshuffle", "--policy",
                            "replace_if_better", "--improvement-threshold-pct", "1e6"], "improvement_threshold_pct"),
    ("plan-policy-without-reshuffle", ["plan", "--workspace", "ops", "--policy", "soft_lock_windowed"], "policy"),
    ("plan-max-shift-without-reshuffle", ["plan", "--workspace", "ops", "--mode", "incremental",
                                          "--max-shift-minutes", "10"], "max-shift-minutes"),
    ("export-out-nul", ["export", "--workspace", "ops", "--format", "json", "--out", "{tmp}/x\x00.json"], "out"),
    ("clock-step-1e20-days", ["clock", "--workspace", "ops", "--step", "99999999999999999999d"], "step"),
    ("clock-step-1e300-hours", ["clock", "--workspace", "ops", "--step", "1e300h"], "step"),
    ("plan-horizon-past-the-ephemeris", ["plan", "--workspace", "ops", "--horizon-start", "2100-01-01T00:00:00Z",
                                         "--horizon-end", "2100-01-02T00:00:00Z"], "horizon"),
    ("conflicts-unknown-satellite", ["conflicts", "--workspace", "ops", "--satellite", "NOPE"], "satellite"),
    ("conflicts-window-reversed", ["conflicts", "--workspace", "ops", "--horizon-start", "2026-08-11T00:00:00Z",
                                  "--horizon-end", "2026-08-10T00:00:00Z"], "horizon_end"),
]


@pytest.mark.parametrize("case", OPTION_CASES, ids=[c[0] for c in OPTION_CASES])
def test_bad_option_refused_nothing_written(case, ops_db, tmp_path, capsys):
    _, argv, field = case
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv] + ["--db", ops_db]
    _refused(argv, ops_db, capsys, field)
    assert not (tmp_path / "x.json").exists()


_S2 = ("SENTINEL-2A\n1 40697U 15028A   26274.29857647 -.00000002  00000+0  15863-4 0  9990\n"
       "2 40697  98.5653 347.6046 0001070  85.9280 274.2026 14.30818852588907\n")
_TARGETS = "name,lat,lon\nAthens,37.98,23.72\n"
_DAY = ["--start", "2026-10-01T00:00:00Z", "--end", "2026-10-02T00:00:00Z"]
ACCESS_CASES = [
    # (id, TLE/OMM file, targets file, options, field named)
    ("tle-name-rlo", "SENTINEL\u202e-2A\n" + _S2.split("\n", 1)[1], _TARGETS, _DAY, "t.tle:line 1"),
    ("tle-name-nul", "SENTI\x00NEL\n" + _S2.split("\n", 1)[1], _TARGETS, _DAY, "t.tle:line 1"),
    ("horizon-61-days", _S2, _TARGETS, ["--start", "2026-10-01T00:00:00Z", "--end", "2026-12-01T00:00:00Z"], "--end"),
    ("horizon-past-the-ephemeris", _S2, _TARGETS, ["--start", "2060-01-01T00:00:00Z", "--end", "2060-01-02T00:00:00Z"],
     "horizon"),
    ("horizon-reversed", _S2, _TARGETS, ["--start", "2026-10-02T00:00:00Z", "--end", "2026-10-01T00:00:00Z"], "--end"),
    ("targets-cell-over-128-KiB", _S2, "name,lat,lon\nAthens,37.9," + "8" * 200_000 + "\n", _DAY, "targets.csv:row 2"),
    ("omm-csv-cell-over-128-KiB", "NORAD_CAT_ID,OBJECT_NAME\n1," + "x" * 200_000 + "\n", _TARGETS, _DAY,
     "t.tle:line 2"),
]


@pytest.mark.parametrize("case", ACCESS_CASES, ids=[c[0] for c in ACCESS_CASES])
def test_bad_access_input_refused(case, ops_db, tmp_path, capsys):
    _, tle, targets, opts, field = case
    (tmp_path / "t.tle").write_text(tle, encoding="utf-8")
    (tmp_path / "targets.csv").write_text(targets, encoding="utf-8")
    _refused(["access", "opportunities", "--tle", str(tmp_path / "t.tle"), "--targets", str(tmp_path / "targets.csv"),
              *opts, "--db", ops_db], ops_db, capsys, field)


def _order(db_path, status):
    db = ScheduleDB(db_path)
    try:
        return next(o for o in db.list_orders(workspace_id=db.find_workspace("ops").id, limit=None)
                    if o.status == status)
    finally:
        db.close()


@pytest.mark.parametrize("status,to", [("committed", "new"), ("committed", "planned"), ("committed", "cancelled"),
                                       ("planned", "new"), ("planned", "committed")])
def test_status_only_along_the_lifecycle(ops_db, capsys, status, to):
    order = _order(ops_db, status)
    _refused(["orders", "update", order.id, "--status", to, "--db", ops_db], ops_db, capsys, "status")


def test_planned_order_can_be_cancelled(ops_db, capsys):
    order = _order(ops_db, "planned")
    assert main(["orders", "update", order.id, "--status", "cancelled", "--db", ops_db]) == 0
    assert _order(ops_db, "cancelled").id == order.id


_PROBLEM = {"satellites": [{"id": "SAT-1", "roll_rate_dps": 1.0, "roll_accel_dps2": 0.5, "pitch_rate_dps": 1.0,
                            "pitch_accel_dps2": 0.5, "settle_time_s": 5.0, "max_roll_deg": 45.0,
                            "max_pitch_deg": 30.0}],
            "opportunities": [{"id": "o1", "satellite_id": "SAT-1", "order_id": "ord_1",
                               "start": "2026-08-07T09:15:00Z", "end": "2026-08-07T09:15:05Z", "roll_deg": 12.5,
                               "pitch_deg": 0.0, "value": 0.8}]}
SOLVE_CASES = [
    # (id, problem-file mutation, extra options, field named)
    ("id-rlo", _set("opportunities.0.id", "o\u202e1"), [], "opportunities[0].id"),
    ("order-id-nul", _set("opportunities.0.order_id", "ord\x001"), [], "opportunities[0].order_id"),
    ("value-nan", _set("opportunities.0.value", float("nan")), [], "value"),
    ("value-true", _set("opportunities.0.value", True), [], "value"),
    ("deep", "deep", [], "nested deeper"),
    ("out-onto-the-problem", lambda doc: doc, ["--out", "{problem}"], "out"),
    ("out-through-a-link", lambda doc: doc, ["--out", "{tmp}/link.json"], "out"),
    ("time-limit-nan", lambda doc: doc, ["--time-limit", "nan"], "--time-limit"),
]


@pytest.mark.parametrize("case", SOLVE_CASES, ids=[c[0] for c in SOLVE_CASES])
def test_bad_problem_file_refused_nothing_written(case, tmp_path, capsys):
    """solve reads a problem file and writes --out like every export: never over its input or
    through a link, and the input stays as it was."""
    _, mutation, extra, field = case
    problem = tmp_path / "p.json"
    if mutation == "deep":
        problem.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        problem.write_text(json.dumps(mutation(json.loads(json.dumps(_PROBLEM))), allow_nan=True), encoding="utf-8")
    (tmp_path / "real.json").write_text("old\n")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    before = problem.read_bytes()
    extra = [a.replace("{problem}", str(problem)).replace("{tmp}", str(tmp_path)) for a in extra]
    rc = main(["solve", str(problem), "--algorithm", "best_fit", *extra])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("error: ") and err.count("\n") == 1 and field in err, err
    assert problem.read_bytes() == before and (tmp_path / "real.json").read_text() == "old\n"


_CASE_DIR = Path(__file__).resolve().parents[1] / "data" / "aeossp_small"
AEOSSP_CASES = [
    # (id, file of the case directory, its new text (or a function of the old), field named)
    ("task-name-rlo", "tasks.yaml", lambda t: t.replace("name: background_0282", 'name: "back\\u202eground"', 1),
     "tasks.yaml: tasks[0].name"),
    ("yaml-nested-5000-deep", "tasks.yaml", "tasks: " + "[" * 5000 + "]" * 5000 + "\n", "tasks.yaml"),
    ("yaml-python-tag", "tasks.yaml", "tasks: !!python/object/apply:os.system ['true']\n", "tasks.yaml"),
    ("latitude-nan", "tasks.yaml", lambda t: t.replace("latitude_deg: 81.001957", "latitude_deg: .nan", 1),
     "tasks.yaml: tasks[0].latitude_deg"),
    ("slew-rate-inf", "satellites.yaml", lambda t: t.replace("max_slew_velocity_deg_per_s: 1.0",
                                                             "max_slew_velocity_deg_per_s: .inf", 1),
     "satellites.yaml: satellites[0].attitude_model.max_slew_velocity_deg_per_s"),
    ("horizon-20-years", "mission.yaml", lambda t: t.replace("horizon_end: '2026-04-14T16:00:00Z'",
                                                            "horizon_end: '2046-04-14T16:00:00Z'"), "horizon_end"),
]


@pytest.mark.parametrize("case", AEOSSP_CASES, ids=[c[0] for c in AEOSSP_CASES])
def test_bad_aeossp_case_refused_nothing_written(case, ops_db, tmp_path, capsys):
    _, name, change, field = case
    case_dir = tmp_path / "case"
    shutil.copytree(_CASE_DIR, case_dir)
    old = (case_dir / name).read_text(encoding="utf-8")
    new = change(old) if callable(change) else change
    assert new != old
    (case_dir / name).write_text(new, encoding="utf-8")
    _refused(["workspace", "import", str(case_dir), "--format", "aeossp", "--name", "a", "--db", ops_db],
             ops_db, capsys, field)
