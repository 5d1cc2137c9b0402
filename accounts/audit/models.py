"""Audit entries: django-auditlog's log entry, tagged with the organisation it belongs to."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation


class Action(models.IntegerChoices):
    """What happened. The first four are django-auditlog's own values."""

    CREATE = AbstractLogEntry.Action.CREATE, "Created"
    UPDATE = AbstractLogEntry.Action.UPDATE, "Changed"
    DELETE = AbstractLogEntry.Action.DELETE, "Deleted"
    ACCESS = AbstractLogEntry.Action.ACCESS, "Viewed"
    LOGIN = 10, "Logged in"
    LOGOUT = 11, "Logged out"
    LOGIN_FAILED = 12, "Failed log-in"


SIGN_IN_ACTIONS = (Action.LOGIN, Action.LOGOUT, Action.LOGIN_FAILED)


class AuditEntryQuerySet(models.QuerySet):
    def for_organisation(self, organisation: Organisation) -> AuditEntryQuerySet:
        return self.filter(organisation=organisation)

    def by_actor(self, user_id: int) -> AuditEntryQuerySet:
        """What a person did, and the log-ins, log-outs and failures under their name."""
        return self.filter(
            Q(actor_id=user_id) | Q(action__in=SIGN_IN_ACTIONS, object_pk=str(user_id))
        )

    def between(self, start: date | None, end: date | None) -> AuditEntryQuerySet:
        """Entries from the start of ``start`` to the end of ``end`` (local days), inclusive."""
        zone = timezone.get_current_timezone()
        entries = self
        if start is not None:
            entries = entries.filter(timestamp__gte=datetime.combine(start, time.min, zone))
        if end is not None:
            entries = entries.filter(timestamp__lt=datetime.combine(end, time.max, zone))
        return entries

    def mentioning(self, text: str) -> AuditEntryQuerySet:
        """Entries whose record, changes, person or address contain ``text``."""
        return self.filter(
            Q(object_repr__icontains=text)
            | Q(changes_text__icontains=text)
            | Q(actor__username__icontains=text)
            | Q(remote_addr__startswith=text)
        )

    def newest_first(self) -> AuditEntryQuerySet:
        return self.select_related("content_type", "actor").order_by("-timestamp", "-pk")


def cleaned_changes(model: type[models.Model], changes: dict) -> dict:
    """The changes of the record's own fields, decimals written to the field's places.

    django-auditlog also lists reverse relations (an assessment's "processes") on a
    create or delete, with a meaningless value: left out. "0.08" and "0.0800" are one
    value, so a form's 0.08 saved over the stored 0.0800 is not a change.
    """
    result = {}
    for name, change in changes.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if not field.concrete:
            continue
        if isinstance(field, models.DecimalField) and isinstance(change, list | tuple):
            change = [_places(value, field.decimal_places) for value in change]
            if change[0] == change[1]:
                continue
        result[name] = change
    return result


def _places(value, places: int):
    try:
        return str(Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    except (InvalidOperation, TypeError, ValueError):  # "None", or text that is no number
        return value


# django-auditlog has no type hints, so the Django plugin cannot build this base class.
class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):  # type: ignore[misc]
    """django-auditlog's manager; each entry gets the organisation of the record it is about."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        if kwargs.get("changes"):
            kwargs["changes"] = cleaned_changes(type(instance), kwargs["changes"]) or None
        if kwargs.get("changes") is not None or force_log:
            self._tag(instance, kwargs)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        if changed_queryset:
            self._tag(instance, kwargs)
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)

    @staticmethod
    def _tag(instance, kwargs: dict) -> None:
        from accounts.audit.registry import organisation_id_of, searchable_changes

        kwargs.setdefault("organisation_id", organisation_id_of(instance))
        # Kept as text too, so that a search finds a value in the changes on any database.
        kwargs.setdefault("changes_text", searchable_changes(kwargs.get("changes")))


class AuditEntry(AbstractLogEntry):
    """One write, log-in, log-out or failed log-in.

    ``organisation`` is the organisation whose data was written (or, for a log-in, one
    the person belongs to); it is empty for the shared vendor registry and for log-ins of
    people in no organisation, which only platform staff see. ``changes`` maps each field
    to [before, after]; ``remote_addr`` is the client's address as the log-in lockout
    sees it (proxy-aware).
    """

    # Typed by hand: the base model is django-auditlog's, which has no type hints.
    action: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=Action.choices, db_index=True
    )
    organisation: models.ForeignKey[Organisation | None, Organisation | None] = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["organisation", "-timestamp"], name="audit_org_time_idx")]
