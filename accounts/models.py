"""Organisations (tenants) and the memberships that give people a role in them."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    MANAGER = "manager", "Manager"
    CIO = "cio", "CIO"
    ADMIN = "admin", "Admin"


# Managers and admins change an organisation's data; CIOs read it.
EDIT_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    home_country = models.CharField(
        max_length=100, default="United Kingdom", help_text="Where the organisation is based."
    )
    currency = models.CharField(max_length=3, default="GBP", help_text="ISO 4217 code, e.g. GBP.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        return self.filter(user=user).select_related("organisation").order_by("organisation__name")

    def with_role(self, *roles: str) -> "MembershipQuerySet":
        return self.filter(role__in=roles)


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        ordering = ["organisation__name", "user__username"]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} ({self.get_role_display()})"

    @property
    def can_edit(self) -> bool:
        return self.role in EDIT_ROLES
