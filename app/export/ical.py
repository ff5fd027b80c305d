"""iCalendar (RFC 5545) writer: one VEVENT per acquisition, for the operations calendar."""
from __future__ import annotations

from typing import IO

from app.domain import UTC, utc_now

from .rows import sorted_acquisitions


def _stamp(dt) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _text(value: object) -> str:
    return (str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets (continuation lines start with a space), never splitting a UTF-8 character."""
    out, current = [], b""
    for ch in line:
        enc = ch.encode("utf-8")
        limit = 75 if not out else 74
        if len(current) + len(enc) > limit:
            out.append(current.decode("utf-8"))
            current = b""
        current += enc
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def write_ical(stream: IO[str], acquisitions, *, targets=(), workspace_name: str = "", **_: object) -> None:
    by_target = {t.id: t for t in targets}
    now = _stamp(utc_now())
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Mission Planning Workbench//Schedule//EN",
             "CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_text('Acquisitions ' + workspace_name)}"]
    for a in sorted_acquisitions(acquisitions):
        desc = (f"Satellite {a.satellite_id}, target {a.target_id}, order {a.order_id or '-'}\n"
                f"roll {a.roll_angle_deg:+.2f} deg, pitch {a.pitch_angle_deg:+.2f} deg"
                + (f", incidence {a.incidence_angle_deg:.2f} deg" if a.incidence_angle_deg is not None else "")
                + f"\nstate {a.state}, lock {a.lock_level}")
        lines += ["BEGIN:VEVENT", f"UID:{a.id}@mission-planning-workbench", f"DTSTAMP:{now}",
                  f"DTSTART:{_stamp(a.start_time)}", f"DTEND:{_stamp(a.end_time)}",
                  f"SUMMARY:{_text(f'{a.target_id} — {a.satellite_id}')}", f"DESCRIPTION:{_text(desc)}",
                  f"CATEGORIES:{_text(str(a.state))}"]
        target = by_target.get(a.target_id)
        if target is not None:
            lines.append(f"GEO:{target.lat:.6f};{target.lon:.6f}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    stream.write("".join(_fold(line) + "\r\n" for line in lines))
