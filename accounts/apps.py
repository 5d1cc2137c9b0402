from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from .audit.registry import SELF, track
        from .models import Invitation, Membership, Organisation

        track(Organisation, organisation=SELF)
        track(Membership, organisation="organisation")
        track(Invitation, organisation="organisation")
