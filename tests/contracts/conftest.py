"""Fixtures for the contracts views: one of everything in organisation A."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import services
from contracts.models import (
    GovernanceReview,
    ImprovementAction,
    Issue,
    Notification,
    NotificationKind,
    ReviewLevel,
    Severity,
)
from tests.contracts.builders import add_worked_slas, make_award, make_contract, measure, month

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(cast, media):
    """Organisation A's contract with SLAs, a measured month, a document, a review, an
    issue, an action, an award and a notification for its manager."""
    contract = make_contract(cast.manager)
    slas = add_worked_slas(contract)
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 80})
    document = services.document_upload(
        contract=contract,
        file=SimpleUploadedFile("Master agreement.pdf", PDF),
        kind="pdf",
        description="Signed",
        user=cast.manager.user,
    )
    user = cast.manager.user
    review = GovernanceReview.objects.create(
        contract=contract,
        held_on=dt.date(2025, 2, 10),
        level=ReviewLevel.OPERATIONAL,
        attendees="Maya, vendor",
        rating_delivery=4,
        rating_communication=3,
        rating_responsiveness=4,
        rating_innovation=2,
        next_review_on=dt.date(2025, 3, 10),
        recorded_by=user,
    )
    issue = Issue.objects.create(
        contract=contract,
        title="Late report",
        severity=Severity.HIGH,
        owner=user,
        raised_on=dt.date(2025, 2, 1),
        due_on=dt.date(2025, 2, 28),
    )
    action = ImprovementAction.objects.create(
        contract=contract, description="Self-service", owner=user, due_on=dt.date(2025, 6, 30)
    )
    Notification.objects.create(
        organisation=cast.org,
        recipient=user,
        contract=contract,
        kind=NotificationKind.NOTICE_90,
        key_date=dt.date(2027, 10, 2),
        subject="Notice deadline in 80 days: Service desk",
        message="Decide.",
    )
    return SimpleNamespace(
        contract=contract,
        slas=slas,
        sla=slas["Availability"],
        document=document,
        review=review,
        issue=issue,
        action=action,
        award=make_award(cast.manager),
    )
