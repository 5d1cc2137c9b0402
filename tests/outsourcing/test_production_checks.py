"""Production settings without a Redis broker, or on SQLite, fail the system check."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_SECRET = "q3V!m9#Lz2@wR8^tK5&pX1*bN7(cJ4)hF6_dG0+sY2=eU8-aI5"
REDIS = "redis://127.0.0.1:6379/15"
POSTGRES = "postgres://sourcewise@127.0.0.1:5432/sourcewise"


def check(*args: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py check`` in a fresh process with exactly these settings variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_")
        and k not in ("REDIS_URL", "DATABASE_URL", "SOURCEWISE_TESTING")
    }
    production = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
        "DJANGO_ALLOWED_HOSTS": "sourcewise.example.com",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**clean, **production, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_a_redis_broker_is_an_error():
    result = check(DATABASE_URL=POSTGRES)
    assert result.returncode != 0
    assert "ERRORS:" in result.stderr
    assert "(sourcewise.E002) Production settings (DJANGO_DEBUG=false) have no Redis broker" in (
        result.stderr
    )
    assert "HINT: Set REDIS_URL" in result.stderr
    assert "sourcewise.E003" not in result.stderr


def test_production_on_sqlite_is_an_error():
    result = check(REDIS_URL=REDIS)
    assert result.returncode != 0
    assert "(sourcewise.E003) Production settings (DJANGO_DEBUG=false) use SQLite" in (
        result.stderr
    )
    assert "HINT: Set DATABASE_URL to a PostgreSQL database" in result.stderr
    assert "sourcewise.E002" not in result.stderr


def test_an_explicit_sqlite_database_url_is_an_error_too():
    result = check(REDIS_URL=REDIS, DATABASE_URL="sqlite:////tmp/sourcewise.sqlite3")
    assert result.returncode != 0
    assert "sourcewise.E003" in result.stderr


def test_production_with_neither_reports_both():
    result = check()
    assert result.returncode != 0
    assert "sourcewise.E002" in result.stderr
    assert "sourcewise.E003" in result.stderr


def test_the_errors_stop_migrate_before_it_touches_the_database():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_")
        and k not in ("REDIS_URL", "DATABASE_URL", "SOURCEWISE_TESTING")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--plan"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **clean,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
            "DJANGO_ALLOWED_HOSTS": "sourcewise.example.com",
            "REDIS_URL": REDIS,
        },
    )
    assert result.returncode != 0
    assert "sourcewise.E003" in result.stderr


def test_a_complete_production_environment_passes_check_deploy_with_no_warnings():
    result = check("--deploy", "--fail-level", "WARNING", REDIS_URL=REDIS, DATABASE_URL=POSTGRES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_mode_may_use_sqlite_and_run_tasks_in_process():
    result = check(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "sourcewise.E00" not in result.stderr
