"""WSGI entry point (gunicorn outsourcing.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing.settings")
application = get_wsgi_application()
