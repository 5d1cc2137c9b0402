"""The Celery application: a worker and beat run beside the web server.

With REDIS_URL the broker is Redis; without it (``make run``) it is a folder of files,
var/broker/ (outsourcing/settings.py). Only the test suite runs tasks in-process.
"""

import contextlib
import gc
import logging
import os
import time
from pathlib import Path

from celery import Celery, signals
from celery.schedules import crontab

from outsourcing.allocator import keep_freed_memory

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
# One numpy (BLAS) thread per process, set before numpy is first imported: work is spread
# over processes (worker concurrency, more workers), and BLAS threads of several processes
# spinning on the same cores made two workers slower than one on a two-core machine.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

app = Celery("outsourcing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic jobs, declared in code; each is also a management command for cron or a person.
# A sweep that waited longer than the next one is due is dropped rather than run late.
app.conf.beat_schedule = {
    # Re-sends projections the task queue lost (`manage.py sweep_projections`).
    "sweep-stale-projections": {
        "task": "assessments.projection_sweep",
        "schedule": 20.0,
        "options": {"expires": 15},
    },
    # Re-sends board packs requested while the task queue was down.
    "sweep-stale-board-packs": {
        "task": "outsourcing.sweep_board_packs",
        "schedule": 20.0,
        "options": {"expires": 15},
    },
    # Renewal notices and SLA breach checks, daily (`manage.py send_renewal_notices`,
    # `manage.py check_sla_breaches`); both are safe to run twice.
    "contracts-send-renewal-notices": {
        "task": "contracts.send_renewal_notices",
        "schedule": crontab(hour=6, minute=0),
        "options": {"expires": 6 * 3600},
    },
    "contracts-check-sla-breaches": {
        "task": "contracts.check_sla_breaches",
        "schedule": crontab(hour=6, minute=15),
        "options": {"expires": 6 * 3600},
    },
    # Contract forecasts missing or older than their projection (contracts/forecasts/).
    "contracts-sweep-forecasts": {
        "task": "contracts.sweep_forecasts",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # Webhook deliveries whose retry the task queue lost (accounts/webhooks/).
    "webhooks-retry-due": {
        "task": "webhooks.retry_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
# The daily jobs also run once each time beat starts: after downtime that spanned 06:00
# nothing waits a day, and a fresh `make run` shows its reminders within seconds. Both
# are idempotent (a notification exists once per person, contract, kind and date).
AT_BEAT_START = ("contracts.send_renewal_notices", "contracts.check_sla_breaches")
# Messages the filesystem broker has delivered are kept this long in var/broker/processed.
PROCESSED_KEPT_SECONDS = 24 * 3600

logger = logging.getLogger(__name__)


@signals.import_modules.connect
def _schedule_folder(sender=None, **kwargs) -> None:
    """Beat (and a worker) loading its modules, before beat opens its schedule file.

    A read-only folder is left for beat to report; a worker does not need it.
    """
    with contextlib.suppress(OSError):
        Path(app.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)


@signals.beat_init.connect
def _beat_started(sender=None, **kwargs) -> None:
    """Send the daily jobs once."""
    for name in AT_BEAT_START:
        try:
            app.send_task(name, expires=6 * 3600)
        except Exception:  # the broker is down: the daily schedule still runs them
            logger.exception("Could not send %s at beat start", name)


@signals.worker_init.connect
def _worker_started(sender=None, **kwargs) -> None:
    """Before the worker forks its pool processes.

    Each keeps the memory it frees (``outsourcing.allocator``): Monte Carlo chunks ran
    40 % slower without it. And what is loaded by now (Django, the project) is moved out
    of the garbage collector's sight (``gc.freeze``), as gunicorn.conf.py does for the
    web workers: a full collection then walks only what the tasks create.
    """
    keep_freed_memory()
    gc.freeze()


@signals.worker_ready.connect
def _worker_ready(sender=None, **kwargs) -> None:
    """With the filesystem broker, forget delivered messages older than a day."""
    options = app.conf.broker_transport_options or {}
    if not str(app.conf.broker_url).startswith("filesystem") or not options.get("store_processed"):
        return
    folder = Path(options["processed_folder"])
    cutoff = time.time() - PROCESSED_KEPT_SECONDS
    for message in folder.glob("*.msg"):
        with contextlib.suppress(OSError):  # taken by another process meanwhile
            if message.stat().st_mtime < cutoff:
                message.unlink()


@app.task(name="outsourcing.ping")
def ping(token: str) -> str:
    """Echo a token: lets tests and operators see that a worker consumes the queue."""
    return f"pong:{token}"
