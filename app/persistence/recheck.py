"""What a commit's re-check finds, and the refusal a planner reads (issue #13: many planners, one
schedule). The feasibility rules themselves (overlap, slew) live in scheduling; services hand them
to the commit as a ``Recheck`` so they run inside the commit transaction."""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.domain import Acquisition, RuleViolation
from app.domain.wording import acquisition_name

#: Seconds around the proposed acquisitions within which current ones are re-checked (a slew
#: between two acquisitions never takes longer than this).
RECHECK_MARGIN_S = 900.0


@dataclass(frozen=True)
class Clash:
    """A proposed acquisition (``item_id``) that no longer fits: with which current acquisition
    (None: not one in particular) and why, in words ("overlaps", "insufficient slew time …")."""

    item_id: str
    acquisition_id: str | None
    reason: str


class PlacementRow(NamedTuple):
    """One placement as the re-check reads it, the columns the database gives without building
    domain objects (10,000s of them per commit): times as fixed-width ISO UTC text
    (``types.format_utc``); degrees, the attitude at end None when it is the one at start."""

    id: str
    satellite_id: str
    start: str
    end: str
    roll_deg: float
    pitch_deg: float
    roll_end_deg: float | None
    pitch_end_deg: float | None

#: ``recheck(current, proposed) -> clashes``: the feasibility check of proposed placements against
#: the current ones (both sequences of PlacementRow). ``current`` holds the live acquisitions
#: around the proposed ones, and from ``recheck.since`` (a UTC datetime) when the callable has that
#: attribute (battery and memory depend on the schedule since then).
Recheck = Callable[[Sequence[PlacementRow], Sequence[PlacementRow]], list[Clash]]


class CommitRefused(RuleViolation):
    """The schedule changed since the plan was computed and some of its items no longer fit:
    nothing was written. ``clashes`` lists them; the message says who changed what and when."""

    def __init__(self, clashes: Sequence[Clash], changed_by: Mapping[str, tuple[str | None, str | None]],
                 proposed: Mapping[str, Acquisition]) -> None:
        self.clashes = tuple(clashes)
        items = sorted({c.item_id for c in self.clashes})
        whos = sorted({w for w, _ in changed_by.values() if w})
        whens = sorted({t for _, t in changed_by.values() if t})
        by = f" by {', '.join(whos)}" if whos else ""
        when = f" (last at {whens[-1]})" if whens else ""
        examples = []
        for c in self.clashes[:3]:
            a = proposed.get(c.item_id)
            what = acquisition_name(a) if a else c.item_id
            examples.append(f"{what}: {c.reason}")
        more = f"; and {len(self.clashes) - 3} more clashes" if len(self.clashes) > 3 else ""
        n = len(items)
        super().__init__(
            "schedule_changed",
            f"{n} item{'s' if n != 1 else ''} now conflict{'s' if n == 1 else ''} with acquisitions changed"
            f"{by}{when} since the plan was computed — re-plan. Nothing was committed. "
            + "; ".join(examples) + more)
