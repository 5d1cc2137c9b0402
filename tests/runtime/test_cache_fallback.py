"""With Redis down the cache answers as an empty one: pages are slower, never a 500.

Runs against a private redis-server that each test stops (tests/realparts.py).
"""

from __future__ import annotations

import logging

import pytest
import redis
from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from outsourcing import cache as resilient
from tests.assessments.factories import scored_assessment
from tests.contracts.builders import make_contract


@pytest.fixture
def redis_cache(private_redis, settings, monkeypatch):
    """The project's cache backend, on a private Redis the test may stop."""
    settings.CACHES = {
        "default": {
            "BACKEND": "outsourcing.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    return private_redis


def keys(server) -> list[str]:
    return [k.decode() for k in redis.Redis.from_url(server.url).keys("*")]


def test_django_s_own_redis_cache_fails_when_redis_stops(private_redis):
    """Why the subclass exists: without it, every cached page would be a 500."""
    plain = RedisCache(private_redis.url, {"OPTIONS": {"socket_connect_timeout": 1}})
    plain.set("k", 1)
    private_redis.stop()
    with pytest.raises(redis.exceptions.ConnectionError):
        plain.get("k")


def test_with_redis_stopped_every_operation_behaves_as_on_an_empty_cache(redis_cache, caplog):
    cache.set("k", 1)
    assert cache.get("k") == 1
    assert any(key.endswith(":k") for key in keys(redis_cache))  # really in Redis

    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="outsourcing.cache"):
        assert cache.get("k") is None
        assert cache.get("k", "default") == "default"
        assert cache.set("k", 2) is None
        assert cache.add("k", 2) is False
        assert cache.get_many(["k", "j"]) == {}
        assert cache.set_many({"k": 1, "j": 2}) == ["k", "j"]
        assert cache.has_key("k") is False
        assert cache.touch("k") is False
        assert cache.delete("k") is False
        assert cache.delete_many(["k", "j"]) is None
        with pytest.raises(ValueError):  # as for a key that expired
            cache.incr("k")
        with pytest.raises(ValueError):
            cache.decr("k")
        assert cache.get_or_set("k", 3) == 3
        assert cache.clear() is False

    warnings = [r for r in caplog.records if r.name == "outsourcing.cache"]
    assert len(warnings) == 1  # once a minute, not once per call
    assert "unreachable" in warnings[0].getMessage()


def test_the_cache_is_used_again_once_redis_is_back(redis_cache, monkeypatch):
    monkeypatch.setattr(resilient, "RETRY_AFTER_SECONDS", 0.0)
    redis_cache.stop()
    assert cache.get("k") is None
    redis_cache.start()
    cache.set("k", "back")
    assert cache.get("k") == "back"
    assert any(key.endswith(":k") for key in keys(redis_cache))


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(redis_cache, monkeypatch):
    """A Redis that times out must not cost every cache call of every request a timeout."""
    redis_cache.stop()
    assert cache.get("k") is None
    redis_cache.start()
    cache.set("k", "while resting")  # within RETRY_AFTER_SECONDS: not even tried
    assert not any(key.endswith(":k") for key in keys(redis_cache))


def test_cached_pages_answer_with_redis_stopped(redis_cache, cast):
    scored_assessment(cast.org, cast.manager.user)
    contract = make_contract(cast.manager)
    cio, manager = cast.client_for("cio"), cast.client_for("manager")
    dashboard, detail = reverse("dashboard"), reverse("contracts:detail", args=[contract.pk])

    before = cio.get(dashboard)
    assert before.status_code == 200
    assert any("dashboard:" in key for key in keys(redis_cache))  # the page uses the cache
    assert manager.get(detail).status_code == 200

    redis_cache.stop()
    after = cio.get(dashboard)
    assert after.status_code == 200
    assert cast.org.name in after.content.decode()
    page = manager.get(detail)
    assert page.status_code == 200
    assert contract.title in page.content.decode()


def test_password_reset_throttle_still_answers_with_redis_stopped(redis_cache, cast):
    """The reset page counts requests in the cache (add, then incr)."""
    redis_cache.stop()
    response = cast.client_for(None).post(
        reverse("password_reset"), {"email": cast.manager.user.email}
    )
    assert response.status_code == 302
