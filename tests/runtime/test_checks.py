"""The system check that stops production from running on `make run`'s folder queue."""

from __future__ import annotations

import subprocess
import sys

from tests.runtime.processes import ROOT, development_env

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "q3V!m9#Lz2@wR8^tK5&pX1*bN7(cJ4)hF6_dG0+sY2=eU8-aI5",
    "DJANGO_ALLOWED_HOSTS": "sourcewise.example.com",
    "DATABASE_URL": "postgres://sourcewise@127.0.0.1:5432/sourcewise",
}


def check(tmp_path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=development_env(SOURCEWISE_VAR_DIR=str(tmp_path / "var"), **{**PRODUCTION, **env}),
    )


def test_production_without_redis_would_use_the_folder_queue_and_is_refused(tmp_path):
    result = check(tmp_path)
    assert result.returncode != 0
    assert "(sourcewise.E002) Production settings (DJANGO_DEBUG=false) have no Redis broker" in (
        result.stderr
    )
    assert "development task queue, a folder on this machine's disk" in result.stderr
    assert "make serve" in result.stderr


def test_production_with_redis_and_postgresql_passes(tmp_path):
    result = check(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert result.returncode == 0, result.stderr
    assert "sourcewise.E00" not in result.stderr


def test_development_may_use_the_folder_queue(tmp_path):
    result = check(tmp_path, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "sourcewise.E002" not in result.stderr
