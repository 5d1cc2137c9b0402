from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "outsourcing"
    verbose_name = "Sourcewise"

    def ready(self) -> None:
        from accounts.audit.registry import track
        from outsourcing import checks  # noqa: F401  (registers the system checks)
        from outsourcing.models import BoardPack

        # The audit trail (accounts/audit/): who asked for which pack, not the file itself.
        track(BoardPack, organisation="organisation",
              include=["format", "filters", "status", "requested_by"])
