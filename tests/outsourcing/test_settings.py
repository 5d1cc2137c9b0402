"""Settings read the environment; production mode is explicit and passes check --deploy."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "q3V!m9#Lz2@wR8^tK5&pX1*bN7(cJ4)hF6_dG0+sY2=eU8-aI5"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    clean.pop("SOURCEWISE_TESTING", None)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120,
    )


SHOW = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'eager': settings.CELERY_TASK_ALWAYS_EAGER,"
    " 'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG}))"
)


def test_without_redis_url_tasks_run_in_process():
    result = run_python(SHOW, DJANGO_SETTINGS_MODULE="outsourcing.settings")
    shown = json.loads(result.stdout)
    assert shown == {"eager": True, "broker": "memory://", "debug": True}


def test_with_redis_url_tasks_go_to_the_broker():
    result = run_python(
        SHOW, DJANGO_SETTINGS_MODULE="outsourcing.settings", REDIS_URL="redis://127.0.0.1:6379/15"
    )
    shown = json.loads(result.stdout)
    assert shown["eager"] is False
    assert shown["broker"] == "redis://127.0.0.1:6379/15"


def test_production_without_a_secret_fails_at_start_with_a_clear_message():
    result = run_python(SHOW, DJANGO_SETTINGS_MODULE="outsourcing.settings", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
             "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
             "DJANGO_ALLOWED_HOSTS": "sourcewise.example.com",
             "REDIS_URL": "redis://127.0.0.1:6379/15"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_redis_url_is_reported_by_the_system_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
        timeout=120, env={**os.environ, "REDIS_URL": "localhost:6379"},
    )
    assert result.returncode != 0
    assert "sourcewise.E001" in result.stderr
