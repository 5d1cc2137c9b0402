"""seed_demo's portal demo and its last line, an interface tools outside the project read."""

import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client

from accounts.models import Organisation
from vendors.demo_portal import PORTAL_EVENT, seed_portal
from vendors.models import ClarificationAudience, Invitation, ResponseStatus, SourcingEvent

pytestmark = pytest.mark.django_db
LINE = re.compile(r"^Vendor portal demo link: (/portal/[A-Za-z0-9_-]{43,}/)$")


def test_seed_demo_ends_with_a_portal_link_that_opens_without_logging_in_and_a_rerun_revokes_it():
    cache.clear()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    match = LINE.match(last)
    assert match, last
    first = match.group(1)

    event = SourcingEvent.objects.get(name=PORTAL_EVENT)
    rfp = event.rfp
    assert rfp.is_published
    assert event.candidates.filter(invited=True).count() == 3
    assert rfp.responses.filter(status=ResponseStatus.SUBMITTED).count() == 2
    assert rfp.clarifications.filter(audience=ClarificationAudience.ALL).count() == 1

    page = Client().get(first)
    assert page.status_code == 200
    waiting = Invitation.objects.get(revoked_at__isnull=True, rfp=rfp, email__startswith="rfp@")
    assert waiting.vendor.name in page.content.decode()
    assert not rfp.responses.filter(vendor=waiting.vendor).exists()

    again = seed_portal({"Acme Holdings": Organisation.objects.get(name="Acme Holdings")})
    assert again != first
    assert Client().get(first).status_code == 404
    assert Client().get(again).status_code == 200
    assert rfp.responses.count() == 2  # the rerun adds no response
