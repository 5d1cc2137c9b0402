from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "accounts.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from accounts.audit.registry import track
        from accounts.webhooks import tasks  # noqa: F401  (registers the delivery task)
        from accounts.webhooks.models import Subscription

        # Who subscribed what, never the secret.
        track(
            Subscription,
            organisation="organisation",
            include=["url", "events", "active", "created_by"],
        )
