"""Helpers for the runtime tests: processes started the way `make run` and production do."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# What the test run sets that a developer's shell would not: dropped for `make run`'s processes.
TEST_ONLY = (
    "REDIS_URL",
    "DATABASE_URL",
    "SOURCEWISE_TESTING",
    "SOURCEWISE_TASKS_IN_PROCESS",
    "SOURCEWISE_VAR_DIR",
)


def development_env(**extra: str) -> dict[str, str]:
    """The environment `make run` gives its processes: DJANGO_DEBUG=true and nothing else
    of ours (no REDIS_URL, no test mode, not the checkout's .env)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_")) and k not in TEST_ONLY
    }
    env.update(
        DJANGO_DEBUG="true",
        DJANGO_SETTINGS_MODULE="outsourcing.settings",
        SOURCEWISE_ENV_FILE=os.devnull,
        PYTHONUNBUFFERED="1",
        PATH=f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    env.update(extra)
    return env
