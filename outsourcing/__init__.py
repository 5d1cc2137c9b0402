"""The Sourcewise project: settings, root urls, the Celery app and the portfolio dashboard."""

from outsourcing.celery import app as celery_app

__all__ = ("celery_app",)
