"""The portfolio dashboard: org isolation, roles, figures as JSON, caching, query count."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Recommendation
from assessments.services import assessments as services
from contracts.models import Contract, Issue, ServiceCredit
from outsourcing.dashboard.figures import FIGURES
from outsourcing.models import BoardPack
from tests.assessments.builders import (
    CORE_RD,
    HOTLINE,
    NETWORK,
    PAYROLL,
    add_process,
    make_assessment,
)
from vendors.models import Vendor

FIGURE_NAMES = list(FIGURES)


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def submitted(member, name="Portfolio", processes=None):
    assessment = make_assessment(member, name=name)
    for i, (pname, answers, function) in enumerate(
        processes
        or [
            ("Payroll", PAYROLL, "HR"),
            ("Network", NETWORK, "IT"),
            ("Core R&D", CORE_RD, "R&D"),
            ("Hotline", HOTLINE, "customer service"),
        ]
    ):
        add_process(assessment, pname, answers, cost=1_000_000 + i * 100_000, function=function)
    # Run the projection queued on commit, as a real request would.
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.assessment_submit(assessment=assessment, user=member.user)
    return assessment


def add_contract(member, title="Service desk deal", **fields):
    vendor = Vendor.objects.create(
        name=f"Vendor for {title}", headquarters_country="India", offers_ito=True
    )
    today = dt.date.today()
    return Contract.objects.create(
        organisation=member.organisation,
        title=title,
        vendor=vendor,
        model="ITO",
        location="offshore",
        start_date=today - dt.timedelta(days=400),
        end_date=today + dt.timedelta(days=120),
        annual_value=Decimal("1200000"),
        currency="GBP",
        owner=member.user,
        status="active",
        notice_days=60,
        **fields,
    )


@pytest.fixture
def portfolio(cast):
    return submitted(cast.manager)


def test_anonymous_people_are_sent_to_login(cast, portfolio):
    client = cast.client_for(None)
    for url in [reverse("dashboard"), reverse("dashboard-figure", args=["mix"])]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("who", ["manager", "cio", "admin"])
def test_every_member_sees_the_dashboard(cast, portfolio, who):
    response = cast.client_for(who).get(reverse("dashboard"))
    assert response.status_code == 200
    assert "Portfolio dashboard" in response.content.decode()


def test_the_dashboard_shows_only_the_members_own_organisation(cast, portfolio):
    submitted(
        cast.outsider, name="Their confidential plan", processes=[("Their payroll", PAYROLL, "HR")]
    )
    page = cast.client_for("outsider").get(reverse("dashboard")).content.decode()
    assert "Their confidential plan" in page
    assert "Portfolio" not in page.replace("Portfolio dashboard", "")
    ours = cast.client_for("cio").get(reverse("dashboard")).content.decode()
    assert "Their confidential plan" not in ours and "Their payroll" not in ours


def test_another_organisations_assessment_id_in_the_filter_is_ignored(cast, portfolio):
    theirs = submitted(cast.outsider, name="Their plan", processes=[("Secret", PAYROLL, "HR")])
    page = cast.client_for("cio").get(reverse("dashboard"), {"assessment": theirs.pk})
    assert "Secret" not in page.content.decode()


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_every_figure_is_available_as_json_with_a_title(cast, portfolio, name):
    response = cast.client_for("cio").get(reverse("dashboard-figure", args=[name]))
    assert response.status_code == 200
    figure = json.loads(response.content)
    assert figure["layout"]["title"]["text"]
    assert "data" in figure


def test_an_unknown_figure_is_404(cast, portfolio):
    assert cast.client_for("cio").get("/dashboard/nonsense.json").status_code == 404


def test_the_mix_figure_holds_the_recommended_spend(cast, portfolio):
    figure = json.loads(
        cast.client_for("cio").get(reverse("dashboard-figure", args=["mix"])).content
    )
    trace = figure["data"][0]
    values = dict(zip(trace["ids"], trace["values"], strict=True))
    assert values["f:HR/BPO"] == 1_000_000
    assert values["f:IT/ITO"] == 1_100_000


def test_the_function_filter_narrows_the_figures(cast, portfolio):
    figure = json.loads(
        cast.client_for("cio")
        .get(reverse("dashboard-figure", args=["mix"]), {"business_function": "IT"})
        .content
    )
    assert figure["data"][0]["ids"] == ["f:IT", "f:IT/ITO"]


def test_an_override_shows_on_the_dashboard_at_once(cast, portfolio):
    client = cast.client_for("cio")
    client.get(reverse("dashboard"))  # warms the cache
    rec = Recommendation.objects.get(process__name="Payroll")
    services.recommendation_override(
        recommendation=rec,
        model="retain",
        location="in_house",
        justification="Union agreement",
        user=cast.manager.user,
    )
    figure = json.loads(client.get(reverse("dashboard-figure", args=["mix"])).content)
    values = dict(zip(figure["data"][0]["ids"], figure["data"][0]["values"], strict=True))
    assert values["f:HR/retain"] == 1_000_000 and "f:HR/BPO" not in values


def test_contract_data_reaches_the_headline_figures(cast, portfolio):
    contract = add_contract(cast.manager)
    today = dt.date.today()
    Issue.objects.create(
        contract=contract,
        title="Backlog",
        severity="critical",
        owner=cast.manager.user,
        raised_on=today - dt.timedelta(days=20),
        due_on=today - dt.timedelta(days=1),
    )
    page = page_text(cast.client_for("cio").get(reverse("dashboard")))
    assert "1 notice deadline in 90 days" in page
    assert "1 open critical issue" in page
    assert "1 issue overdue" in page
    assert "Backlog" in page


def test_the_drawn_body_is_reused_until_the_data_changes(cast, portfolio):
    """The headline, figures and tables are one cached fragment: a second view draws none
    of them; a new issue changes the parts' keys, and the next view draws them again."""
    contract = add_contract(cast.manager)
    reader = cast.client_for("cio")

    def drawn(response) -> set[str]:
        return {t.name for t in response.templates} & {
            "dashboard/_headline.html",
            "dashboard/_figure.html",
        }

    first = reader.get(reverse("dashboard"))
    assert drawn(first) == {"dashboard/_headline.html", "dashboard/_figure.html"}
    again = reader.get(reverse("dashboard"))
    assert drawn(again) == set()
    assert page_text(again) == page_text(first)
    # Another member sees the same body (nothing in it depends on who looks).
    assert drawn(cast.client_for("manager").get(reverse("dashboard"))) == set()

    Issue.objects.create(
        contract=contract,
        title="Backlog over target",
        severity="critical",
        owner=cast.manager.user,
        raised_on=dt.date.today() - dt.timedelta(days=3),
        due_on=dt.date.today() + dt.timedelta(days=10),
    )
    changed = reader.get(reverse("dashboard"))
    assert drawn(changed) == {"dashboard/_headline.html", "dashboard/_figure.html"}
    assert "Backlog over target" in page_text(changed)


def test_the_query_count_does_not_grow_with_the_portfolio(cast):
    small = submitted(cast.manager, name="Small")
    client = cast.client_for("cio")
    client.get(reverse("home"))  # the session is written on the first request only
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"), {"assessment": small.pk})
    big = submitted(
        cast.manager,
        name="Big",
        processes=[(f"Process {i}", (PAYROLL, NETWORK, HOTLINE)[i % 3], "HR") for i in range(40)],
    )
    for i in range(3):
        add_contract(cast.manager, title=f"Deal {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("dashboard"), {"assessment": big.pk})
    assert len(many) == len(few)
    assert len(many) <= 20


def test_a_warm_dashboard_does_not_rebuild_its_figures(cast, portfolio):
    client = cast.client_for("cio")
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as warm:
        client.get(reverse("dashboard"))
    assert len(warm) < len(cold)


def test_service_credits_count_in_the_period(cast, portfolio):
    contract = add_contract(cast.manager)
    from contracts.models import CreditComputation

    computation = CreditComputation.objects.create(
        contract=contract, inputs={}, rules_version="2026.1"
    )
    ServiceCredit.objects.create(
        contract=contract,
        computation=computation,
        period=dt.date.today().replace(day=1),
        measured=3,
        breaches=1,
        total=Decimal("4800.10"),
        earned_back=Decimal("1200.05"),
        net_total=Decimal("3600.05"),
        result={},
    )
    page = page_text(cast.client_for("cio").get(reverse("dashboard")))
    assert (
        "Service credits in the last 12 months: GBP 4,800.10 gross, GBP 1,200.05 earned back, "
        "GBP 3,600.05 net of earn-back"
    ) in page


def test_managers_cannot_export_the_board_pack(cast, portfolio):
    response = cast.client_for("manager").post(reverse("board-pack-start"), {"format": "xlsx"})
    assert response.status_code == 403
    assert not BoardPack.objects.exists()


def test_board_pack_export_needs_post(cast, portfolio):
    assert cast.client_for("cio").get(reverse("board-pack-start")).status_code == 405


def test_a_cio_exports_the_xlsx_board_pack_and_downloads_it(cast, portfolio):
    client = cast.client_for("cio")
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("board-pack-start"), {"format": "xlsx"})
    pack = BoardPack.objects.get()
    assert response.url == reverse("board-pack", args=[pack.pk])
    status = json.loads(client.get(reverse("board-pack-status", args=[pack.pk])).content)
    assert status["status"] == "done" and status["progress"] == 100
    download = client.get(reverse("board-pack-download", args=[pack.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_bad_format_is_refused_in_words(cast, portfolio):
    response = cast.client_for("cio").post(
        reverse("board-pack-start"), {"format": "doc"}, follow=True
    )
    assert "Choose XLSX or PDF" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_another_organisation_cannot_reach_a_board_pack(cast, portfolio):
    cast.client_for("cio").post(reverse("board-pack-start"), {"format": "xlsx"})
    pack = BoardPack.objects.get()
    outsider = cast.client_for("outsider")
    for name in ("board-pack", "board-pack-status", "board-pack-download"):
        assert outsider.get(reverse(name, args=[pack.pk])).status_code == 404, name


def test_a_board_pack_never_sent_is_sent_by_the_sweeper(cast, portfolio):
    from django.utils import timezone

    from outsourcing.dashboard.boardpacks.services import NEVER_SENT_GRACE
    from outsourcing.dashboard.boardpacks.tasks import board_packs_sweep

    pack = BoardPack.objects.create(
        organisation=cast.org, requested_by=cast.cio.user, format="xlsx", filters={}
    )
    assert board_packs_sweep().resent == []  # its own hand-off may be under way
    later = timezone.now() + NEVER_SENT_GRACE + dt.timedelta(seconds=1)
    assert board_packs_sweep(now=later).resent == [pack.pk]
    pack.refresh_from_db()
    assert pack.status == "done" and pack.file and pack.attempts == 1


def test_a_filter_link_without_a_period_shows_the_period_the_figures_use(cast, portfolio):
    page = (
        cast.client_for("cio")
        .get(reverse("dashboard"), {"business_function": "IT"})
        .content.decode()
    )
    assert '<option value="12" selected>Last 12 months</option>' in page
    assert '<option value="3" selected>' not in page


def test_a_pack_is_not_sent_again_just_after_work_waited_in_the_queue(cast, portfolio):
    """A worker may have just taken the pack from the queue (the backlog no longer counts
    it) without claiming it yet: for LOST_AFTER after work was last seen waiting, a
    handed-over pack is still in line; after that, it is lost."""
    from django.utils import timezone

    from outsourcing.dashboard.boardpacks.services import LOST_AFTER, board_packs_lost

    now = timezone.now()
    sent = now - LOST_AFTER - dt.timedelta(seconds=5)
    pack = BoardPack.objects.create(
        organisation=cast.org,
        requested_by=cast.cio.user,
        format="xlsx",
        filters={},
        sent_at=sent,
        attempts=1,
    )
    just_busy = now - LOST_AFTER + dt.timedelta(seconds=2)
    long_ago = now - LOST_AFTER - dt.timedelta(seconds=2)

    def lost(**seen) -> list[int]:
        return [p.pk for p in board_packs_lost(backlog=0, now=now, **seen)[0]]

    assert lost(backlog_seen_at=just_busy) == []
    assert lost(backlog_seen_at=long_ago) == [pack.pk]
    assert lost() == [pack.pk]
