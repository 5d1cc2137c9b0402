"""The client address an audit entry records: the same one the log-in lockout counts."""

from __future__ import annotations

import ipaddress

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from accounts.lockout import client_address


def audit_address(request: HttpRequest | None) -> str | None:
    """The client's IP address (proxy-aware, see ``client_address``), or None if unknown."""
    if request is None:
        return None
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:  # a test client or a socket path, not an IP address
        return None


class AuditMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (the signed-in person becomes each entry's actor), with
    the address taken as the lockout takes it: the first X-Forwarded-For entry, which
    django-auditlog would record, is whatever the client chose to send."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return audit_address(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None  # X-Forwarded-Port is the client's word too
