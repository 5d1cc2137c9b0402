"""Ties in the ranking engine, and the same decisions whatever the BLAS kernel.

Every expectation here is worked out by hand from the methodology's formulas; the
comments show the working.
"""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vendors.engine.ranking import ahp, ranks, topsis, weight_sensitivity, weighted_sum

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _reciprocal(n, upper):
    """An n x n matrix of ones with the given upper cells and their reciprocals."""
    a = [[1.0] * n for _ in range(n)]
    for (i, j), value in upper.items():
        a[i][j], a[j][i] = value, 1 / value
    return a


def _circulant(c):
    """a_ij = c[(j - i) mod n]; reciprocal when c[k] * c[n - k] = 1."""
    n = len(c)
    return [[c[(j - i) % n] for j in range(n)] for i in range(n)]


# Nine criteria; cost beats capability 9 to 1, capability beats quality 9 to 1, quality
# beats cost 9 to 1, and everything else is equal. By the cyclic symmetry the first three
# weights are one value x and the other six one value y. Rows 1 and 4 of A w = lambda w:
# (1 + 9 + 1/9) x + 6 y = lambda x and 3 x + 6 y = lambda y, so (lambda - 91/9)(lambda - 6)
# = 18, lambda = (145 + sqrt(7201)) / 18 and y / x = 3 / (lambda - 6). The three judgements
# of the cycle are all 9 times off the weights (the rest much less): tied, so the first
# in row-major order, (0, 1), is the pair to revisit.
CYCLE = _reciprocal(9, {(0, 1): 9, (1, 2): 9, (0, 2): 1 / 9})
CYCLE_LAMBDA = (145 + math.sqrt(7201)) / 18
_RATIO = 3 / (CYCLE_LAMBDA - 6)
CYCLE_WEIGHTS = [1 / (3 + 6 * _RATIO)] * 3 + [_RATIO / (3 + 6 * _RATIO)] * 6
CYCLE_CR = (CYCLE_LAMBDA - 9) / 8 / 1.45

# A circulant matrix has equal weights (its rows are permutations of one another) and
# lambda = the row total = 1 + 3 + 1/5 + 5 + 1/3 = 143/15. The error of a_ij is
# max(a_ij, 1/a_ij): 5 for offsets 2 and 3, 3 for offsets 1 and 4. Six pairs tie at 5;
# the first in row-major order is (0, 2).
CIRCULANT = _circulant([1, 3, 1 / 5, 5, 1 / 3])
CIRCULANT_CR = (143 / 15 - 5) / 4 / 1.12

# Three criteria in a circulant with c = [1, b, 1/b]: lambda = 1 + b + 1/b, and
# CR = (b + 1/b - 2) / 2 / 0.58 is exactly 0.10 when b + 1/b = 2.116. CR <= 0.10 is
# acceptable, so these judgements are consistent, though in floats the CR lands a few
# units in the last place above 0.10. Every pair is b times off: (0, 1) goes first.
_B = 1 / ((2.116 - math.sqrt(2.116**2 - 4)) / 2)
AT_THE_LIMIT = _circulant([1, _B, 1 / _B])

MATRICES = {
    "cycle": CYCLE,
    "circulant": CIRCULANT,
    "at the limit": AT_THE_LIMIT,
}
EXPECTED_AHP = {  # name: (pair, consistent, weights, lambda_max, cr)
    "cycle": ((0, 1), False, CYCLE_WEIGHTS, CYCLE_LAMBDA, CYCLE_CR),
    "circulant": ((0, 2), False, [0.2] * 5, 143 / 15, CIRCULANT_CR),
    "at the limit": ((0, 1), True, [1 / 3] * 3, 3.116, 0.10),
}

# Weighted sum: (0.25 * 2 + 0.35 * 6 + 0.4 * 1) / 10 and (0.25 + 0.35 + 0.4 * 6) / 10 are
# both 0.3 (in floats 0.29999999999999993 and 0.30000000000000004); the third is 0.225.
# Tied first: the lower index, 0, wins. TOPSIS with p = 0.25/sqrt(41), q = 0.35/sqrt(38),
# r = 0.4/sqrt(38) (weight over column norm): D+ and D- are
# (sqrt(16p^2 + 25r^2), sqrt(p^2 + 25q^2)), (sqrt(25p^2 + 25q^2), 5r), (sqrt(25q^2 + 25r^2), 5p)
# giving closeness 0.443, 0.485, 0.312: ranks 2, 1, 3.
_P, _Q, _R = 0.25 / math.sqrt(41), 0.35 / math.sqrt(38), 0.4 / math.sqrt(38)


def _closeness(d_plus, d_minus):
    return d_minus / (d_plus + d_minus)


SPLIT_BY_ROUNDING = {
    "scores": [[2, 6, 1], [1, 1, 6], [6, 1, 1]],
    "weights": [0.25, 0.35, 0.4],
    "weighted_sum": [0.3, 0.3, 0.225],
    "weighted_ranks": [1, 1, 3],
    "topsis": [
        _closeness(math.sqrt(16 * _P**2 + 25 * _R**2), math.sqrt(_P**2 + 25 * _Q**2)),
        _closeness(math.sqrt(25 * _P**2 + 25 * _Q**2), 5 * _R),
        _closeness(math.sqrt(25 * _Q**2 + 25 * _R**2), 5 * _P),
    ],
    "topsis_ranks": [2, 1, 3],
}
# Three proposals that are rotations of one another under equal weights tie by symmetry:
# weighted sum 16/30 each against 15/30 for the flat 5, 5, 5. Every column norm is
# sqrt(135), so v is proportional to x, the ideal is 9 and the anti-ideal 2 on every
# criterion: closeness sqrt(58) / (sqrt(58) + sqrt(65)) for each rotation and
# sqrt(27) / (sqrt(27) + sqrt(48)) = 3/7 for the flat one.
ROTATIONS = {
    "scores": [[9, 5, 2], [2, 9, 5], [5, 2, 9], [5, 5, 5]],
    "weights": [1 / 3, 1 / 3, 1 / 3],
    "weighted_sum": [16 / 30] * 3 + [0.5],
    "weighted_ranks": [1, 1, 1, 4],
    "topsis": [_closeness(math.sqrt(65), math.sqrt(58))] * 3 + [3 / 7],
    "topsis_ranks": [1, 1, 1, 4],
}
TABLES = {"split by rounding": SPLIT_BY_ROUNDING, "rotations": ROTATIONS}


# --- In this process --------------------------------------------------------------


@pytest.mark.parametrize("name", list(MATRICES))
def test_tie_heavy_matrices_give_the_hand_worked_weights_cr_and_pair(name):
    pair, consistent, weights, lambda_max, cr = EXPECTED_AHP[name]
    result = ahp(MATRICES[name])
    assert result.weights == pytest.approx(weights, rel=1e-12)
    assert result.lambda_max == pytest.approx(lambda_max, rel=1e-12)
    assert result.cr == pytest.approx(cr, rel=1e-9)
    assert (result.most_inconsistent_pair, result.consistent) == (pair, consistent)


def test_criteria_that_are_interchangeable_get_weights_equal_to_the_last_bit():
    weights = ahp(CYCLE).weights
    assert weights[0] == weights[1] == weights[2]
    assert len(set(weights[3:].tolist())) == 1


def test_a_cr_equal_to_the_limit_up_to_rounding_is_acceptable():
    result = ahp(AT_THE_LIMIT)
    assert result.cr != 0.10  # the rounding is real ...
    assert result.consistent  # ... and does not decide


def test_the_pair_to_revisit_is_the_same_whichever_order_the_tied_pairs_come_in():
    # Moving the cycle to criteria 3, 4 and 5 moves the answer to (3, 4), the first of
    # the tied pairs (3, 4), (3, 5), (4, 5) in row-major order.
    moved = _reciprocal(9, {(3, 4): 9, (4, 5): 9, (3, 5): 1 / 9})
    assert ahp(moved).most_inconsistent_pair == (3, 4)
    reversed_cycle = _reciprocal(9, {(3, 4): 1 / 9, (4, 5): 1 / 9, (3, 5): 9})
    assert ahp(reversed_cycle).most_inconsistent_pair == (3, 4)


@pytest.mark.parametrize("name", list(TABLES))
def test_tie_heavy_score_tables_rank_as_worked_by_hand(name):
    table = TABLES[name]
    ws = weighted_sum(table["scores"], table["weights"])
    closeness = topsis(table["scores"], table["weights"])
    assert ws == pytest.approx(table["weighted_sum"], rel=1e-12)
    assert closeness == pytest.approx(table["topsis"], rel=1e-12)
    assert list(ranks(ws)) == table["weighted_ranks"]
    assert list(ranks(closeness)) == table["topsis_ranks"]


def test_a_tie_for_first_goes_to_the_lower_index_even_when_rounding_favours_the_other():
    scores, weights = SPLIT_BY_ROUNDING["scores"], SPLIT_BY_ROUNDING["weights"]
    ws = weighted_sum(scores, weights)
    assert ws[1] > ws[0]  # rounding puts proposal 2 a hair ahead ...
    # ... yet proposal 1 is the winner the sensitivity analysis starts from. Proposal 2,
    # tied with it, takes over at once when the first criterion's weight moves down:
    # with the others rescaled, proposal 1 scores 1/3 - (2/15) t and proposal 2
    # 11/30 - (4/15) t, equal at t = 0.25, and proposal 2 gains faster as t decreases.
    first = weight_sensitivity(scores, weights)[0]
    assert (first.delta_points, first.new_winner) == (0.0, 1)


# --- Across BLAS kernels ------------------------------------------------------------

# Runs the engine on the cases read from stdin and prints every figure to the last bit
# (float.hex) and every decision, with the BLAS core OpenBLAS says it is using.
PROBE = r"""
import ctypes, glob, json, os, sys
import numpy as np
from vendors.engine.ranking import ahp, ranks, topsis, weight_sensitivity, weighted_sum

def core():
    here = os.path.dirname(np.__file__)
    for path in glob.glob(os.path.join(here, os.pardir, "numpy.libs", "*openblas*")) + \
            glob.glob(os.path.join(here, ".dylibs", "*openblas*")):
        lib = ctypes.CDLL(path)
        for symbol in ("scipy_openblas_get_corename64_", "scipy_openblas_get_corename",
                       "openblas_get_corename64_", "openblas_get_corename"):
            function = getattr(lib, symbol, None)
            if function is not None:
                function.restype = ctypes.c_char_p
                return function().decode()
    return None

def bits(values):
    return [float(v).hex() for v in np.asarray(values).ravel()]

cases = json.load(sys.stdin)
out = {"core": core(), "ahp": {}, "tables": {}}
for name, matrix in cases["matrices"].items():
    r = ahp(matrix)
    out["ahp"][name] = {
        "pair": list(r.most_inconsistent_pair), "consistent": r.consistent,
        "weights": bits(r.weights), "lambda_max": bits([r.lambda_max]), "cr": bits([r.cr]),
    }
for name, table in cases["tables"].items():
    ws = weighted_sum(table["scores"], table["weights"])
    closeness = topsis(table["scores"], table["weights"])
    out["tables"][name] = {
        "weighted_ranks": ranks(ws).tolist(), "topsis_ranks": ranks(closeness).tolist(),
        "weighted_sum": bits(ws), "topsis": bits(closeness),
        "sensitivity": [[s.criterion, s.new_winner, None if s.stable else s.delta_points.hex()]
                        for s in weight_sensitivity(table["scores"], table["weights"])],
    }
print(json.dumps(out))
"""

# The machine's own choice, then kernels every x86-64 OpenBLAS build carries (one that
# the CPU cannot run falls back to one it can). L2 size and thread count change the
# blocking, so they vary too. Each explicit run first drops whatever OPENBLAS_ settings
# the environment has. Prescott keeps its own cache detection: with OPENBLAS_L2_SIZE set,
# OpenBLAS 0.3.31's Prescott kernel hangs in the eigenvalue routine (dgeev).
KERNELS = {
    "as configured": None,
    "Haswell": {
        "OPENBLAS_CORETYPE": "Haswell",
        "OPENBLAS_L2_SIZE": "262144",
        "OPENBLAS_NUM_THREADS": "1",
    },
    "Sandybridge": {
        "OPENBLAS_CORETYPE": "Sandybridge",
        "OPENBLAS_L2_SIZE": "1048576",
        "OPENBLAS_NUM_THREADS": "2",
    },
    "Prescott": {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1"},
}


def _run(settings):
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "DJANGO_SETTINGS_MODULE" and (settings is None or not k.startswith("OPENBLAS_"))
    }
    env.update(settings or {})
    cases = json.dumps(
        {
            "matrices": MATRICES,
            "tables": {
                name: {"scores": t["scores"], "weights": t["weights"]} for name, t in TABLES.items()
            },
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=env,
        input=cases,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_blas_kernel_gives_the_hand_worked_decisions_and_the_same_bits():
    runs = {name: _run(settings) for name, settings in KERNELS.items()}

    cores = {run["core"] for run in runs.values()}
    if None not in cores:  # the settings really did switch kernels
        assert len(cores) >= 2, cores
    for name, run in runs.items():
        for case, (pair, consistent, *_figures) in EXPECTED_AHP.items():
            got = run["ahp"][case]
            assert (tuple(got["pair"]), got["consistent"]) == (pair, consistent), (name, case)
        for case, table in TABLES.items():
            got = run["tables"][case]
            assert got["weighted_ranks"] == table["weighted_ranks"], (name, case)
            assert got["topsis_ranks"] == table["topsis_ranks"], (name, case)
    reference = runs["as configured"]
    for name, run in runs.items():
        # Not only the decisions: every figure is the same to the last bit.
        assert run["ahp"] == reference["ahp"], name
        assert run["tables"] == reference["tables"], name
