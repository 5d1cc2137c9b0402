"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def version(request: HttpRequest) -> dict[str, str]:
    return {"sourcewise_version": settings.VERSION}
