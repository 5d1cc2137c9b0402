"""Hello-world settings: production-like (no debug), one URL, no apps, no database.

No middleware either: the figure it gives is Django's request/response floor under
gunicorn, which the app's own CPU per request is compared with.
"""

DEBUG = False
SECRET_KEY = "hello-world-benchmark-only-" + "x" * 40  # signs nothing: no sessions here
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
WSGI_APPLICATION = "hello.wsgi.application"
