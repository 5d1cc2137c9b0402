"""Hostile spreadsheets are refused by every import, in words, within a memory and time bound.

Each file of `crafted.HOSTILE` (decompression bombs, a million empty rows, a 200,000-column
header, a billion laughs...) goes to the inventory, the SLA measurements and the admin
vendor import. Each run happens in a forked child that measures it: the file must be
refused with a message that names the limit, adding less than MEMORY_BOUND to the
process at its peak and within TIME_BOUND. Measured on a developer machine, the worst
is a few megabytes and about two seconds (benchmarks/hostile_files.py prints every
figure); the bounds leave room for a slower CI machine. Before this, the same kind of
files took the server to 1 to 4 GB and ran for up to 60 s.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from .crafted import HOSTILE, Hostile
from .importers import READ, REFUSED, read_with
from .measure import MEGABYTE, measured

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/status").exists(),
    reason="measures memory from /proc, as on the Linux servers",
)
MEMORY_BOUND = 100 * MEGABYTE
TIME_BOUND = 5.0
IMPORTERS = ("inventory", "measurements", "vendors")

# What each refusal must say: the limit it met, in the words the person reads.
REASON = {
    "compressible sheet": ("times its packed size",),
    "dense sheet": ("more than 10,000 rows below the header",),
    "formatted empty cells": ("formatted empty cells count too",),
    "empty rows": ("times its packed size",),
    "empty rows, then a value": ("blank or formatted rows count too",),
    "huge shared strings": ("unpacks to",),
    "one text in every cell": ("characters of text in all",),
    "many parts": ("parts; an Excel workbook has a few dozen",),
    # Whichever comes first: the 33rd column, or more cells than a full import has.
    "200,000-column header": ("this import reads at most", "cells and other entries"),
    "100,000 cell formats": ("cell formats, the most Excel itself allows",),
    "entity expansion": ("declares a document type",),
    "deep nesting": ("nested more than 64 levels",),
    "lying sizes": ("damaged",),
    "CSV with a giant line": ("characters long",),
    "CSV with a 200,000-column header": ("characters long",),
    "CSV with 2 million blank lines": ("blank or formatted rows count too",),
}
# A trap that is not refused: what must be read instead.
READ_INSTEAD = {
    ("huge declared dimension", "inventory"): "1 process(es): ['Payroll']",
    ("huge declared dimension", "measurements"): (
        "1 row(s): [{'sla': 'Availability', 'period': '2025-01', 'actual': 99.5}]"
    ),
    ("huge declared dimension", "vendors"): (
        "1 row(s): headers ['name', 'headquarters_country'], [('Acme Cloud', 'United Kingdom')]"
    ),
}


@functools.cache
def hostile_file(case: Hostile, importer: str) -> bytes:
    return case.build(importer)


@pytest.mark.parametrize("importer", IMPORTERS)
@pytest.mark.parametrize("case", HOSTILE, ids=[case.name for case in HOSTILE])
def test_a_hostile_file_is_refused_in_words_within_the_memory_and_time_bound(case, importer):
    data = hostile_file(case, importer)
    result = measured(lambda: read_with(importer, case.filename, data))
    if case.refused:
        assert result.outcome.startswith(REFUSED), result.outcome[:300]
        assert any(reason in result.outcome for reason in REASON[case.name]), result.outcome[:300]
        assert len(result.outcome) < 1_000  # one clear message, not a page of them
    else:
        assert result.outcome == READ + READ_INSTEAD[case.name, importer]
    assert result.seconds < TIME_BOUND, f"{result.seconds:.1f} s"
    assert result.peak_growth < MEMORY_BOUND, f"{result.peak_growth / MEGABYTE:.0f} MB"


def test_every_hostile_file_says_what_it_tests_and_how_it_ends():
    assert {case.name for case in HOSTILE if case.refused} == set(REASON)
    assert {name for name, _ in READ_INSTEAD} == {c.name for c in HOSTILE if not c.refused}


def test_the_measure_sees_memory_that_an_import_holds_at_its_peak():
    """The bound is only as good as the measure: 150 MB held for a moment must show (give
    or take the few pages the kernel reclaims meanwhile), and fail the bound."""

    def hold() -> str:
        block = bytearray(150 * MEGABYTE)
        block[::4096] = b"x" * len(block[::4096])  # touch every page
        return REFUSED + str(len(block))

    growth = measured(hold).peak_growth
    assert 145 * MEGABYTE <= growth < 160 * MEGABYTE, f"{growth / MEGABYTE:.1f} MB"
    assert growth > MEMORY_BOUND
