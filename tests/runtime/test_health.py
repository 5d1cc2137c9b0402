"""GET /health/: ok or failing per component, for anyone, with no detail beyond that."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.realparts import WorkerProcess, point_celery_at

COMPONENTS = {"database", "cache", "broker", "storage", "worker"}


def _health():
    """GET /health/ from a thread of its own: the checks run through async_to_sync, which
    refuses a thread where an earlier browser test (Playwright) left an event loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(Client().get, "/health/").result()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def no_worker():
    """A broker of this process's own (in memory): certainly no worker listens there,
    whatever else runs on the machine's Redis."""
    from outsourcing.celery import app

    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_celery_at("memory://")
    yield
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def test_anyone_may_ask_and_learns_only_ok_or_failing_per_component(db, media, no_worker):
    response = _health()
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert response.json() == {
        "status": "failing",
        "components": {
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
            "storage": "ok",
            "worker": "failing",
        },
    }


def test_the_storage_check_leaves_no_file_behind(db, media, no_worker):
    _health()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_it_only_answers_get(db, media, no_worker):
    assert Client().post("/health/").status_code in (403, 405)


@pytest.fixture
def broker_on(private_redis, transactional_db, settings):
    """The web side's cache and broker on a private Redis; restored afterwards."""
    from outsourcing.celery import app

    settings.CACHES = {
        "default": {
            "BACKEND": "outsourcing.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_celery_at(private_redis.url)
    yield private_redis
    app.conf.update(saved)
    app._pool = None
    app.amqp._producer_pool = None


def health_when(ready, timeout: float = 90) -> tuple[int, dict]:
    """Ask until ``ready(status, body)`` or the time is up; the last answer."""
    deadline = time.monotonic() + timeout
    while True:
        response = _health()
        answer = response.status_code, response.json()
        if ready(*answer) or time.monotonic() > deadline:
            return answer
        time.sleep(1)


@pytest.mark.worker
def test_all_ok_with_a_worker_then_redis_stopping_shows_which_parts_fail(
    broker_on, media, tmp_path
):
    worker = WorkerProcess(broker_on.url, tmp_path / "worker.log").start()
    try:
        status, body = health_when(lambda status, body: status == 200)
        assert (status, body) == (
            200,
            {"status": "ok", "components": dict.fromkeys(COMPONENTS, "ok")},
        ), (tmp_path / "worker.log").read_text()[-3000:]

        broker_on.stop()
        status, body = health_when(lambda status, body: status == 503, timeout=30)
    finally:
        worker.stop()
    assert status == 503
    assert body == {
        "status": "failing",
        "components": {
            "database": "ok",
            "storage": "ok",
            "cache": "failing",
            "broker": "failing",
            "worker": "failing",
        },
    }


@pytest.mark.worker
def test_a_stopped_worker_is_reported(broker_on, media, tmp_path):
    worker = WorkerProcess(broker_on.url, tmp_path / "worker.log").start()
    try:
        assert health_when(lambda status, body: status == 200)[0] == 200
    finally:
        worker.stop()
    response = _health()
    status, body = response.status_code, response.json()
    assert status == 503
    assert body["components"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "storage": "ok",
        "worker": "failing",
    }
