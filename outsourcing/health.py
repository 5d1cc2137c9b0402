"""GET /health/: whether each part of the system works, for load balancers and monitors.

Five components, checked at once with django-health-check: the database (a SELECT 1),
the cache (a write read back), the broker (a connection to the task queue), the media
storage (a file written, read and deleted) and the worker (at least one Celery worker
answers a ping over the broker, and one consumes the task queue).

Anyone may ask, without signing in, so the answer says only "ok" or "failing" per
component; why a component fails goes to the log. 200 when all are ok, 503 otherwise.
``manage.py health_check health --no-http`` runs the same checks from a shell.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import os

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from health_check.base import HealthCheck
from health_check.checks import Cache, Database, Storage
from health_check.contrib.celery import Ping
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from health_check.views import HealthCheckView

from outsourcing.celery import app as celery_app


@dataclasses.dataclass
class Broker(HealthCheck):
    """The task queue can be reached: Redis answers, or the queue's folder is writable."""

    timeout = datetime.timedelta(seconds=3)

    def run(self) -> None:
        options = celery_app.conf.broker_transport_options or {}
        if str(celery_app.conf.broker_url).startswith("filesystem"):
            folder = options.get("data_folder_out", "")
            if not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
                raise ServiceUnavailable("the queue folder is missing or read-only")
            return
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
        except Exception as error:  # kombu wraps every transport's error differently
            raise ServiceUnavailable("the broker cannot be reached") from error


@dataclasses.dataclass
class Worker(Ping):
    """At least one worker answers a ping and consumes the default queue."""

    app: object = dataclasses.field(default_factory=lambda: celery_app, repr=False)
    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=3), repr=False
    )
    limit: int | None = dataclasses.field(default=1, repr=False)

    def run(self) -> None:
        try:
            super().run()
        except HealthCheckException:
            raise
        except Exception as error:  # the broker is down: no worker can be asked
            raise ServiceUnavailable("no worker can be reached") from error


COMPONENTS: dict[type[HealthCheck], str] = {
    Database: "database",
    Cache: "cache",
    Broker: "broker",
    Storage: "storage",
    Worker: "worker",
}


class HealthView(HealthCheckView):
    checks = tuple(COMPONENTS)

    async def get(self, request, *args, **kwargs):
        results = await self.run_checks()
        components = {
            COMPONENTS[type(result.check)]: "failing" if result.error else "ok"
            for result in results
        }
        failing = "failing" in components.values()
        return JsonResponse(
            {"status": "failing" if failing else "ok", "components": components},
            status=503 if failing else 200,
        )

    async def run_checks(self):
        with self.get_executor() as executor:
            return await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )


health = login_not_required(HealthView.as_view())
