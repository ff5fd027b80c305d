"""Sorted interval sets (sunlit intervals, contact windows) as numpy arrays of epoch seconds."""
from __future__ import annotations

import numpy as np

from app.domain import ValidationError


def as_intervals(data, field: str) -> np.ndarray:
    """An (n, 2) float array of (start, end) epoch seconds, sorted and non-overlapping.

    Accepts any sequence of pairs; refuses end < start and overlaps with a ValidationError naming
    ``field`` and the row.
    """
    arr = np.asarray(data if data is not None else [], dtype=np.float64).reshape(-1, 2)
    if len(arr) == 0:
        return arr
    order = np.argsort(arr[:, 0], kind="stable")
    arr = arr[order]
    bad = np.nonzero(arr[:, 1] < arr[:, 0])[0]
    if len(bad):
        raise ValidationError(f"{field}[{int(order[bad[0]])}]", "end before start")
    # Touching or overlapping intervals are merged: the models only care about the union.
    merged = [arr[0].tolist()]
    for s, e in arr[1:].tolist():
        if s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return np.asarray(merged, dtype=np.float64)


def pieces(starts: list[float], ends: list[float], a: float, b: float):
    """Yield (t0, t1, inside) pieces covering [a, b): ``inside`` tells whether the piece lies in
    one of the sorted disjoint intervals (starts[k], ends[k])."""
    from bisect import bisect_right

    k = bisect_right(ends, a)
    n = len(starts)
    t = a
    while t < b:
        if k < n and starts[k] <= t:
            t2 = min(ends[k], b)
            yield t, t2, True
            if t2 >= ends[k]:
                k += 1
        else:
            t2 = min(starts[k], b) if k < n else b
            yield t, t2, False
        t = t2


def first_start_after(starts: list[float], ends: list[float], t: float) -> float | None:
    """Start of the first interval that is still open at or after ``t`` (max(t, its start)), or None."""
    from bisect import bisect_right

    k = bisect_right(ends, t)
    if k >= len(starts):
        return None
    return max(t, starts[k])
