"""In-app notifications (renewal notices, SLA breaches), one per person and occasion.

The unique constraint is what makes the daily jobs idempotent: running one twice
finds every notification already there and creates, and e-mails, nothing new.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Organisation
from contracts.models.contracts import Contract


class NotificationKind(models.TextChoices):
    NOTICE_90 = "notice_90", "Notice deadline within 90 days"
    NOTICE_60 = "notice_60", "Notice deadline within 60 days"
    NOTICE_30 = "notice_30", "Notice deadline within 30 days"
    ENDED = "ended", "Contract ended"
    RENEWED = "renewed", "Contract renewed automatically"
    SLA_BREACH = "sla_breach", "SLA breaches last month"
    MISSING_MEASUREMENTS = "missing_measurements", "Measurements missing"


NOTICE_KINDS = {
    90: NotificationKind.NOTICE_90,
    60: NotificationKind.NOTICE_60,
    30: NotificationKind.NOTICE_30,
}


class NotificationQuerySet(models.QuerySet):
    def for_member(self, user, organisation: Organisation) -> NotificationQuerySet:
        return self.filter(recipient=user, organisation=organisation)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contract_notifications"
    )
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=25, choices=NotificationKind.choices)
    key_date = models.DateField(
        help_text="The date the occasion is about: the notice deadline, the end date, or "
        "the month measured."
    )
    subject = models.CharField(max_length=200)
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "contract", "kind", "key_date"],
                name="one_notification_per_occasion",
            ),
        ]

    def __str__(self) -> str:
        return self.subject
