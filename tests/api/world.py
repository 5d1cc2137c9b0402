"""A realistic world for the API-wide tests: the demo data of two organisations, with
organisation B's records marked by a sentinel, tokens for every role, and the ids of each
organisation's objects found by walking the API's own lists.

Organisation A is the demo's Acme Holdings (a manager, a CIO and an admin); organisation
B is Globex (its manager is the outsider). Beyond the demo, B gets a sourcing event with
a proposal, a draft assessment, private notes, a rating and tags on a vendor A also sees,
and a change proposal for the registry; A gets a draft assessment, a change proposal and
private notes too.
Then every free-text field of every row B owns (names, titles, descriptions, notes...)
is prefixed with ``ZZB-SENTINEL``, as are B's name and its manager's account, so that
any response to organisation A's tokens that carries B's data is caught by one search.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.db.models.functions import Concat, Left
from django.test import TestCase
from django.utils import timezone

from accounts.demo import DEMO_ORGANISATION, GLOBEX_ORGANISATION
from accounts.models import Organisation
from accounts.services.tokens import token_create
from assessments.engine.questions import QUESTION_KEYS
from assessments.models import Assessment, Process, WizardStep
from vendors.models import Vendor
from vendors.selectors.events import wave_choices
from vendors.services.curation import change_proposal_submit, vendor_private_save
from vendors.services.events import event_create, proposal_save, shortlist_accept
from vendors.services.registry import vendor_note_add
from vendors.snapshots import vendor_snapshot

SENTINEL = "ZZB-SENTINEL"
PROJECT_APPS = ("accounts", "assessments", "vendors", "contracts", "outsourcing")
# Free text a person writes: the fields stamped with the sentinel in B's rows. Codes,
# countries, currencies, units and choices are left alone (the engines read them).
TEXT_FIELDS = frozenset(
    {
        "name",
        "title",
        "description",
        "notes",
        "text",
        "label",
        "reason",
        "decision_note",
        "cancel_reason",
        "proposed_slas",
        "comment",
        "attendees",
        "decisions",
        "resolution",
        "expected_benefit",
        "override_justification",
        "rationale",
        "termination_terms",
        "payment_terms",
        "reference",
        "subject",
        "message",
        "evaluator",
        "original_name",
    }
)
ROLES_OF_A = ("manager", "cio", "admin")


@dataclass
class World:
    a: Organisation
    b: Organisation
    shared_vendor: Vendor  # in the shared registry, with notes of both organisations
    tokens: dict[str, str] = field(default_factory=dict)  # manager, cio, admin, read_only, outsider
    users: dict[str, Any] = field(default_factory=dict)


def build_world() -> World:
    # The demo's projections (the assessment's and its scenarios') run as the seed's
    # transaction commits, as they would for real: none is left queued to fill the quota.
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", "--force", verbosity=0)
    a = Organisation.objects.get(name=DEMO_ORGANISATION)
    b = Organisation.objects.get(name=GLOBEX_ORGANISATION)
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[*ROLES_OF_A, "globex"])
    }
    vendor = _shared_vendor(a)
    _private_data(a, users["manager"], users["admin"], vendor, words="Acme's own")
    _private_data(b, users["globex"], users["globex"], vendor, words=SENTINEL)
    _event_for(b, users["globex"])
    _draft_assessment(b, users["globex"])
    _draft_assessment(a, users["manager"])  # processes that can still change
    world = World(a=a, b=b, shared_vendor=vendor, users=users)
    world.tokens = {role: _token(users[role], a) for role in ROLES_OF_A} | {
        "read_only": _token(users["manager"], a, read_only=True),
        "outsider": _token(users["globex"], b),
    }
    stamp(b)
    b.refresh_from_db()
    return world


def _token(user: Any, organisation: Organisation, *, read_only: bool = False) -> str:
    _, secret = token_create(
        user=user,
        organisation=organisation,
        name=f"{user.username} world",
        read_only=read_only,
        expires_in_days=30,
    )
    return secret


def _shared_vendor(a: Organisation) -> Vendor:
    """A vendor of the shared registry that A works with (its first contract's)."""
    return Vendor.objects.filter(contracts__organisation=a).order_by("pk").first()


def _private_data(
    organisation: Organisation, editor: Any, admin: Any, vendor: Vendor, *, words: str
) -> None:
    vendor_note_add(
        organisation=organisation,
        vendor=vendor,
        author=editor,
        text=f"{words} note: renegotiate before the renewal.",
    )
    vendor_private_save(
        organisation=organisation, vendor=vendor, user=editor, rating=4, tags=[f"{words} preferred"]
    )
    proposed = {
        **vendor_snapshot(Vendor.objects.with_profile().get(pk=vendor.pk)),
        "references": f"{words} references: ask the CFO.",
    }
    change_proposal_submit(
        organisation=organisation,
        user=admin,
        vendor=vendor,
        proposed=proposed,
        reason=f"{words} reason: new references.",
    )


def _event_for(organisation: Organisation, user: Any) -> None:
    """A sourcing event for the organisation's first wave, shortlisted, with a proposal."""
    wave = next(iter(wave_choices(organisation)), None)
    if wave is None:
        return
    today = timezone.localdate()
    event = event_create(
        organisation=organisation,
        user=user,
        name="Service desk RFP",
        assessment=wave.assessment,
        processes=wave.processes,
        model=wave.model,
        wave=wave.number,
        deadline=today + dt.timedelta(days=21),
        planned_start=today + dt.timedelta(days=120),
    )
    if not event.candidates.filter(proposed=True).exists():
        return
    shortlist_accept(event=event, user=user)
    invited = event.candidates.filter(invited=True).select_related("vendor").first()
    if invited is not None:
        proposal_save(
            event=event,
            vendor=invited.vendor,
            user=user,
            data={
                "annual_price": Decimal("250000.00"),
                "transition_cost": Decimal("40000.00"),
                "term_months": 36,
                "proposed_slas": "Availability 99.5 %",
                "notes": "Best and final offer",
            },
        )


def _draft_assessment(organisation: Organisation, user: Any) -> None:
    assessment = Assessment.objects.create(
        organisation=organisation,
        owner=user,
        name="Draft review",
        objectives=["cost_reduction"],
        home_country=organisation.home_country,
        currency=organisation.currency,
        customer_languages=["German"],
        wizard_step=WizardStep.INVENTORY,
    )
    Process.objects.create(
        assessment=assessment,
        position=1,
        name="Travel expenses",
        business_function="finance",
        description="Expense claims",
        annual_cost=Decimal("90000"),
        fte=Decimal("1.5"),
    )
    Process.objects.create(  # answered
        assessment=assessment,
        position=2,
        name="Payroll",
        business_function="HR",
        annual_cost=Decimal("300000"),
        fte=Decimal("3"),
        **dict(zip(QUESTION_KEYS, (1, 5, 5, 2, 2, 4, 1, 1, 3, 2, 2), strict=True)),
    )


# The sentinel ---------------------------------------------------------------------------


def organisation_path(model: type[models.Model], depth: int = 0) -> str | None:
    """The lookup from ``model`` to the organisation that owns its rows (``contract__
    organisation``), following foreign keys inside the project; None for shared rows."""
    if model is Organisation:
        return "pk"
    links = [
        f
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one)
        and f.related_model is not None
        and f.related_model._meta.app_label in PROJECT_APPS
    ]
    for link in links:
        if link.related_model is Organisation:
            return link.name
    if depth >= 4:
        return None
    for link in links:
        rest = organisation_path(link.related_model, depth + 1)
        if rest is not None:
            return link.name if rest == "pk" else f"{link.name}__{rest}"
    return None


def owned_models() -> Iterable[tuple[type[models.Model], str]]:
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            path = organisation_path(model)
            if path is not None:
                yield model, path


def stamp(organisation: Organisation) -> int:
    """Prefix every non-empty free-text field of the organisation's rows (and its manager's
    names) with the sentinel; returns the number of values stamped."""
    stamped = 0
    prefix = models.Value(f"{SENTINEL} ")
    for model, path in owned_models():
        rows = model._base_manager.filter(**{path: organisation.pk})
        for text in model._meta.concrete_fields:
            if (
                text.name not in TEXT_FIELDS
                or text.choices
                or not isinstance(text, models.CharField | models.TextField)
            ):
                continue
            value: Any = Concat(prefix, models.F(text.name), output_field=text)
            if text.max_length:
                value = Left(value, text.max_length)
            stamped += (
                rows.exclude(**{text.name: ""})
                .exclude(**{f"{text.name}__isnull": True})
                .update(**{text.name: value})
            )
    get_user_model().objects.filter(memberships__organisation=organisation).exclude(
        memberships__organisation__in=Organisation.objects.exclude(pk=organisation.pk)
    ).update(first_name=SENTINEL, last_name=SENTINEL)
    return stamped


def carries_sentinel(text: str) -> bool:
    return SENTINEL.casefold() in text.casefold()


# Ids, found through the API's own lists ----------------------------------------------------

PARAMETER = re.compile(r"{(\w+)}")


def path_candidates(
    template: str,
    get: Callable[[str], Any],
    *,
    per_level: int = 3,
    cache: dict[str, list[dict[str, Any]]] | None = None,
    seen_by: dict[str, list[dict[str, Any]]] | None = None,
) -> list[dict[str, str]]:
    """Values for the path parameters of ``template`` (``/api/v1/contracts/{contract_pk}/
    slas/{id}/``) that name real objects, read from the lists above each parameter
    (``/api/v1/contracts/``, then ``/api/v1/contracts/7/slas/``) with ``get`` (a path ->
    the parsed JSON, or None when the list cannot be read). ``seen_by``: another
    caller's lists (its ``cache``); what it sees too (shared records, figure names) is
    left out, so that only objects the other caller must not reach remain."""
    cache = {} if cache is None else cache
    found: list[dict[str, str]] = [{}]
    for name in PARAMETER.findall(template):
        deeper: list[dict[str, str]] = []
        for bound in found:
            collection = template.split("{" + name + "}")[0].format(**bound)
            if collection not in cache:
                cache[collection] = _items(get(f"{collection}?page_size=200"))
            shared = {_value(item, name) for item in (seen_by or {}).get(collection, [])}
            values = [
                value
                for value in (_value(item, name) for item in cache[collection])
                if value is not None and value not in shared
            ]
            deeper.extend({**bound, name: value} for value in values[:per_level])
        found = deeper
    return found


def _value(item: dict[str, Any], name: str) -> str | None:
    value = item.get(name if name in item else "id")
    return None if value is None else str(value)


def _items(body: Any) -> list[dict[str, Any]]:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        body = body["results"]
    return [item for item in body if isinstance(item, dict)] if isinstance(body, list) else []
