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
    stamps = np.asarray(texts, dtype=str)
    if stamps.dtype.itemsize == 4 * _STORED_WIDTH and (
            stamps.view(np.uint32).reshape(-1, _STORED_WIDTH)[:, -1] == ord("Z")).all():
        # The stored form (``persistence.types.format_utc``): all 27 characters, ``Z`` last;
        # numpy parses the 26 before it with no Python loop.
        stamps = stamps.astype(f"U{_STORED_WIDTH - 1}")
    else:
        stamps = np.array([t[:-1] if t.endswith("Z") else t for t in texts])
    return (stamps.astype("datetime64[us]") - _EPOCH_US).astype(np.int64) / 1e6


#: Characters of a stored UTC time (``2026-08-11T10:00:00.000000Z``).
_STORED_WIDTH = 27


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
        """From rows (tuples in this order: ``persistence.recheck.PlacementRow``) of ``id``,
        ``satellite_id``, ``start``/``end`` as ISO UTC text, ``roll_deg``, ``pitch_deg``,
        ``roll_end_deg``, ``pitch_end_deg``; an unknown pitch (None) is 0, an unknown end attitude
        the start attitude."""
        if not len(rows):
            empty = np.zeros(0, dtype=np.float64)
            return cls([], [], empty, empty, empty, empty, empty, empty)
        ids, sats, starts, ends, r0, p0, r1, p1 = zip(*rows)  # columns: one pass over the rows
        roll0 = np.array(r0, dtype=np.float64)
        pitch0 = np.array(p0, dtype=np.float64)  # None → nan (numpy's conversion) → 0
        pitch0 = np.where(np.isnan(pitch0), 0.0, pitch0)
        roll1 = np.array(r1, dtype=np.float64)
        pitch1 = np.array(p1, dtype=np.float64)
        roll1 = np.where(np.isnan(roll1), roll0, roll1)
        pitch1 = np.where(np.isnan(pitch1), pitch0, pitch1)
        return cls(list(ids), list(sats), epochs_of_text(starts), epochs_of_text(ends), roll0, pitch0, roll1,
                   pitch1)

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
