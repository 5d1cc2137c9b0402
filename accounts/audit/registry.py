"""Which models the audit trail follows, and which organisation each record belongs to.

Each app registers its models in its ``AppConfig.ready`` (imports flow one way, so the
trail never imports the apps it follows)::

    track(Sla, organisation="contract.organisation")

``organisation`` is the attribute path from a record to its organisation: ``"self"`` for
an organisation itself, ``None`` for records that belong to no organisation (the shared
vendor registry), whose entries only platform staff see in Django's admin.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass

from auditlog.registry import auditlog
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

SELF = "self"


@dataclass(frozen=True)
class Tracked:
    model: type[models.Model]
    organisation: str | None

    @property
    def kind(self) -> str:
        """The filter value for this kind of record: ``app_label.model_name``."""
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name).capitalize()


_TRACKED: dict[type[models.Model], Tracked] = {}


def track(
    model: type[models.Model],
    *,
    organisation: str | None,
    exclude: Collection[str] = (),
    include: Collection[str] | None = None,
    m2m: Collection[str] = (),
) -> None:
    """Log every create, change and delete of ``model`` with its before and after values.

    ``exclude`` (or ``include``) leaves out fields that are computed rather than written by
    a person, such as a projection's results, so the trail records decisions, not bulk;
    ``auto_now`` timestamps are always left out. ``m2m`` lists many-to-many fields whose
    additions and removals are logged too.
    """
    # A timestamp every save moves (auto_now) is not a change anyone made.
    stamps = [
        field.name for field in model._meta.concrete_fields if getattr(field, "auto_now", False)
    ]
    _TRACKED[model] = Tracked(model, organisation)
    auditlog.register(
        model,
        include_fields=list(include) if include is not None else None,
        exclude_fields=[*exclude, *stamps],
        m2m_fields=set(m2m),
    )


def tracked() -> list[Tracked]:
    return sorted(_TRACKED.values(), key=lambda item: item.label)


def organisation_kinds() -> list[Tracked]:
    """The kinds of record an organisation's admin can see in its trail."""
    return [item for item in tracked() if item.organisation is not None]


def concrete_model(model: type[models.Model] | models.Model) -> type[models.Model]:
    """The model whose table holds the rows of ``model`` (a model or a record of one)."""
    concrete = model._meta.concrete_model
    if concrete is None:  # only while Django is still building the model class
        raise TypeError(f"{model!r} has no concrete model yet.")
    return concrete


def organisation_path(model: type[models.Model]) -> str | None:
    """The attribute path from a ``model`` record to its organisation (see ``track``)."""
    item = _TRACKED.get(concrete_model(model))
    return item.organisation if item is not None else None


def organisation_id_of(instance: models.Model) -> int | None:
    """The id of the organisation ``instance`` belongs to; None for shared records.

    A parent deleted before its child (which a cascade never does) also gives None.
    """
    item = _TRACKED.get(concrete_model(instance))
    if item is None or item.organisation is None:
        return None
    if item.organisation == SELF:
        return instance.pk
    *steps, last = item.organisation.split(".")
    target = instance
    try:
        for step in steps:
            target = getattr(target, step)
            if target is None:
                return None
    except ObjectDoesNotExist:
        return None
    return getattr(target, f"{last}_id")


def searchable_changes(changes: dict | None) -> str:
    """The changes as one line of text, for the trail's search."""
    return json.dumps(changes, ensure_ascii=False, sort_keys=True) if changes else ""
