"""What points at a vendor: counted for the in-use rule, repointed by a merge.

The relations are found generically through ``Vendor._meta.related_objects``, so a
foreign key declared in an app that depends on vendors (a contract, say) is counted and
repointed without vendors importing that app.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models

from vendors.models import (
    Certification,
    DeliveryCentre,
    Vendor,
    VendorChangeProposal,
    VendorLanguage,
    VendorServiceLine,
)

# Rows that describe the vendor itself: part of the shared record, not a use of it.
DESCRIBING_MODELS = (VendorServiceLine, VendorLanguage, Certification, DeliveryCentre)
# Proposals stay with the record they were made about, even when it is merged away.
KEPT_ON_MERGE = (VendorChangeProposal,)


@dataclass(frozen=True)
class Reference:
    label: str  # e.g. "contracts", from the model's verbose name
    count: int


def reference_relations() -> Iterator[models.ForeignObjectRel]:
    """Every relation by which another record uses a vendor."""
    for relation in Vendor._meta.related_objects:
        if relation.related_model in DESCRIBING_MODELS:
            continue
        if relation.many_to_many:  # pragma: no cover - no such relation exists today
            raise NotImplementedError(f"{relation} is many-to-many: teach the merge about it.")
        yield relation


def related_model(relation: models.ForeignObjectRel) -> type[models.Model]:
    """The model whose foreign key the relation is (a class once the apps are loaded)."""
    model = relation.related_model
    if isinstance(model, str):
        raise TypeError(f"{relation} points at {model!r}, not at a loaded model.")
    return model


def rows_pointing_at(relation: models.ForeignObjectRel, vendor: Vendor) -> models.QuerySet:
    return related_model(relation)._base_manager.filter(**{relation.field.name: vendor})


def vendor_references(vendor: Vendor) -> list[Reference]:
    """How many of each kind of record use the vendor (no names: counts say enough)."""
    references = []
    for relation in reference_relations():
        count = rows_pointing_at(relation, vendor).count()
        if count:
            references.append(
                Reference(str(related_model(relation)._meta.verbose_name_plural), count)
            )
    return sorted(references, key=lambda r: r.label)


def vendor_in_use(vendor: Vendor) -> bool:
    return any(rows_pointing_at(relation, vendor).exists() for relation in reference_relations())


def unique_field_sets(model: type[models.Model], field_name: str) -> list[tuple[str, ...]]:
    """The other fields that, with ``field_name``, must be unique together on ``model``."""
    sets: list[tuple[str, ...]] = []
    field = model._meta.get_field(field_name)
    if isinstance(field, models.Field) and field.unique:
        sets.append(())
    for together in model._meta.unique_together:
        if field_name in together:
            sets.append(tuple(f for f in together if f != field_name))
    for constraint in model._meta.constraints:
        if (
            isinstance(constraint, models.UniqueConstraint)
            and constraint.fields
            and field_name in constraint.fields
            and constraint.condition is None
        ):
            sets.append(tuple(f for f in constraint.fields if f != field_name))
    return sets


def merge_conflicts(source: Vendor, target: Vendor) -> list[str]:
    """Kinds of record that hold both vendors where a vendor may appear only once."""
    conflicts = []
    for relation in reference_relations():
        if relation.related_model in KEPT_ON_MERGE:
            continue
        name = relation.field.name
        for others in unique_field_sets(related_model(relation), name):
            mine = rows_pointing_at(relation, source)
            theirs = rows_pointing_at(relation, target)
            if others:
                clash = bool(set(mine.values_list(*others)) & set(theirs.values_list(*others)))
            else:
                clash = mine.exists() and theirs.exists()
            if clash:
                conflicts.append(str(related_model(relation)._meta.verbose_name_plural))
                break
    return conflicts
