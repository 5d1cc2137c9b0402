from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "accounts.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from accounts.audit import sign_ins  # noqa: F401  (connects the log-in, log-out and failure signals)
