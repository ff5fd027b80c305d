"""A numpy-Generator-like source of random choices whose every choice is drawn by hypothesis, so the
instance generators (instances.py, scenarios.py) read like ordinary seeded code while a failing
example shrinks to smaller counts and simpler values (not merely to another seed) and replays from
hypothesis's example database."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Sequence

from hypothesis import strategies as st

# The generators draw a few hundred values per instance: one strategy object per distinct bound (not
# one per draw) keeps generation cheap.
_ints = lru_cache(maxsize=None)(lambda low, high: st.integers(low, high))
_floats = lru_cache(maxsize=None)(lambda low, high: st.floats(low, high, exclude_max=True, allow_nan=False))
_sampled = lru_cache(maxsize=None)(lambda options: st.sampled_from(options))


class DrawnRng:
    """The subset of ``numpy.random.Generator`` the generators use, with numpy's bounds: ``integers``
    and ``uniform`` are half-open ``[low, high)``; ``choice`` picks one element of a sequence."""

    def __init__(self, draw: Callable[[st.SearchStrategy], Any]):
        self._draw = draw

    def integers(self, low: int, high: int | None = None) -> int:
        if high is None:
            low, high = 0, low
        return self._draw(_ints(int(low), int(high) - 1))

    def uniform(self, low: float = 0.0, high: float = 1.0) -> float:
        return self._draw(_floats(float(low), float(high)))

    def choice(self, options: Sequence):
        return self._draw(_sampled(tuple(options)))

    def each(self, n: int, make: Callable[["DrawnRng", int], Any]) -> list:
        """``[make(rng, k) for k in range(n)]``, each item drawn as one unit: the shrinker can then drop
        an item anywhere in the list (with a smaller ``n``), not only the last ones."""
        item = st.composite(lambda draw, k: make(DrawnRng(draw), k))
        return [self._draw(item(k)) for k in range(n)]

    def build(self, fn: Callable, *args, **kwargs):
        """``fn(*args, **kwargs)``, drawn through ``st.builds`` so that a falsifying example prints as
        this call with its arguments (the instance's whole input) rather than an opaque object."""
        return self._draw(st.builds(fn, *(st.just(a) for a in args), **{k: st.just(v) for k, v in kwargs.items()}))


def built(rng, fn: Callable, *args, **kwargs):
    """``fn(*args, **kwargs)``; through :meth:`DrawnRng.build` when ``rng`` draws from hypothesis."""
    if isinstance(rng, DrawnRng):
        return rng.build(fn, *args, **kwargs)
    return fn(*args, **kwargs)


def up_to(n: int, low: int = 1) -> st.SearchStrategy[int]:
    """A count for a generator: ``n`` (the full size a test was written for) about half the time,
    otherwise one from ``low`` to ``n``; one integer choice, so a failure shrinks straight toward ``low``."""
    return st.integers(low, 2 * n - low).map(lambda k: min(k, n))


def each(rng, n: int, make: Callable[[Any, int], Any]) -> list:
    """``[make(rng, k) for k in range(n)]``; through :meth:`DrawnRng.each` when ``rng`` draws from hypothesis."""
    if isinstance(rng, DrawnRng):
        return rng.each(n, make)
    return [make(rng, k) for k in range(n)]


def drawn(draw, value):
    """``value`` itself, or a value drawn from it when it is a strategy (a generator's parameter may be
    fixed or drawn: drawn counts shrink)."""
    return draw(value) if isinstance(value, st.SearchStrategy) else value
