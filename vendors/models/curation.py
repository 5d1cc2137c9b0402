"""Changes an organisation proposes to the shared registry, decided by a curator."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Organisation
from vendors.models.registry import Vendor

# The platform-level group whose members edit the shared registry (created by migration
# 0004); superusers count as curators too.
CURATORS_GROUP = "Registry curators"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class VendorChangeProposalQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> VendorChangeProposalQuerySet:
        return self.filter(organisation=organisation)

    def pending(self) -> VendorChangeProposalQuerySet:
        return self.filter(status=ChangeStatus.PENDING)


class VendorChangeProposal(models.Model):
    """A new vendor record, or a change to one, awaiting a curator's decision.

    ``proposed`` is the whole record as the proposer's form left it, and ``base`` the
    record as it stood when they proposed (empty for a new vendor): what they changed is
    the difference, and only that difference is applied on acceptance, so a curator's
    later edits to other fields are kept.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="vendor_change_proposals"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    vendor = models.ForeignKey(
        Vendor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="change_proposals",
        help_text="Blank while a proposed new vendor is pending.",
    )
    is_new_vendor = models.BooleanField(default=False)
    base = models.JSONField(default=dict, blank=True)
    proposed = models.JSONField()
    reason = models.TextField(max_length=2000)
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = VendorChangeProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"Change proposal #{self.pk}"

    @property
    def title(self) -> str:
        if self.is_new_vendor:
            return f"New vendor \u201c{self.proposed.get('name', '')}\u201d"
        return f"Change to \u201c{self.base.get('name', '')}\u201d"
