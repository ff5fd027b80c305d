"""The scenario of a workspace: satellites, targets, ground stations and planning settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from . import checks, limits
from .enums import Mode, QualityModel, SlewModel, ValueSource, parse_enum
from .errors import ValidationError
from .times import parse_utc

#: Weight presets of spec section 6: (priority, geometry, timing).
WEIGHT_PRESETS: dict[str, tuple[float, float, float]] = {
    "balanced": (40.0, 40.0, 20.0),
    "priority_first": (70.0, 20.0, 10.0),
    "quality_first": (20.0, 70.0, 10.0),
    "urgent": (60.0, 10.0, 30.0),
    "archival": (10.0, 80.0, 10.0),
}


@dataclass(frozen=True, slots=True)
class PowerModel:
    """Battery and power draw. Energies in Wh, powers in W."""

    battery_capacity_wh: float
    initial_battery_wh: float
    idle_power_w: float
    imaging_power_w: float
    slew_power_w: float
    sunlit_charge_power_w: float
    reserve_wh: float = 0.0

    def __post_init__(self) -> None:
        for name in ("battery_capacity_wh", "idle_power_w", "imaging_power_w",
                     "slew_power_w", "sunlit_charge_power_w"):
            hi = limits.MAX_ENERGY_WH if name.endswith("_wh") else limits.MAX_POWER_W
            checks.positive(getattr(self, name), f"power.{name}", allow_zero=name != "battery_capacity_wh", hi=hi)
        checks.in_range(self.initial_battery_wh, 0.0, self.battery_capacity_wh, "power.initial_battery_wh")
        checks.in_range(self.reserve_wh, 0.0, self.battery_capacity_wh, "power.reserve_wh")


@dataclass(frozen=True, slots=True)
class Satellite:
    """A spacecraft with its orbit (TLE) and agility.

    Angles in degrees, rates in deg/s, accelerations in deg/s², times in seconds.
    ``max_pitch_deg = 0`` means a roll-only spacecraft.
    """

    id: str
    tle_line1: str
    tle_line2: str
    norad_id: int = 0
    mode: Mode = Mode.OPTICAL
    sensor_type: str = "visible"
    max_off_nadir_deg: float = 30.0
    max_roll_deg: float = 30.0
    max_pitch_deg: float = 0.0
    roll_rate_dps: float = 1.0
    roll_accel_dps2: float = 0.5
    pitch_rate_dps: float = 1.0
    pitch_accel_dps2: float = 0.5
    settle_time_s: float = 5.0
    imaging_time_s: float = 10.0
    slew_model: SlewModel = SlewModel.PER_AXIS
    sequential_slew: bool = False
    min_sun_elevation_deg: float | None = None
    min_incidence_deg: float | None = None
    max_incidence_deg: float | None = None
    sar_modes: tuple[str, ...] = ()
    memory_gbit: float | None = None
    data_per_acquisition_gbit: float | None = None
    downlink_rate_mbps: float | None = None
    power: PowerModel | None = None

    def __post_init__(self) -> None:
        checks.name(self.id, "satellite.id")
        f = f"satellites[{self.id}]"
        object.__setattr__(self, "mode", parse_enum(Mode, self.mode, f"{f}.mode"))
        object.__setattr__(self, "slew_model", parse_enum(SlewModel, self.slew_model, f"{f}.slew_model"))
        checks.integer(self.norad_id, f"{f}.norad_id", 0, limits.MAX_NORAD_ID)
        checks.name(self.sensor_type, f"{f}.sensor_type", 64)
        if not isinstance(self.sequential_slew, bool):
            raise ValidationError(f"{f}.sequential_slew", f"must be true or false, got {self.sequential_slew!r}")
        checks.in_range(self.max_off_nadir_deg, 0.0, 89.0, f"{f}.max_off_nadir_deg")
        checks.in_range(self.max_roll_deg, 0.0, 89.0, f"{f}.max_roll_deg")
        checks.in_range(self.max_pitch_deg, 0.0, 89.0, f"{f}.max_pitch_deg")
        for name in ("roll_rate_dps", "pitch_rate_dps"):
            checks.positive(getattr(self, name), f"{f}.{name}", hi=limits.MAX_RATE_DPS)
        for name in ("roll_accel_dps2", "pitch_accel_dps2"):
            checks.positive(getattr(self, name), f"{f}.{name}", hi=limits.MAX_ACCEL_DPS2)
        checks.positive(self.imaging_time_s, f"{f}.imaging_time_s", hi=limits.MAX_DURATION_S)
        checks.positive(self.settle_time_s, f"{f}.settle_time_s", allow_zero=True, hi=limits.MAX_SETTLE_S)
        for name in ("min_sun_elevation_deg",):
            if getattr(self, name) is not None:
                checks.in_range(getattr(self, name), -90.0, 90.0, f"{f}.{name}")
        for name in ("min_incidence_deg", "max_incidence_deg"):
            if getattr(self, name) is not None:
                checks.in_range(getattr(self, name), 0.0, 90.0, f"{f}.{name}")
        if (self.min_incidence_deg is not None and self.max_incidence_deg is not None
                and self.min_incidence_deg > self.max_incidence_deg):
            raise ValidationError(f"{f}.min_incidence_deg", "must not exceed max_incidence_deg")
        if not isinstance(self.sar_modes, tuple):
            raise ValidationError(f"{f}.sar_modes", f"must be a list of mode names, got {self.sar_modes!r}")
        for i, sar_mode in enumerate(self.sar_modes):
            checks.name(sar_mode, f"{f}.sar_modes[{i}]", 64)
        for name, hi in (("memory_gbit", limits.MAX_MEMORY_GBIT),
                         ("data_per_acquisition_gbit", limits.MAX_DATA_PER_ACQUISITION_GBIT),
                         ("downlink_rate_mbps", limits.MAX_DOWNLINK_MBPS)):
            if getattr(self, name) is not None:
                checks.positive(getattr(self, name), f"{f}.{name}", hi=hi)
        if self.power is not None and not isinstance(self.power, PowerModel):
            raise ValidationError(f"{f}.power", "must be a power model object or null")
        for name in ("tle_line1", "tle_line2"):
            line = checks.text(getattr(self, name), f"{f}.{name}", 80)
            if len(line.rstrip()) != 69:
                raise ValidationError(f"{f}.{name}", "TLE lines must be 69 characters")


@dataclass(frozen=True, slots=True)
class Target:
    """A point on the Earth to image. Latitude/longitude in degrees (WGS84), altitude in metres."""

    id: str
    lat: float
    lon: float
    alt_m: float = 0.0
    priority: int = 3

    def __post_init__(self) -> None:
        checks.name(self.id, "target.id")
        if self.alt_m is None:
            object.__setattr__(self, "alt_m", 0.0)
        object.__setattr__(self, "lat", checks.latitude(self.lat, f"targets[{self.id}].lat"))
        object.__setattr__(self, "lon", checks.longitude(self.lon, f"targets[{self.id}].lon"))
        object.__setattr__(self, "alt_m", checks.in_range(self.alt_m, -500.0, 9000.0,
                                                          f"targets[{self.id}].alt_m"))
        object.__setattr__(self, "priority", checks.priority(self.priority, f"targets[{self.id}].priority"))


@dataclass(frozen=True, slots=True)
class GroundStation:
    """A downlink station; ``mask_deg`` is the minimum elevation for contact."""

    id: str
    lat: float
    lon: float
    alt_m: float = 0.0
    mask_deg: float = 5.0

    def __post_init__(self) -> None:
        checks.name(self.id, "ground_station.id")
        object.__setattr__(self, "lat", checks.latitude(self.lat, f"ground_stations[{self.id}].lat"))
        object.__setattr__(self, "lon", checks.longitude(self.lon, f"ground_stations[{self.id}].lon"))
        object.__setattr__(self, "alt_m", checks.in_range(self.alt_m, -500.0, 9000.0,
                                                          f"ground_stations[{self.id}].alt_m"))
        object.__setattr__(self, "mask_deg", checks.in_range(self.mask_deg, 0.0, 89.0,
                                                             f"ground_stations[{self.id}].mask_deg"))


@dataclass(frozen=True, slots=True)
class WorkspaceSettings:
    """Planning settings of a workspace (scenario file ``settings``)."""

    horizon_start: datetime | None = None
    horizon_end: datetime | None = None
    scenario_clock: datetime | None = None
    time_grid_s: float = 1.0
    freeze_window_hours: float = 2.0
    planning_zone_hours: float = 48.0
    soft_lock_window_hours: float = 24.0
    value_source: ValueSource = ValueSource.TARGET_PRIORITY
    weights: tuple[float, float, float] = WEIGHT_PRESETS["balanced"]
    quality_model: QualityModel = QualityModel.MONOTONIC
    ideal_incidence_deg: float = 35.0
    band_width_deg: float = 7.5
    look_window_s: float = 600.0
    variant_step_s: float = 30.0
    tle_stale_days: float = 7.0
    #: Most opportunities kept per order (None: all); thinned coarse-to-fine around each pass's TCA.
    candidates_per_order: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "value_source",
                           parse_enum(ValueSource, self.value_source, "settings.value_source"))
        object.__setattr__(self, "quality_model",
                           parse_enum(QualityModel, self.quality_model, "settings.quality_model"))
        for name in ("horizon_start", "horizon_end", "scenario_clock"):
            value = getattr(self, name)
            if value is not None:
                if not isinstance(value, datetime):
                    raise ValidationError(f"settings.{name}", f"must be a time, got {value!r}")
                object.__setattr__(self, name, parse_utc(value, f"settings.{name}"))
        if self.horizon_start and self.horizon_end:
            if self.horizon_end <= self.horizon_start:
                raise ValidationError("settings.horizon_end", "must be after horizon_start")
            if self.horizon_end - self.horizon_start > timedelta(days=limits.MAX_HORIZON_DAYS):
                raise ValidationError("settings.horizon_end", f"the horizon is longer than "
                                                              f"{limits.MAX_HORIZON_DAYS} days")
        checks.positive(self.time_grid_s, "settings.time_grid_s", hi=limits.MAX_STEP_S)
        for name in ("freeze_window_hours", "planning_zone_hours", "soft_lock_window_hours"):
            checks.positive(getattr(self, name), f"settings.{name}", allow_zero=True, hi=limits.MAX_HORIZON_HOURS)
        checks.in_range(self.ideal_incidence_deg, 0.0, 90.0, "settings.ideal_incidence_deg")
        checks.positive(self.band_width_deg, "settings.band_width_deg", hi=90.0)
        checks.positive(self.look_window_s, "settings.look_window_s", hi=limits.MAX_STEP_S)
        checks.positive(self.variant_step_s, "settings.variant_step_s", hi=limits.MAX_STEP_S)
        if self.candidates_per_order is not None:
            checks.integer(self.candidates_per_order, "settings.candidates_per_order", 1, 1_000_000)
        checks.positive(self.tle_stale_days, "settings.tle_stale_days", allow_zero=True,
                        hi=limits.MAX_TLE_STALE_DAYS)
        if not isinstance(self.weights, tuple) or len(self.weights) != 3:
            raise ValidationError("settings.weights", "need priority, geometry and timing weights")
        for label, w in zip(("priority", "geometry", "timing"), self.weights):
            checks.positive(w, f"settings.weights.{label}", allow_zero=True, hi=limits.MAX_WEIGHT)


@dataclass(frozen=True, slots=True)
class Workspace:
    id: str
    name: str
    created_at: datetime | None = None
    settings: WorkspaceSettings = field(default_factory=WorkspaceSettings)
