"""The Sourcewise project: settings, root urls, the Celery app and the portfolio dashboard.

The Celery app is loaded by ``OutsourcingConfig.ready`` (and by the ``celery -A
outsourcing.celery`` command line), not here, so that importing the pure
``outsourcing.engine`` loads no framework.
"""
