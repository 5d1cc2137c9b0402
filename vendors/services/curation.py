"""Curating the shared registry: change proposals, deactivation, merge and deletion.

An organisation's admin proposes; a registry curator decides. Every change reaches the
record through ``vendor_save`` or a stamped save, so its history says who and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.audit.bulk import record_bulk
from accounts.audit.models import Action
from accounts.models import Organisation
from vendors.models import ChangeStatus, Vendor, VendorChangeProposal, VendorRating, VendorTag
from vendors.selectors.references import (
    KEPT_ON_MERGE,
    merge_conflicts,
    reference_relations,
    rows_pointing_at,
    vendor_in_use,
)
from vendors.services.errors import SelectionError
from vendors.services.registry import Describing, VendorDetails, stamp_history, vendor_save
from vendors.snapshots import Snapshot, changed_fields, vendor_snapshot


def change_proposal_submit(
    *,
    organisation: Organisation,
    user: User,
    vendor: Vendor | None,
    proposed: Snapshot,
    reason: str,
) -> VendorChangeProposal:
    """Ask the curators for a new vendor (``vendor`` None) or a change to one."""
    reason = reason.strip()
    if not reason:
        raise SelectionError(
            "Say why the record should change: a curator reads the reason before deciding."
        )
    # Read the record afresh: a bound ModelForm has already copied the proposal onto
    # ``vendor`` in memory.
    base = (
        vendor_snapshot(Vendor.objects.with_profile().get(pk=vendor.pk))
        if vendor is not None
        else {}
    )
    if vendor is not None:
        if vendor.merged_into_id:
            raise SelectionError(
                "This record was merged into another one; propose the change on that record."
            )
        if not changed_fields(base, proposed):
            raise SelectionError("Nothing was changed, so there is nothing to propose.")
    with transaction.atomic():
        return VendorChangeProposal.objects.create(
            organisation=organisation,
            proposed_by=user,
            vendor=vendor,
            is_new_vendor=vendor is None,
            base=base,
            proposed=proposed,
            reason=reason,
        )


def _pending(proposal: VendorChangeProposal) -> VendorChangeProposal:
    locked = VendorChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ChangeStatus.PENDING:
        raise SelectionError(f"This proposal was already {locked.get_status_display().lower()}.")
    return locked


def change_proposal_accept(
    *,
    proposal: VendorChangeProposal,
    curator: User,
    data: Mapping[str, Any],
    details: VendorDetails,
    note: str = "",
) -> Vendor:
    """Apply a proposal as validated by the vendor form (``data``, ``details``)."""
    reason = f"Change proposal #{proposal.pk} accepted" + (f": {note}" if note else ".")
    with transaction.atomic():
        locked = _pending(proposal)
        vendor = vendor_save(
            vendor=locked.vendor, data=data, details=details, user=curator, reason=reason
        )
        locked.vendor = vendor
        _decide(locked, ChangeStatus.ACCEPTED, curator, note)
    proposal.refresh_from_db()
    return vendor


def change_proposal_reject(*, proposal: VendorChangeProposal, curator: User, note: str) -> None:
    note = note.strip()
    if not note:
        raise SelectionError("Say why the proposal is rejected: the proposer reads it.")
    with transaction.atomic():
        _decide(_pending(proposal), ChangeStatus.REJECTED, curator, note)
    proposal.refresh_from_db()


def _decide(proposal: VendorChangeProposal, status: str, curator: User, note: str) -> None:
    proposal.status = status
    proposal.decided_by = curator
    proposal.decision_note = note
    proposal.decided_at = timezone.now()
    proposal.save()


def vendor_deactivate(*, vendor: Vendor, user: User, reason: str) -> Vendor:
    """Take a vendor off every future shortlist; what organisations hold about it stays."""
    if not vendor.active:
        raise SelectionError(f"\u201c{vendor.name}\u201d is already inactive.")
    with transaction.atomic():
        vendor.active = False
        stamp_history(vendor, user=user, reason=f"Deactivated: {reason}")
        vendor.save()
    return vendor


def vendor_delete(*, vendor: Vendor, user: User, reason: str) -> None:
    """Delete a record nobody uses (a mistake, a test entry); refused when in use."""
    with transaction.atomic():
        if vendor_in_use(vendor):
            raise SelectionError(
                f"\u201c{vendor.name}\u201d is in use by organisations' records, so it cannot "
                "be deleted. Deactivate it, or merge it into the record that replaces it."
            )
        stamp_history(vendor, user=user, reason=f"Deleted: {reason}")
        rows: tuple[Describing, ...] = (
            *vendor.service_lines.all(),
            *vendor.languages.all(),
            *vendor.certifications.all(),
            *vendor.delivery_centres.all(),
        )
        for row in rows:
            stamp_history(row, user=user, reason=f"Deleted with the vendor: {reason}")
            row.delete()
        vendor.delete()


def vendor_merge(*, source: Vendor, target: Vendor, user: User, reason: str) -> Vendor:
    """Fold a duplicate record into ``target``: every use of ``source`` then points at
    ``target``, and ``source`` stays, inactive, as a signpost with its history.

    An organisation's rating and tags follow the record (the target's rating wins when
    both were rated). The merge is refused when an organisation holds both records where
    a vendor may appear once (both candidates in one sourcing event, say).
    """
    if source.pk == target.pk:
        raise SelectionError("Pick another record to merge into.")
    if target.merged_into_id:
        raise SelectionError(
            f"\u201c{target.name}\u201d was itself merged away; merge into "
            "the record it was merged into."
        )
    if source.merged_into_id:
        raise SelectionError(f"\u201c{source.name}\u201d is already merged.")
    why = f"Merged \u201c{source.name}\u201d into \u201c{target.name}\u201d: {reason}"
    with transaction.atomic():
        _merge_private_data(source, target)
        conflicts = merge_conflicts(source, target)
        if conflicts:
            raise SelectionError(
                "An organisation holds both records where a vendor may appear only once ("
                + ", ".join(conflicts)
                + "). Nothing was merged; that organisation must "
                "resolve it first."
            )
        for relation in reference_relations():
            if relation.related_model in KEPT_ON_MERGE:
                continue
            for row in rows_pointing_at(relation, source):
                setattr(row, relation.field.attname, target.pk)
                stamp_history(row, user=user, reason=why)
                row.save(update_fields=[relation.field.name])
        for proposal in source.change_proposals.filter(status=ChangeStatus.PENDING):
            _decide(
                proposal,
                ChangeStatus.REJECTED,
                user,
                f"The record was merged into \u201c{target.name}\u201d; propose the change "
                "there if it is still needed.",
            )
        source.active = False
        source.merged_into = target
        stamp_history(source, user=user, reason=why)
        source.save()
        stamp_history(target, user=user, reason=why)
        target.save()
    return target


def _merge_private_data(source: Vendor, target: Vendor) -> None:
    rated = set(
        VendorRating.objects.filter(vendor=target).values_list("organisation_id", flat=True)
    )
    VendorRating.objects.filter(vendor=source, organisation_id__in=rated).delete()
    tagged = {
        (org, label.casefold())
        for org, label in VendorTag.objects.filter(vendor=target).values_list(
            "organisation_id", "label"
        )
    }
    for tag in VendorTag.objects.filter(vendor=source):
        if (tag.organisation_id, tag.label.casefold()) in tagged:
            tag.delete()


def vendor_private_save(
    *, organisation: Organisation, vendor: Vendor, user: User, rating: int | None, tags: list[str]
) -> None:
    """Replace the organisation's own rating and tags for the vendor."""
    with transaction.atomic():
        if rating is None:
            VendorRating.objects.filter(organisation=organisation, vendor=vendor).delete()
        else:
            VendorRating.objects.update_or_create(
                organisation=organisation,
                vendor=vendor,
                defaults={"rating": rating, "rated_by": user},
            )
        wanted = {tag.casefold(): tag for tag in tags}
        for existing in VendorTag.objects.filter(organisation=organisation, vendor=vendor):
            if wanted.get(existing.label.casefold()) == existing.label:
                del wanted[existing.label.casefold()]
            else:
                existing.delete()
        added = VendorTag.objects.bulk_create(
            VendorTag(organisation=organisation, vendor=vendor, label=label)
            for label in wanted.values()
        )
        record_bulk(added, action=Action.CREATE)
