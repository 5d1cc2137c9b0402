"""How do the imports stand up to hostile files? Run: .venv/bin/python benchmarks/hostile_files.py

Builds every crafted file of tests/security/crafted.py (decompression bombs, a million
empty rows, huge shared text, 20,000 parts, a 200,000-column header, a billion laughs, a
giant CSV line...) and sends each to the three imports: the assessment inventory, the
SLA measurements and the admin vendor import (where django-import-export reads the
upload). For each it prints the size on disk, the outcome, the time to refuse (or read)
and the peak memory the import added, measured in a forked child from /proc (Linux).
Targets, the same bounds as tests/security/test_hostile_files.py: every file refused
(or, for a declared-but-empty dimension, read correctly) in under 5 s and under 100 MB.
Exits 1 when a target is missed.

Before the shared reader (issue 12): a 2.1 MB XLSX added 0.9 GB to the inventory import
in 18 s, a 4.25 MB one 4.2 GB, an 89 KB file of empty rows ran 60 s at 1.2 GB, the
measurement import took +1.7 GB from 1.9 MB, the vendor import +1.9 GB from 2.1 MB, and
a header of 200,000 unknown columns gave an 81 MB error page.

Options: --only NAME (a case, repeatable), --importer inventory|measurements|vendors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script, the project root is not on sys.path

MEMORY_TARGET_MB = 100
TIME_TARGET_S = 5.0
IMPORTERS = ("inventory", "measurements", "vendors")


def _setup_django() -> None:
    """The vendor import needs Django configured; no database is touched."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault(
        "DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/hostile-bench-unused.sqlite3"
    )
    import django

    django.setup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="a case's name")
    parser.add_argument("--importer", choices=IMPORTERS, action="append", default=[])
    args = parser.parse_args()
    _setup_django()
    from tests.security.crafted import HOSTILE
    from tests.security.importers import REFUSED, read_with
    from tests.security.measure import MEGABYTE, measured

    importers = args.importer or list(IMPORTERS)
    cases = [case for case in HOSTILE if not args.only or case.name in args.only]
    print(
        f"{'file':34} {'import':12} {'on disk':>9} {'outcome':8} {'seconds':>8} "
        f"{'peak MB':>8}  message"
    )
    missed = []
    worst_seconds, worst_growth = 0.0, 0
    for case in cases:
        for importer in importers:
            data = case.build(importer)
            result = measured(
                lambda data=data, importer=importer, case=case: read_with(
                    importer, case.filename, data
                )
            )
            refused = result.outcome.startswith(REFUSED)
            ok = (
                refused == case.refused
                and result.seconds < TIME_TARGET_S
                and result.peak_growth < MEMORY_TARGET_MB * MEGABYTE
            )
            if not ok:
                missed.append(f"{case.name} / {importer}")
            worst_seconds = max(worst_seconds, result.seconds)
            worst_growth = max(worst_growth, result.peak_growth)
            message = result.outcome.split(": ", 1)[1]
            print(
                f"{case.name:34} {importer:12} {_size(len(data)):>9} "
                f"{'refused' if refused else 'read':8} {result.seconds:8.2f} "
                f"{result.peak_growth / MEGABYTE:8.1f}  {message[:90]}",
                flush=True,
            )
    print(
        f"\nWorst: {worst_seconds:.2f} s, {worst_growth / MEGABYTE:.1f} MB "
        f"(targets: < {TIME_TARGET_S:.0f} s, < {MEMORY_TARGET_MB} MB per file)."
    )
    if missed:
        print("Missed:", "; ".join(missed))
        return 1
    return 0


def _size(size: int) -> str:
    return f"{size / 1024:,.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


if __name__ == "__main__":
    sys.exit(main())
