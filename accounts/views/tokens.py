"""The account page where a person manages their API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import MemberRequest, membership_of
from accounts.services.tokens import (
    EXPIRY_CHOICES,
    TokenError,
    token_create,
    token_revoke,
    tokens_of,
)


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. “ERP import”.")
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        coerce=lambda v: int(v) if v else None,
        empty_value=None,
        choices=[("" if days is None else str(days), label) for days, label in EXPIRY_CHOICES],
        initial="90",
    )
    read_only = forms.BooleanField(
        required=False,
        label="Read-only",
        help_text="A read-only token can read but never change anything, whatever your role.",
    )


@require_http_methods(["GET", "POST"])
def api_tokens(request: MemberRequest) -> HttpResponse:
    membership = membership_of(request)
    form = TokenForm(request.POST or None)
    created = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = token_create(
                    user=request.user,
                    organisation=membership.organisation,
                    name=form.cleaned_data["name"],
                    read_only=form.cleaned_data["read_only"],
                    expires_in_days=form.cleaned_data["expires_in_days"],
                )
            except TokenError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                created = {"token": token, "secret": secret}
                form = TokenForm()
        else:
            status = 400
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": tokens_of(request.user),
            "organisation": membership.organisation,
            "role": membership.get_role_display(),
        },
        status=status,
    )


@require_POST
def api_token_revoke(request: MemberRequest, token_key: str) -> HttpResponse:
    if token_revoke(user=request.user, token_key=token_key):
        messages.success(request, "The token is revoked: it no longer works.")
    else:
        messages.error(request, "That token does not exist or is not yours.")
    return redirect("api-tokens")
