"""Issue 16's browser journey: a vendor answers an RFP through its link, and wins.

From the invitation e-mail in Django's test outbox: the vendor opens the link (no
account), saves a draft, submits with a document, asks a question; the manager answers
it to every vendor; the deadline passes (the one thing moved by hand: the clock's edge);
the manager opens the sealed responses, the evaluators score the vendor's proposal, and
the manager awards the event to it.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.realparts import ROOT, log_in
from vendors.demo_portal import PORTAL_EVENT
from vendors.models import Award, EventStatus, Invitation, SourcingEvent

pytestmark = pytest.mark.e2e
ARTIFACTS = ROOT / "test-artifacts"
PLAN = b"%PDF-1.4\n% transition plan: three phases over twelve weeks\n"


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)


def test_a_vendor_answers_through_its_link_and_the_manager_awards_from_the_opened_bids(
    page, browser, live_server, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path  # the uploaded plan goes to a folder of this test's own
    call_command("seed_demo", verbosity=0)
    event = SourcingEvent.objects.get(name=PORTAL_EVENT)
    waiting = event.rfp.invitations.filter(revoked_at__isnull=True).exclude(
        vendor__in=event.rfp.responses.values("vendor")
    )
    vendor = waiting.get().vendor.name

    # The manager e-mails a link to the vendor's bid desk.
    log_in(page, "manager", "sourcewise-demo")
    page.goto(f"/vendors/events/{event.pk}/rfp/")
    assert "Sealed" in page.locator("#responses").inner_text()
    row = page.locator(f'#invitations tr[data-vendor="{vendor}"]')
    row.get_by_label(f"Contact e-mail for {vendor}").fill("bids@vendor.example")
    row.get_by_role("button", name="E-mail a link").click()
    assert "Invitation e-mailed" in page.locator("[role=alert]").first.inner_text()
    _shot(page, "buyer-sealed")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bids@vendor.example"]
    link = re.search(r"https?://\S+/portal/\S+/", mail.outbox[0].body).group(0)

    # The vendor, with no account, in a browser of its own.
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    vendor_page = context.new_page()
    vendor_page.set_default_timeout(15_000)
    vendor_page.goto(link)
    assert event.name in vendor_page.locator("h1").inner_text()
    assert "Sourcing events" not in vendor_page.content()  # none of the buyer's pages
    _shot(vendor_page, "home")
    prices = vendor_page.locator("input[name^=price_]")
    for i in range(prices.count()):
        prices.nth(i).fill("380000")
    vendor_page.get_by_label("Term (months)").fill("9999")
    vendor_page.get_by_label("Which languages do your agents speak").fill("English: native")
    vendor_page.get_by_role("button", name="Save draft").click()
    assert "The term is at most 240 months." in vendor_page.content()
    assert vendor_page.get_by_label("Which languages do your agents speak").input_value() == (
        "English: native"
    )
    _shot(vendor_page, "error")
    vendor_page.get_by_label("Term (months)").fill("48")
    vendor_page.get_by_label("One-time transition cost").fill("200000")
    vendor_page.get_by_role("button", name="Save draft").click()
    assert "Draft saved" in vendor_page.locator("[role=alert]").first.inner_text()
    vendor_page.get_by_label("Which certifications").fill("ISO/IEC 27001 until 2029")
    vendor_page.get_by_label("From which countries").fill("United Kingdom, Portugal")
    vendor_page.get_by_label(re.compile(r"Will all our data stay in")).select_option("Yes")
    vendor_page.get_by_label("Which service levels").fill("P1 resolved within 4 hours")
    vendor_page.get_by_label("Your transition plan").set_input_files(
        files=[{"name": "transition-plan.pdf", "mimeType": "application/pdf", "buffer": PLAN}]
    )
    vendor_page.get_by_role("button", name="Submit response").click()
    assert (
        "Response submitted (version 1)" in vendor_page.locator("[role=alert]").first.inner_text()
    )
    vendor_page.get_by_label("Your question").fill("May we propose a phased start?")
    vendor_page.get_by_role("button", name="Ask the question").click()
    assert "Question sent" in vendor_page.locator("[role=alert]").first.inner_text()

    # The manager answers the question to every vendor.
    page.goto(f"/vendors/events/{event.pk}/rfp/")
    card = page.locator("#clarifications .card", has_text="phased start")
    card.get_by_label("Answer").fill("Yes, in two phases at most.")
    card.get_by_label(re.compile("All invited vendors")).check()
    card.get_by_role("button", name="Publish the answer").click()
    vendor_page.reload()
    assert "Yes, in two phases at most." in vendor_page.locator("body").inner_text()
    _shot(vendor_page, "submitted")

    # The deadline passes; the responses lock and the link opens nothing.
    event.deadline = timezone.localdate() - timedelta(days=1)
    event.save(update_fields=["deadline"])
    Invitation.objects.filter(rfp=event.rfp).update(expires_at=timezone.now())
    vendor_page.reload()
    assert "This link does not open anything" in vendor_page.content()
    context.close()

    # The manager opens the sealed responses: each becomes a proposal.
    page.goto(f"/vendors/events/{event.pk}/rfp/")
    page.get_by_role("button", name="Open the sealed responses").click()
    assert "Responses opened: 3 became proposals" in page.locator("[role=alert]").first.inner_text()
    opened = page.locator(f'#responses article[data-vendor="{vendor}"]')
    assert "Declares delivery centres in Portugal" in opened.inner_text()
    assert "transition-plan.pdf" in opened.inner_text()
    _shot(page, "buyer-opened")

    # Evaluators score the vendor's proposal as any other; the manager awards it.
    page.get_by_role("link", name="Scope, shortlist and proposals").click()
    page.locator(f'#shortlist tr[data-vendor="{vendor}"]').get_by_role(
        "link", name=re.compile(r"a year$")
    ).click()
    for evaluator, base in (("Maya Patel", 9), ("Tom Reyes", 8)):
        page.get_by_role("link", name="Enter an evaluator's scores").click()
        page.get_by_label("Evaluator", exact=True).fill(evaluator)
        for field in page.locator("#score-form input[type=number]").all():
            field.fill(str(base))
        page.get_by_role("button", name="Save scores").click()
        page.wait_for_url(re.compile(r".*/proposals/\d+/$"))
    page.get_by_role("link", name="Ranking", exact=True).click()
    page.get_by_role("link", name="Award the event").click()
    page.get_by_label(re.compile(rf"^{re.escape(vendor)}")).check()
    page.get_by_label("Rationale").fill("Best scores, and the price agrees with the scope.")
    page.get_by_role("button", name="Award", exact=True).click()
    page.wait_for_load_state()

    event.refresh_from_db()
    assert event.status == EventStatus.AWARDED
    assert Award.objects.get(event=event).vendor.name == vendor
    record = page.request.get(f"/vendors/events/{event.pk}/rfp/record.csv").text()
    for step in ("Invitation sent", "Link opened", "Response submitted", "Sealed responses opened"):
        assert step in record
    assert "Event awarded" in record
    assert page.console_errors == []
