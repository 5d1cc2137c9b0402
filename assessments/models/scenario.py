"""A named scenario of an assessment: changes to its settings, projected like the base.

The changes are kept in their checked JSON form (``assessments.engine.scenarios``); the
scenario's projections are ``Projection`` rows that point to it.
"""

from django.conf import settings
from django.db import models

from assessments.models.assessment import Assessment

NAME_MAX = 80
DESCRIPTION_MAX = 500


class Scenario(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=NAME_MAX)
    description = models.CharField(max_length=DESCRIPTION_MAX, blank=True)
    changes = models.JSONField(
        default=dict, blank=True, help_text="What the scenario changes, in its JSON form."
    )
    is_base = models.BooleanField(
        default=False, help_text="The assessment's own settings, without changes."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_base", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "name"], name="scenario_name_unique"),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(is_base=True),
                name="one_base_scenario",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.assessment})"
