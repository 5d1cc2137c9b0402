from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from accounts.audit.registry import SELF, track
        from accounts.models import Invitation, Membership, Organisation

        track(Organisation, organisation=SELF)
        track(Membership, organisation="organisation")
        track(Invitation, organisation="organisation")
        # Setting up and removing a second factor; never its secret, nor each use of it.
        for device in (TOTPDevice, StaticDevice):
            track(device, organisation=None, include=["user", "name", "confirmed"])
