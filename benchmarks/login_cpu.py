"""CPU time of one log-in's password check: PBKDF2 (Django's default) against Argon2 (ours).

A log-in verifies the password once (``check_password``); the first log-in after the
switch also re-hashes it with Argon2. Prints the median of a few repetitions of each, as
CPU time of this process (all its threads: Argon2 computes its lanes in parallel) and
as wall time.

    .venv/bin/python benchmarks/login_cpu.py [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASSWORD = "correct horse battery staple"


def measure(work, repeat: int) -> tuple[float, float]:
    """Median (CPU ms, wall ms) of ``work()`` over ``repeat`` runs, after one warm-up."""
    work()
    cpu, wall = [], []
    for _ in range(repeat):
        cpu_start, wall_start = time.process_time(), time.perf_counter()
        work()
        cpu.append((time.process_time() - cpu_start) * 1000)
        wall.append((time.perf_counter() - wall_start) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import (
        Argon2PasswordHasher,
        PBKDF2PasswordHasher,
        check_password,
    )

    pbkdf2, argon2 = PBKDF2PasswordHasher(), Argon2PasswordHasher()
    stored = {
        "PBKDF2": pbkdf2.encode(PASSWORD, pbkdf2.salt()),
        "Argon2": argon2.encode(PASSWORD, argon2.salt()),
    }
    print(f"Password hashers, first used for new hashes: {settings.PASSWORD_HASHERS[0]}")
    print(
        f"PBKDF2-SHA256: {pbkdf2.iterations:,} iterations. Argon2id: time cost "
        f"{argon2.time_cost}, memory {argon2.memory_cost:,} KiB, parallelism "
        f"{argon2.parallelism}."
    )
    print(f"Median of {args.repeat} runs, CPU time of this process (wall time):")
    results = {}
    for name, encoded in stored.items():
        results[name] = measure(lambda e=encoded: check_password(PASSWORD, e), args.repeat)
        cpu, wall = results[name]
        print(f"  log-in, {name} hash checked:     {cpu:7.1f} ms CPU ({wall:6.1f} ms wall)")
    upgrade = measure(
        lambda: (
            check_password(PASSWORD, stored["PBKDF2"]),
            argon2.encode(PASSWORD, argon2.salt()),
        ),
        args.repeat,
    )
    print(
        f"  first log-in after the switch:  {upgrade[0]:7.1f} ms CPU ({upgrade[1]:6.1f} ms "
        "wall): PBKDF2 checked, then re-hashed with Argon2"
    )
    ratio = results["Argon2"][0] / results["PBKDF2"][0]
    print(
        f"Argon2 costs {ratio:.2f}x the CPU of PBKDF2 per log-in, and "
        f"{argon2.memory_cost // 1024} MiB of memory while it runs."
    )


if __name__ == "__main__":
    main()
