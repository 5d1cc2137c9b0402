"""Which submitted assessment an organisation treats as its current portfolio."""

from django.conf import settings
from django.db import models

from accounts.models import Organisation
from assessments.models.assessment import Assessment


class CurrentPortfolio(models.Model):
    """One row per organisation at most: the assessment its dashboard opens on.

    The mark lives here, not on ``Organisation``, because accounts may not know about
    assessments. Without a row (or when the marked assessment has been reopened), the
    dashboard falls back to the newest submitted assessment.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="current_portfolio"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="current_portfolio_marks"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.organisation}: {self.assessment}"
