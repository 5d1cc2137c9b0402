"""Organisations (tenants) and the memberships that give people a role in them."""

from django.conf import settings
from django.db import models
from knox.models import AbstractAuthToken


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
    require_mfa = models.BooleanField(
        "require two-factor authentication",
        default=False,
        help_text="Every member must confirm each log-in with an authenticator app code.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        return self.filter(user=user).select_related("organisation").order_by("organisation__name")


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


class InvitationQuerySet(models.QuerySet):
    def for_org(self, organisation: Organisation) -> "InvitationQuerySet":
        return self.filter(organisation=organisation)

    def open(self) -> "InvitationQuerySet":
        """Neither accepted nor revoked (an open invitation may still have expired)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)

    def pending(self, now) -> "InvitationQuerySet":
        """Open and not yet expired at ``now``: the link still works."""
        return self.open().filter(expires_at__gt=now)


class Invitation(models.Model):
    """An e-mailed offer to join an organisation with a role, usable once before it expires.

    The link carries a signed token naming the invitation; nothing secret is stored.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(help_text="Where the link was sent (stored in lower case).")
    role = models.CharField(max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} · {self.organisation} ({self.get_role_display()})"

    def is_pending(self, now) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class ApiToken(AbstractAuthToken):
    """A person's API token for one organisation (django-rest-knox keeps only its hash).

    The token acts with its owner's current role in ``organisation`` and never beyond it;
    a read-only token may only read, whatever the role. ``expiry`` is None for a token
    that does not expire; knox deletes an expired token the next time it is presented.
    """

    # Typed by hand: the base model is knox's, which has no type hints.
    name: "models.CharField[str, str]" = models.CharField(max_length=100)
    organisation: "models.ForeignKey[Organisation, Organisation]" = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens"
    )
    read_only: "models.BooleanField[bool, bool]" = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user}, {self.organisation})"
