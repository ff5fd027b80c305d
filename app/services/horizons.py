"""Closing a horizon (spec §14 ``workspace advance``): the next horizon with the same scenario."""
from __future__ import annotations

from typing import Any

from app.domain import to_iso
from app.domain.operations import HorizonReport
from app.persistence import ScheduleDB

from .workspaces import resolve_workspace


def advance_horizon(db: ScheduleDB, workspace: str) -> HorizonReport:
    """Close the workspace's horizon at its clock and open the next one of the same length, in one
    transaction. Committed and executing acquisitions are carried over; completed and failed ones
    (and completed orders) are archived: kept for reports, outside planning and the Inbox."""
    ws = resolve_workspace(db, workspace)
    return db.close_horizon(ws.id)


def report_json(r: HorizonReport) -> dict[str, Any]:
    """The closed horizon's report as JSON (what the CLI prints)."""
    return {"workspace_id": r.workspace_id,
            "closed_horizon": {"start": to_iso(r.closed_start) if r.closed_start else None,
                               "end": to_iso(r.closed_end)},
            "next_horizon": {"start": to_iso(r.next_start), "end": to_iso(r.next_end)},
            "orders_served": r.orders_served, "orders_failed": r.orders_failed,
            "failed_by_reason": r.failed_by_reason, "acquisitions_per_satellite": r.acquisitions_per_satellite,
            "value_delivered": r.value_delivered, "carried_over": r.carried_over,
            "archived": {"acquisitions": r.archived_acquisitions, "orders": r.archived_orders}}
