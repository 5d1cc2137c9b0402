from django.apps import AppConfig


class OutsourcingConfig(AppConfig):
    name = "outsourcing"
    verbose_name = "Sourcewise"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
