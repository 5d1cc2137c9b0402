"""The one tie rule for every "best", "worst" or rank the engines pick over floats.

Two floats a and b are tied when

    |a - b| <= max(TIE_RELATIVE * max(|a|, |b|), TIE_ABSOLUTE)

(the test of ``math.isclose`` with both tolerances at 1e-9). Among tied values the lowest
index wins (a caller may state another tie-break, such as a name). Rounding in these
engines is a few units in the 16th significant digit, so values equal in exact
arithmetic (0.1 + 0.2 against 0.3, three AHP errors that are all 9) always tie, whatever
the CPU, BLAS kernel or summation order; a real difference between judgements, scores
or prices is many orders of magnitude larger than 1e-9.

Only comparisons and elementwise arithmetic are used, each exactly rounded, so the
answer is the same on every machine. Pure: no Django.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

TIE_RELATIVE = 1e-9
TIE_ABSOLUTE = 1e-9


def _finite(values: ArrayLike) -> NDArray[np.float64]:
    v = np.asarray(values, dtype=float).ravel()
    if not np.all(np.isfinite(v)):
        raise ValueError("Only finite numbers can be compared.")
    return v


def tolerance(a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """How far apart a and b may be and still tie (elementwise, broadcasting)."""
    scale = np.maximum(np.abs(np.asarray(a, dtype=float)), np.abs(np.asarray(b, dtype=float)))
    return np.maximum(TIE_RELATIVE * scale, TIE_ABSOLUTE)


def exceeds(value: float, limit: float) -> bool:
    """True when ``value`` is above ``limit`` by more than a tie: 0.1 + 1e-17 does not
    exceed 0.1, so a threshold test never flips on rounding."""
    return bool(value - limit > tolerance(value, limit))


def tie_ranks(values: ArrayLike) -> NDArray[np.int64]:
    """1-based ranks, highest first, tied values sharing the better rank (1, 1, 3).

    A value's rank is 1 + the number of values above it by more than a tie. If u is
    ranked ahead of v, everything ahead of u is ahead of v too, so sorting by
    (rank, any tie-break) never contradicts a real difference. Rank 1 is exactly the
    set of values tied with the largest.
    """
    v = _finite(values)
    ascending = np.sort(v)
    # "u is above v by more than a tie" is false for every u below a cut-off in the
    # sorted values and true from it on (u - v grows faster than the tolerance), so a
    # binary search, run for all values at once, finds each cut-off in O(n log n).
    low, high = np.zeros(v.size, dtype=np.intp), np.full(v.size, v.size, dtype=np.intp)
    while np.any(low < high):
        middle = (low + high) // 2
        u = ascending[np.minimum(middle, v.size - 1)]
        above = (u - v > tolerance(u, v)) & (low < high)
        high = np.where(above, middle, high)
        low = np.where(above | (low >= high), low, middle + 1)
    return (v.size - low + 1).astype(np.int64)


def first_best(values: ArrayLike) -> int:
    """Index of the largest value; among values tied with it, the lowest index."""
    v = _finite(values)
    if v.size == 0:
        raise ValueError("There is nothing to choose from.")
    # Rank 1 of ``tie_ranks`` is exactly the set of values tied with the largest, so
    # one comparison with the largest finds it (no ranking of every value needed).
    top = v.max()
    return int(np.flatnonzero(~(top - v > tolerance(top, v)))[0])


def first_lowest(values: ArrayLike) -> int:
    """Index of the smallest value; among values tied with it, the lowest index."""
    return first_best(-_finite(values))
