"""The Celery application. Without REDIS_URL tasks run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")

app = Celery("outsourcing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="outsourcing.ping")
def ping(token: str) -> str:
    """Echo a token: lets tests and operators see that a worker consumes the queue."""
    return f"pong:{token}"
