"""Handing work to the task queue (Celery on Redis), the same way in every app.

- ``BROKER_ERRORS``: what sending a task raises when the task queue cannot be reached:
  kombu's ``OperationalError`` (the transport gave up after the publish retry policy),
  ``redis.exceptions.RedisError`` (redis-py raises its own ``ConnectionError`` and
  ``TimeoutError`` on some paths, the result backend among them), ``OSError`` (a
  socket, the filesystem transport's folder) and kombu's ``InconsistencyError``. Every
  ``apply_async`` or ``delay`` of ours catches this tuple and nothing narrower.
- ``send(signature)``: one attempt; False, with a warning in the log, when the queue is
  down. For requests, which must answer at once; the sweepers send later what could not
  be sent now.
- ``send_with_retry(signature)``: inside a task, where waiting a little is cheaper than
  leaving the work to a sweeper: tries again with backoff for a bounded time
  (``RETRY_WAITS``, about 45 s in all), then gives up and returns False.
- ``queue_backlog()``: how many messages wait in the default queue (None when the
  queue cannot be asked). The sweepers re-send nothing while work is waiting there, so a
  lost task is re-sent once, not once per sweep while a backlog drains.
- ``heartbeat(beat, every=...)``: runs ``beat`` every few seconds in a thread while a
  long step runs; that sign of life is what tells the sweepers a task is still alive,
  not the time it has taken (its hard limit is minutes).
- ``limit(setting, default)``: a sweeper's time limit, which a setting may lower.

Nothing here imports a project app (accounts is the bottom of the import order).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from celery.canvas import Signature
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from kombu.exceptions import ChannelError, InconsistencyError
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# InconsistencyError: Redis lost kombu's routing table (a restart without persistence);
# kombu usually wraps it in an OperationalError, but not on every path.
BROKER_ERRORS: tuple[type[BaseException], ...] = (
    KombuOperationalError,
    RedisError,
    OSError,
    InconsistencyError,
)

# Waits between attempts of ``send_with_retry``: about 45 s in all, long enough for Redis
# to restart or fail over, short enough that the task's time limit is never near.
RETRY_WAITS = (0.5, 1.0, 2.0, 4.0, 8.0, 14.0, 16.0)

# A running task says it is alive this often (seconds). The sweepers treat work whose
# last sign of life is several beats old as lost.
HEARTBEAT_EVERY = 10.0


def limit(setting: str, default: timedelta) -> timedelta:
    """A sweeper's time limit: ``default``, or the setting ``setting`` (seconds or a
    timedelta) when it is set. Read at call time, so tests may lower it."""
    value = getattr(settings, setting, None)
    if value is None:
        return default
    return value if isinstance(value, timedelta) else timedelta(seconds=float(value))


def task(name: str, *args: Any, **options: Any) -> Signature:
    """The task registered as ``name``, called with ``args`` (and sending ``options`` such
    as ``countdown``), ready to send.

    Services hand work to the queue by the task's name, so they never import a tasks
    module (tasks import services, never the reverse). Each app imports its tasks in its
    ``AppConfig.ready``, so the name finds the task in every process, and a run with tasks
    in-process runs it in place. An unknown name raises ``NotRegistered`` at once.
    """
    return current_app.tasks[name].signature(args, **options)


def send(signature: Signature, *, what: str) -> bool:
    """Send one task (or group) once; False, logged, when the task queue is unreachable."""
    try:
        signature.apply_async()
    except BROKER_ERRORS as error:
        logger.warning("Could not send %s, the task queue is unreachable: %s", what, error)
        return False
    return True


def send_with_retry(
    signature: Signature,
    *,
    what: str,
    waits: tuple[float, ...] = RETRY_WAITS,
    sleep: Callable[[float], None] = time.sleep,
) -> bool:
    """Send, trying again after each of ``waits`` while the queue is unreachable.

    Sending the same signature twice is possible (a send that failed after the message
    was written): every task of ours is idempotent.
    """
    for wait in (*waits, None):
        try:
            signature.apply_async()
            return True
        except BROKER_ERRORS as error:
            if wait is None:
                logger.error(
                    "Gave up sending %s after %d attempts: %s", what, len(waits) + 1, error
                )
                return False
            logger.warning("Could not send %s (%s); trying again in %.1f s", what, error, wait)
            sleep(wait)
    return False  # pragma: no cover (the loop returns)


def queue_backlog(queue: str | None = None) -> int | None:
    """How many messages wait in ``queue`` (the default queue); None if it cannot be asked.

    Messages a worker has taken (running, or reserved while acknowledged late) are not
    counted: they are no longer waiting. When tasks run in this process (tests,
    benchmarks) nothing is ever queued, so nothing waits, whatever the broker holds.
    """
    app = current_app
    if app.conf.task_always_eager:
        return 0
    name = queue or app.conf.task_default_queue
    try:
        with app.connection_for_read() as connection:
            channel = connection.default_channel
            try:
                # kombu's StdChannel stub omits queue_declare, which every transport's has.
                declared = channel.queue_declare(  # type: ignore[attr-defined]
                    queue=name, passive=True
                )
                return int(declared.message_count)
            except ChannelError:  # no such queue (Redis drops an empty list): nothing waits
                return 0
    except BROKER_ERRORS as error:
        logger.warning("Could not ask the task queue how much work waits: %s", error)
        return None


# When a sweep last saw work waiting in the queue (``queue_backlog_seen``).
BACKLOG_SEEN_KEY = "queue:backlog-seen-at"
BACKLOG_SEEN_SECONDS = 60 * 60


def queue_backlog_seen(now: datetime) -> tuple[int | None, datetime | None]:
    """The default queue's backlog, and when a sweep last saw work waiting there (``now``
    when it does; None when no sweep has, within the hour).

    A message a worker has just taken no longer counts in the backlog, yet its work may
    not have started: a sweeper treats handed-over work as still in line for a while after
    the queue was last seen busy, rather than sending it again the moment the backlog
    reads 0. Kept in the cache, which every sweep (in any worker) shares.
    """
    backlog = queue_backlog()
    if backlog:
        cache.set(BACKLOG_SEEN_KEY, now, BACKLOG_SEEN_SECONDS)
        return backlog, now
    seen = cache.get(BACKLOG_SEEN_KEY)
    return backlog, seen if isinstance(seen, datetime) else None


@contextmanager
def heartbeat(beat: Callable[[], object], *, every: float = HEARTBEAT_EVERY) -> Iterator[None]:
    """Call ``beat`` every ``every`` seconds in a thread until the block ends.

    A failing beat is logged and skipped (the next one may work). The thread closes the
    database connection it opened, so beats never leak connections. Tasks run in-process
    (tests, benchmarks) beat nothing: no sweeper watches them, and a second connection
    would wait on the caller's transaction.
    """
    if current_app.conf.task_always_eager:
        yield
        return
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.wait(every):
                try:
                    beat()
                except Exception:  # a beat must never break the work it reports on
                    logger.warning("A heartbeat failed", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=every + 5)
