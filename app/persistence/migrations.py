"""Schema migrations: ordered functions, each recorded in ``schema_migrations`` when applied.

A database whose recorded schema is newer than this code knows is refused (``SchemaTooNewError``)
before anything is written to it. Each migration is idempotent (it inspects what exists), so a
legacy v1 file (seed 001 §1.5: ``workspaces`` and ``workspace_blobs`` only) upgrades in place.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.schema import CreateColumn

from app.domain import DomainError

from .engine import schema_lock, writer
from .models import LIVE_ORDER_INDEX, Base
from .types import format_utc


class SchemaTooNewError(DomainError):
    """The database was written by a newer version of the application; it is left untouched."""

    def __init__(self, location: str, found: str, known: str) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"schema_migrations: database {location} has schema version {found}, newer than this "
            f"application knows ({known}); open it with a newer version of the workbench. "
            "Nothing was changed.")


@dataclass(frozen=True)
class Migration:
    version: str
    description: str
    apply: Callable[[Connection], None]


def _version_key(version: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return None


def _ensure_tables(conn: Connection, names: tuple[str, ...]) -> None:
    """Create missing tables, add missing (nullable or defaulted) columns, create missing indexes."""
    tables = [Base.metadata.tables[n] for n in names]
    Base.metadata.create_all(conn, tables=tables, checkfirst=True)
    inspector = inspect(conn)
    for table in tables:
        existing = {c["name"] for c in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name in existing:
                continue
            ddl = CreateColumn(column).compile(dialect=conn.dialect)
            ddl_text = str(ddl)
            if not column.nullable and column.server_default is None:
                # An added NOT NULL column needs a default for the rows already there.
                ddl_text = ddl_text.replace(" NOT NULL", "")
            conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN {ddl_text}"))
        existing_ix = {ix["name"] for ix in inspect(conn).get_indexes(table.name)}
        for index in table.indexes:
            # The unique "one live acquisition per order" index needs data that allows it: _v2_4.
            if index.name not in existing_ix and index.name != LIVE_ORDER_INDEX:
                index.create(conn)


def _normalise_v1_times(conn: Connection) -> None:
    """v1 wrote local-free ISO strings of UTC (``2025-01-22T10:00:00``); store them fixed-width Z."""
    rows = conn.execute(text("SELECT id, created_at, updated_at FROM workspaces")).all()
    for ws_id, created, updated in rows:
        values = {}
        for key, raw in (("created_at", created), ("updated_at", updated)):
            if raw is None:
                continue
            try:
                dt = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
            except ValueError:
                values[key] = None
                continue
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=timezone.utc)  # v1 stored UTC without a zone
            values[key] = format_utc(dt)
        if values:
            sets = ", ".join(f"{k} = :{k}" for k in values)
            conn.execute(text(f"UPDATE workspaces SET {sets} WHERE id = :id"), {**values, "id": ws_id})


def _v2_0(conn: Connection) -> None:
    _ensure_tables(conn, ("workspaces", "workspace_blobs", "orders", "plans", "plan_items",
                          "acquisitions", "conflicts"))
    _normalise_v1_times(conn)


def _v2_1(conn: Connection) -> None:
    _ensure_tables(conn, ("satellites", "targets", "ground_stations", "satellite_groups", "audit_log"))


#: Keys of ``plans.config_json`` that carried a plan's meaning before schema 2.2.
_LEGACY_PLAN_KEYS = ("replaces", "supersede", "changes")


def _v2_2(conn: Connection) -> None:
    """Plans carry their own meaning: ``plan_items.change_type`` and ``replaces_acquisition_id``,
    filled from what the plan's config JSON said (``replaces``: opportunity → acquisition,
    ``changes``, ``supersede``), which is then dropped from the config. A candidate's superseded
    acquisitions that no item replaces become ``removed`` items (their placement copied), so the
    one commit path removes them. Idempotent: only plans still holding the legacy keys are read."""
    _ensure_tables(conn, ("plan_items",))
    plans = Base.metadata.tables["plans"]
    items = Base.metadata.tables["plan_items"]
    acqs = Base.metadata.tables["acquisitions"]
    for plan_id, status, config in conn.execute(select(plans.c.id, plans.c.status, plans.c.config_json)).all():
        if not isinstance(config, dict) or not any(k in config for k in _LEGACY_PLAN_KEYS):
            continue
        replaces = {str(o): str(a) for o, a in dict(config.get("replaces") or {}).items()}
        kinds = {c.get("opportunity_id"): c.get("type") for c in config.get("changes") or ()
                 if isinstance(c, dict) and c.get("type") in ("moved", "satellite_switched", "unchanged")}
        for item_id, opp_id in conn.execute(select(items.c.id, items.c.opportunity_id)
                                            .where(items.c.plan_id == plan_id, items.c.change_type.is_(None))).all():
            if opp_id in replaces:
                values = {"change_type": kinds.get(opp_id, "moved"), "replaces_acquisition_id": replaces[opp_id]}
            else:
                values = {"change_type": "added"}
            conn.execute(items.update().where(items.c.id == item_id).values(**values))
        gone = [a for a in dict.fromkeys(config.get("supersede") or ()) if a not in set(replaces.values())]
        if status == "candidate" and gone:
            for row in conn.execute(select(acqs).where(acqs.c.id.in_(gone))).mappings().all():
                conn.execute(items.insert().values(
                    id=f"planitem_rm_{row['id']}"[:64], plan_id=plan_id,
                    opportunity_id=row["opportunity_id"] or row["id"], change_type="removed",
                    replaces_acquisition_id=row["id"], **{k: row[k] for k in _COPIED_TO_REMOVED}))
        kept = {k: v for k, v in config.items() if k not in _LEGACY_PLAN_KEYS}
        conn.execute(plans.update().where(plans.c.id == plan_id).values(config_json=kept))
    conn.execute(items.update().where(items.c.change_type.is_(None), items.c.replaces_acquisition_id.is_(None))
                 .values(change_type="added"))


#: Acquisition columns a ``removed`` plan item keeps (the placement it removes).
_COPIED_TO_REMOVED = ("satellite_id", "target_id", "start_time", "end_time", "roll_angle_deg", "pitch_angle_deg",
                      "roll_end_deg", "pitch_end_deg", "incidence_angle_deg", "look_side", "pass_direction",
                      "order_id", "quality_score", "maneuver_time_s", "slack_time_s")


def _v2_3(conn: Connection) -> None:
    _ensure_tables(conn, ("workspaces", "orders", "acquisitions", "cloud_forecasts"))


def _v2_4(conn: Connection) -> None:
    """Team mode: workspaces.schedule_version, plans.schedule_version, and the partial unique index
    "one live acquisition per order". A database that already holds an order served twice (written
    before this guard) keeps working without the index: the commit re-check still refuses a second
    acquisition of an order, and the ground_conflict detector shows the existing pair."""
    _ensure_tables(conn, ("workspaces", "plans"))
    if LIVE_ORDER_INDEX in {ix["name"] for ix in inspect(conn).get_indexes("acquisitions")}:
        return
    twice = conn.execute(text("SELECT order_id FROM acquisitions WHERE order_id IS NOT NULL AND state <> 'failed' "
                              "GROUP BY order_id HAVING COUNT(*) > 1")).first()
    if twice is None:
        next(ix for ix in Base.metadata.tables["acquisitions"].indexes if ix.name == LIVE_ORDER_INDEX).create(conn)


def _v2_5(conn: Connection) -> None:
    _ensure_tables(conn, ("orders",))


MIGRATIONS: tuple[Migration, ...] = (
    Migration("2.0", "Persistent scheduling (seed 000): orders, acquisitions, plans, plan_items, "
                     "conflicts; legacy v1 workspaces upgraded in place", _v2_0),
    Migration("2.1", "Workbench: scenario tables (satellites, targets, ground_stations, "
                     "satellite_groups) and audit_log", _v2_1),
    Migration("2.2", "Plans carry their own meaning: plan_items.change_type and replaces_acquisition_id "
                     "(before: the plan's config JSON)", _v2_2),
    Migration("2.3", "Operations: the clock's last applied instant, execution outcomes of "
                     "acquisitions, attempts of orders, archiving, cloud forecasts", _v2_3),
    Migration("2.4", "Team mode: schedule versions of workspaces and plans; one live acquisition per order",
              _v2_4),
    Migration("2.5", "Order files: extra columns of imported orders kept (orders.extra_json)", _v2_5),
)
SCHEMA_VERSION = MIGRATIONS[-1].version


def recorded_versions(conn: Connection) -> list[str]:
    if not inspect(conn).has_table("schema_migrations"):
        return []
    return [row[0] for row in conn.execute(text("SELECT version FROM schema_migrations"))]


def check_not_newer(versions: list[str], location: str) -> None:
    known = {m.version for m in MIGRATIONS}
    latest = _version_key(SCHEMA_VERSION)
    for version in versions:
        if version in known:
            continue
        key = _version_key(version)
        if key is None or key > latest:  # type: ignore[operator]
            raise SchemaTooNewError(location, version, SCHEMA_VERSION)


def migrate(engine: Engine, location: str) -> list[str]:
    """Refuse a too-new schema (reading only), then apply the pending migrations in one transaction.

    Returns the versions applied now (empty when the database was up to date).
    """
    with engine.connect() as conn:
        versions = recorded_versions(conn)
        conn.rollback()
    check_not_newer(versions, location)
    if {m.version for m in MIGRATIONS} <= set(versions):
        return []
    applied: list[str] = []
    with writer(engine).begin() as conn:
        # PostgreSQL: two processes opening an empty database would both create the tables (and
        # one fail on pg_type's unique index); an advisory lock makes the second wait, then find
        # the work done. SQLite: BEGIN IMMEDIATE already is that lock.
        schema_lock(conn)
        # Re-read under the write lock: another instance may have migrated meanwhile.
        versions = recorded_versions(conn)
        check_not_newer(versions, location)
        if not versions:
            Base.metadata.tables["schema_migrations"].create(conn, checkfirst=True)
        for migration in MIGRATIONS:
            if migration.version in versions:
                continue
            migration.apply(conn)
            conn.execute(text("INSERT INTO schema_migrations (version, applied_at, description) "
                              "VALUES (:v, :at, :d)"),
                         {"v": migration.version, "at": format_utc(datetime.now(timezone.utc)),
                          "d": migration.description})
            applied.append(migration.version)
    return applied
