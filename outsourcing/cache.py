"""A Redis cache that answers as an empty cache while Redis is unreachable.

Everything the project caches can be computed again (dashboard figures, projection
bands, throttle counts), so a Redis outage should make pages slower, not fail them with
a 500. Each operation that cannot reach Redis behaves as a miss: ``get`` returns the
default, ``set`` and ``add`` store nothing, ``incr`` finds no key (as if it had expired).

After a failure the cache stops trying for a few seconds, so that a Redis that times
out does not cost every request a timeout per cache call; and it logs one warning per
minute per process, not one per call.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisError, OSError)
RETRY_AFTER_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0


class ResilientRedisCache(RedisCache):
    """Django's RedisCache; while Redis is down, a cache that holds nothing."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._down_until = 0.0
        self._warned_at = float("-inf")

    def _attempt(self, operation: str, call, *args, fallback):
        """``call(*args)`` against Redis; on a connection problem, ``fallback()`` instead."""
        now = time.monotonic()
        if now < self._down_until:
            return fallback()
        try:
            return call(*args)
        except UNREACHABLE as error:
            self._down_until = now + RETRY_AFTER_SECONDS
            if now - self._warned_at >= WARN_EVERY_SECONDS:
                self._warned_at = now
                logger.warning(
                    "The cache (Redis) is unreachable, working without it for now (%s failed: %s)",
                    operation,
                    error,
                )
            return fallback()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            "add", super().add, key, value, timeout, version, fallback=lambda: False
        )

    def get(self, key, default=None, version=None):
        return self._attempt("get", super().get, key, default, version, fallback=lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            "set", super().set, key, value, timeout, version, fallback=lambda: None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt("touch", super().touch, key, timeout, version, fallback=lambda: False)

    def delete(self, key, version=None):
        return self._attempt("delete", super().delete, key, version, fallback=lambda: False)

    def get_many(self, keys, version=None):
        return self._attempt("get_many", super().get_many, keys, version, fallback=dict)

    def has_key(self, key, version=None):
        return self._attempt("has_key", super().has_key, key, version, fallback=lambda: False)

    def incr(self, key, delta=1, version=None):
        def missing():
            raise ValueError(f"Key '{key}' not found.")  # what a cache miss raises

        return self._attempt("incr", super().incr, key, delta, version, fallback=missing)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            "set_many", super().set_many, data, timeout, version, fallback=lambda: list(data)
        )

    def delete_many(self, keys, version=None):
        return self._attempt(
            "delete_many", super().delete_many, keys, version, fallback=lambda: None
        )

    def clear(self):
        return self._attempt("clear", super().clear, fallback=lambda: False)
