"""Celery tasks for contract forecasts: thin wrappers over ``contracts.forecasts.services``.

Registered by ``contracts.apps.ContractsConfig.ready`` (Celery's autodiscovery finds only
each app's own ``tasks.py``).
"""

from __future__ import annotations

from celery import shared_task

from contracts.forecasts import services


@shared_task(name="contracts.refresh_forecast", acks_late=True, time_limit=300, soft_time_limit=270)
def refresh_forecast(contract_id: int) -> str:
    """Compute and store one contract's forecast (the Monte Carlo re-run)."""
    return services.forecast_refresh(contract_id=contract_id)


@shared_task(name="contracts.refresh_forecasts_after_projection", acks_late=True, time_limit=120)
def refresh_forecasts_after_projection(projection_id: int) -> int:
    """A projection finished: send the forecast of every contract covering its
    assessment's processes, one task each; how many were sent."""
    return sum(
        services.forecast_send(contract_id=pk)
        for pk in services.contracts_of_projection(projection_id)
    )


@shared_task(name="contracts.sweep_forecasts", acks_late=True, time_limit=300, expires=240)
def sweep_forecasts() -> int:
    """Send again the forecasts that are missing or out of date; how many were sent."""
    return services.forecasts_sweep()
