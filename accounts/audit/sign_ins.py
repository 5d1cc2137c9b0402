"""Log-ins, log-outs and failed log-ins into the audit trail (never a password).

One entry per organisation the person belongs to, so each organisation's admin sees
them; a failure for a username nobody has, or a person in no organisation, gets one
entry without an organisation, which only platform staff see.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.audit.addresses import audit_address
from accounts.audit.models import Action, AuditEntry
from accounts.lockout import USERNAME_LENGTH
from accounts.models import Membership

PATH_LENGTH = 200


def sign_in_record(
    *, action: Action, request: HttpRequest | None, user, username: str, outcome: str
) -> list[AuditEntry]:
    """Write the entries for one log-in event; ``user`` is None for an unknown username."""
    organisations = (
        list(
            Membership.objects.filter(user=user)
            .values_list("organisation_id", flat=True)
            .order_by("organisation_id")
        )
        if user is not None
        else []
    )
    details = {"outcome": outcome}
    if request is not None:
        details["path"] = str(getattr(request, "path", ""))[:PATH_LENGTH]
    common = {
        "action": action,
        "content_type": ContentType.objects.get_for_model(get_user_model()),
        "object_pk": str(user.pk) if user is not None else "",
        "object_id": user.pk if user is not None else None,
        "object_repr": username,
        "actor": user if action != Action.LOGIN_FAILED else None,
        "actor_email": (getattr(user, "email", None) or None)
        if action != Action.LOGIN_FAILED
        else None,
        "remote_addr": audit_address(request),
        "additional_data": details,
    }
    return AuditEntry.objects.bulk_create(
        [
            AuditEntry(organisation_id=organisation, **common)
            for organisation in organisations or [None]
        ]
    )


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request: HttpRequest | None, user, **kwargs) -> None:
    sign_in_record(
        action=Action.LOGIN,
        request=request,
        user=user,
        username=user.get_username(),
        outcome="logged in",
    )


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender, request: HttpRequest | None, user, **kwargs) -> None:
    if user is None:  # logging out while not logged in
        return
    sign_in_record(
        action=Action.LOGOUT,
        request=request,
        user=user,
        username=user.get_username(),
        outcome="logged out",
    )


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    model = get_user_model()
    # As typed, without a NUL (which PostgreSQL cannot store), cut to a username's length.
    username = str(credentials.get(model.USERNAME_FIELD) or "").replace("\x00", "")
    username = username[:USERNAME_LENGTH]
    user = (
        model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
        if username
        else None
    )
    locked = bool(getattr(request, "axes_locked_out", False))
    sign_in_record(
        action=Action.LOGIN_FAILED,
        request=request,
        user=user,
        username=username,
        outcome="refused: locked out" if locked else "wrong username or password",
    )
