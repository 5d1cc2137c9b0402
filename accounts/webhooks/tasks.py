"""Webhook deliveries on the workers: one attempt per run, retried with backoff."""

from __future__ import annotations

from celery import shared_task

from accounts.webhooks import services


@shared_task(name="webhooks.deliver", acks_late=True, soft_time_limit=30, time_limit=60)
def deliver_webhook(delivery_id: int) -> str:
    wait = services.deliver(delivery_id)
    if wait is None:
        return "done"
    # The next attempt is its own message, due after the backoff; in-process (no broker)
    # runs leave it to the sweep instead of waiting inside the request.
    if not deliver_webhook.app.conf.task_always_eager:
        services.enqueue(delivery_id, countdown=wait)
    return f"retry in {wait} s"


@shared_task(name="webhooks.retry_due", soft_time_limit=50, time_limit=55, expires=55)
def retry_due_webhooks() -> int:
    return services.retry_due()
