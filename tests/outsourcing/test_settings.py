"""Settings read the environment; both modes are explicit and production passes
check --deploy."""

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from outsourcing.settings import _development_secret

ROOT = Path(__file__).resolve().parents[2]
# Production runs on PostgreSQL (SQLite is a system-check error there); `check` does not
# connect, so nothing needs to listen at this address.
PRODUCTION_DATABASE = "postgres://sourcewise@127.0.0.1:5432/sourcewise"
PRODUCTION_SECRET = "q3V!m9#Lz2@wR8^tK5&pX1*bN7(cJ4)hF6_dG0+sY2=eU8-aI5"


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))}
    clean.pop("SOURCEWISE_TESTING", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'eager': settings.CELERY_TASK_ALWAYS_EAGER,"
    " 'broker': settings.CELERY_BROKER_URL, 'debug': settings.DEBUG}))"
)


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "outsourcing.settings",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
    "DJANGO_ALLOWED_HOSTS": "testserver",
}


def test_without_redis_url_tasks_go_to_the_folder_queue_for_a_worker(tmp_path):
    # `make run`'s worker runs them; tests/runtime/ has the details.
    result = run_python(
        SHOW,
        DJANGO_SETTINGS_MODULE="outsourcing.settings",
        DJANGO_DEBUG="true",
        SOURCEWISE_VAR_DIR=str(tmp_path),
    )
    shown = json.loads(result.stdout)
    assert shown == {"eager": False, "broker": "filesystem://localhost/", "debug": True}


def test_with_redis_url_tasks_go_to_the_broker():
    result = run_python(
        SHOW,
        DJANGO_SETTINGS_MODULE="outsourcing.settings",
        DJANGO_DEBUG="true",
        REDIS_URL="redis://127.0.0.1:6379/15",
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
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": PRODUCTION_SECRET,
            "DJANGO_ALLOWED_HOSTS": "sourcewise.example.com",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "DATABASE_URL": PRODUCTION_DATABASE,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_redis_url_is_reported_by_the_system_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "REDIS_URL": "localhost:6379"},
    )
    assert result.returncode != 0
    assert "sourcewise.E001" in result.stderr


SHOW_SECRET = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({'debug': settings.DEBUG, 'secret': settings.SECRET_KEY}))"
)


def test_an_empty_environment_refuses_to_start_instead_of_running_in_debug_mode():
    result = run_python(SHOW_SECRET, DJANGO_SETTINGS_MODULE="outsourcing.settings")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "Choose a mode: DJANGO_DEBUG=true for development" in result.stderr


def test_manage_py_with_an_empty_environment_says_how_to_choose_a_mode():
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k != "SOURCEWISE_TESTING"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG=false for production" in result.stderr


def test_development_mode_uses_a_secret_of_this_checkout_that_git_ignores():
    first = json.loads(
        run_python(
            SHOW_SECRET, DJANGO_SETTINGS_MODULE="outsourcing.settings", DJANGO_DEBUG="true"
        ).stdout
    )
    again = json.loads(
        run_python(
            SHOW_SECRET, DJANGO_SETTINGS_MODULE="outsourcing.settings", DJANGO_DEBUG="true"
        ).stdout
    )
    secret_file = ROOT / ".secret-key"
    assert first["debug"] is True
    assert first["secret"] == again["secret"] == secret_file.read_text().strip()
    assert len(first["secret"]) >= 50
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", ".secret-key"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0
    assert files_holding(first["secret"]) == []


def files_holding(text):
    """The tracked files whose contents hold ``text``, searched for literally.

    ``-e`` keeps git from reading a secret that starts with "-" as its own options.
    """
    found = subprocess.run(
        ["git", "grep", "-l", "--fixed-strings", "-e", text],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert found.returncode in (0, 1), found.stderr
    return found.stdout.splitlines()


@pytest.mark.parametrize("lead", ["-v", "-e", "-3", "--", "-i"])
def test_the_search_for_a_leaked_secret_takes_a_dash_led_secret_literally(lead):
    assert files_holding(lead + "q9k(z)x_unlikely") == []
    assert "tests/outsourcing/test_settings.py" in files_holding("q9k(z)x_unlikely")


def test_the_test_suite_switch_also_chooses_development_mode():
    result = run_python(
        SHOW_SECRET, DJANGO_SETTINGS_MODULE="outsourcing.settings", SOURCEWISE_TESTING="true"
    )
    assert json.loads(result.stdout)["debug"] is True


def test_a_secret_given_in_development_is_used_instead_of_the_file():
    result = run_python(
        SHOW_SECRET,
        DJANGO_SETTINGS_MODULE="outsourcing.settings",
        DJANGO_DEBUG="true",
        DJANGO_SECRET_KEY=PRODUCTION_SECRET,
    )
    assert json.loads(result.stdout)["secret"] == PRODUCTION_SECRET


def test_the_development_secret_is_created_once_even_by_processes_starting_together(tmp_path):
    path = tmp_path / ".secret-key"
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets = set(pool.map(lambda _: _development_secret(path), range(16)))
    assert len(secrets) == 1
    assert secrets == {path.read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == [".secret-key"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_production_mode_without_the_development_switch_still_needs_its_own_secret():
    result = run_python(
        SHOW_SECRET,
        DJANGO_SETTINGS_MODULE="outsourcing.settings",
        DJANGO_DEBUG="false",
        SOURCEWISE_TESTING="true",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# X-Forwarded-Proto is believed only when configuration says a proxy sets it.
FORWARDED_HTTPS = (
    "import json, django; django.setup(); from django.conf import settings;"
    "from django.test import Client;"
    "c = Client();"
    "forged = c.get('/healthz', headers={'X-Forwarded-Proto': 'https'});"
    "plain = c.get('/healthz');"
    "print(json.dumps({'header': settings.SECURE_PROXY_SSL_HEADER,"
    " 'forged': forged.status_code, 'plain': plain.status_code,"
    " 'location': plain.get('Location')}))"
)


def test_without_a_trusted_proxy_a_forged_https_header_still_gets_the_https_redirect():
    result = run_python(FORWARDED_HTTPS, **PRODUCTION)
    shown = json.loads(result.stdout)
    assert shown == {
        "header": None,
        "forged": 301,
        "plain": 301,
        "location": "https://testserver/healthz",
    }


def test_behind_a_trusted_proxy_its_https_header_is_believed():
    result = run_python(FORWARDED_HTTPS, **PRODUCTION, DJANGO_TRUST_X_FORWARDED_PROTO="true")
    shown = json.loads(result.stdout)
    assert shown == {
        "header": ["HTTP_X_FORWARDED_PROTO", "https"],
        "forged": 200,
        "plain": 301,
        "location": "https://testserver/healthz",
    }


def test_production_behind_a_trusted_proxy_passes_check_deploy_too():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            **PRODUCTION,
            "DJANGO_ALLOWED_HOSTS": "sourcewise.example.com",
            "DJANGO_TRUST_X_FORWARDED_PROTO": "true",
            "REDIS_URL": "redis://127.0.0.1:6379/15",
            "DATABASE_URL": PRODUCTION_DATABASE,
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_negative_proxy_count_fails_at_start_with_a_clear_message():
    result = run_python(
        SHOW,
        DJANGO_SETTINGS_MODULE="outsourcing.settings",
        DJANGO_DEBUG="true",
        DJANGO_TRUSTED_PROXY_COUNT="-1",
    )
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXY_COUNT is a number of proxies: 0 or more." in result.stderr
