"""Signing webhook deliveries: HMAC-SHA256 over a timestamp and the exact body.

Pure: no Django. A delivery carries ``Sourcewise-Signature: t=<unix seconds>,v1=<hex>``
where ``hex = HMAC-SHA256(secret, f"{t}.{body}")``. A receiver recomputes it with the
subscription's secret, compares in constant time, and refuses a timestamp older than a few
minutes, so a captured delivery cannot be replayed later. ``verify`` is what a receiver in
Python would run (docs/api.md shows it).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

SIGNATURE_HEADER = "Sourcewise-Signature"
EVENT_HEADER = "Sourcewise-Event"
DELIVERY_HEADER = "Sourcewise-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300


def new_secret() -> str:
    """A subscription's signing secret: 256 random bits, as text."""
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for ``body`` sent at ``timestamp`` (Unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(
    secret: str, header: str, body: bytes, *, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """True when ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body).split("v1=", 1)[1]
    return hmac.compare_digest(expected, given)


def is_public_address(address: str) -> bool:
    """False for loopback, private, link-local, multicast, reserved and unspecified
    addresses (IPv4 and IPv6, including IPv4-mapped IPv6): where a webhook must not go."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )
