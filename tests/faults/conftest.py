"""Fixtures for the fault tests: a Redis of the test's own, and the sweepers run as beat would.

The sweepers' limits are lowered through settings (they are read at call time) and the
sweeps run every second, so each test takes seconds, not minutes. With
``SOURCEWISE_FAULT_REAL_LIMITS=true`` the tests keep the production limits and sweep
every 20 s, as beat does, and print how long recovery took: the figures in
docs/projection-runs.md come from such a run.

``SOURCEWISE_TEST_REDIS_PORTS`` (say ``6431-6439``) picks the private Redis's port from a
range instead of any spare one.
"""

from __future__ import annotations

import io
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from tests.realparts import RedisServer, spare_port, unavailable

REAL_LIMITS = os.environ.get("SOURCEWISE_FAULT_REAL_LIMITS", "").lower() == "true"
# Recovery must end within this many seconds of the fault ending (issue 13).
RECOVERY_BUDGET = 120.0


def _free_port() -> int:
    wanted = os.environ.get("SOURCEWISE_TEST_REDIS_PORTS", "")
    if not wanted:
        return spare_port()
    low, _, high = wanted.partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    unavailable(f"No free port for a private Redis in {wanted}.")
    raise AssertionError  # unreachable: unavailable() skips or fails


@pytest.fixture
def fault_redis(tmp_path) -> Iterator[RedisServer]:
    """A Redis of the test's own (no persistence, as a restarted cache-only Redis)."""
    import shutil

    if not shutil.which("redis-server"):
        unavailable("Fault tests need the redis-server binary: apt-get install redis-server")
    server = RedisServer(_free_port(), tmp_path / "redis").start()
    yield server
    server.stop()


@dataclass
class Beat:
    """Runs both sweepers every ``every`` seconds, as Celery beat does."""

    every: float
    sweeps: int = 0

    def sweep(self) -> None:
        from outsourcing.dashboard.boardpacks.tasks import board_packs_sweep

        call_command("sweep_projections", stdout=io.StringIO(), stderr=io.StringIO())
        board_packs_sweep()
        self.sweeps += 1

    def until(self, condition: Callable[[], bool], *, timeout: float, what: str, logs=()) -> float:
        """Sweep until ``condition`` holds; the seconds it took. Fails after ``timeout``."""
        started = time.monotonic()
        next_sweep = started
        while not condition():
            now = time.monotonic()
            if now - started > timeout:
                tails = "\n".join(
                    f"--- {log}\n{log.read_text()[-4000:]}" for log in logs if log.exists()
                )
                pytest.fail(f"Timed out after {timeout:.0f} s waiting for {what}.\n{tails}")
            if now >= next_sweep:
                self.sweep()
                next_sweep = now + self.every
            time.sleep(0.1)
        return time.monotonic() - started


@pytest.fixture
def beat(settings) -> Beat:
    if REAL_LIMITS:
        return Beat(every=20.0)
    for name, seconds in (
        ("PROJECTION_LOST_AFTER", 6),
        ("PROJECTION_COMBINE_LOST_AFTER", 4),
        ("PROJECTION_NEVER_SENT_GRACE", 2),
        # Longer than the 10 s between a build's heartbeats (queueing.HEARTBEAT_EVERY, in
        # the worker's process): a PDF build takes several seconds, and a shorter limit
        # would let the sweeper take a pack still building for a lost one.
        ("BOARD_PACK_LOST_AFTER", 12),
        ("BOARD_PACK_NEVER_SENT_GRACE", 2),
    ):
        setattr(settings, f"SOURCEWISE_{name}", seconds)
    return Beat(every=1.0)


def report(what: str, seconds: float) -> None:
    """A measured recovery time, for the docs (shown with pytest -s)."""
    mode = "production limits" if REAL_LIMITS else "lowered limits"
    print(f"\nRECOVERY ({mode}): {what}: {seconds:.1f} s", flush=True)
