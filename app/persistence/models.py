"""ORM models of the ScheduleDB (seed 000 schema, seed 001 §1.5 and §7). Never leave this package.

Times are ``UtcDateTime`` (fixed-width ISO text), JSON columns are ``JsonText``. Index names follow
seed 001 §7.2; ``idx_acq_workspace_start`` serves the horizon query (one workspace, a time range).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (ForeignKey, Index, Integer, LargeBinary, MetaData, String, Text,
                        UniqueConstraint, text)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.domain.enums import (AcquisitionSource, AcquisitionState, ChangeType, ConflictType, LockLevel, Mode,
                              OrderSource, OrderStatus, PlanStatus, Severity)

from .types import EnumText, JsonText, UtcDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: The partial unique index "one live (not failed) acquisition per order".
LIVE_ORDER_INDEX = "uq_acq_live_order"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JsonText, list[Any]: JsonText}


class SchemaMigrationRow(Base):
    __tablename__ = "schema_migrations"
    version: Mapped[str] = mapped_column(String(16), primary_key=True)
    applied_at: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime | None]
    updated_at: Mapped[datetime | None]
    settings_json: Mapped[dict[str, Any] | None]
    # Columns of the legacy v1 table (seed 001 §1.5), kept so a v1 file opens unchanged.
    schema_version: Mapped[str | None] = mapped_column(Text, default="2.0")
    app_version: Mapped[str | None] = mapped_column(Text)
    mission_mode: Mapped[str | None] = mapped_column(Text)
    time_window_start: Mapped[str | None] = mapped_column(Text)
    time_window_end: Mapped[str | None] = mapped_column(Text)
    satellites_count: Mapped[int | None] = mapped_column(Integer, default=0)
    targets_count: Mapped[int | None] = mapped_column(Integer, default=0)
    last_run_status: Mapped[str | None] = mapped_column(Text)
    last_run_timestamp: Mapped[str | None] = mapped_column(Text)
    #: The clock instant up to which time passing (spec §10) was last applied (schema 2.3).
    clock_applied_at: Mapped[datetime | None]
    #: Bumped by every transaction that changes the workspace's acquisitions; the UPDATE that bumps
    #: it is also the row lock that serialises schedule writers (PostgreSQL), so a commit re-checks
    #: against a schedule nobody else changes meanwhile (migration 2.4).
    schedule_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __table_args__ = (Index("idx_workspaces_name", "name"),)


class WorkspaceBlobRow(Base):
    """The legacy v1 state blobs (seed 001 §1.5); ``orders_state_json`` feeds the v1 migration."""

    __tablename__ = "workspace_blobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    scenario_config_json: Mapped[str | None] = mapped_column(Text)
    analysis_state_json: Mapped[str | None] = mapped_column(Text)
    planning_state_json: Mapped[str | None] = mapped_column(Text)
    orders_state_json: Mapped[str | None] = mapped_column(Text)
    ui_state_json: Mapped[str | None] = mapped_column(Text)
    czml_blob: Mapped[bytes | None] = mapped_column(LargeBinary)
    config_hash: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("workspace_id"),)


class SatelliteRow(Base):
    """A satellite of a workspace; agility, sensor and power parameters live in ``params_json``."""

    __tablename__ = "satellites"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    norad_id: Mapped[int] = mapped_column(Integer, default=0)
    mode: Mapped[Mode] = mapped_column(EnumText(Mode))
    tle_line1: Mapped[str] = mapped_column(Text)
    tle_line2: Mapped[str] = mapped_column(Text)
    params_json: Mapped[dict[str, Any]]


class TargetRow(Base):
    __tablename__ = "targets"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    lat: Mapped[float]
    lon: Mapped[float]
    alt_m: Mapped[float] = mapped_column(default=0.0)
    priority: Mapped[int] = mapped_column(Integer, default=3)


class GroundStationRow(Base):
    __tablename__ = "ground_stations"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                              primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    lat: Mapped[float]
    lon: Mapped[float]
    alt_m: Mapped[float] = mapped_column(default=0.0)
    mask_deg: Mapped[float] = mapped_column(default=5.0)


class SatelliteGroupRow(Base):
    __tablename__ = "satellite_groups"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    satellite_ids_json: Mapped[list[Any]]
    workspace_id: Mapped[str | None] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"),
                                                     index=True)


class OrderRow(Base):
    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    status: Mapped[OrderStatus] = mapped_column(EnumText(OrderStatus), default=OrderStatus.NEW)
    target_id: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, default=3)
    constraints_json: Mapped[dict[str, Any] | None]
    requested_window_start: Mapped[datetime | None]
    requested_window_end: Mapped[datetime | None]
    source: Mapped[OrderSource] = mapped_column(EnumText(OrderSource), default=OrderSource.MANUAL)
    notes: Mapped[str | None] = mapped_column(Text)
    external_ref: Mapped[str | None] = mapped_column(Text)
    workspace_id: Mapped[str | None] = mapped_column(ForeignKey("workspaces.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Execution (schema 2.3): failed attempts so far and the last failure's reason; set when a
    # horizon is closed with the order done (hidden from planning and the Inbox, kept for reports).
    attempt_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failure_reason: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None]
    # Extra columns of an imported order file, kept as they came (schema 2.5).
    extra_json: Mapped[dict[str, Any] | None]

    __table_args__ = (
        Index("idx_orders_status", "status"),
        Index("idx_orders_target", "target_id"),
        Index("idx_orders_window", "requested_window_start", "requested_window_end"),
        Index("idx_orders_workspace", "workspace_id"),
    )


class PlanRow(Base):
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
    algorithm: Mapped[str] = mapped_column(Text)
    config_json: Mapped[dict[str, Any]]
    input_hash: Mapped[str] = mapped_column(Text)
    run_id: Mapped[str] = mapped_column(Text)
    score: Mapped[float | None]
    metrics_json: Mapped[dict[str, Any]]
    status: Mapped[PlanStatus] = mapped_column(EnumText(PlanStatus), default=PlanStatus.CANDIDATE)
    workspace_id: Mapped[str | None] = mapped_column(ForeignKey("workspaces.id"))
    #: The workspace's schedule_version the plan was computed against (None: unknown, re-check always).
    schedule_version: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("idx_plans_workspace", "workspace_id"),
        Index("idx_plans_status", "status"),
        Index("idx_plans_input_hash", "input_hash"),
    )


class PlanItemRow(Base):
    __tablename__ = "plan_items"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    opportunity_id: Mapped[str] = mapped_column(Text)
    satellite_id: Mapped[str] = mapped_column(Text)
    target_id: Mapped[str] = mapped_column(Text)
    # Placement fields: one naming in Python (domain.placement), the stored column names kept.
    start: Mapped[datetime] = mapped_column("start_time")
    end: Mapped[datetime] = mapped_column("end_time")
    roll_deg: Mapped[float] = mapped_column("roll_angle_deg")
    pitch_deg: Mapped[float | None] = mapped_column("pitch_angle_deg", default=0.0)
    value: Mapped[float | None]
    quality_score: Mapped[float | None]
    maneuver_time_s: Mapped[float | None]
    slack_time_s: Mapped[float | None]
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"))
    incidence_deg: Mapped[float | None] = mapped_column("incidence_angle_deg")
    roll_end_deg: Mapped[float | None]
    pitch_end_deg: Mapped[float | None]
    look_side: Mapped[str | None] = mapped_column(Text)
    pass_direction: Mapped[str | None] = mapped_column(Text)
    #: What committing the item does (schema 2.2; before, the plan's config JSON said it): added,
    #: moved, satellite_switched, unchanged (``replaces_acquisition_id`` updated in place), removed.
    change_type: Mapped[ChangeType | None] = mapped_column(EnumText(ChangeType))
    replaces_acquisition_id: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("idx_planitems_plan", "plan_id"),
        Index("idx_planitems_opportunity", "opportunity_id"),
        Index("idx_planitems_order", "order_id"),
    )


class AcquisitionRow(Base):
    __tablename__ = "acquisitions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    satellite_id: Mapped[str] = mapped_column(Text)
    target_id: Mapped[str] = mapped_column(Text)
    # Placement fields: one naming in Python (domain.placement), the stored column names kept.
    start: Mapped[datetime] = mapped_column("start_time")
    end: Mapped[datetime] = mapped_column("end_time")
    mode: Mapped[Mode] = mapped_column(EnumText(Mode), default=Mode.OPTICAL)
    roll_deg: Mapped[float] = mapped_column("roll_angle_deg")
    pitch_deg: Mapped[float | None] = mapped_column("pitch_angle_deg", default=0.0)
    roll_end_deg: Mapped[float | None]
    pitch_end_deg: Mapped[float | None]
    incidence_deg: Mapped[float | None] = mapped_column("incidence_angle_deg")
    look_side: Mapped[str | None] = mapped_column(Text)
    pass_direction: Mapped[str | None] = mapped_column(Text)
    sar_mode: Mapped[str | None] = mapped_column(Text)
    swath_width_km: Mapped[float | None]
    scene_length_km: Mapped[float | None]
    state: Mapped[AcquisitionState] = mapped_column(EnumText(AcquisitionState),
                                                    default=AcquisitionState.TENTATIVE)
    lock_level: Mapped[LockLevel] = mapped_column(EnumText(LockLevel), default=LockLevel.NONE)
    source: Mapped[AcquisitionSource] = mapped_column(EnumText(AcquisitionSource),
                                                      default=AcquisitionSource.AUTO)
    order_id: Mapped[str | None] = mapped_column(ForeignKey("orders.id"))
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("plans.id"))
    opportunity_id: Mapped[str | None] = mapped_column(Text)
    quality_score: Mapped[float | None]
    maneuver_time_s: Mapped[float | None]
    slack_time_s: Mapped[float | None]
    workspace_id: Mapped[str | None] = mapped_column(ForeignKey("workspaces.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Execution report (schema 2.3): when it was reported, why it failed, cloud cover seen (%).
    reported_at: Mapped[datetime | None]
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    cloud_pct: Mapped[float | None]
    archived_at: Mapped[datetime | None]

    __table_args__ = (
        Index("idx_acq_satellite_time", "satellite_id", "start_time"),
        Index("idx_acq_target", "target_id"),
        Index("idx_acq_state", "state"),
        Index("idx_acq_time_range", "start_time", "end_time"),
        Index("idx_acq_order", "order_id"),
        Index("idx_acq_workspace", "workspace_id"),
        Index("idx_acq_workspace_start", "workspace_id", "start_time"),
        Index("idx_acq_plan", "plan_id"),
        # One live acquisition per order (spec §7: at most one opportunity per order): the database
        # itself refuses a second one, whatever two concurrent commits checked (migration 2.4).
        Index(LIVE_ORDER_INDEX, "order_id", unique=True,
              sqlite_where=text("order_id IS NOT NULL AND state <> 'failed'"),
              postgresql_where=text("order_id IS NOT NULL AND state <> 'failed'")),
    )


class ConflictRow(Base):
    __tablename__ = "conflicts"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    detected_at: Mapped[datetime]
    type: Mapped[ConflictType] = mapped_column(EnumText(ConflictType))
    severity: Mapped[Severity] = mapped_column(EnumText(Severity), default=Severity.ERROR)
    description: Mapped[str | None] = mapped_column(Text)
    acquisition_ids_json: Mapped[list[Any]]
    resolution_options_json: Mapped[list[Any] | None] = mapped_column(JsonText)
    satellite_id: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    resolution_action: Mapped[str | None] = mapped_column(Text)
    resolution_notes: Mapped[str | None] = mapped_column(Text)
    workspace_id: Mapped[str | None] = mapped_column(ForeignKey("workspaces.id"))

    __table_args__ = (
        Index("idx_conflicts_workspace", "workspace_id"),
        Index("idx_conflicts_type", "type"),
    )


class CloudForecastRow(Base):
    """One cloud-cover forecast point of a workspace (schema 2.3): cover in % at (lat, lon, time)."""

    __tablename__ = "cloud_forecasts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    lat: Mapped[float]
    lon: Mapped[float]
    time: Mapped[datetime]
    cloud_pct: Mapped[float]

    __table_args__ = (Index("idx_cloud_forecasts_workspace", "workspace_id", "time"),)


class AuditRow(Base):
    """Who did what, when, to which entity, with before/after snapshots. No foreign keys: the
    trail outlives what it describes."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    who: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str] = mapped_column(Text)
    before_json: Mapped[dict[str, Any] | None]
    after_json: Mapped[dict[str, Any] | None]
    workspace_id: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("idx_audit_workspace", "workspace_id", "id"),
        Index("idx_audit_entity", "entity_id"),
    )


WORKSPACES = WorkspaceRow.__table__
ACQUISITIONS = AcquisitionRow.__table__
ORDERS = OrderRow.__table__
PLANS = PlanRow.__table__
PLAN_ITEMS = PlanItemRow.__table__
AUDIT = AuditRow.__table__
CLOUD_FORECASTS = CloudForecastRow.__table__


def _renamed_columns(*models: type[Base]) -> dict[str, str]:
    return {attr.key: attr.columns[0].name for model in models for attr in model.__mapper__.column_attrs
            if attr.key != attr.columns[0].name}


#: Python name → stored column name, where they differ: the placement fields of acquisitions and
#: plan items (``start`` → ``start_time`` …; see domain.placement). ORM attributes and ORM
#: statements use the Python names; the Core tables (``ACQUISITIONS.c``, their inserts and
#: updates) and raw SQL use the columns.
COLUMN_OF = _renamed_columns(AcquisitionRow, PlanItemRow)


def as_columns(values: dict[str, Any]) -> dict[str, Any]:
    """A row's values under the Python names → under the column names a Core insert or update of
    ``ACQUISITIONS``/``PLAN_ITEMS`` takes (an executemany silently drops a key it does not know)."""
    return {COLUMN_OF.get(k, k): v for k, v in values.items()}
