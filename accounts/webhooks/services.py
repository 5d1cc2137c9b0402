"""Subscribing to webhooks, announcing events, and delivering them signed.

An app announces an event with ``emit(organisation_id=..., event=..., data=...)`` inside
the transaction that made it happen: a delivery row is saved for each active
subscription to that event, and handed to a worker once the transaction commits (never
when it rolls back). ``deliver`` POSTs the JSON body with a signature over the timestamp
and the body (``accounts.engine.webhook_signing``), records the answer, and says whether
to try again; ``tasks`` retries with exponential backoff, and ``retry_due`` re-sends
deliveries whose task the queue lost.

A URL must be http(s). In production (or unless ``SOURCEWISE_WEBHOOKS_ALLOW_PRIVATE`` is
true) every address its host resolves to must be public: a loopback, private or
link-local address is refused when subscribing and again before each delivery, so a
later DNS change cannot point a subscription at the app's own network.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from accounts.engine.webhook_signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    is_public_address,
    new_secret,
    signature,
)
from accounts.models import Organisation
from accounts.queueing import send, task
from accounts.webhooks.models import EVENTS, TEST_EVENT, Delivery, DeliveryStatus, Subscription

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
FIRST_RETRY_SECONDS = 10
MAX_RETRY_SECONDS = 3600
TIMEOUT = httpx.Timeout(5.0, connect=3.0)
SUBSCRIPTIONS_PER_ORGANISATION = 20
USER_AGENT = "Sourcewise-Webhooks/1"


class WebhookError(ValueError):
    """A subscription cannot be saved as asked; the message says why, in words."""


def allow_private_addresses() -> bool:
    return bool(getattr(settings, "SOURCEWISE_WEBHOOKS_ALLOW_PRIVATE", settings.DEBUG))


def backoff_seconds(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure: 10 s, 30 s, 90 s, … at most 1 h."""
    return min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 3 ** max(0, attempts - 1))


def check_url(url: str) -> str:
    """The URL, stripped, or WebhookError saying what is wrong with it."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookError("Give a full web address starting with https:// (or http://).")
    if parts.username or parts.password:
        raise WebhookError("The address may not contain a user name or password.")
    if not allow_private_addresses():
        _check_public(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    return url


def _check_public(host: str, port: int) -> None:
    try:
        addresses = {
            str(info[4][0]) for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
        }
    except (socket.gaierror, UnicodeError) as error:
        raise WebhookError(f"The host {host} cannot be found.") from error
    if not addresses or not all(is_public_address(a.split("%")[0]) for a in addresses):
        raise WebhookError(
            f"The host {host} is on a private or local network; webhooks go "
            "only to public addresses."
        )


def _events(events: list[str]) -> list[str]:
    chosen = sorted(set(events))
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise WebhookError(f"Unknown event: {', '.join(unknown)}.")
    if not chosen:
        raise WebhookError("Choose at least one event.")
    return chosen


def subscription_create(
    *, organisation: Organisation, user: User, url: str, events: list[str], description: str = ""
) -> Subscription:
    url, chosen = check_url(url), _events(events)
    with transaction.atomic():
        count = Subscription.objects.select_for_update().filter(organisation=organisation).count()
        if count >= SUBSCRIPTIONS_PER_ORGANISATION:
            raise WebhookError(
                f"Your organisation already has {count} webhooks, the most "
                "allowed. Delete one first."
            )
        return Subscription.objects.create(
            organisation=organisation,
            url=url,
            events=chosen,
            description=description.strip(),
            secret=new_secret(),
            created_by=user,
        )


def subscription_update(
    *, subscription: Subscription, url: str, events: list[str], active: bool, description: str = ""
) -> Subscription:
    subscription.url, subscription.events = check_url(url), _events(events)
    subscription.active, subscription.description = active, description.strip()
    subscription.save(update_fields=["url", "events", "active", "description"])
    return subscription


def subscription_rotate_secret(*, subscription: Subscription) -> Subscription:
    subscription.secret = new_secret()
    subscription.save(update_fields=["secret"])
    return subscription


def subscription_delete(*, subscription: Subscription) -> None:
    subscription.delete()


def _payload(
    delivery_uid: str, event: str, organisation_id: int, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": delivery_uid,
        "event": event,
        "created": timezone.now().isoformat(),
        "organisation": organisation_id,
        "data": data,
    }


def emit(*, organisation_id: int, event: str, data: dict[str, Any]) -> list[int]:
    """Record a delivery of ``event`` for each subscription to it; sent after commit."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}")
    ids = []
    for subscription in Subscription.objects.filter(organisation_id=organisation_id, active=True):
        if event in subscription.events:
            ids.append(_new_delivery(subscription, event, data).pk)
    return ids


def send_test(*, subscription: Subscription) -> Delivery:
    """A test delivery to one subscription, whatever events it has chosen."""
    return _new_delivery(
        subscription,
        TEST_EVENT,
        {
            "message": "A test event from Sourcewise: your endpoint is reachable and can check "
            "the signature."
        },
    )


def _new_delivery(subscription: Subscription, event: str, data: dict[str, Any]) -> Delivery:
    delivery = Delivery(
        subscription=subscription, event=event, payload={}, next_attempt_at=timezone.now()
    )
    # Through the JSON encoder the API uses: dates, decimals (as strings) and UUIDs.
    delivery.payload = json.loads(
        json.dumps(
            _payload(str(delivery.uid), event, subscription.organisation_id, data),
            cls=DjangoJSONEncoder,
        )
    )
    delivery.save()
    transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def enqueue(delivery_id: int, countdown: int = 0) -> bool:
    """Hand a delivery to the workers; False (left for ``retry_due``) when the queue is
    unreachable."""
    return send(
        task("webhooks.deliver", delivery_id, countdown=countdown),
        what=f"webhook delivery {delivery_id} (it waits for the sweep)",
    )


def deliver(delivery_id: int) -> int | None:
    """Try the delivery once. None when done (delivered, given up, or gone); otherwise the
    seconds to wait before the next attempt."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in (DeliveryStatus.SUCCEEDED, DeliveryStatus.FAILED):
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save(update_fields=["attempts", "last_attempt_at"])
    subscription = delivery.subscription
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    code, text, error, started = None, "", "", time.monotonic()
    try:
        parts = urlsplit(subscription.url)
        if not allow_private_addresses():
            _check_public(
                parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)
            )
        timestamp = int(time.time())
        response = httpx.post(
            subscription.url,
            content=body,
            timeout=TIMEOUT,
            follow_redirects=False,
            headers={
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                EVENT_HEADER: delivery.event,
                DELIVERY_HEADER: str(delivery.uid),
                SIGNATURE_HEADER: signature(subscription.secret, timestamp, body),
            },
        )
        code, text = response.status_code, response.text[:500]
        if not 200 <= code < 300:
            error = f"The endpoint answered {code}."
    except WebhookError as problem:
        error = str(problem)
    except httpx.HTTPError as problem:
        error = f"Could not reach the endpoint: {type(problem).__name__}."
    elapsed = int((time.monotonic() - started) * 1000)
    if not error:
        status, wait = DeliveryStatus.SUCCEEDED, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        status, wait = DeliveryStatus.FAILED, None
    else:
        status, wait = DeliveryStatus.RETRYING, backoff_seconds(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=status,
        response_code=code,
        response_body=text,
        error=error[:500],
        duration_ms=elapsed,
        next_attempt_at=None if wait is None else timezone.now() + dt.timedelta(seconds=wait),
    )
    return wait


def retry_due(*, now: dt.datetime | None = None) -> int:
    """Re-send deliveries due for a while whose task the queue lost (or never got)."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status__in=(DeliveryStatus.PENDING, DeliveryStatus.RETRYING),
        next_attempt_at__lt=now - dt.timedelta(minutes=2),
    ).values_list("pk", flat=True)[:500]
    return sum(enqueue(pk) for pk in due)
