"""Which task queue each mode uses: a folder for `make run`, Redis when REDIS_URL is set,
in-process only for the test suite and for scripts that ask."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.runtime.processes import ROOT, development_env

SHOW = (
    "import json, django; django.setup(); from django.conf import settings;"
    "from outsourcing.celery import app; c = app.conf;"
    "print(json.dumps({'broker': c.broker_url, 'eager': c.task_always_eager,"
    " 'results': c.result_backend, 'options': c.broker_transport_options,"
    " 'schedule': c.beat_schedule_filename, 'cache': settings.CACHES['default']['BACKEND']}))"
)


def configuration(**env: str) -> dict:
    """What Celery and the cache see in a fresh process with this environment."""
    done = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=development_env(**env),
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_redis_url_make_run_uses_a_folder_as_its_task_queue(tmp_path):
    var = tmp_path / "var"
    shown = configuration(SOURCEWISE_VAR_DIR=str(var))
    assert shown["broker"].startswith("filesystem://")
    assert shown["eager"] is False  # a real worker runs the tasks, as in production
    assert shown["results"] is None  # no task result is ever read
    options = shown["options"]
    assert options["data_folder_in"] == options["data_folder_out"] == str(var / "broker" / "in")
    assert options["processed_folder"] == str(var / "broker" / "processed")
    assert options["control_folder"] == str(var / "broker" / "control")
    assert options["store_processed"] is True
    # Created at start-up, so the first task sent finds them.
    assert sorted(p.name for p in (var / "broker").iterdir()) == ["control", "in", "processed"]
    assert shown["schedule"] == str(var / "celerybeat-schedule")
    assert shown["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_with_redis_url_redis_is_the_broker_the_result_store_and_the_cache(tmp_path):
    url = "redis://127.0.0.1:6379/15"
    shown = configuration(REDIS_URL=url, SOURCEWISE_VAR_DIR=str(tmp_path / "var"))
    assert shown["broker"] == url
    assert shown["results"] == url
    assert shown["eager"] is False
    assert "data_folder_in" not in shown["options"]
    assert shown["options"]["visibility_timeout"] == 3600
    assert shown["cache"] == "outsourcing.cache.ResilientRedisCache"
    assert not (tmp_path / "var" / "broker").exists()


def test_the_test_suite_runs_tasks_in_process_and_never_touches_the_folder(tmp_path):
    shown = configuration(SOURCEWISE_TESTING="true", SOURCEWISE_VAR_DIR=str(tmp_path / "var"))
    assert shown["broker"] == "memory://"
    assert shown["eager"] is True
    assert not (tmp_path / "var").exists()


def test_a_script_that_times_the_work_may_ask_for_tasks_in_process(tmp_path):
    shown = configuration(
        SOURCEWISE_TASKS_IN_PROCESS="true", SOURCEWISE_VAR_DIR=str(tmp_path / "var")
    )
    assert shown["broker"] == "memory://"
    assert shown["eager"] is True


def test_the_folder_queue_is_ignored_by_git():
    ignored = subprocess.run(["git", "check-ignore", "-q", "var/broker/in/x.msg"], cwd=ROOT)
    assert ignored.returncode == 0
    assert Path(ROOT / "Procfile.dev").exists() and Path(ROOT / "Procfile").exists()


def test_a_starting_worker_forgets_delivered_messages_older_than_a_day(tmp_path):
    from outsourcing import celery as celery_module

    processed = tmp_path / "processed"
    processed.mkdir()
    old, recent = processed / "1_a.celery.msg", processed / "2_b.celery.msg"
    old.write_text("{}")
    recent.write_text("{}")
    day_and_a_bit = time.time() - celery_module.PROCESSED_KEPT_SECONDS - 60
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    app = celery_module.app
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = "filesystem://localhost/"
    app.conf.broker_transport_options = {
        "store_processed": True,
        "processed_folder": str(processed),
    }
    try:
        celery_module._worker_ready()
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
    assert not old.exists()
    assert recent.exists()
