"""The vendor response portal: links, access, sealing, bad input, opening into proposals."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from vendors.engine import portal as rules
from vendors.models import (
    Invitation,
    LogKind,
    Proposal,
    ResponseVersion,
    RfpLogEntry,
    RfpResponse,
)
from vendors.portal import services as portal
from vendors.portal.selectors import declared_capabilities
from vendors.services import shortlist_accept

from .factories import ito_vendors, make_event

pytestmark = pytest.mark.django_db
SECRET_ANSWER = "Our sealed secret answer 7731"
SECRET_PRICE = "987654.32"


@pytest.fixture(autouse=True)
def _fresh_throttle_and_storage(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path  # uploads go to a folder of this test's own


@pytest.fixture
def rfp(cast):
    ito_vendors()
    event = make_event(cast)
    shortlist_accept(event=event, user=cast.manager.user)
    rfp = portal.rfp_create(event=event, user=cast.manager.user)
    portal.rfp_publish(rfp=rfp, user=cast.manager.user)
    return rfp


def invite(rfp, cast, n: int = 0) -> tuple[Invitation, str]:
    candidate = rfp.event.candidates.filter(invited=True).order_by("vendor__name")[n]
    link = portal.invitation_issue(
        rfp=rfp,
        candidate=candidate,
        email=f"bids{n}@vendor.example",
        user=cast.manager.user,
        link_for=lambda path: "http://testserver" + path,
    )
    return link.invitation, link.path


def pdf(name: str = "plan.pdf") -> io.BytesIO:
    upload = io.BytesIO(b"%PDF-1.4\n% a transition plan\n")
    upload.name = name
    return upload


def answers(rfp, *, secret: str = SECRET_ANSWER, submit: bool = True) -> dict[str, str]:
    data = {"transition_cost": "100000", "term_months": "36"}
    for item in rfp.processes.all():
        data[f"price_{item.pk}"] = SECRET_PRICE
    for question in rfp.questions.all():
        if question.kind == "text":
            data[question.field_name] = secret
        elif question.kind == "choice":
            data[question.field_name] = question.choices[0]
        elif question.kind == "file" and submit:
            data[question.field_name] = pdf()
    data["submit" if submit else "save"] = "1"
    return data


def pass_the_deadline(rfp) -> None:
    event = rfp.event
    event.deadline = timezone.localdate() - timedelta(days=1)
    event.save(update_fields=["deadline"])
    Invitation.objects.filter(rfp=rfp).update(expires_at=timezone.now() - timedelta(minutes=1))


# ------------------------------------------------------------------ links and tokens


def test_a_token_has_256_bits_and_only_its_hash_is_stored(rfp, cast):
    invitation, path = invite(rfp, cast)
    token = path.split("/")[2]
    assert len(token) >= 43  # 32 bytes in URL-safe base64
    assert invitation.token_hash == rules.token_hash(token) != token
    assert not Invitation.objects.filter(token_hash__contains=token).exists()


def test_the_invitation_email_carries_the_link_and_opening_it_needs_no_account(rfp, cast):
    _, path = invite(rfp, cast)
    assert len(mail.outbox) == 1
    assert f"http://testserver{path}" in mail.outbox[0].body
    page = Client().get(path)
    assert page.status_code == 200
    assert rfp.event.name in page.content.decode()
    assert "Sourcing events" not in page.content.decode()  # none of the buyer's navigation


def test_opening_a_link_is_recorded_with_time_and_address(rfp, cast):
    _, path = invite(rfp, cast)
    Client(REMOTE_ADDR="203.0.113.9").get(path)
    entry = RfpLogEntry.objects.get(kind=LogKind.OPENED_LINK)
    assert entry.ip_address == "203.0.113.9"
    assert entry.at is not None


@pytest.mark.parametrize("how", ["unknown", "revoked", "expired"])
def test_a_failed_link_shows_the_same_page_and_says_nothing_of_the_event(rfp, cast, how):
    invitation, path = invite(rfp, cast)
    if how == "unknown":
        path = "/portal/" + rules.new_token() + "/"
    elif how == "revoked":
        portal.invitation_revoke(invitation=invitation, user=cast.manager.user)
    else:
        pass_the_deadline(rfp)
    response = Client().get(path)
    assert response.status_code == 404
    text = response.content.decode()
    assert "This link does not open anything" in text
    assert rfp.event.name not in text and invitation.vendor.name not in text


def test_links_are_rate_limited_per_client(rfp, cast):
    client = Client(REMOTE_ADDR="198.51.100.7")
    statuses = [client.get(f"/portal/{rules.new_token()}/").status_code for _ in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_a_token_of_one_event_opens_nothing_of_another(rfp, cast):
    _, path = invite(rfp, cast)
    other = make_event(cast, name="Another event")
    shortlist_accept(event=other, user=cast.manager.user)
    page = Client().get(path).content.decode()
    assert "Another event" not in page


# ------------------------------------------------------------------ responding


def test_a_vendor_saves_a_draft_then_submits_and_revises_and_every_version_is_kept(rfp, cast):
    _, path = invite(rfp, cast)
    client = Client()
    draft = client.post(path + "respond/", answers(rfp, submit=False))
    assert draft.status_code == 302
    response = RfpResponse.objects.get()
    assert response.status == "draft" and not response.versions.exists()
    client.post(path + "respond/", answers(rfp))
    client.post(path + "respond/", answers(rfp, secret="Revised answer"))
    assert list(ResponseVersion.objects.values_list("number", flat=True)) == [1, 2]


def test_a_submission_missing_answers_is_refused_and_keeps_what_was_typed(rfp, cast):
    _, path = invite(rfp, cast)
    data = answers(rfp)
    price = next(k for k in data if k.startswith("price_"))
    data[price] = ""
    data["term_months"] = "9999"
    response = Client().post(path + "respond/", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Give a price for every process before submitting." in text
    assert "The term is at most 240 months." in text
    assert SECRET_ANSWER in text  # what was typed is still there
    assert not RfpResponse.objects.exists()  # nothing half-saved


def test_control_characters_are_refused_in_words(rfp, cast):
    _, path = invite(rfp, cast)
    response = Client().post(path + "respond/", answers(rfp, secret="bad\x07text"))
    assert response.status_code == 400
    assert "invisible control characters" in response.content.decode()


def test_an_upload_is_checked_as_contract_documents_are(rfp, cast):
    _, path = invite(rfp, cast)
    question = rfp.questions.get(kind="file")
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "plan.pdf"
    response = Client().post(path + "respond/", {**answers(rfp), question.field_name: fake})
    assert response.status_code == 400
    assert "is named .pdf but its content is not a PDF" in response.content.decode()
    ok = Client().post(path + "respond/", {**answers(rfp), question.field_name: pdf()})
    assert ok.status_code == 302
    assert RfpResponse.objects.get().documents.get().original_name == "plan.pdf"


def test_a_vendor_gets_its_own_document_back_and_another_vendor_does_not(rfp, cast):
    _, path = invite(rfp, cast, 0)
    _, other = invite(rfp, cast, 1)
    Client().post(path + "respond/", answers(rfp))
    document = RfpResponse.objects.get().documents.get()
    own = Client().get(f"{path}documents/{document.pk}/")
    assert own.status_code == 200 and b"".join(own.streaming_content).startswith(b"%PDF-")
    assert Client().get(f"{other}documents/{document.pk}/").status_code == 404


def test_an_oversized_upload_is_refused_from_its_declared_length(rfp, cast):
    _, path = invite(rfp, cast)
    response = Client().post(path + "respond/", answers(rfp), CONTENT_LENGTH=str(500 * 1024 * 1024))
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_a_file_past_the_limit_is_skipped_as_it_streams_in_and_the_form_says_so(rfp, cast):
    _, path = invite(rfp, cast)
    question = rfp.questions.get(kind="file")
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024 + 100_000))
    big.name = "huge.pdf"
    response = Client().post(path + "respond/", {**answers(rfp), question.field_name: big})
    assert response.status_code == 400
    assert "it was not stored" in response.content.decode()
    assert not RfpResponse.objects.exists()


def test_a_response_after_the_deadline_is_refused_clearly_and_nothing_is_lost(rfp, cast):
    _, path = invite(rfp, cast)
    client = Client()
    client.post(path + "respond/", answers(rfp))
    pass_the_deadline(rfp)
    late = client.post(path + "respond/", answers(rfp, secret="Too late answer"))
    assert late.status_code == 410
    text = late.content.decode()
    assert "The deadline for responses has passed" in text
    assert "Too late answer" in text  # what was typed is given back
    assert ResponseVersion.objects.count() == 1  # the version before the deadline is kept
    assert RfpLogEntry.objects.filter(kind=LogKind.LATE).exists()


def test_a_clarification_answered_to_all_reaches_every_vendor_without_the_asker(rfp, cast):
    _, asker = invite(rfp, cast, 0)
    other_invitation, other = invite(rfp, cast, 1)
    empty = Client().post(asker + "ask/", {"question": ""})
    assert empty.status_code == 400 and "Write your question." in empty.content.decode()
    Client().post(asker + "ask/", {"question": "Are weekends included?"})
    item = rfp.clarifications.get()
    manager = cast.client_for("manager")
    url = reverse("vendors:rfp-answer", args=[rfp.event.pk, item.pk])
    assert manager.post(url, {f"c{item.pk}-answer": "Yes."}).status_code == 400
    manager.post(url, {f"c{item.pk}-answer": "Yes, seven days.", f"c{item.pk}-audience": "all"})
    page = Client().get(other).content.decode()
    assert "Are weekends included?" in page and "Yes, seven days." in page
    assert item.vendor != other_invitation.vendor
    assert item.vendor.name not in page


# ------------------------------------------------------------------ the buyer's side


# Every buyer-side RFP URL: its arguments from the world, its method, and whether only
# editors (managers, admins) may use it. tests/vendors/test_ladder.py counts these in.
RFP_CASES = {
    "rfp": (lambda w: [w.event.pk], "get", False),
    "rfp-create": (lambda w: [w.event.pk], "post", True),
    "rfp-update": (lambda w: [w.event.pk], "post", True),
    "rfp-question-add": (lambda w: [w.event.pk], "post", True),
    "rfp-question-remove": (lambda w: [w.event.pk, w.question.pk], "post", True),
    "rfp-publish": (lambda w: [w.event.pk], "post", True),
    "rfp-amendment-add": (lambda w: [w.event.pk], "post", True),
    "rfp-invite": (lambda w: [w.event.pk, w.candidate.pk], "post", True),
    "rfp-revoke": (lambda w: [w.event.pk, w.invitation.pk], "post", True),
    "rfp-answer": (lambda w: [w.event.pk, w.clarification.pk], "post", True),
    "rfp-open": (lambda w: [w.event.pk], "post", True),
    "rfp-record": (lambda w: [w.event.pk, "csv"], "get", False),
    "rfp-document": (lambda w: [w.event.pk, w.document.pk], "get", False),
}


@pytest.fixture
def rfp_world(rfp, cast):
    """An RFP with an invitation, a clarification asked and a submitted response with a
    document: every object a buyer URL names."""
    invitation, path = invite(rfp, cast)
    Client().post(path + "ask/", {"question": "Are weekends included?"})
    assert Client().post(path + "respond/", answers(rfp)).status_code == 302
    response = RfpResponse.objects.get()
    return SimpleNamespace(
        event=rfp.event,
        question=rfp.questions.order_by("pk").last(),
        candidate=rfp.event.candidates.filter(invited=True).order_by("vendor__name")[1],
        invitation=invitation,
        clarification=rfp.clarifications.get(),
        document=response.documents.get(),
    )


def _call(client: Client, method: str, url: str):
    return client.get(url) if method == "get" else client.post(url, {})


@pytest.mark.parametrize("name", sorted(RFP_CASES))
def test_every_rfp_url_sends_strangers_to_log_in_and_hides_from_other_organisations(
    rfp_world, cast, name
):
    arguments, method, _ = RFP_CASES[name]
    url = reverse(f"vendors:{name}", args=arguments(rfp_world))
    anonymous = _call(Client(), method, url)
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    assert _call(cast.client_for("outsider"), method, url).status_code == 404


@pytest.mark.parametrize("name", sorted(n for n, case in RFP_CASES.items() if case[2]))
def test_only_editors_change_an_rfp_and_a_cio_changes_nothing(rfp_world, cast, name):
    arguments, method, _ = RFP_CASES[name]
    url = reverse(f"vendors:{name}", args=arguments(rfp_world))
    logged = RfpLogEntry.objects.count()
    assert _call(cast.client_for("cio"), method, url).status_code == 403
    assert RfpLogEntry.objects.count() == logged


def test_the_rfp_pages_walk_the_access_ladder(rfp, cast):
    url = reverse("vendors:rfp", args=[rfp.event.pk])
    assert Client().get(url).status_code == 302
    assert cast.client_for("outsider").get(url).status_code == 404
    assert cast.client_for("cio").get(url).status_code == 200
    publish = reverse("vendors:rfp-open", args=[rfp.event.pk])
    assert cast.client_for("cio").post(publish).status_code == 403
    assert cast.client_for("manager").get(publish).status_code == 405


def test_sealed_content_is_on_no_page_export_api_or_admin_before_the_opening(rfp, cast):
    _, path = invite(rfp, cast)
    question = rfp.questions.get(kind="file")
    Client().post(path + "respond/", {**answers(rfp), question.field_name: pdf("secret.pdf")})
    event = rfp.event
    admin = cast.client_for("admin")
    manager = cast.client_for("manager")
    document = RfpResponse.objects.get().documents.get()
    urls = [
        reverse("vendors:rfp", args=[event.pk]),
        reverse("vendors:event-detail", args=[event.pk]),
        reverse("vendors:event-ranking", args=[event.pk]),
        reverse("vendors:rfp-record", args=[event.pk, "csv"]),
        reverse("vendors:rfp-record", args=[event.pk, "xlsx"]),
        f"/api/v1/events/{event.pk}/",
        f"/api/v1/events/{event.pk}/proposals/",
        "/api/v1/events/",
        "/accounts/audit/",
    ]
    assert (
        manager.get(reverse("vendors:rfp-document", args=[event.pk, document.pk])).status_code
        == 404
    )
    # The pages answer (so finding no secret in them means something).
    assert manager.get(f"/api/v1/events/{event.pk}/proposals/").status_code == 200
    assert admin.get("/accounts/audit/").status_code == 200
    sealed = manager.get(reverse("vendors:rfp", args=[event.pk])).content.decode()
    assert "submitted, 1 version" in sealed
    superuser = get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    staff = Client()
    staff.force_login(superuser)
    index = staff.get("/admin/").content.decode()
    admin_urls = ["/admin/", *sorted(set(re.findall(r'href="(/admin/[a-z_]+/[a-z_]+/)"', index)))]
    for client, url in (
        [(manager, u) for u in urls] + [(admin, u) for u in urls] + [(staff, u) for u in admin_urls]
    ):
        body = client.get(url).content
        for secret in (SECRET_ANSWER, SECRET_PRICE, "987,654.32", "secret.pdf"):
            assert secret.encode() not in body, (url, secret)
    assert "vendors/rfpresponse" not in index and "vendors/responseversion" not in index


def test_opening_waits_for_the_deadline_then_turns_responses_into_proposals_once(rfp, cast):
    _, path = invite(rfp, cast)
    Client().post(path + "respond/", answers(rfp))
    manager = cast.client_for("manager")
    url = reverse("vendors:rfp-open", args=[rfp.event.pk])
    early = manager.post(url)
    assert early.status_code == 400 and "stay sealed until the deadline" in early.content.decode()
    assert not Proposal.objects.exists()
    assert declared_capabilities(rfp.event) == {}  # the risk flags read nothing sealed
    pass_the_deadline(rfp)
    assert manager.post(url).status_code == 302
    rfp.refresh_from_db()
    assert rfp.opened_by == cast.manager.user and rfp.opened_at is not None
    proposal = Proposal.objects.get()
    processes = rfp.processes.count()
    assert str(proposal.annual_price) == str(
        rules.total_price([rules.parse_amount(SECRET_PRICE)] * processes)
    )
    assert SECRET_ANSWER in proposal.notes
    declared = declared_capabilities(rfp.event)[proposal.vendor_id]
    assert declared.delivery_centres == [SECRET_ANSWER]  # what the flags now look at too
    again = manager.post(url)
    assert again.status_code == 400 and "opened already" in again.content.decode()
    page = manager.get(reverse("vendors:rfp", args=[rfp.event.pk])).content.decode()
    assert SECRET_ANSWER in page and "Difference report" in page


def test_the_record_exports_the_rfps_life_as_csv(rfp, cast):
    _, path = invite(rfp, cast)
    Client(REMOTE_ADDR="203.0.113.5").get(path)
    csv = cast.client_for("cio").get(reverse("vendors:rfp-record", args=[rfp.event.pk, "csv"]))
    text = csv.content.decode("utf-8-sig")
    for what in ("RFP drafted", "RFP published", "Invitation sent", "Link opened", "203.0.113.5"):
        assert what in text
