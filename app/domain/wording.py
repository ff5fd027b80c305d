"""Words a planner reads (issue 15, "plain language"): acquisitions named by what they image, who
images it and when; durations and shifts in hours and minutes; refusals grouped by reason.

Qt-free and framework-free so that the CLI (``explain``), the services that write reasons and the
GUI (``app.ui.formatting``) all say the same thing. Ids never appear in these texts: callers keep
them for a details line or a tooltip.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from .times import UTC

#: Separator between the parts of an item's name (target · satellite · time).
DOT = " · "
#: Ids as the workbench makes them (spec section 2): a type prefix and 12 hex characters.
_ID_PATTERN = re.compile(r"\b(?:acq|ord|plan|planitem|conflict|ws|run)_[0-9a-f]{12}\b")


def day_time(dt: datetime | None) -> str:
    """``Thu 13 Aug 09:33Z`` (UTC, minutes; ``—`` for None)."""
    if dt is None:
        return "—"
    return dt.astimezone(UTC).strftime("%a %d %b %H:%MZ")


def moment(dt: datetime) -> str:
    """``Thu 13 Aug 09:33Z``, with the seconds when it is not on a whole minute
    (``Thu 13 Aug 09:33:20Z``): a start and a cutoff within one minute still read apart."""
    dt = dt.astimezone(UTC)
    return dt.strftime("%a %d %b %H:%M:%SZ") if dt.second or dt.microsecond else day_time(dt)


def time_span(start: datetime, end: datetime) -> str:
    """``Thu 13 Aug 11:10Z – 12:50Z`` within one day, else ``Thu 13 Aug 22:00Z – Fri 14 Aug 01:00Z``."""
    same_day = start.astimezone(UTC).date() == end.astimezone(UTC).date()
    return f"{day_time(start)} – {end.astimezone(UTC):%H:%MZ}" if same_day else f"{day_time(start)} – {day_time(end)}"


def day_text(dt: datetime) -> str:
    """``Thu 13 Aug`` (UTC)."""
    return dt.astimezone(UTC).strftime("%a %d %b")


def item_name(target_id: str | None, satellite_id: str | None, start: datetime | None) -> str:
    """``Luanda · WORLDVIEW-3 · Thu 13 Aug 09:33Z``: an acquisition, plan item or opportunity."""
    parts = [p for p in (target_id, satellite_id) if p]
    if start is not None:
        parts.append(day_time(start))
    return DOT.join(parts) or "—"


def acquisition_name(acq) -> str:
    """The plain name of anything with ``target_id``, ``satellite_id`` and ``start`` (an acquisition,
    a plan item, an opportunity)."""
    start = getattr(acq, "start", None)
    return item_name(getattr(acq, "target_id", None), getattr(acq, "satellite_id", None), start)


def order_name(order, target_fallback: str = "order") -> str:
    """``Luanda (REQ-0042, priority 2)``; without a reference: ``Luanda (priority 2)``."""
    ref = getattr(order, "external_ref", None)
    bits = [b for b in (ref, f"priority {order.priority}") if b]
    return f"{order.target_id or target_fallback} ({', '.join(bits)})"


def plural(n: int, word: str) -> str:
    """``1 conflict``, ``2 conflicts``, ``0 conflicts`` (English nouns that take an ``s``)."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def duration(seconds: float) -> str:
    """``8 s``, ``2.5 s``, ``4 min 05 s``, ``42 h 05 min``, ``5 d 04 h`` (no sign; see ``shift``).
    Hours are kept up to 99 h so that a two- or three-day shift reads in one unit."""
    s = abs(float(seconds))
    if s < 60:
        return f"{s:.0f} s" if s >= 10 or s == int(s) else f"{s:.1f} s"
    if s < 3600:
        return f"{int(s // 60)} min {int(s % 60):02d} s"
    if s < 100 * 3600:
        return f"{int(s // 3600)} h {int(s % 3600 // 60):02d} min"
    return f"{int(s // 86400)} d {int(s % 86400 // 3600):02d} h"


def signed_duration(seconds: float) -> str:
    """A duration that may be negative: ``−30 s``; positive ones have no sign."""
    return ("−" if seconds < 0 else "") + duration(seconds)


def shift(seconds: float) -> str:
    """A change of time, always signed: ``+42 h 05 min`` (later), ``−8 s`` (earlier), ``0 s``."""
    if seconds == 0:
        return "0 s"
    return ("+" if seconds > 0 else "−") + duration(seconds)


def without_ids(text: str, replacement: str = "it") -> str:
    """``text`` with workbench ids replaced (reasons written by lower layers name the item)."""
    return _ID_PATTERN.sub(replacement, text)


@dataclass(frozen=True)
class RefusalGroup:
    """Items refused for one reason: the reason (without ids) and the items' (id, name) pairs."""

    reason: str
    items: tuple[tuple[str, str], ...]

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def heading(self) -> str:
        """``Hard-locked and cannot be deleted: unlock it first (8)``."""
        return f"{self.reason} ({self.count})"


def plain_reason(item_id: str, reason: str) -> str:
    """A refusal written for ``item_id`` without its ids (``acq_x is hard-locked…`` → ``Hard-locked…``)."""
    text = " ".join(reason.replace(item_id, "").split())  # an id inside a joined reason left two spaces
    text = without_ids(text).strip(" :;,")
    for lead in ("is ", "are "):
        if text.startswith(lead):
            text = text[len(lead):]
            break
    return (text[:1].upper() + text[1:]) if text else "Refused"


def group_refusals(refusals: Mapping[str, str], name_of: Callable[[str], str] | None = None
                   ) -> list[RefusalGroup]:
    """Refused items (id → reason in words) grouped by reason, the largest group first; each
    reason loses the item's own id (``acq_x is hard-locked…`` → ``Hard-locked…``) so that eight
    items refused for one rule read as one line with eight names under it. ``name_of(id)`` gives
    the plain name shown for an item (default: the id)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for item_id, reason in refusals.items():
        key = plain_reason(item_id, str(reason))
        groups.setdefault(key, []).append((item_id, name_of(item_id) if name_of else item_id))
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [RefusalGroup(reason, tuple(sorted(items, key=lambda it: it[1]))) for reason, items in ordered]


def refusals_text(refusals: Mapping[str, str], name_of: Callable[[str], str] | None = None,
                  limit: int = 3) -> str:
    """One line for a status bar: ``2 refused — Hard-locked…: Luanda · …, Lima · … (2)``; at most
    ``limit`` names per reason, then ``and N more``."""
    groups = group_refusals(refusals, name_of)
    parts = []
    for g in groups:
        names = [n for _, n in g.items]
        shown = ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
        parts.append(f"{g.reason} ({g.count}): {shown}")
    return f"{len(refusals)} refused — " + "; ".join(parts) if parts else ""
