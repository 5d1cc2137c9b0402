from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "outsourcing"
    verbose_name = "Sourcewise"

    def ready(self) -> None:
        from accounts.audit.registry import track
        from outsourcing import checks  # noqa: F401  (registers the system checks)

        # The Celery app, so that every @shared_task binds to it in web processes too.
        from outsourcing.celery import app  # noqa: F401

        # Celery finds each app's tasks.py; the board packs' tasks live with the dashboard.
        from outsourcing.dashboard.boardpacks import tasks  # noqa: F401
        from outsourcing.models import BoardPack

        # The audit trail (accounts/audit/): who asked for which pack, not the file itself.
        track(
            BoardPack,
            organisation="organisation",
            include=["format", "filters", "status", "requested_by"],
        )
