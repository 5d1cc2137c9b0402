"""Every contracts URL walks the ladder: anonymous, outsider, CIO, wrong method, right person."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from contracts.models import Contract, ContractDocument, Measurement, Sla

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"contracts:{name}", args=args)


def scoped_read_urls(w) -> list[str]:
    """Pages that read one of organisation A's objects."""
    c = w.contract
    return [
        url("detail", c.pk),
        url("sla-detail", c.pk, w.sla.pk),
        url("credit-detail", c.pk, 2025, 1),
        url("document-download", c.pk, w.document.pk),
        url("measurement-template", c.pk),
        url("exit-plan", c.pk),
    ]


def open_read_urls(w) -> list[str]:
    """Pages every member opens, showing their own organisation's data."""
    return [
        url("list"),
        url("renewals"),
        url("notifications"),
        url("vendor-record", w.contract.vendor_id),
    ]


def edit_urls(w) -> list[str]:
    """Forms (GET shows, POST saves) that change organisation A's data."""
    c = w.contract
    return [
        url("edit", c.pk),
        url("sla-create", c.pk),
        url("sla-edit", c.pk, w.sla.pk),
        url("record-measurements", c.pk),
        url("import-measurements", c.pk),
        url("review-create", c.pk),
        url("review-edit", c.pk, w.review.pk),
        url("issue-create", c.pk),
        url("issue-edit", c.pk, w.issue.pk),
        url("action-create", c.pk),
        url("action-edit", c.pk, w.action.pk),
        url("record-saving", c.pk),
        url("exit-plan-edit", c.pk),
        url("new-from-award", w.award.pk),
    ]


def post_only_urls(w) -> list[str]:
    c = w.contract
    return [
        url("document-upload", c.pk),
        url("document-delete", c.pk, w.document.pk),
        url("sla-delete", c.pk, w.sla.pk),
    ]


def api_post(client, w, actual: float = 99.9):
    body = {
        "contract": w.contract.pk,
        "period": "2025-02",
        "measurements": [{"sla": "Availability", "actual": actual}],
    }
    return client.post(url("api-measurements"), json.dumps(body), content_type="application/json")


def state(w) -> tuple:
    return (
        Contract.objects.count(),
        Sla.objects.count(),
        Measurement.objects.count(),
        ContractDocument.objects.count(),
        Contract.objects.get(pk=w.contract.pk).title,
    )


def test_anonymous_people_are_sent_to_login_from_every_url(cast, world):
    client = cast.client_for(None)
    for address in [
        *scoped_read_urls(world),
        *open_read_urls(world),
        *edit_urls(world),
        url("create"),
    ]:
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response.url, address
    for address in [*edit_urls(world), *post_only_urls(world), url("notifications-read")]:
        response = client.post(address)
        assert response.status_code == 302 and "/accounts/login/" in response.url, address


def test_the_api_asks_anonymous_callers_to_authenticate(cast, world):
    response = api_post(cast.client_for(None), world)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"  # a token, never a password


def test_another_organisation_gets_404_for_every_url_with_our_ids(cast, world):
    before = state(world)
    client = cast.client_for("outsider")
    for address in [*scoped_read_urls(world), *edit_urls(world)]:
        assert client.get(address).status_code == 404, address
    for address in [*edit_urls(world), *post_only_urls(world)]:
        assert client.post(address, {"title": "Taken over"}).status_code == 404, address
    assert api_post(client, world).status_code == 404
    assert state(world) == before


def test_another_organisation_gets_404_for_our_document(cast, world):
    address = url("document-download", world.contract.pk, world.document.pk)
    response = cast.client_for("outsider").get(address)
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_another_organisation_sees_none_of_our_data_on_its_own_pages(cast, world):
    client = cast.client_for("outsider")
    for address in open_read_urls(world):
        response = client.get(address)
        assert response.status_code == 200, address
        page = response.content.decode()
        assert world.contract.title not in page and "Late report" not in page, address


def test_a_cio_reads_every_page(cast, world):
    client = cast.client_for("cio")
    for address in [*scoped_read_urls(world), *open_read_urls(world)]:
        assert client.get(address).status_code == 200, address


def test_a_cio_gets_403_on_every_change(cast, world):
    before = state(world)
    client = cast.client_for("cio")
    for address in [*edit_urls(world), url("create")]:
        assert client.get(address).status_code == 403, address
        assert client.post(address, {"title": "Changed"}).status_code == 403, address
    for address in post_only_urls(world):
        assert client.post(address).status_code == 403, address
    assert api_post(client, world).status_code == 403
    assert state(world) == before


def test_wrong_methods_get_405(cast, world):
    client = cast.client_for("manager")
    for address in [*scoped_read_urls(world), *open_read_urls(world)]:
        assert client.post(address).status_code == 405, address
    for address in [*post_only_urls(world), url("notifications-read")]:
        assert client.get(address).status_code == 405, address
    for address in edit_urls(world):
        assert client.put(address).status_code == 405, address
    assert client.get(url("api-measurements")).status_code == 405


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_open_every_page_and_form(cast, world, who):
    client = cast.client_for(who)
    for address in [
        *scoped_read_urls(world),
        *open_read_urls(world),
        *edit_urls(world),
        url("create"),
    ]:
        assert client.get(address).status_code == 200, address
