from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.api import schema  # noqa: F401  (describes API tokens in the schema)
        from accounts.audit.registry import SELF, track
        from accounts.models import ApiToken, Invitation, Membership, Organisation

        track(Organisation, organisation=SELF)
        track(Membership, organisation="organisation")
        track(Invitation, organisation="organisation")
        # Setting up and removing a second factor; never its secret, nor each use of it.
        for device in (TOTPDevice, StaticDevice):
            track(device, organisation=None, include=["user", "name", "confirmed"])
        # Creating and revoking API tokens; never the digest.
        track(
            ApiToken, organisation="organisation", include=["name", "user", "read_only", "expiry"]
        )
