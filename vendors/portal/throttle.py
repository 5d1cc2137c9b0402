"""Limits on link access from one client, so nobody can try tokens or flood the portal.

Counted in the cache (Redis in production), per client address as the lockout finds it
(``accounts.lockout.client_address``), in fixed windows.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from accounts.lockout import client_address

REQUESTS_PER_WINDOW = 300  # any portal page, from one address
FAILURES_PER_WINDOW = 20  # links that open nothing, from one address
WINDOW_SECONDS = 15 * 60


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first use again
        cache.set(key, 1, WINDOW_SECONDS)
        return 1


def _address(request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def allowed(request: HttpRequest) -> bool:
    """Count one request; False once the address is past either limit."""
    address = _address(request)
    failures = cache.get(f"portal:fail:{address}", 0)
    return failures < FAILURES_PER_WINDOW and (
        _count(f"portal:any:{address}") <= REQUESTS_PER_WINDOW
    )


def failed(request: HttpRequest) -> None:
    """Count a link that opened nothing."""
    _count(f"portal:fail:{_address(request)}")
