"""Projection requests (placeholder until the Celery integration lands; replaced wholesale)."""

from __future__ import annotations

from .models import Assessment, Projection


def projection_request(*, assessment: Assessment, user, trials: int = 10_000, seed: int = 0
                       ) -> Projection | None:
    return None
