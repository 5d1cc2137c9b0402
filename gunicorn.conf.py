"""gunicorn's settings for the production web process (Procfile, `make serve`).

Each can be changed from the environment (or the `.env` file, which the environment
overrides, as for the settings):

- GUNICORN_BIND: the address to listen on; default 127.0.0.1:$PORT (PORT defaults to
  8000), for a TLS proxy on the same machine. Use 0.0.0.0:8000 when the proxy is elsewhere.
- WEB_CONCURRENCY: worker processes; default two per core.
- GUNICORN_TIMEOUT: seconds a request may take before its worker is replaced; default 60.
"""

import gc
import os
from pathlib import Path

import environ

environ.Env.read_env(
    os.environ.get("SOURCEWISE_ENV_FILE", Path(__file__).resolve().parent / ".env"),
    overwrite=False,
)

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
graceful_timeout = 30
# Replace each worker after a number of requests (staggered), so slow memory growth in a
# long-lived process never adds up.
max_requests = 1000
max_requests_jitter = 100
# Load the app once, in the master, and fork the workers from it: a replaced worker then
# starts in milliseconds instead of importing Django and the project again (some 2.5 s of
# CPU, which at 1,000 requests a worker is 2.5 ms on every request). A code change needs a
# full restart of gunicorn (not a HUP), which a deploy does anyway.
preload_app = True

# Logs to standard output and error, where honcho or the service manager collects them.
accesslog = "-"
errorlog = "-"


def when_ready(server):
    """The loaded app's objects live as long as the process: put them out of the garbage
    collector's sight, so its full collections in each worker do not walk them again
    (and do not touch the pages the workers share with the master)."""
    gc.freeze()
