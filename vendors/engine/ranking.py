"""Vendor-selection arithmetic (METHODOLOGY section 6): AHP weights, weighted sum, TOPSIS.

Pure numpy and no Django, ever (STYLE habit 2): callers pass plain arrays, with
alternatives (proposals) as rows and criteria as columns, and get arrays or
dataclasses back. Indices in results are 0-based; messages meant for people count
rows and columns from 1. Choices the methodology leaves open are written down in
docs/methodology-vendors.md.

Every decision here (a rank, a winner, the pair to revisit, CR against its limit) must
come out the same on every machine. So no BLAS routine is called: every sum over a row
or column is exactly rounded (``math.fsum``) and everything else is elementwise IEEE
arithmetic, which gives the same bits on any CPU; and every "best" or threshold test
goes through the one tie rule in ``assessments.engine.ties``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from numpy.typing import ArrayLike, NDArray

from assessments.engine.ties import exceeds, first_best, first_lowest, tie_ranks

RULES_VERSION = "2026.1"

# Saaty's random consistency index. n = 3..10 is the table METHODOLOGY quotes; 11..15
# are the further values of the same published table (Saaty 1980, "The Analytic
# Hierarchy Process", as reproduced by Alonso and Lamata 2006). The dip at n = 12 is
# an artefact of the original simulation; it is kept as published so that our CR
# matches other AHP tools rather than "corrected" by us.
RANDOM_INDEX: Mapping[int, float] = MappingProxyType(
    {
        1: 0.0,
        2: 0.0,
        3: 0.58,
        4: 0.90,
        5: 1.12,
        6: 1.24,
        7: 1.32,
        8: 1.41,
        9: 1.45,
        10: 1.49,
        11: 1.51,
        12: 1.48,
        13: 1.56,
        14: 1.57,
        15: 1.59,
    }
)
CONSISTENCY_LIMIT = 0.10
# Relative tolerance for typed reciprocals (0.333 for 1/3, 0.111 for 1/9) and for the
# ends of Saaty's 1/9..9 scale; 0.3 against 3 is a real disagreement and is refused.
RECIPROCAL_TOLERANCE = 0.01
SPREAD_FLAG_POINTS = 4.0
STABLE_WITHIN_POINTS = 50.0
# Repeated squaring of the AHP matrix stops once no weight moves by more than this
# between two squarings (weights add up to 1); the cap is never reached in practice,
# as 2 ** 64 power steps contract far below rounding.
PERRON_STEP = 1e-15
MAX_SQUARINGS = 64
# Sensitivity works on scores scaled to 0..1; differences below this are rounding
# (two proposals whose scores are equal in exact arithmetic), not a real crossing.
LINE_EPSILON = 1e-12


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    percent: int

    @property
    def weight(self) -> float:
        return self.percent / 100


DEFAULT_CRITERIA: tuple[Criterion, ...] = (
    Criterion("cost", "Cost", 25),
    Criterion("capability", "Capability and expertise", 20),
    Criterion("quality", "Quality and certifications", 10),
    Criterion("culture", "Cultural and language fit", 10),
    Criterion("communication", "Communication", 5),
    Criterion("financial_stability", "Financial stability", 10),
    Criterion("security", "Security and compliance", 10),
    Criterion("scalability", "Scalability", 5),
    Criterion("location", "Location and time-zone overlap", 5),
)


class InvalidMatrix(ValueError):
    """A pairwise-comparison matrix that AHP cannot use; the message says where."""


@dataclass(frozen=True, eq=False)
class AhpResult:
    weights: NDArray[np.float64]
    lambda_max: float
    ci: float
    cr: float
    consistent: bool
    most_inconsistent_pair: tuple[int, int] | None


@dataclass(frozen=True)
class CriterionSpread:
    criterion: int
    mean: float | None  # None when no evaluator scored the criterion
    score_range: float
    flagged: bool
    lowest_evaluator: str | None
    highest_evaluator: str | None


@dataclass(frozen=True)
class WeightSensitivity:
    criterion: int
    delta_points: float | None  # None: the winner holds within +/-50 points
    new_winner: int | None

    @property
    def stable(self) -> bool:
        return self.delta_points is None


def _cell(i: int, j: int, labels: Sequence[str] | None) -> str:
    where = f"row {i + 1}, column {j + 1}"
    return f"{where} ({labels[i]} vs {labels[j]})" if labels else where


def _validated_matrix(
    matrix: ArrayLike, labels: Sequence[str] | None, prefix: str = ""
) -> NDArray[np.float64]:
    try:
        a = np.array(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidMatrix(f"{prefix}The matrix must be a square table of numbers.") from exc
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        shape = " by ".join(str(size) for size in a.shape) or "a single number"
        raise InvalidMatrix(
            f"{prefix}The matrix must be square, one row and one column per criterion; "
            f"it is {shape}."
        )
    n = a.shape[0]
    if n > max(RANDOM_INDEX):
        raise InvalidMatrix(
            f"{prefix}AHP here compares at most {max(RANDOM_INDEX)} criteria "
            f"(the random index is published up to that size); this matrix has {n}."
        )
    if labels is not None and len(labels) != n:
        raise InvalidMatrix(f"{prefix}{len(labels)} labels were given for {n} criteria.")
    low, high = (1 - RECIPROCAL_TOLERANCE) / 9, 9 * (1 + RECIPROCAL_TOLERANCE)
    for i in range(n):
        for j in range(n):
            value = a[i, j]
            where = _cell(i, j, labels)
            if not np.isfinite(value) or value <= 0:
                raise InvalidMatrix(
                    f"{prefix}The judgement at {where} is {value:g}; every judgement "
                    "must be a positive number on Saaty's 1/9 to 9 scale."
                )
            if i == j and abs(value - 1) > 1e-9:
                raise InvalidMatrix(
                    f"{prefix}The diagonal at {where} is {value:g}; a criterion compared "
                    "with itself must be 1."
                )
            if not low <= value <= high:
                raise InvalidMatrix(
                    f"{prefix}The judgement at {where} is {value:g}, outside Saaty's "
                    "1/9 to 9 scale."
                )
    # Reciprocity only once every cell is a usable number, so a zero or a negative is
    # reported as such rather than as a broken reciprocal of its mirror cell.
    for i in range(n):
        for j in range(i + 1, n):
            value = a[i, j]
            where = _cell(i, j, labels)
            if abs(value * a[j, i] - 1) > RECIPROCAL_TOLERANCE:
                raise InvalidMatrix(
                    f"{prefix}The judgement at {where} is {value:g} but at "
                    f"{_cell(j, i, labels)} it is {a[j, i]:g}; it must be the reciprocal, "
                    f"1/{value:g} = {1 / value:.3g}."
                )
    return a


def _exact_sums(rows: ArrayLike) -> NDArray[np.float64]:
    """The exactly rounded sum of each row: independent of order, BLAS and CPU."""
    table = np.asarray(rows, dtype=float)
    rows_as_lists = table.reshape(-1, table.shape[-1]).tolist()
    return np.array([math.fsum(row) for row in rows_as_lists], dtype=float).reshape(
        table.shape[:-1]
    )


def _perron(a: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Principal eigenvector (adding up to 1) and eigenvalue of a positive matrix.

    Power iteration by repeated squaring: B <- B @ B / total(B B) until the normalised
    row sums stop moving, so after k squarings B is A ** (2 ** k), whose row sums point
    along the Perron vector. Each product of two matrices is n * n exactly rounded sums
    of IEEE products: the same bits on every machine, and a matrix that is symmetric
    under swapping criteria gives weights that are equal to the last bit.
    """
    b = a / math.fsum(a.ravel())
    weights = _exact_sums(b)
    weights = weights / math.fsum(weights)
    for _ in range(MAX_SQUARINGS):
        b = _exact_sums(b[:, None, :] * b.T[None, :, :])  # (B @ B)[i, j], exactly rounded
        b = b / math.fsum(b.ravel())
        moved = _exact_sums(b)
        moved = moved / math.fsum(moved)
        step = float(np.max(np.abs(moved - weights)))
        weights = moved
        if step <= PERRON_STEP:
            break
    # A w = lambda w, so lambda is the total of A w over the total of w (which is 1).
    lambda_max = math.fsum(_exact_sums(a * weights[None, :])) / math.fsum(weights)
    return weights, lambda_max


def consistency_acceptable(cr: float) -> bool:
    """CR <= 0.10, where a CR tied with 0.10 (see ``assessments.engine.ties``) is 0.10."""
    return not exceeds(cr, CONSISTENCY_LIMIT)


def ahp(matrix: ArrayLike, *, labels: Sequence[str] | None = None) -> AhpResult:
    """Weights from a reciprocal pairwise matrix by the principal eigenvector.

    ``labels`` (criterion names) only improve error messages. ``most_inconsistent_pair``
    is a 0-based (i, j) with i < j, the judgement to revisit first; among pairs whose
    errors tie, the first in row-major order. Everything returned is the same to the
    last bit on every machine.
    """
    a = _validated_matrix(matrix, labels)
    n = a.shape[0]
    weights, lambda_max = _perron(a)
    if n <= 2:
        return AhpResult(weights, lambda_max, 0.0, 0.0, True, None)
    # lambda_max >= n in exact arithmetic, with equality for a consistent matrix; a
    # value tied with n (rounding) or below it (typed reciprocals like 0.333) is CI 0.
    ci = (lambda_max - n) / (n - 1) if exceeds(lambda_max, n) else 0.0
    cr = ci / RANDOM_INDEX[n]
    error = a * weights[None, :] / weights[:, None]
    error = np.maximum(error, 1 / error)
    upper = np.triu_indices(n, k=1)  # row-major: (0, 1), (0, 2), ..., (1, 2), ...
    worst = first_best(error[upper])
    pair = (int(upper[0][worst]), int(upper[1][worst]))
    return AhpResult(weights, lambda_max, ci, cr, consistency_acceptable(cr), pair)


def combine_judgements(
    matrices: Sequence[ArrayLike], *, labels: Sequence[str] | None = None
) -> NDArray[np.float64]:
    """Element-wise geometric mean of several stakeholders' matrices (Aczel-Saaty)."""
    if len(matrices) == 0:
        raise InvalidMatrix("At least one pairwise matrix is needed to combine judgements.")
    checked = [
        _validated_matrix(m, labels, prefix=f"Matrix {number}: ")
        for number, m in enumerate(matrices, start=1)
    ]
    for number, m in enumerate(checked[1:], start=2):
        if m.shape != checked[0].shape:
            raise InvalidMatrix(
                f"Matrix {number} compares {m.shape[0]} criteria but matrix 1 compares "
                f"{checked[0].shape[0]}; every stakeholder must compare the same criteria."
            )
    stacked = np.stack(checked)
    # Where every stakeholder gave the same judgement (always, with one stakeholder),
    # keep it as typed: exp(log(x)) can miss x by a last bit, and which bit depends on
    # the CPU's vector maths.
    agreed = np.all(stacked == stacked[0], axis=0)
    combined = np.where(agreed, stacked[0], np.exp(np.log(stacked).mean(axis=0)))
    # Rebuild the lower triangle from the upper one so the result is reciprocal to the
    # last bit even when a stakeholder typed 0.333 for 1/3.
    n = combined.shape[0]
    upper = np.triu_indices(n, k=1)
    combined[upper[1], upper[0]] = 1 / combined[upper]
    np.fill_diagonal(combined, 1.0)
    return combined


def _scores_and_weights(
    scores: ArrayLike, weights: ArrayLike, *, max_score: float | None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    x = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError("Scores must be a table of alternatives (rows) by criteria (columns).")
    if w.shape != (x.shape[1],):
        raise ValueError(f"{w.size} weights were given for {x.shape[1]} criteria.")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError("Weights must be non-negative numbers, not all zero.")
    bad = ~np.isfinite(x) | (x < 0)
    if max_score is not None:
        bad |= x > max_score
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        top = f" to {max_score:g}" if max_score is not None else " or more"
        raise ValueError(
            f"The score of alternative {i + 1} on criterion {j + 1} is {x[i, j]:g}; "
            f"scores must be numbers from 0{top}."
        )
    return x, w


def weighted_sum(scores: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    """S_i = sum_j w_j * x_ij / 10 for scores on the 0..10 scale (1..10 from evaluators)."""
    x, w = _scores_and_weights(scores, weights, max_score=10.0)
    return _exact_sums(x * w) / 10


def topsis(scores: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    """Closeness C_i in [0, 1], every criterion a benefit criterion.

    A column that is all zeros is left at zero after normalisation (no alternative
    differs on it). When every alternative is the same, D+ and D- are both 0 and each
    closeness is 0.5: nothing separates them, so none is nearer either extreme.
    """
    x, w = _scores_and_weights(scores, weights, max_score=None)
    norms = np.sqrt(_exact_sums((x**2).T))
    r = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    v = r * w
    d_plus = np.sqrt(_exact_sums((v - v.max(axis=0)) ** 2))
    d_minus = np.sqrt(_exact_sums((v - v.min(axis=0)) ** 2))
    total = d_plus + d_minus
    return np.divide(d_minus, total, out=np.full_like(total, 0.5), where=total > 0)


def ranks(values: ArrayLike) -> NDArray[np.int64]:
    """1-based ranks, highest value first; ties share the better rank (1, 1, 3).

    Ties follow the one rule of ``assessments.engine.ties``: values within 1e-9
    (relative, or absolute near zero) of each other are equal.
    """
    return tie_ranks(values)


def weights_from_percentages(
    percentages: Sequence[float], *, labels: Sequence[str] | None = None
) -> NDArray[np.float64]:
    """Fractions from percentages that add up to 100 (within 0.01 points).

    The fractions are divided by their own total, so 33.33 x 3 becomes exactly 1/3 each.
    """
    p = np.asarray(percentages, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise ValueError("Give one weight per criterion.")
    for i, value in enumerate(p):
        if not np.isfinite(value) or not 0 <= value <= 100:
            name = labels[i] if labels else f"criterion {i + 1}"
            raise ValueError(f"The weight of {name} is {value:g} %; it must be 0 to 100 %.")
    total = float(p.sum())
    if abs(total - 100) > 0.01 + 1e-9:  # 1e-9: 33.33 * 3 is 99.99000000000001 in floats
        gap = f"{abs(total - 100):g} points {'short' if total < 100 else 'over'}"
        raise ValueError(f"Weights must add up to 100 %; these add up to {total:g} % ({gap}).")
    return p / total


def cost_scores(prices: ArrayLike) -> NDArray[np.float64]:
    """Cost criterion score 10 * min_price / price: 10 for the cheapest, less for the rest."""
    p = np.asarray(prices, dtype=float).ravel()
    if p.size == 0:
        raise ValueError("At least one price is needed.")
    for i, value in enumerate(p):
        if not np.isfinite(value) or value <= 0:
            raise ValueError(f"Price {i + 1} is {value:g}; every price must be above zero.")
    return 10 * p.min() / p


def evaluator_spread(
    scores_by_evaluator: Mapping[str, Sequence[float | None]] | Sequence[Sequence[float | None]],
) -> list[CriterionSpread]:
    """Per criterion: mean across evaluators, range, and a flag when range >= 4 points.

    Pass {evaluator name: [score per criterion]} for one proposal (a list of rows names
    them "evaluator 1", ...). None or NaN is "not scored" and is left out; the lowest
    and highest scorers are named, first one listed on ties.
    """
    if isinstance(scores_by_evaluator, Mapping):
        names = [str(name) for name in scores_by_evaluator]
        rows = list(scores_by_evaluator.values())
    else:
        rows = list(scores_by_evaluator)
        names = [f"evaluator {k}" for k in range(1, len(rows) + 1)]
    if not rows:
        return []
    width = len(rows[0])
    if any(len(row) != width for row in rows):
        raise ValueError("Every evaluator must give one score (or None) per criterion.")
    table = np.array([[np.nan if s is None else s for s in row] for row in rows], dtype=float)
    present = ~np.isnan(table)
    outside = present & ~((table >= 1) & (table <= 10))
    if outside.any():
        e, c = (int(v) for v in np.argwhere(outside)[0])
        raise ValueError(
            f"{names[e]} scored criterion {c + 1} {table[e, c]:g}; scores are 1 to 10."
        )
    spreads = []
    for c in range(width):
        scored = np.flatnonzero(present[:, c])
        if scored.size == 0:
            spreads.append(CriterionSpread(c, None, 0.0, False, None, None))
            continue
        column = table[scored, c]
        low, high = scored[first_lowest(column)], scored[first_best(column)]
        spread = float(column.max() - column.min())
        spreads.append(
            CriterionSpread(
                c,
                float(column.mean()),
                spread,
                spread >= SPREAD_FLAG_POINTS,
                names[low],
                names[high],
            )
        )
    return spreads


def weight_sensitivity(scores: ArrayLike, weights: ArrayLike) -> list[WeightSensitivity]:
    """Per criterion, the smallest weight change (percentage points) that changes the winner.

    The winner is the first proposal ranked 1 by ``weighted_sum`` (ties go to the
    lower index).

    Raising criterion k's weight from w_k to t rescales the others by (1 - t)/(1 - w_k),
    so every alternative's weighted sum is a straight line in t. The winner changes
    where a challenger's line meets the winner's, which is solved exactly. The change
    must stay strictly within +/-50 points and t strictly within 0..1 (a challenger that
    only draws level at the very edge never wins there). ``delta_points`` is where
    the challenger draws level: any larger change makes ``new_winner`` win. When an
    increase and a decrease are equally small, the decrease is reported. If the other
    weights are all zero, the freed weight is shared equally among them. Results are
    exact up to floating-point rounding (about 1e-12 of a score); proposals whose
    weighted sums stay equal for every weight are treated as tied, never as crossing.
    """
    x, w = _scores_and_weights(scores, weights, max_score=10.0)
    if abs(w.sum() - 1) > 1e-6:
        raise ValueError(f"Weights must add up to 1 for sensitivity; they add up to {w.sum():g}.")
    m, n = x.shape
    if m < 2 or n < 2:  # one proposal always wins; one criterion's weight cannot move
        return [WeightSensitivity(k, None, None) for k in range(n)]
    # The winner is the first proposal ranked 1 by weighted_sum, exactly as the results
    # page shows it, so a rounding-level tie cannot make the two disagree.
    winner = first_best(_exact_sums(x * w) / 10)
    x = x / 10
    limit = STABLE_WITHIN_POINTS / 100
    results = []
    for k in range(n):
        others = np.delete(np.arange(n), k)
        rest = math.fsum(w[others].tolist())
        share = w[others] / rest if rest > 0 else np.full(n - 1, 1 / (n - 1))
        level = _exact_sums(x[:, others] * share)  # each alternative's score at t = 0
        slope = x[:, k] - level  # its change per unit of t
        now = level + w[k] * slope
        gap = np.minimum(0.0, now - now[winner])  # <= 0: nobody is ahead of the winner
        gap[gap > -LINE_EPSILON] = 0.0
        closing = slope - slope[winner]
        moving = np.abs(closing) > LINE_EPSILON
        moving[winner] = False
        d = np.zeros(m)
        d[moving] = -gap[moving] / closing[moving]  # sign of d is the sign of closing
        t = w[k] + d
        # Strictly inside the range in the direction of travel: a challenger that only
        # draws level at t = 0, t = 1 or exactly 50 points away never actually wins.
        room = np.where(closing > 0, t < 1 - LINE_EPSILON, t > LINE_EPSILON)
        inside = room & (np.abs(d) < limit - LINE_EPSILON)
        ok = np.flatnonzero(moving & inside)
        if ok.size == 0:
            results.append(WeightSensitivity(k, None, None))
            continue
        # Crossings within rounding of the nearest one happen together. Among them a
        # decrease goes before an increase, then the steepest challenger (it leads just
        # past the shared crossing), then, among equally steep ones, the lowest index.
        size = np.abs(d[ok])
        near = ok[size <= size.min() + LINE_EPSILON]
        down = near[closing[near] < 0]
        group = down if down.size else near
        i = int(group[first_best(np.abs(closing[group]))])
        delta = abs(float(d[i])) * (1.0 if closing[i] > 0 else -1.0)
        results.append(WeightSensitivity(k, delta * 100, i))
    return results
