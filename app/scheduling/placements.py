"""The one epoch adapter between the workbench's placements (UTC datetimes, or the fixed-width UTC
text the database stores) and the schedulers' epoch seconds: one item (``candidate``,
``fixed_item``, ``epoch_span``) or placements in columns for array code (``PlacementArrays``).

Anything carrying a placement's fields under their one naming (``domain.placement``: an
Opportunity, a PlanItem, an Acquisition) converts the same way. Angles in degrees, spacecraft frame
(+ roll = right of track, + pitch = forward); ``roll0/pitch0`` the attitude at start, ``roll1/pitch1``
at end.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from app.domain import Acquisition
from app.domain.times import to_epoch

from .problem import Candidate, FixedItem, Vec3

_EPOCH_US = np.datetime64(0, "us")


def epoch_span(x: Any) -> tuple[float, float]:
    """(start, end) in epoch seconds of anything carrying a placement's ``start``/``end``."""
    return to_epoch(x.start), to_epoch(x.end)


def candidate(o: Any, order_id: str, value: float = 1.0, variant: str | None = None,
              item_id: str | None = None) -> Candidate:
    """An opportunity (or anything carrying a placement) as a scheduler's candidate (epoch s);
    ``item_id`` defaults to its own id."""
    start, end = epoch_span(o)
    return Candidate(item_id or o.id, o.satellite_id, order_id, start, end, o.roll_deg, o.pitch_deg, value, variant,
                     o.roll_end_deg, o.pitch_end_deg, getattr(o, "los_start", None), getattr(o, "los_end", None))


def fixed_item(a: Any, item_id: str | None = None, order_id: str | None = None,
               los: tuple[Vec3 | None, Vec3 | None] = (None, None)) -> FixedItem:
    """An acquisition (or anything carrying a placement) as an item the scheduler must keep (epoch
    s); ``item_id`` defaults to its own id, ``los`` (start, end) when known."""
    start, end = epoch_span(a)
    return FixedItem(item_id or a.id, a.satellite_id, start, end, a.roll_deg, a.pitch_deg, a.roll_end_deg,
                     a.pitch_end_deg, order_id, *los)


def epochs_of_text(texts: Sequence[str]) -> np.ndarray:
    """Epoch seconds (float64) of ISO UTC texts such as ``2026-08-11T10:00:00.000000Z``, vectorised."""
    if not len(texts):
        return np.zeros(0, dtype=np.float64)
    stamps = np.array([t[:-1] if t.endswith("Z") else t for t in texts], dtype="datetime64[us]")
    return (stamps - _EPOCH_US).astype(np.int64) / 1e6


@dataclass(frozen=True)
class PlacementArrays:
    """Placements as columns: ``ids`` and ``satellite_ids`` (lists), the rest float64 arrays."""

    ids: list[str]
    satellite_ids: list[str]
    start: np.ndarray
    end: np.ndarray
    roll0: np.ndarray
    pitch0: np.ndarray
    roll1: np.ndarray
    pitch1: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_rows(cls, rows: Sequence[Any]) -> "PlacementArrays":
        """From rows with ``id``, ``satellite_id``, ``start``/``end`` as ISO UTC text, ``roll_deg``,
        ``pitch_deg``, ``roll_end_deg``, ``pitch_end_deg`` (``persistence.recheck.PlacementRow``); an
        unknown end attitude (None) is the start attitude."""
        n = len(rows)
        r0 = np.fromiter((r.roll_deg for r in rows), np.float64, n)
        p0 = np.fromiter((r.pitch_deg or 0.0 for r in rows), np.float64, n)
        r1 = np.fromiter((r.roll_deg if r.roll_end_deg is None else r.roll_end_deg for r in rows), np.float64, n)
        p1 = np.fromiter(((r.pitch_deg or 0.0) if r.pitch_end_deg is None else r.pitch_end_deg for r in rows),
                         np.float64, n)
        return cls([r.id for r in rows], [r.satellite_id for r in rows], epochs_of_text([r.start for r in rows]),
                   epochs_of_text([r.end for r in rows]), r0, p0, r1, p1)

    @classmethod
    def from_acquisitions(cls, acquisitions: Sequence[Acquisition]) -> "PlacementArrays":
        """From acquisitions (or anything carrying a placement's fields)."""
        n = len(acquisitions)
        # Generators, not a per-field lambda: the conflict detector reads 10⁵ rows this way.
        return cls([a.id for a in acquisitions], [a.satellite_id for a in acquisitions],
                   np.fromiter((to_epoch(a.start) for a in acquisitions), np.float64, n),
                   np.fromiter((to_epoch(a.end) for a in acquisitions), np.float64, n),
                   np.fromiter((a.roll_deg for a in acquisitions), np.float64, n),
                   np.fromiter((a.pitch_deg for a in acquisitions), np.float64, n),
                   np.fromiter((a.roll_end_deg for a in acquisitions), np.float64, n),
                   np.fromiter((a.pitch_end_deg for a in acquisitions), np.float64, n))

    def __add__(self, other: "PlacementArrays") -> "PlacementArrays":
        return PlacementArrays(self.ids + other.ids, self.satellite_ids + other.satellite_ids,
                               *(np.concatenate([getattr(self, k), getattr(other, k)])
                                 for k in ("start", "end", "roll0", "pitch0", "roll1", "pitch1")))

    def take(self, index: Sequence[int]) -> "PlacementArrays":
        """The placements at ``index`` (positions)."""
        idx = np.asarray(index, dtype=np.int64)
        return PlacementArrays([self.ids[i] for i in idx.tolist()], [self.satellite_ids[i] for i in idx.tolist()],
                               *(getattr(self, k)[idx] for k in ("start", "end", "roll0", "pitch0", "roll1",
                                                                  "pitch1")))
