"""Audit entries for writes that send no model signals: ``bulk_create``, ``bulk_update``,
``QuerySet.update`` and COPY.

django-auditlog follows ``save()`` and ``delete()`` through signals. A service that
writes many rows at once (an inventory of 10,000 processes, a shortlist over the whole
registry) keeps its bulk write and calls ``record_bulk`` in the same transaction: the
entries are the ones the signals would have written (same before and after values, same
person, address and organisation), inserted with one ``bulk_create`` per 1,000.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled
from auditlog.diff import model_instance_diff
from auditlog.models import DEFAULT_OBJECT_REPR
from auditlog.registry import auditlog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import models, router
from django.db.models.signals import pre_save
from django.utils.encoding import smart_str

from accounts.audit.models import Action, AuditEntry, cleaned_changes
from accounts.audit.registry import (
    concrete_model,
    organisation_id_of,
    organisation_path,
    searchable_changes,
)

BATCH_SIZE = 1_000
BULK_ACTIONS = (Action.CREATE, Action.UPDATE, Action.DELETE)


def record_bulk(
    objects: Iterable[models.Model],
    *,
    action: Action,
    before: Mapping[Any, models.Model] | None = None,
    fields: Collection[str] | None = None,
) -> list[AuditEntry]:
    """Write the audit entries of ``objects``, just written in bulk; returns them.

    ``action`` CREATE: the objects as saved (with their primary keys, which
    ``bulk_create`` sets on PostgreSQL and SQLite). UPDATE: the objects as they are now,
    and ``before`` mapping each one's primary key to a copy as it was; ``fields`` limits
    the comparison to the fields written, as ``save(update_fields=...)`` does. DELETE: the
    objects as they were. An object whose followed fields did not change gets no entry,
    nor does a model the trail does not follow.

    For ``str(object)`` and the organisation, give objects whose relations are loaded
    (``select_related``, or built with the related instance): otherwise each costs a query.
    """
    if action not in BULK_ACTIONS:
        raise ValueError(f"record_bulk records creates, changes and deletes, not {action!r}.")
    if auditlog_disabled.get():
        return []
    objects = list(objects)
    if not objects:
        return []
    model = concrete_model(objects[0])
    if not auditlog.contains(model):
        return []
    if action == Action.UPDATE and before is None:
        raise ValueError("A recorded change needs the objects as they were before.")
    previous: Mapping[Any, models.Model] = before if before is not None else {}
    common = _context()
    content_type = ContentType.objects.get_for_model(model)
    organisation_of = _organisation_finder(model)
    # django-auditlog's own default when the setting is absent (auditlog.conf).
    json_changes = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    # The record's own columns only: the trail keeps no others (``cleaned_changes``), and
    # reading a reverse relation of a new record (a process's recommendation) is a query.
    fields = fields or [field.name for field in model._meta.concrete_fields]
    entries = []
    for instance in objects:
        old, new = (
            (None, instance)
            if action == Action.CREATE
            else (previous[instance.pk], instance)
            if action == Action.UPDATE
            else (instance, None)
        )
        changes = model_instance_diff(
            old, new, fields_to_check=fields, use_json_for_changes=json_changes
        )
        changes = cleaned_changes(model, changes) if changes else None
        if not changes:
            continue
        entries.append(
            AuditEntry(
                content_type=content_type,
                object_pk=smart_str(instance.pk),
                object_id=instance.pk if isinstance(instance.pk, int) else None,
                object_repr=_repr(instance),
                action=action,
                changes=changes,
                changes_text=searchable_changes(changes),
                serialized_data=AuditEntry.objects._get_serialized_data_or_none(instance),
                organisation_id=organisation_of(instance),
                **common,
            )
        )
    return AuditEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE)


def _context() -> dict[str, Any]:
    """Who and where, as the signal path takes them: django-auditlog fills each entry from
    its context (the signed-in person and the address the middleware set) in the entry's
    ``pre_save``, which ``bulk_create`` does not send. So one unsaved entry is sent through
    it and its values are copied; outside a request (a worker) there is nobody."""
    probe, blank = AuditEntry(cid=get_cid()), AuditEntry()
    pre_save.send(
        sender=AuditEntry,
        instance=probe,
        raw=False,
        using=router.db_for_write(AuditEntry),
        update_fields=None,
    )
    return {
        field.attname: getattr(probe, field.attname)
        for field in AuditEntry._meta.concrete_fields
        if field.attname not in ("id", "timestamp")
        and getattr(probe, field.attname) != getattr(blank, field.attname)
    }


def _repr(instance: models.Model) -> str:
    try:
        return smart_str(instance)
    except ObjectDoesNotExist:
        return DEFAULT_OBJECT_REPR


def _organisation_finder(model: type[models.Model]):
    """``organisation_id_of``, looked up once per parent: a thousand measurements of one
    SLA cost one query for their organisation, not a thousand."""
    path = organisation_path(model)
    if path is None or "." not in path:
        return organisation_id_of
    parent_field = model._meta.get_field(path.split(".")[0])
    if not isinstance(parent_field, models.Field):
        raise TypeError(f"{path} does not start with a foreign key of {model.__name__}.")
    parent = parent_field.attname
    found: dict[Any, int | None] = {}

    def organisation_of(instance: models.Model) -> int | None:
        key = getattr(instance, parent)
        if key not in found:
            found[key] = organisation_id_of(instance)
        return found[key]

    return organisation_of
