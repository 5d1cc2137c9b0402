"""People and roles in one organisation: invitations, role changes and removals.

Every function here works inside one organisation that the caller has already checked
the person administers (``accounts.access.admins_only`` and ``get_for``). The rule
that keeps an organisation manageable: it always has at least one admin, so the last
admin can be neither demoted nor removed.
"""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Invitation, Membership, Organisation, Role

INVITATION_VALIDITY = timedelta(days=7)
_TOKEN_SALT = "accounts.invitation"


class MembershipRuleError(Exception):
    """A change the organisation's rules refuse; the message says why, in words."""


class InvitationUnusable(Exception):
    """The link cannot be used (tampered, expired, used or revoked); the message says which."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class InvitationNotSent(Exception):
    """The e-mail could not be handed to the mail server; nothing was saved."""


# ---------------------------------------------------------------- tokens


def invitation_token(invitation: Invitation) -> str:
    """The signed token for the link: names the invitation and the address it was sent to."""
    return signing.dumps({"id": invitation.pk, "email": invitation.email}, salt=_TOKEN_SALT)


def invitation_from_token(token: str) -> Invitation:
    """The invitation the token names, still usable now; else InvitationUnusable."""
    try:
        payload = signing.loads(
            token, salt=_TOKEN_SALT, max_age=INVITATION_VALIDITY + timedelta(minutes=5)
        )
    except signing.SignatureExpired:
        raise InvitationUnusable(
            "This invitation has expired. Ask your organisation's admin to send a new one.",
            status=410,
        ) from None
    except signing.BadSignature:
        raise InvitationUnusable(
            "This invitation link is not valid. Check that you copied "
            "the whole link from the e-mail.",
            status=404,
        ) from None
    if not isinstance(payload, dict):
        raise InvitationUnusable("This invitation link is not valid.", status=404)
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(pk=payload.get("id"), email=payload.get("email"))
        .first()
    )
    if invitation is None:
        raise InvitationUnusable(
            "This invitation no longer exists. Ask your organisation's admin to send a new one.",
            status=404,
        )
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationUnusable(
            f"This invitation has already been used. Log in to reach {invitation.organisation}.",
            status=410,
        )
    if invitation.revoked_at is not None:
        raise InvitationUnusable(
            f"This invitation was withdrawn by an admin of {invitation.organisation}.", status=410
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationUnusable(
            "This invitation has expired. Ask your organisation's admin to send a new one.",
            status=410,
        )


# ---------------------------------------------------------------- invitations


def _one_line(text: str) -> str:
    """E-mail headers take one line: any control character or run of spaces becomes one space."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def invitation_issue(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User,
    link_for: Callable[[str], str],
) -> Invitation:
    """Create an invitation and e-mail its link (``link_for(token)`` makes the absolute URL).

    An earlier open invitation to the same address is withdrawn: only the newest link
    works. If the e-mail cannot be sent, nothing is saved (InvitationNotSent).
    """
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise MembershipRuleError(
            f"Someone with the address {email} is already a member of {organisation}."
        )
    now = timezone.now()
    with transaction.atomic():
        for earlier in Invitation.objects.for_org(organisation).open().filter(email=email):
            earlier.revoked_at = now  # one save each, so the audit trail records it
            earlier.save(update_fields=["revoked_at"])
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=invited_by,
            expires_at=now + INVITATION_VALIDITY,
        )
        context = {
            "invitation": invitation,
            "inviter": invited_by.get_full_name() or invited_by.get_username(),
            "link": link_for(invitation_token(invitation)),
            "days": INVITATION_VALIDITY.days,
        }
        subject = _one_line(render_to_string("accounts/invitation_subject.txt", context))
        body = render_to_string("accounts/invitation_email.txt", context)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
        except OSError as error:  # smtplib's errors are OSErrors
            transaction.set_rollback(True)
            raise InvitationNotSent(
                f"The invitation e-mail could not be sent ({error.__class__.__name__}); "
                "nothing was saved. Try again in a few minutes."
            ) from error
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise MembershipRuleError(
            "This invitation has already been accepted; remove the member instead."
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


def _locked(invitation: Invitation) -> Invitation:
    """The invitation re-read under a row lock, so two acceptances cannot both succeed."""
    locked = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=invitation.pk)
    )
    _check_usable(locked)
    return locked


def emails_match(user: User, invitation: Invitation) -> bool:
    return (user.email or "").strip().lower() == invitation.email


def invitation_accept(*, invitation: Invitation, user: User) -> tuple[Membership, bool]:
    """Add a signed-in person to the organisation; True when the membership is new.

    Someone already a member keeps the role they have: an invitation never changes a role.
    """
    if not emails_match(user, invitation):
        raise MembershipRuleError(
            f"This invitation was sent to {invitation.email}, but you are logged in as "
            f"{user.get_username()}. Log out and accept it with the account for that address, "
            "or create a new one."
        )
    with transaction.atomic():
        invitation = _locked(invitation)
        membership, created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership, created


def invitation_accept_new_account(
    *,
    invitation: Invitation,
    username: str,
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Create the invited person's account (with the invited address) and their membership."""
    with transaction.atomic():
        invitation = _locked(invitation)
        try:
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=username,
                    email=invitation.email,
                    password=password,
                    first_name=first_name,
                    last_name=last_name,
                )
        except IntegrityError:
            raise MembershipRuleError(
                f"The username {username} was taken a moment ago; choose another."
            ) from None
        membership = Membership.objects.create(
            user=user, organisation=invitation.organisation, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


# ---------------------------------------------------------------- members


def _other_admins_exist(membership: Membership) -> bool:
    """Locks the organisation's admin rows, so two admins cannot demote each other at once."""
    admins = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Role.ADMIN)
        .values_list("pk", flat=True)
    )
    return any(pk != membership.pk for pk in admins)


def membership_change_role(*, membership: Membership, role: str) -> Membership:
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "organisation")
            .get(pk=membership.pk)
        )
        if membership.role == role:
            return membership
        if membership.role == Role.ADMIN and not _other_admins_exist(membership):
            raise MembershipRuleError(
                f"{membership.user.get_username()} is the last admin of "
                f"{membership.organisation}. Make someone else an admin first."
            )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    """End the person's membership; their account and other organisations stay."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "organisation")
            .get(pk=membership.pk)
        )
        if membership.role == Role.ADMIN and not _other_admins_exist(membership):
            raise MembershipRuleError(
                f"{membership.user.get_username()} is the last admin of "
                f"{membership.organisation} and cannot be removed. Make someone else an admin "
                "first."
            )
        membership.delete()
