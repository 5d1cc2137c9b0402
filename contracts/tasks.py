"""Celery tasks: thin wrappers over the services. Scheduled daily by Celery beat
(outsourcing/celery.py); each is also a management command for cron or a person."""

from __future__ import annotations

from celery import shared_task

from contracts import services


@shared_task(name="contracts.send_renewal_notices", acks_late=True, time_limit=600,
             soft_time_limit=540)
def send_renewal_notices() -> dict[str, int]:
    report = services.renewal_notices_send()
    return {"renewed": len(report.renewed), "expired": len(report.expired),
            "notifications": report.notifications, "emails": report.emails}


@shared_task(name="contracts.check_sla_breaches", acks_late=True, time_limit=600,
             soft_time_limit=540)
def check_sla_breaches() -> dict[str, int]:
    report = services.sla_breaches_check()
    return {"notifications": report.notifications, "emails": report.emails}


@shared_task(name="contracts.recompute_credits", acks_late=True, time_limit=600)
def recompute_credits(contract_id: int) -> bool:
    """Recompute one contract's credits (e.g. after the rules change); False if gone."""
    from contracts.models import Contract

    contract = Contract.objects.filter(pk=contract_id).first()
    if contract is None:
        return False
    services.credits_recompute(contract=contract, reason="Recomputed by a task")
    return True
