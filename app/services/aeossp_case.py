"""The AEOSSP standard benchmark's case format (astro-reason ``aeossp_standard``), read into a scenario.

A case directory holds ``mission.yaml``, ``satellites.yaml`` and ``tasks.yaml``. Every file and field
is validated before anything is written; an error names the file and the field
(``tasks.yaml: tasks[12].release_time: must align to the 5 s action grid``).

The mapping keeps every semantic of the benchmark's README exact:

* mission: horizon → the workspace horizon (and scenario clock, with no frozen zone);
  ``action_time_step_s`` → ``time_grid_s`` (starts and durations on the action grid) and the
  candidate step (``variant_step_s``): an acquisition may start at any grid instant inside a pass.
  No lighting rule (the benchmark has none). Value = task weight (``custom`` value source with
  weights priority 1, geometry 0, timing 0, so an opportunity's value is weight / largest weight).
* satellites: sensor type; the off-nadir cone ``max_off_nadir_deg`` less :data:`CONE_MARGIN_DEG` (roll
  and pitch limits equal to it, so the cone is the only binding limit); the scalar bang-coast-bang slew as the
  ``eigen_axis`` model (angle between the inertial lines of sight at the end of one observation
  and the start of the next, rate and acceleration limits, settling added once, all reserved
  immediately before the later observation); the power model as given, reserve 0.
* tasks: a target (task id, latitude, longitude, altitude) and an order: window [release, due],
  exact duration (``duration_s``), required sensor type, value = weight; the task's name is the
  order's note and its id the order's external reference.

Continuous visibility over the whole action is the access engine's rule: the cone and the horizon
are checked at both ends and at most every second in between.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain import (PowerModel, Satellite, Target, ValidationError, WorkspaceSettings, checks, limits,
                        parse_utc)
from app.domain.enums import QualityModel, SlewModel, ValueSource

from .scenario_file import Scenario

CASE_FILES = ("mission.yaml", "satellites.yaml", "tasks.yaml")
SENSOR_TYPES = ("visible", "infrared")
MAX_FILE_BYTES = 50 * 1024 * 1024
#: Candidates kept per order at most (coarse-to-fine thinning, see access_service): bounds memory
#: for a week of 1,000 orders while keeping every grid start of a 12-hour benchmark case.
DEFAULT_CANDIDATES_PER_ORDER = 400
#: Offsets from the time of closest approach tried (s, total span): wider than any pass of a
#: low orbit through a 30° cone, so every grid start inside a pass is a candidate.
DENSE_LOOK_WINDOW_S = 900.0
#: Narrowing (deg) of each off-nadir cone. The workbench's frames (skyfield: IERS UT1, polar motion)
#: and the verifier's (brahe with zero EOP) place a target a little differently: on case_0001, 1 of
#: 67,604 candidate ends at a pass edge was 0.00066° outside the verifier's cone (its tolerance is
#: 1e-6°), which made a whole solution invalid. 0.01° (36″, ~100 m at 600 km) is 15× that.
CONE_MARGIN_DEG = 0.01
#: The benchmark images day and night: a Sun elevation limit of −90° (an optical satellite's
#: default would require daylight at the target).
NO_LIGHTING_RULE_DEG = -90.0


class CaseError(ValidationError):
    """A case file problem: ``field`` is ``<file>: <path>``."""

    def __init__(self, file: str, path: str, reason: str) -> None:
        super().__init__(f"{file}: {path}" if path else file, reason)


@dataclass(frozen=True)
class AeosspCase:
    """A validated case: the scenario to import and the case id."""

    case_id: str
    scenario: Scenario


def _load_yaml(case_dir: Path, name: str) -> Any:
    import yaml  # the benchmark's format; loaded only when a case is read

    path = case_dir / name
    if not path.is_file():
        raise CaseError(name, "", f"no such file in {case_dir}")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise CaseError(name, "", f"file larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaseError(name, "", f"not UTF-8 text (byte {exc.start})") from None
    try:
        return yaml.safe_load(text)
    except RecursionError:  # the YAML parser recurses once per level
        raise CaseError(name, "", "nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "malformed"
        raise CaseError(name, "", f"not YAML: {problem}{where}") from None


class _Fields:
    """Typed access to one mapping of one file, every error naming the file and the field path."""

    def __init__(self, file: str, path: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise CaseError(file, path, f"must be a mapping, got {type(data).__name__}")
        self.file, self.path, self.data = file, path, data

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, reason: str) -> CaseError:
        return CaseError(self.file, self._where(key), reason)

    def sub(self, key: str) -> "_Fields":
        if key not in self.data:
            raise self.fail(key, "required")
        return _Fields(self.file, self._where(key), self.data[key])

    def text(self, key: str) -> str:
        value = self.data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "required non-empty text" if value is None else f"must be text, got {value!r}")
        return value

    def number(self, key: str, *, minimum: float | None = 0.0, positive: bool = False) -> float:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, "required number" if value is None else f"must be a number, got {value!r}")
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise self.fail(key, f"must be finite, got {value!r}")
        if positive and value <= 0:
            raise self.fail(key, f"must be > 0, got {value:g}")
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be ≥ {minimum:g}, got {value:g}")
        return value

    def integer(self, key: str) -> int:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "required whole number" if value is None else f"must be a whole number, got {value!r}")
        if value <= 0:
            raise self.fail(key, f"must be > 0, got {value}")
        return value

    def time(self, key: str) -> datetime:
        value = self.text(key)
        try:
            return parse_utc(value, key)
        except ValidationError as exc:
            raise self.fail(key, exc.reason) from None

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}, got {value!r}")
        return value


def _on_grid(f: _Fields, key: str, seconds: float, step: int) -> None:
    if abs(seconds / step - round(seconds / step)) > 1e-9:
        raise f.fail(key, f"must align to the {step} s action grid (off by {seconds % step:g} s)")


def _list(file: str, doc: Any, key: str) -> list:
    top = _Fields(file, "", doc)
    value = top.data.get(key)
    if not isinstance(value, list):
        raise top.fail(key, "required list" if value is None else f"must be a list, got {type(value).__name__}")
    return value


def load_case(case_dir: str | Path) -> AeosspCase:
    """Read and validate a case directory; raises :class:`CaseError` (a ValidationError) naming the
    file and the field of the first problem. Reads only: nothing is written."""
    d = Path(case_dir)
    if not d.is_dir():
        raise ValidationError(str(case_dir), "not a directory (an AEOSSP case holds " + ", ".join(CASE_FILES) + ")")
    docs = {name: _load_yaml(d, name) for name in CASE_FILES}

    m = _Fields("mission.yaml", "", docs["mission.yaml"]).sub("mission")
    case_id = m.text("case_id")
    start, end = m.time("horizon_start"), m.time("horizon_end")
    if end <= start:
        raise m.fail("horizon_end", "must be after horizon_start")
    steps = {k: m.integer(k) for k in ("action_time_step_s", "geometry_sample_step_s", "resource_sample_step_s")}
    horizon_s = (end - start).total_seconds()
    for key, step in steps.items():
        if abs(horizon_s / step - round(horizon_s / step)) > 1e-9:
            raise m.fail(key, f"the horizon ({horizon_s:g} s) must be a whole number of steps of {step} s")
    grid = steps["action_time_step_s"]
    propagation = m.sub("propagation")
    if propagation.text("model").lower() != "sgp4":
        raise propagation.fail("model", f"must be sgp4, got {propagation.data.get('model')!r}")

    satellites = [_satellite(raw, i) for i, raw in enumerate(_list("satellites.yaml", docs["satellites.yaml"],
                                                                   "satellites"))]
    _unique("satellites.yaml", "satellites", [s.id for s in satellites], "satellite_id")
    sensors = {s.sensor_type for s in satellites}

    targets: list[Target] = []
    orders: list[dict[str, Any]] = []
    for i, raw in enumerate(_list("tasks.yaml", docs["tasks.yaml"], "tasks")):
        target, order = _task(raw, i, start, end, grid)
        targets.append(target)
        orders.append(order)
    _unique("tasks.yaml", "tasks", [t.id for t in targets], "task_id")
    del sensors  # a task no satellite can serve is legal: it simply stays unserved

    settings = WorkspaceSettings(
        horizon_start=start, horizon_end=end, scenario_clock=start, time_grid_s=float(grid),
        freeze_window_hours=0.0, value_source=ValueSource.CUSTOM, weights=(1.0, 0.0, 0.0),
        quality_model=QualityModel.OFF, look_window_s=DENSE_LOOK_WINDOW_S, variant_step_s=float(grid),
        candidates_per_order=DEFAULT_CANDIDATES_PER_ORDER)
    return AeosspCase(case_id, Scenario(name=case_id, settings=settings, satellites=satellites, targets=targets,
                                        ground_stations=[], orders=orders))


def _unique(file: str, key: str, ids: list[str], field: str) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            raise CaseError(file, f"{key}[{i}].{field}", f"duplicate id {x!r}")
        seen.add(x)


def _satellite(raw: Any, i: int) -> Satellite:
    f = _Fields("satellites.yaml", f"satellites[{i}]", raw)
    sid = f.text("satellite_id")
    sensor = f.sub("sensor").choice("sensor_type", SENSOR_TYPES)
    att = f.sub("attitude_model")
    cone = att.number("max_off_nadir_deg", positive=True)
    if not CONE_MARGIN_DEG < cone < 89.0:
        raise att.fail("max_off_nadir_deg", f"must be between {CONE_MARGIN_DEG:g}° and 89°, got {cone:g}")
    rate = att.number("max_slew_velocity_deg_per_s", positive=True)
    accel = att.number("max_slew_acceleration_deg_per_s2", positive=True)
    settle = att.number("settling_time_s")
    res = f.sub("resource_model")
    power = {k: res.number(k) for k in ("battery_capacity_wh", "initial_battery_wh", "idle_power_w",
                                         "imaging_power_w", "slew_power_w", "sunlit_charge_power_w")}
    if power["battery_capacity_wh"] <= 0:
        raise res.fail("battery_capacity_wh", "must be > 0")
    if power["initial_battery_wh"] > power["battery_capacity_wh"]:
        raise res.fail("initial_battery_wh", "must not exceed battery_capacity_wh")
    line1, line2 = f.text("tle_line1"), f.text("tle_line2")
    from .scenario_file import tle_problem  # the one TLE check of scenario files
    problem = tle_problem(line1, line2)
    if problem:
        raise f.fail("tle_line1", problem)
    norad = f.data.get("norad_catalog_id")
    if isinstance(norad, bool) or not isinstance(norad, int):
        raise f.fail("norad_catalog_id", f"must be a whole number, got {norad!r}")
    try:
        return Satellite(
            id=sid, tle_line1=line1, tle_line2=line2, norad_id=norad, sensor_type=sensor,
            max_off_nadir_deg=cone - CONE_MARGIN_DEG, max_roll_deg=cone - CONE_MARGIN_DEG,
            max_pitch_deg=cone - CONE_MARGIN_DEG, roll_rate_dps=rate,
            roll_accel_dps2=accel, pitch_rate_dps=rate, pitch_accel_dps2=accel, settle_time_s=settle,
            slew_model=SlewModel.EIGEN_AXIS, min_sun_elevation_deg=NO_LIGHTING_RULE_DEG, power=PowerModel(**power))
    except ValidationError as exc:
        raise CaseError("satellites.yaml", f"satellites[{i}]", str(exc)) from None


def _task(raw: Any, i: int, start: datetime, end: datetime, grid: int) -> tuple[Target, dict[str, Any]]:
    f = _Fields("tasks.yaml", f"tasks[{i}]", raw)
    tid = f.text("task_id")
    lat = f.number("latitude_deg", minimum=None)
    lon = f.number("longitude_deg", minimum=None)
    alt = f.number("altitude_m", minimum=None)
    release, due = f.time("release_time"), f.time("due_time")
    for key, t in (("release_time", release), ("due_time", due)):
        if not start <= t <= end:
            raise f.fail(key, "must lie inside the mission horizon")
        _on_grid(f, key, (t - start).total_seconds(), grid)
    if due <= release:
        raise f.fail("due_time", "must be after release_time")
    duration = f.integer("required_duration_s")
    _on_grid(f, "required_duration_s", float(duration), grid)
    if duration > (due - release).total_seconds():
        raise f.fail("required_duration_s", "longer than the task window")
    sensor = f.choice("required_sensor_type", SENSOR_TYPES)
    weight = f.number("weight", positive=True) if "weight" in f.data else 1.0
    name = f.data.get("name")
    if name is not None:  # kept as the order's notes: the same text checks as notes anywhere
        try:
            checks.text(name, "name", limits.MAX_NAME_CHARS)
        except ValidationError as exc:
            raise f.fail("name", exc.reason) from None
    try:
        target = Target(id=tid, lat=lat, lon=lon, alt_m=alt)
    except ValidationError as exc:
        raise CaseError("tasks.yaml", f"tasks[{i}]", str(exc)) from None
    order = {"target_id": tid, "priority": 3, "requested_window_start": release, "requested_window_end": due,
             "constraints": {"sensor_type": sensor, "duration_s": float(duration), "value": weight},
             "source": "batch", "notes": name if isinstance(name, str) else None, "external_ref": tid}
    return target, order
