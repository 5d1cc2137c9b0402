"""Signed webhooks: subscribe, deliver to a real local receiver, retry, log, refuse."""

from __future__ import annotations

import json
import time

import pytest
from django.test import override_settings

from accounts.engine.webhook_signing import is_public_address, signature, verify
from accounts.webhooks import services
from accounts.webhooks.models import Delivery, DeliveryStatus, Subscription

from .receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def subscribe(cast, url, events=("assessment.submitted",)):
    return services.subscription_create(
        organisation=cast.org, user=cast.admin.user, url=url, events=list(events)
    )


def test_a_delivery_is_signed_over_the_timestamp_and_the_exact_body(cast):
    with Receiver() as receiver:
        subscription = subscribe(cast, receiver.url)
        services.emit(
            organisation_id=cast.org.pk,
            event="assessment.submitted",
            data={"assessment": 7, "name": "Back office"},
        )
        arrived = receiver.received[0]
    body = json.loads(arrived.body)
    assert body["event"] == "assessment.submitted" and body["data"]["assessment"] == 7
    assert body["organisation"] == cast.org.pk
    assert arrived.headers["Sourcewise-Event"] == "assessment.submitted"
    assert arrived.headers["Sourcewise-Delivery"] == body["id"]
    header = arrived.headers["Sourcewise-Signature"]
    assert verify(subscription.secret, header, arrived.body, now=int(time.time()))
    assert not verify("whsec_other", header, arrived.body, now=int(time.time()))
    assert not verify(subscription.secret, header, arrived.body + b" ", now=int(time.time()))
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.response_code == 204


def test_only_subscribers_to_the_event_in_the_organisation_receive_it(cast):
    with Receiver() as mine, Receiver() as theirs:
        subscribe(cast, mine.url, events=["credit.computed"])
        services.subscription_create(
            organisation=cast.other_org,
            user=cast.outsider.user,
            url=theirs.url,
            events=["assessment.submitted"],
        )
        services.emit(organisation_id=cast.org.pk, event="assessment.submitted", data={})
        assert mine.received == [] and theirs.received == []


def test_a_failed_delivery_is_logged_and_retried_with_growing_waits(cast):
    with Receiver() as receiver:
        receiver.answers = [500]
        subscribe(cast, receiver.url)
        services.emit(organisation_id=cast.org.pk, event="assessment.submitted", data={})
        delivery = Delivery.objects.get()
        assert delivery.status == DeliveryStatus.RETRYING and delivery.response_code == 500
        assert delivery.error == "The endpoint answered 500." and delivery.next_attempt_at
        assert services.deliver(delivery.pk) is None  # the second attempt succeeds
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 2
    assert [services.backoff_seconds(n) for n in (1, 2, 3, 4)] == [10, 30, 90, 270]
    assert services.backoff_seconds(20) == 3600


def test_a_delivery_gives_up_after_the_last_attempt(cast):
    with Receiver() as receiver:
        receiver.answers = [503] * services.MAX_ATTEMPTS
        subscribe(cast, receiver.url)
        services.emit(organisation_id=cast.org.pk, event="assessment.submitted", data={})
        delivery = Delivery.objects.get()
        while services.deliver(delivery.pk) is not None:
            pass
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == services.MAX_ATTEMPTS == len(receiver.received)


def test_an_unreachable_endpoint_is_logged_in_words(cast):
    with Receiver() as receiver:
        url = receiver.url
    subscribe(cast, url)  # the receiver has stopped: nothing listens there any more
    services.emit(organisation_id=cast.org.pk, event="assessment.submitted", data={})
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.error.startswith("Could not reach the endpoint")


def test_the_admin_sends_a_test_event_and_sees_it_in_the_log(cast):
    with Receiver() as receiver:
        subscription = subscribe(cast, receiver.url)
        client = cast.client_for("admin")
        assert client.post(f"/accounts/webhooks/{subscription.pk}/test/").status_code == 302
        page = client.get(f"/accounts/webhooks/{subscription.pk}/").content.decode()
    assert json.loads(receiver.received[0].body)["event"] == "webhook.test"
    assert "webhook.test" in page and "Delivered" in page


@pytest.mark.parametrize("who", ["manager", "cio"])
def test_only_admins_manage_webhooks(cast, who):
    assert cast.client_for(who).get("/accounts/webhooks/").status_code == 403


def test_another_organisations_webhook_is_not_found(cast):
    theirs = Subscription.objects.create(
        organisation=cast.other_org,
        url="https://e.com/h",
        events=["sla.breached"],
        secret="whsec_x",
    )
    client = cast.client_for("admin")
    assert client.get(f"/accounts/webhooks/{theirs.pk}/").status_code == 404
    assert client.post(f"/accounts/webhooks/{theirs.pk}/delete/").status_code == 404
    assert Subscription.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "javascript:alert(1)",
        "example.com",
        "https://user:pw@example.com/x",
        "",
    ],
)
def test_only_http_urls_are_accepted(cast, url):
    page = cast.client_for("admin").post(
        "/accounts/webhooks/", {"url": url, "events": ["sla.breached"]}
    )
    assert page.status_code == 400
    assert not Subscription.objects.exists()


@override_settings(SOURCEWISE_WEBHOOKS_ALLOW_PRIVATE=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest/meta-data",
    ],
)
def test_in_production_private_and_loopback_addresses_are_refused(cast, url):
    with pytest.raises(services.WebhookError, match="private or local network"):
        subscribe(cast, url)


@override_settings(SOURCEWISE_WEBHOOKS_ALLOW_PRIVATE=False)
def test_a_subscription_whose_host_later_points_inside_is_not_delivered(cast):
    subscription = Subscription.objects.create(
        organisation=cast.org, url="http://127.0.0.1:9/", events=["sla.breached"], secret="whsec_x"
    )
    services.emit(organisation_id=cast.org.pk, event="sla.breached", data={})
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.response_code is None and "private or local" in delivery.error


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("192.168.1.1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),
        ("fe80::1", False),
        ("224.0.0.1", False),
    ],
)
def test_which_addresses_count_as_public(address, public):
    assert is_public_address(address) is public


def test_a_signature_older_than_the_tolerance_is_refused():
    header = signature("whsec_s", 1_000, b"{}")
    assert verify("whsec_s", header, b"{}", now=1_100)
    assert not verify("whsec_s", header, b"{}", now=1_000 + 301)
    assert not verify("whsec_s", "garbage", b"{}", now=1_000)


def test_the_lifecycle_announces_its_events(cast):
    """Submitting an assessment announces it, and its projection's end, to subscribers."""
    from assessments.engine.questions import QUESTION_KEYS
    from assessments.models import Assessment, Process
    from assessments.services.assessments import assessment_submit

    with Receiver() as receiver:
        subscribe(cast, receiver.url, events=["assessment.submitted", "projection.finished"])
        draft = Assessment.objects.create(
            organisation=cast.org,
            owner=cast.manager.user,
            name="Draft",
            home_country="United Kingdom",
        )
        Process.objects.create(
            assessment=draft,
            name="Payroll",
            annual_cost=1_000_000,
            **dict(zip(QUESTION_KEYS, (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2), strict=True)),
        )
        assessment_submit(assessment=draft, user=cast.manager.user)
        bodies = [json.loads(r.body) for r in receiver.received]
    events = [body["event"] for body in bodies]
    assert events[0] == "assessment.submitted" and bodies[0]["data"]["processes"] == 1
    finished = next(body for body in bodies if body["event"] == "projection.finished")
    assert finished["data"]["assessment"] == draft.pk
    assert finished["data"]["npv_p50"] is not None
