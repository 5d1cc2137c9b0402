"""An event's RFP and the vendor response portal: questions, invitations, sealed responses.

A response's content (answers, prices, documents) lives in ``RfpResponse`` and
``ResponseVersion`` and is shown to the buyer only once ``Rfp.opened_at`` is set (see
``vendors/portal/selectors.py``). Tokens are never stored: an invitation keeps the
SHA-256 of its link's token.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from vendors.engine.portal import TOKEN_HASH_LENGTH
from vendors.models.events import EventProcess, SourcingEvent
from vendors.models.registry import Vendor


class Rfp(models.Model):
    event = models.OneToOneField(SourcingEvent, on_delete=models.CASCADE, related_name="rfp")
    introduction = models.TextField(blank=True, max_length=10000)
    required_documents = models.TextField(
        blank=True, max_length=5000, help_text="One document per line."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"RFP for {self.event}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_opened(self) -> bool:
        return self.opened_at is not None

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class RfpProcess(models.Model):
    """A process in scope as the RFP describes it to vendors (no costs: those are ours)."""

    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="processes")
    scope_item = models.ForeignKey(EventProcess, on_delete=models.CASCADE, related_name="+")
    volumes = models.CharField(max_length=500, blank=True)
    service_levels = models.CharField("current service levels", max_length=500, blank=True)

    class Meta:
        ordering = ["scope_item__process__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rfp", "scope_item"], name="rfp_process_once")
        ]

    def __str__(self) -> str:
        return str(self.scope_item.process)


class QuestionKind(models.TextChoices):
    TEXT = "text", "Free text"
    NUMBER = "number", "Number"
    CHOICE = "choice", "Choice"
    FILE = "file", "File"


class Capability(models.TextChoices):
    NONE = "", "—"
    LANGUAGES = "languages", "Languages"
    CERTIFICATIONS = "certifications", "Certifications"
    DELIVERY_CENTRES = "delivery_centres", "Delivery centres"
    DATA_RESIDENCY = "data_residency", "Data residency"
    TRANSITION_PLAN = "transition_plan", "Transition plan"
    SLAS = "slas", "Proposed SLAs"


class RfpQuestion(models.Model):
    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    help_text = models.CharField(max_length=500, blank=True)
    choices = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    capability = models.CharField(max_length=20, choices=Capability.choices, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"


class RfpAmendment(models.Model):
    """A change after publication; every invited vendor sees it, dated."""

    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="amendments")
    text = models.TextField(max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Amendment of {self.created_at:%Y-%m-%d}"


class Invitation(models.Model):
    """One link for one contact of one invited vendor. The token is kept only as a hash."""

    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="invitations")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=TOKEN_HASH_LENGTH, unique=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Invitation of {self.vendor} ({self.email})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class RfpResponse(models.Model):
    """A vendor's answer to the RFP: the draft being edited and the versions submitted."""

    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="responses")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=10, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    draft = models.JSONField(default=dict, help_text="What the vendor last saved.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["vendor__name"]
        constraints = [
            models.UniqueConstraint(fields=["rfp", "vendor"], name="one_response_per_vendor")
        ]

    def __str__(self) -> str:
        return f"Response of {self.vendor}"


class ResponseVersion(models.Model):
    """A submitted version; every one is kept, the last one counts."""

    response = models.ForeignKey(RfpResponse, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


def response_document_path(instance: ResponseDocument, filename: str) -> str:
    # The stored name is ours; the vendor's file name is kept in ``original_name``.
    return f"rfp/{instance.response.rfp_id}/{instance.response_id}/{instance.kind}/{filename}"


class ResponseDocument(models.Model):
    response = models.ForeignKey(RfpResponse, on_delete=models.CASCADE, related_name="documents")
    question = models.ForeignKey(
        RfpQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=response_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ClarificationAudience(models.TextChoices):
    PENDING = "", "Not answered yet"
    ASKER = "asker", "The asking vendor only"
    ALL = "all", "All invited vendors (asker's name removed)"


class Clarification(models.Model):
    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="clarifications")
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(max_length=3000)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True, max_length=5000)
    audience = models.CharField(
        max_length=5, choices=ClarificationAudience.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return self.question[:60]


class LogKind(models.TextChoices):
    CREATED = "created", "RFP drafted"
    PUBLISHED = "published", "RFP published"
    AMENDED = "amended", "Amendment published"
    INVITED = "invited", "Invitation sent"
    REVOKED = "revoked", "Link revoked"
    OPENED_LINK = "link_opened", "Link opened"
    REFUSED_LINK = "link_refused", "Link refused"
    DRAFT_SAVED = "draft_saved", "Draft saved"
    SUBMITTED = "submitted", "Response submitted"
    LATE = "late", "Late response refused"
    ASKED = "asked", "Clarification asked"
    ANSWERED = "answered", "Clarification answered"
    OPENED_BIDS = "bids_opened", "Sealed responses opened"
    AWARDED = "awarded", "Event awarded"


class RfpLogEntry(models.Model):
    """The RFP's audit record. Written once, never changed; says nothing sealed."""

    rfp = models.ForeignKey(Rfp, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=LogKind.choices)
    actor = models.CharField(max_length=300, blank=True)
    vendor = models.ForeignKey(
        Vendor, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
