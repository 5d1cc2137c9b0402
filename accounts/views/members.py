"""People and roles pages: an organisation's admins invite, change roles and remove members;
anyone holding an invitation link accepts it."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import MemberRequest, admins_only, get_for, membership_of, organisation_of
from accounts.forms import InvitedAccountForm, InviteForm, RoleForm
from accounts.middleware import SESSION_KEY
from accounts.models import Invitation, Membership
from accounts.services.members import (
    INVITATION_VALIDITY,
    InvitationNotSent,
    InvitationUnusable,
    MembershipRuleError,
    emails_match,
    invitation_accept,
    invitation_accept_new_account,
    invitation_from_token,
    invitation_issue,
    invitation_revoke,
    membership_change_role,
    membership_remove,
)

_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _members_page(
    request: HttpRequest,
    *,
    invite_form: InviteForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    organisation = organisation_of(request)
    members = Membership.objects.filter(organisation=organisation).select_related("user")
    return render(
        request,
        "accounts/members.html",
        {
            "organisation": organisation,
            "members": [
                (member, RoleForm(initial={"role": member.role}, prefix=f"m{member.pk}"))
                for member in members
            ],
            "invitations": Invitation.objects.for_org(organisation)
            .pending(timezone.now())
            .select_related("invited_by"),
            "invite_form": invite_form or InviteForm(),
            "validity_days": INVITATION_VALIDITY.days,
            "error": error,
        },
        status=status,
    )


def _get_member(request: HttpRequest, pk: int) -> Membership:
    return get_for(request, Membership.objects.select_related("user", "organisation"), pk=pk)


@admins_only
def members(request: HttpRequest) -> HttpResponse:
    return _members_page(request)


@require_POST
@admins_only
def member_invite(request: MemberRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _members_page(request, invite_form=form, status=400)
    try:
        invitation = invitation_issue(
            organisation=organisation_of(request),
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=request.user,
            link_for=lambda token: request.build_absolute_uri(
                reverse("invitation-accept", args=[token])
            ),
        )
    except MembershipRuleError as error:
        form.add_error("email", str(error))
        return _members_page(request, invite_form=form, status=400)
    except InvitationNotSent as error:
        return _members_page(request, invite_form=form, error=str(error), status=503)
    messages.success(
        request,
        f"Invitation sent to {invitation.email} as "
        f"{invitation.get_role_display()}; the link works for "
        f"{INVITATION_VALIDITY.days} days.",
    )
    return redirect("members")


@require_POST
@admins_only
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_for(request, Invitation.objects.all(), pk=pk)
    try:
        invitation_revoke(invitation=invitation)
    except MembershipRuleError as error:
        return _members_page(request, error=str(error), status=409)
    messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    return redirect("members")


@require_POST
@admins_only
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    member = _get_member(request, pk)
    form = RoleForm(request.POST, prefix=f"m{member.pk}")
    if not form.is_valid():
        return _members_page(
            request, error="Choose a role from the list: Manager, CIO or Admin.", status=400
        )
    try:
        member = membership_change_role(membership=member, role=form.cleaned_data["role"])
    except MembershipRuleError as error:
        return _members_page(request, error=str(error), status=409)
    messages.success(request, f"{member.user.get_username()} is now {member.get_role_display()}.")
    if member.pk == membership_of(request).pk and member.role != "admin":
        return redirect("home")  # no longer an admin: this page is closed to them now
    return redirect("members")


@require_http_methods(["GET", "POST"])
@admins_only
def member_remove(request: MemberRequest, pk: int) -> HttpResponse:
    member = _get_member(request, pk)
    if request.method == "GET":
        return render(request, "accounts/member_remove.html", {"member": member})
    try:
        membership_remove(membership=member)
    except MembershipRuleError as error:
        return _members_page(request, error=str(error), status=409)
    messages.success(
        request, f"{member.user.get_username()} was removed from {member.organisation}."
    )
    if member.user_id == request.user.pk:
        request.session.pop(SESSION_KEY, None)
        return redirect("home")
    return redirect("members")


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Anyone with the link: a signed-in person joins; someone new creates an account."""
    try:
        invitation = invitation_from_token(token)
    except InvitationUnusable as error:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"message": str(error)},
            status=error.status,
        )
    context = {"invitation": invitation, "token": token}
    if request.user.is_authenticated:
        return _accept_as_signed_in(request, request.user, invitation, context)
    account_exists = _account_exists(invitation.email)
    form = None
    if not account_exists:
        form = InvitedAccountForm(
            request.POST if request.method == "POST" else None, email=invitation.email
        )
        if request.method == "POST" and form.is_valid():
            try:
                membership = invitation_accept_new_account(
                    invitation=invitation,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            except MembershipRuleError as error:
                form.add_error("username", str(error))
            except InvitationUnusable as error:
                return render(
                    request,
                    "accounts/invitation_unusable.html",
                    {"message": str(error)},
                    status=error.status,
                )
            else:
                login(request, membership.user, backend=_BACKEND)
                return _joined(request, membership, created=True)
    elif request.method == "POST":
        return render(
            request,
            "accounts/invitation_accept.html",
            {
                **context,
                "account_exists": True,
                "error": "An account already uses this address: log in to accept.",
            },
            status=400,
        )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {**context, "account_exists": account_exists, "form": form},
        status=status,
    )


def _account_exists(email: str) -> bool:
    return get_user_model().objects.filter(email__iexact=email).exists()


def _accept_as_signed_in(
    request: HttpRequest, user: User, invitation: Invitation, context: dict
) -> HttpResponse:
    matches = emails_match(user, invitation)
    if request.method == "GET":
        return render(
            request,
            "accounts/invitation_accept.html",
            {**context, "signed_in": True, "matches": matches},
        )
    try:
        membership, created = invitation_accept(invitation=invitation, user=user)
    except MembershipRuleError as error:
        return render(
            request,
            "accounts/invitation_accept.html",
            {**context, "signed_in": True, "matches": False, "error": str(error)},
            status=403,
        )
    except InvitationUnusable as error:
        return render(
            request,
            "accounts/invitation_unusable.html",
            {"message": str(error)},
            status=error.status,
        )
    return _joined(request, membership, created=created)


def _joined(request: HttpRequest, membership: Membership, *, created: bool) -> HttpResponse:
    request.session[SESSION_KEY] = membership.organisation_id
    if created:
        messages.success(
            request,
            f"Welcome to {membership.organisation}: you joined as {membership.get_role_display()}.",
        )
    else:
        messages.info(
            request,
            f"You were already a member of {membership.organisation} as "
            f"{membership.get_role_display()}; your role is unchanged.",
        )
    return redirect("home")
