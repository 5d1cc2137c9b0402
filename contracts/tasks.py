"""Celery tasks: thin wrappers over the services. Scheduled daily by Celery beat
(outsourcing/celery.py); each is also a management command for cron or a person.

Nobody reads their results (``ignore_result``): a task that keeps one makes every send
subscribe to the result store first, which with Redis down retried for some 19 s and then
broke the sending process's result store for good.
"""

from __future__ import annotations

from celery import shared_task

from contracts import services


@shared_task(
    name="contracts.send_renewal_notices",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=600,
    soft_time_limit=540,
)
def send_renewal_notices() -> dict[str, int]:
    report = services.renewal_notices_send()
    return {
        "renewed": len(report.renewed),
        "expired": len(report.expired),
        "notifications": report.notifications,
        "emails": report.emails,
    }


@shared_task(
    name="contracts.check_sla_breaches",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=600,
    soft_time_limit=540,
)
def check_sla_breaches() -> dict[str, int]:
    report = services.sla_breaches_check()
    return {"notifications": report.notifications, "emails": report.emails}
