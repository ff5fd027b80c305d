"""iCalendar (RFC 5545) writer, built with ``icalendar``: one VEVENT per acquisition for the
operations calendar.

Calendar clients match events by UID and keep the highest SEQUENCE: the UID is the acquisition's
id (stable across exports), SEQUENCE its row version minus one (so a moved or relocked
acquisition replaces its earlier event instead of duplicating it), and METHOD:PUBLISH marks the
file as a published schedule, not an invitation. LOCATION names the target and its coordinates.
"""
from __future__ import annotations

from typing import IO

from icalendar import Calendar, Event

from app.domain import UTC, utc_now

from .rows import sorted_acquisitions

PRODID = "-//Mission Planning Workbench//Schedule//EN"
UID_DOMAIN = "mission-planning-workbench"


def _plain(value: object) -> str:
    return str(getattr(value, "value", value))


def write_ical(stream: IO[str], acquisitions, *, targets=(), workspace_name: str = "", **_: object) -> None:
    by_target = {t.id: t for t in targets}
    now = utc_now().replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Acquisitions {workspace_name}".strip())
    for a in sorted_acquisitions(acquisitions):
        event = Event()
        event.add("uid", f"{a.id}@{UID_DOMAIN}")
        event.add("sequence", max(int(getattr(a, "version", 1) or 1) - 1, 0))
        event.add("dtstamp", now)
        event.add("dtstart", a.start.astimezone(UTC))
        event.add("dtend", a.end.astimezone(UTC))
        event.add("summary", f"{a.target_id} — {a.satellite_id}")
        event.add("description",
                  f"Satellite {a.satellite_id}, target {a.target_id}, order {a.order_id or '-'}\n"
                  f"roll {a.roll_deg:+.2f} deg, pitch {a.pitch_deg:+.2f} deg"
                  + (f", incidence {a.incidence_deg:.2f} deg" if a.incidence_deg is not None else "")
                  + f"\nstate {_plain(a.state)}, lock {_plain(a.lock_level)}")
        event.add("categories", [_plain(a.state)])
        target = by_target.get(a.target_id)
        if target is not None:
            event.add("location", f"{target.id} ({target.lat:.4f}, {target.lon:.4f})")
            event.add("geo", (round(target.lat, 6), round(target.lon, 6)))
        else:
            event.add("location", a.target_id)
        cal.add_component(event)
    stream.write(cal.to_ical().decode("utf-8"))
