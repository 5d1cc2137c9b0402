"""The renewals page works out deadlines and actions on request, no scheduler needed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import ContractStatus, RenewalType
from contracts.selectors.renewals import renewal_action, renewal_rows
from tests.contracts.builders import make_contract

TODAY = dt.date(2026, 3, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "state", "urgency", "action"),
    [
        (
            {"end": dt.date(2026, 6, 30), "notice_days": 90},
            "Notice deadline in 31 days",
            "warning",
            "Decide by 01 Apr 2026: renegotiate, re-tender or give notice",
        ),
        (
            {
                "end": dt.date(2026, 5, 30),
                "notice_days": 90,
                "renewal_type": RenewalType.AUTO_RENEW,
            },
            "Notice deadline in 0 days",
            "danger",
            "Give notice by 01 Mar 2026 if it should not renew on 31 May 2026 "
            "for another 12 months.",
        ),
        (
            {
                "end": dt.date(2026, 5, 31),
                "notice_days": 100,
                "renewal_type": RenewalType.OPTION_TO_EXTEND,
            },
            "Notice deadline passed",
            "danger",
            "The deadline to exercise the option passed",
        ),
        ({"end": dt.date(2026, 2, 27)}, "Past its end date", "danger", "Ended on 27 Feb 2026"),
        (
            {
                "start": dt.date(2024, 2, 1),
                "end": dt.date(2025, 1, 31),
                "renewal_type": RenewalType.AUTO_RENEW,
            },
            "Renewed automatically",
            "danger",
            "the current term runs from 01 Feb 2026 to 31 Jan 2027",
        ),
        (
            {"end": dt.date(2026, 6, 30), "status": ContractStatus.IN_NOTICE},
            "Notice given",
            "secondary",
            "Notice has been given; the contract ends on 30 Jun 2026.",
        ),
        ({"end": dt.date(2027, 6, 30)}, "Notice deadline in 396 days", "secondary", "Nothing yet"),
    ],
)
def test_each_contract_gets_its_state_and_the_action_needed(cast, fields, state, urgency, action):
    start = fields.pop("start", dt.date(2024, 1, 1))
    end = fields.pop("end")
    row = renewal_action(make_contract(cast.manager, start=start, end=end, **fields), TODAY)
    assert row.state == state and row.urgency == urgency
    assert action in row.action


@pytest.mark.django_db
def test_the_list_holds_deadlines_within_180_days_most_urgent_first(cast):
    later = make_contract(cast.manager, title="Later", end=dt.date(2026, 8, 31))
    soon = make_contract(cast.manager, title="Soon", end=dt.date(2026, 5, 31))
    make_contract(cast.manager, title="Far", end=dt.date(2028, 1, 31))
    make_contract(
        cast.manager, title="Draft", end=dt.date(2026, 5, 31), status=ContractStatus.DRAFT
    )
    make_contract(cast.outsider, title="Theirs", end=dt.date(2026, 5, 31))
    rows = renewal_rows(cast.org, TODAY)
    assert [r.contract for r in rows] == [soon, later]
    assert [r.threshold for r in rows] == [30, None]


@pytest.mark.django_db
def test_a_cio_sees_the_renewals_page_without_any_job_having_run(cast):
    today = timezone.localdate()
    make_contract(
        cast.manager,
        title="Network services",
        start=today - dt.timedelta(days=700),
        end=today + dt.timedelta(days=110),
        notice_days=60,
    )
    response = cast.client_for("cio").get(reverse("contracts:renewals"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Network services" in page and "Notice deadline in 50 days" in page
    assert "renegotiate, re-tender or give notice" in page
