"""Acquisitions: the horizon and per-satellite queries (seed 000) over the time indexes."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any, Sequence

from sqlalchemy import select

from app.domain import Acquisition, ValidationError, parse_utc, to_iso
from app.domain.enums import AcquisitionState, parse_enum

from . import rows
from .models import ACQUISITIONS, ORDERS, AcquisitionRow
from .store import MAX_ACQUISITION_S, StoreBase, fetch_rows, id_filters, ids_list

#: States that occupy the satellite (what incremental planning must plan around).
BLOCKING_STATES = (AcquisitionState.LOCKED, AcquisitionState.COMMITTED, AcquisitionState.EXECUTING,
                   AcquisitionState.COMPLETED)


class AcquisitionQueries(StoreBase):

    # --- queries ---------------------------------------------------------------------------------

    def get_acquisition(self, acquisition_id: str) -> Acquisition | None:
        """The acquisition with this id, or None."""
        with self._read() as s:
            return self._acquisitions_by_id(s, [acquisition_id]).get(acquisition_id)

    def get_acquisitions(self, acquisition_ids: Sequence[str]) -> list[Acquisition]:
        """The acquisitions with these ids that exist, in the order asked."""
        ids = ids_list(acquisition_ids, "acquisition_ids")
        with self._read() as s:
            found = self._acquisitions_by_id(s, ids)
        return [found[i] for i in ids if i in found]

    def row_versions(self, acquisition_ids: Sequence[str] = (), order_ids: Sequence[str] = (),
                     ) -> tuple[dict[str, int], dict[str, int]]:
        """(acquisition id → version, order id → version) of those that exist: every change of a
        row bumps its version, so a holder of a row at that version holds it as it is (what a
        view refreshing 1,000 rows named by the change feed compares before reading any whole)."""
        out: tuple[dict[str, int], dict[str, int]] = ({}, {})
        with self._read() as s:
            for table, ids, found in ((ACQUISITIONS, acquisition_ids, out[0]), (ORDERS, order_ids, out[1])):
                for where in id_filters(s, table.c.id, list(dict.fromkeys(ids))):
                    found.update(fetch_rows(s, select(table.c.id, table.c.version).where(where)))
        return out

    def list_acquisitions(self, workspace_id: str, start_time: Any = None, end_time: Any = None,
                          satellite_id: str | None = None, states: Sequence[str] | None = None,
                          order_id: str | None = None, plan_id: str | None = None,
                          archived: bool = True) -> list[Acquisition]:
        """A workspace's acquisitions by start time; optional time overlap and filters.
        ``archived`` False leaves out those a closed horizon archived (kept for its reports)."""
        stmt = select(*rows.ACQUISITION_COLUMNS).where(AcquisitionRow.workspace_id == workspace_id)
        if not archived:
            stmt = stmt.where(AcquisitionRow.archived_at.is_(None))
        stmt = self._time_filter(stmt, start_time, end_time)
        if satellite_id is not None:
            stmt = stmt.where(AcquisitionRow.satellite_id == satellite_id)
        if states is not None:
            stmt = stmt.where(AcquisitionRow.state.in_(
                [parse_enum(AcquisitionState, x, "states").value for x in ([states] if isinstance(states, str) else states)]))
        if order_id is not None:
            stmt = stmt.where(AcquisitionRow.order_id == order_id)
        if plan_id is not None:
            stmt = stmt.where(AcquisitionRow.plan_id == plan_id)
        with self._read() as s:
            return [rows.acquisition(r) for r in
                    s.execute(stmt.order_by(AcquisitionRow.start, AcquisitionRow.satellite_id, AcquisitionRow.id))]

    @staticmethod
    def _time_filter(stmt, start_time: Any, end_time: Any, required: bool = False):
        start = parse_utc(start_time, "start_time") if start_time is not None or required else None
        end = parse_utc(end_time, "end_time") if end_time is not None or required else None
        if start is not None and end is not None and end <= start:
            raise ValidationError("end_time", "must be after start_time")
        if end is not None:
            stmt = stmt.where(AcquisitionRow.start < end)
        if start is not None:
            # Overlap with [start, end): the start_time lower bound keeps it one index range scan.
            stmt = stmt.where(AcquisitionRow.start >= start - timedelta(seconds=MAX_ACQUISITION_S),
                              AcquisitionRow.end > start)
        return stmt

    def horizon_statement(self, start_time: Any, end_time: Any, workspace_id: str | None = None,
                          include_tentative: bool = True):
        """The horizon query (exposed so tests and the benchmark can EXPLAIN it)."""
        stmt = select(*rows.ACQUISITION_COLUMNS)
        if workspace_id is not None:
            stmt = stmt.where(AcquisitionRow.workspace_id == workspace_id)
        stmt = self._time_filter(stmt, start_time, end_time, required=True)
        if not include_tentative:
            stmt = stmt.where(AcquisitionRow.state != AcquisitionState.TENTATIVE.value)
        return stmt.order_by(AcquisitionRow.start)

    def get_acquisitions_in_horizon(self, start_time: Any, end_time: Any, workspace_id: str | None = None,
                                    include_tentative: bool = True) -> list[Acquisition]:
        """Acquisitions overlapping [start_time, end_time), by start time (seed 000)."""
        stmt = self.horizon_statement(start_time, end_time, workspace_id, include_tentative)
        with self._read() as s:
            return [rows.acquisition(r) for r in s.execute(stmt)]

    def get_committed_acquisitions_for_satellite(self, satellite_id: str, start_time: Any, end_time: Any,
                                                 workspace_id: str | None = None) -> list[Acquisition]:
        """What blocks a satellite in [start_time, end_time): locked, committed, executing and
        completed acquisitions (tentative and failed ones do not block), by start time."""
        stmt = select(*rows.ACQUISITION_COLUMNS).where(AcquisitionRow.satellite_id == satellite_id)
        stmt = self._time_filter(stmt, start_time, end_time, required=True)
        stmt = stmt.where(AcquisitionRow.state.in_([x.value for x in BLOCKING_STATES]))
        if workspace_id is not None:
            stmt = stmt.where(AcquisitionRow.workspace_id == workspace_id)
        with self._read() as s:
            return [rows.acquisition(r) for r in s.execute(stmt.order_by(AcquisitionRow.start))]

    def last_acquisition_before(self, workspace_id: str, satellite_id: str, time: Any) -> Acquisition | None:
        """The satellite's last acquisition ending at or before ``time`` (its attitude at the
        horizon start is that acquisition's end attitude); None if there is none."""
        t = parse_utc(time, "time")
        stmt = (select(*rows.ACQUISITION_COLUMNS)
                .where(AcquisitionRow.satellite_id == satellite_id, AcquisitionRow.start < t,
                       AcquisitionRow.end <= t, AcquisitionRow.workspace_id == workspace_id,
                       AcquisitionRow.state != AcquisitionState.FAILED.value)
                .order_by(AcquisitionRow.start.desc()).limit(1))
        with self._read() as s:
            row = s.execute(stmt).first()
        return rows.acquisition(row) if row else None

    def get_horizon(self, start_time: Any, end_time: Any, workspace_id: str, now: Any = None,
                    include_tentative: bool = True) -> dict[str, Any]:
        """The seed's horizon response: ``{"success", "horizon": {"start", "end", "freeze_cutoff",
        "now"}, "acquisitions": [JSON-able dicts], "statistics": {"total_acquisitions", "by_state",
        "by_satellite"}}``. ``freeze_cutoff`` = now + the workspace's ``freeze_window_hours``; now
        defaults to the workspace's scenario clock, else the real time."""
        stmt = self.horizon_statement(start_time, end_time, workspace_id, include_tentative)
        with self._read() as s:
            settings = self._workspace_settings(s, workspace_id)
            acqs = [rows.acquisition(r) for r in s.execute(stmt)]
        clock = self._now(settings, now)
        by_state = Counter(a.state.value for a in acqs)
        by_sat = Counter(a.satellite_id for a in acqs)
        return {
            "success": True,
            "horizon": {"start": to_iso(parse_utc(start_time, "start_time")),
                        "end": to_iso(parse_utc(end_time, "end_time")),
                        "freeze_cutoff": to_iso(self._freeze_cutoff(settings, clock)),
                        "now": to_iso(clock)},
            "acquisitions": [rows.acquisition_dict(a) for a in acqs],
            "statistics": {"total_acquisitions": len(acqs), "by_state": dict(sorted(by_state.items())),
                           "by_satellite": dict(sorted(by_sat.items()))},
        }
