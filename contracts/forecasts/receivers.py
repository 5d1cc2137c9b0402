"""What sends a contract's forecast to the task queue (connected in ``ContractsConfig.ready``).

A projection that finishes (``assessments.signals.projection_finished``) changes the
forecast of every contract covering its assessment's processes; a contract created, or
whose processes change, needs its own. Each receiver only sends a message, after the
transaction commits so the worker reads the committed rows; the work runs on the worker.
"""

from __future__ import annotations

import logging
from functools import partial

from django.db import transaction
from django.utils import timezone

from accounts.queueing import BROKER_ERRORS, task
from contracts.forecasts import services
from contracts.models import Contract

logger = logging.getLogger(__name__)

PROCESS_CHANGES = {"post_add", "post_remove", "post_clear"}


def _send_for_projection(projection_id: int) -> None:
    try:
        task("contracts.refresh_forecasts_after_projection", projection_id).apply_async()
    except BROKER_ERRORS as error:
        logger.warning(
            "Forecasts after projection %s not sent, the task queue is "
            "unreachable (the sweeper sends them later): %s",
            projection_id,
            error,
        )
    except Exception:
        logger.exception("The forecasts after projection %s could not be computed", projection_id)


def projection_finished(sender, projection_id: int, **kwargs) -> None:
    transaction.on_commit(partial(_send_for_projection, projection_id))


def contract_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        transaction.on_commit(partial(services.forecast_send, contract_id=instance.pk))


def contract_processes_changed(
    sender, instance, action: str, reverse: bool, pk_set, **kwargs
) -> None:
    """``contract.processes`` changed; ``reverse``: ``process.contracts`` did, and
    ``pk_set`` holds the contracts (on a clear, they are read before it)."""
    if reverse and action == "pre_clear":
        contract_ids = sorted(instance.contracts.values_list("pk", flat=True))
    elif action not in PROCESS_CHANGES or (reverse and action == "post_clear"):
        return
    else:
        contract_ids = sorted(pk_set or ()) if reverse else [instance.pk]
    # The processes a contract covers are part of what its pages read, and cached reads
    # follow the contract's ``updated_at`` (contracts/selectors/stamps.py): a change to
    # them is a change to the contract, whichever path made it.
    Contract.objects.filter(pk__in=contract_ids).update(updated_at=timezone.now())
    for contract_id in contract_ids:
        transaction.on_commit(partial(services.forecast_send, contract_id=contract_id))
