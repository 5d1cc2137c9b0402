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
                hint="Unset REDIS_URL to run tasks in-process.",
                id="sourcewise.E001",
            )
        )
    return problems
