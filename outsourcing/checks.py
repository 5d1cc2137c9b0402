"""System checks that turn bad configuration into a clear message at start-up."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def check_configuration(app_configs, **kwargs) -> list:
    problems = []
    redis_url = getattr(settings, "REDIS_URL", "")
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            Error(
                f"REDIS_URL must start with redis://, rediss:// or unix:// (got {redis_url!r}).",
                hint="Unset REDIS_URL to use the development task queue (a folder).",
                id="sourcewise.E001",
            )
        )
    return problems


@register()
def check_production_services(app_configs, **kwargs) -> list:
    """Production (DEBUG off) needs a Redis broker and a server database.

    Without REDIS_URL the task queue is the development one, a folder on this machine's
    disk (var/broker/): workers on other machines cannot see it, nothing but this machine's
    disk keeps it, and a worker killed mid-task loses its task. SQLite takes one writer at
    a time and ignores the row locks that keep the quotas exact.
    """
    if settings.DEBUG:
        return []
    problems = []
    broker = getattr(settings, "CELERY_BROKER_URL", "") or ""
    if not broker.startswith(("redis://", "rediss://", "unix://")):
        problems.append(
            Error(
                "Production settings (DJANGO_DEBUG=false) have no Redis broker: background "
                "work (projections, board packs, reminders) would go through the "
                "development task queue, a folder on this machine's disk that workers "
                "elsewhere cannot see.",
                hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0, and run Celery workers "
                "and one beat beside the web server (make serve).",
                id="sourcewise.E002",
            )
        )
    sqlite = [
        alias
        for alias, database in settings.DATABASES.items()
        if database.get("ENGINE", "").endswith("sqlite3")
    ]
    if sqlite:
        problems.append(
            Error(
                "Production settings (DJANGO_DEBUG=false) use SQLite "
                f"({', '.join(sqlite)}): it takes one writer at a time and cannot lock the "
                "rows that keep quotas exact.",
                hint="Set DATABASE_URL to a PostgreSQL database, e.g. "
                "postgres://sourcewise@127.0.0.1:5432/sourcewise.",
                id="sourcewise.E003",
            )
        )
    return problems
