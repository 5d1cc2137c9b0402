"""Forms for people and roles. They validate and normalise; the services in members.py save."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import Role


class InviteForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MANAGER)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )


class InvitedAccountForm(UserCreationForm):
    """A new account for an invited person: the e-mail address is the invitation's own.

    The address is set on the instance before validation, so the password validators
    compare the password with it as well; the form itself is never saved.
    """

    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)

    # django-stubs declares no Meta on UserCreationForm; Django's has model and field classes.
    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        fields = ("username", "first_name", "last_name")

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.email = email


class CodeForm(forms.Form):
    """A code from the authenticator app (six digits) or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "inputmode": "text",
                "spellcheck": "false",
            }
        ),
    )


class RequireMfaForm(forms.Form):
    require_mfa = forms.BooleanField(
        label="Require two-factor authentication of every member", required=False
    )
