"""The Celery application. Without REDIS_URL tasks run in-process (eager)."""

import os

from celery import Celery
from celery.schedules import crontab

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
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Re-sends board packs requested while the task queue was down.
    "sweep-stale-board-packs": {
        "task": "outsourcing.sweep_board_packs",
        "schedule": 60.0,
        "options": {"expires": 55},
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
}


@app.task(name="outsourcing.ping")
def ping(token: str) -> str:
    """Echo a token: lets tests and operators see that a worker consumes the queue."""
    return f"pong:{token}"
