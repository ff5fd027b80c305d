"""Execution reports (spec §10, §14 ``execution import``): what happened to executed acquisitions.

A report is CSV with columns ``acquisition_id, outcome, reason, cloud_pct`` (``satellite_id,
target_id, start_time`` may replace ``acquisition_id``) or JSON ``{"reports": [rows]}``. Outcome is
``completed`` or ``failed``; reason and cloud cover (%, 0–100) are optional. Completed acquisitions
complete their orders; a failed one returns its order to the Inbox (``new``) with the reason and one
more attempt, so the next incremental plan picks it up.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from app.domain import ValidationError, parse_utc, to_iso
from app.domain.enums import parse_enum
from app.domain.operations import ExecutionImport, Outcome, ReportRow
from app.persistence import ScheduleDB

from .table_files import number, read_rows, text
from .workspaces import resolve_workspace

COLUMNS = ("acquisition_id", "satellite_id", "target_id", "start_time", "outcome", "reason", "cloud_pct")


def parse_report_row(n: int, raw: dict[str, Any]) -> ReportRow:
    """One report row; ValidationError naming ``row N.field`` and the reason."""
    where = f"row {n}"
    outcome = parse_enum(Outcome, text(raw.get("outcome"), f"{where}.outcome", required=True), f"{where}.outcome")
    aid = text(raw.get("acquisition_id"), f"{where}.acquisition_id", max_len=128)
    sat = text(raw.get("satellite_id"), f"{where}.satellite_id", max_len=128)
    tgt = text(raw.get("target_id"), f"{where}.target_id", max_len=128)
    start = raw.get("start_time")
    if aid is None:
        for key, value in (("satellite_id", sat), ("target_id", tgt), ("start_time", start)):
            if value is None or value == "":
                raise ValidationError(f"{where}.{key}", "required when acquisition_id is not given")
        start = parse_utc(start, f"{where}.start_time")
    elif any(v not in (None, "") for v in (sat, tgt, start)):
        raise ValidationError(f"{where}.acquisition_id", "give either acquisition_id or satellite_id, target_id "
                                                         "and start_time, not both")
    else:
        start = None
    cloud = raw.get("cloud_pct")
    cloud = None if cloud in (None, "") else number(cloud, f"{where}.cloud_pct", 0.0, 100.0)
    return ReportRow(n, outcome, aid, sat, tgt, start, text(raw.get("reason"), f"{where}.reason"), cloud)


def parse_report_file(path: str | Path) -> tuple[list[ReportRow], dict[int, str]]:
    """(good rows, {row: reason} of rows that do not parse). A file that is not a report at all
    (missing, not UTF-8, unknown column, not JSON) raises ValidationError."""
    rows, bad = [], {}
    for n, raw in read_rows(path, COLUMNS, "reports"):
        try:
            rows.append(parse_report_row(n, raw))
        except ValidationError as exc:
            bad[n] = str(exc).removeprefix(f"row {n}.")
    if not rows and not bad:
        raise ValidationError(str(path), "the report has no rows")
    return rows, bad


def import_execution_report(db: ScheduleDB, workspace: str, path: str | Path,
                            skip_bad: bool = False) -> ExecutionImport:
    """Apply an execution report file to a workspace in one transaction. Any refused row refuses the
    whole file (nothing written) unless ``skip_bad``: then only the good rows are applied and the
    result lists the skipped rows with their reasons."""
    ws = resolve_workspace(db, workspace)
    rows, bad = parse_report_file(path)
    return db.record_execution(ws.id, rows, bad, skip_bad=skip_bad)


def import_json(result: ExecutionImport) -> dict[str, Any]:
    """The CLI's JSON of an import."""
    return {"workspace_id": result.workspace_id, "completed": len(result.completed), "failed": len(result.failed),
            "orders_completed": list(result.orders_completed),
            "orders_returned_to_inbox": list(result.orders_returned),
            "skipped": [{"row": r, "reason": why} for r, why in result.skipped.items()],
            "acquisitions": {"completed": list(result.completed), "failed": list(result.failed)}}


def report_row_text(row: ReportRow) -> str:
    """A row as a planner reads it (for previews)."""
    when = to_iso(row.start_time) if row.start_time else ""
    return f"row {row.row}: {row.outcome.value} — {row.target_id or ''} {row.satellite_id or ''} {when}".strip()


def outcome_text(db: ScheduleDB, acquisition_id: str) -> str | None:
    """What the execution report said, in words (``failed: clouds · 95 % cloud · reported …``), or None."""
    found = db.execution_outcome(acquisition_id)
    if found is None:
        return None
    at, reason, cloud = found
    acq = db.get_acquisition(acquisition_id)
    parts = [acq.state.value if acq else "reported"]
    if reason:
        parts[0] += f": {reason}"
    if cloud is not None:
        parts.append(f"{cloud:g} % cloud")
    parts.append(f"reported {at:%Y-%m-%d %H:%M}Z")
    return " · ".join(parts)
