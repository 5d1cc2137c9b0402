"""gunicorn hello.wsgi (run from benchmarks/load/)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "hello.settings"
application = get_wsgi_application()
