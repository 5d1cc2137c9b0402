"""Cheap requests (issue 13 item 3): no Monte Carlo in a page request, and a dashboard
whose cached parts are rebuilt only when what they read changes.

The contract page, the vendor record, the dashboard and the board pack compare realised
savings with a forecast stored by a task when the projection finishes (or the contract's
processes change); a page that finds none says it is being prepared. The dashboard caches
each figure under the stamps of the kinds of record it reads.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.engine.assumptions import INFLATION_IN, INFLATION_VENDOR
from assessments.engine.projection_mc import monte_carlo
from assessments.models import Process, Projection, ProjectionStatus
from assessments.projections.selectors import projected_processes
from assessments.projections.services import projection_request
from assessments.signals import projection_finished
from contracts.engine.periods import add_months, month_start
from contracts.forecasts.services import forecasts_sweep, stale_forecasts
from contracts.models import (
    ContractForecast,
    CreditComputation,
    ForecastOutcome,
    RealisedSaving,
    ServiceCredit,
)
from contracts.selectors.savings import PREPARING, covered_processes, savings_summary
from contracts.selectors.stamps import STAMP_KINDS, data_stamps
from outsourcing.dashboard.figures import FIGURES, PART_READS, part_keys, part_reads
from outsourcing.dashboard.selectors import DashboardFilters
from tests.contracts.builders import add_worked_slas, measure
from tests.dashboard.test_dashboard import add_contract, submitted

pytestmark = pytest.mark.django_db

# The contract page's queries (18 when this was written): what every signed-in request
# reads (the session, the person, their second factor and memberships: about 5), the
# contract, the scorecard's six reads (the stored forecast among them), the SLAs, the
# latest credit computation, the actions, the documents and the two history tables.
CONTRACT_PAGE_QUERIES = 20
# The dashboard read cold (17 when this was written; issue 13 asks for 20 at most).
DASHBOARD_COLD_QUERIES = 20


@pytest.fixture
def world(cast):
    """A submitted assessment whose projection ran, and a contract covering one of its
    processes with a year of realised savings, its processes set as a request would."""
    assessment = submitted(cast.manager)
    contract = add_contract(
        cast.manager, title="Network deal", baseline_annual_cost=Decimal("1200000.00")
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        contract.processes.add(Process.objects.get(assessment=assessment, name="Network"))
    first = month_start(contract.start_date)
    for months in range(12):
        RealisedSaving.objects.create(
            contract=contract,
            period=add_months(first, months),
            vendor_cost=Decimal("60000.00"),
            governance_cost=Decimal("5000.00"),
            recorded_by=cast.manager.user,
        )
    return assessment, contract


def latest(assessment) -> Projection:
    return (
        assessment.projections.filter(status=ProjectionStatus.DONE)
        .order_by("-created_at", "-pk")
        .first()
    )


def page(cast, contract) -> str:
    response = cast.client_for("cio").get(reverse("contracts:detail", args=[contract.pk]))
    assert response.status_code == 200
    return response.content.decode()


# ------------------------------------------------------------------ the stored forecast


def test_a_finished_projection_leaves_each_covered_contract_its_forecast(cast, world):
    assessment, contract = world
    forecast = ContractForecast.objects.get(contract=contract)
    assert forecast.projection == latest(assessment)
    assert forecast.outcome == ForecastOutcome.BAND and forecast.covered == ["Network"]
    assert len(forecast.cumulative_p50) == latest(assessment).horizon_months


def test_the_stored_band_is_the_projections_own_monte_carlo_for_the_covered_processes(cast, world):
    """Same inputs, same numbers: the projection's stored inputs, trials and seed, run
    through the engine for the covered processes only, as the page computed it before."""
    assessment, contract = world
    projection = latest(assessment)
    covered = [p for p in projected_processes(projection) if p.name == "Network"]
    inputs = projection.inputs
    summary = monte_carlo(
        covered,
        trials=min(projection.trials, 10_000),
        seed=projection.seed,
        horizon=projection.horizon_months,
        discount_rate=projection.discount_rate,
        inflation_in=float(inputs.get("inflation_in", INFLATION_IN)),
        inflation_vendor=float(inputs.get("inflation_vendor", INFLATION_VENDOR)),
    )
    forecast = ContractForecast.objects.get(contract=contract)
    assert forecast.cumulative_p10 == summary.cumulative_p10.tolist()
    assert forecast.cumulative_p50 == summary.cumulative_p50.tolist()
    assert forecast.cumulative_p90 == summary.cumulative_p90.tolist()
    # The page's months: each month's projected saving, from the contract's first month.
    band = savings_summary(contract, covered_processes(contract), timezone.localdate()).band
    p50 = summary.cumulative_p50.tolist()
    assert band.available and band.projection_id == projection.pk
    for m, (period, (_, month_p50)) in enumerate(sorted(band.months.items())):
        assert period == add_months(band.first_month, m)
        assert month_p50 == p50[m] - (p50[m - 1] if m else 0.0)


def test_the_contract_page_computes_nothing_and_says_when_the_forecast_is_missing(cast, world):
    assessment, contract = world
    cache.clear()
    ContractForecast.objects.all().delete()
    text = page(cast, contract)
    assert PREPARING.split(":")[0] in text  # "The forecast for this contract is being prepared"
    assert "Projected, median (P50)" not in text
    assert not ContractForecast.objects.exists()  # the request stored (computed) nothing
    assert stale_forecasts() == [contract.pk]

    assert forecasts_sweep() == 1  # the sweeper sends it again (run in-process here)
    text = page(cast, contract)
    assert f"Projected from “{assessment.name}” (projection {latest(assessment).pk}" in text
    assert "Projected, median (P50)" in text
    assert stale_forecasts() == []


def test_a_projection_that_finishes_replaces_the_forecast(cast, world):
    assessment, contract = world
    first = latest(assessment)
    # A newer finished projection without its forecast yet: the page does not show the
    # older projection's band as the latest's, and does not compute the new one.
    newer = Projection.objects.create(
        assessment=assessment,
        status=ProjectionStatus.DONE,
        trials=500,
        seed=99,
        horizon_months=first.horizon_months,
        discount_rate=first.discount_rate,
        inputs=first.inputs,
        result=first.result,
        finished_at=timezone.now(),
    )
    assert PREPARING.split(":")[0] in page(cast, contract)
    with TestCase.captureOnCommitCallbacks(execute=True):
        projection_finished.send(sender=Projection, projection_id=newer.pk)
    forecast = ContractForecast.objects.get(contract=contract)
    assert forecast.projection == newer and forecast.trials == 500
    assert f"(projection {newer.pk}, finished" in page(cast, contract)


def test_a_real_projection_run_stores_the_forecasts_when_it_finishes(cast, world):
    assessment, contract = world
    with TestCase.captureOnCommitCallbacks(execute=True):
        projection = projection_request(
            assessment=assessment, user=cast.manager.user, trials=1_000, seed=3
        )
    projection.refresh_from_db()
    assert projection.status == ProjectionStatus.DONE
    assert ContractForecast.objects.get(contract=contract).projection == projection


def test_changing_the_contracts_processes_prepares_a_new_forecast(cast, world):
    assessment, contract = world
    payroll = Process.objects.get(assessment=assessment, name="Payroll")
    with TestCase.captureOnCommitCallbacks(execute=False):  # the task not run yet
        contract.processes.add(payroll)
    assert PREPARING.split(":")[0] in page(cast, contract)
    with TestCase.captureOnCommitCallbacks(execute=True):
        contract.processes.remove(payroll)
        contract.processes.add(payroll)
    forecast = ContractForecast.objects.get(contract=contract)
    covered = set(forecast.covered)
    assert "Network" in covered
    assert "Projected from" in page(cast, contract)


def test_the_page_reads_a_fixed_number_of_queries(cast, world):
    """Whatever the months measured and recorded: a year more of both adds no query, read
    afresh (the cache emptied before each capture) or from the cache."""
    _, contract = world
    add_worked_slas(contract)
    first = month_start(contract.start_date)
    measure(contract, first, {"Availability": 99.6, "Response hours": 5, "CSAT": 90})
    client = cast.client_for("cio")
    url = reverse("contracts:detail", args=[contract.pk])
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    for months in range(1, 13):
        measure(
            contract,
            add_months(first, months),
            {"Availability": 98.0, "Response hours": 3, "CSAT": 90},
        )
        RealisedSaving.objects.create(
            contract=contract,
            period=add_months(first, 12 + months),
            vendor_cost=Decimal("60000.00"),
            governance_cost=Decimal("5000.00"),
            recorded_by=cast.manager.user,
        )
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= CONTRACT_PAGE_QUERIES
    # Unchanged data: the scorecard rows come from the cache (contract_rows' reads).
    assert len(cached) < len(few)


# ------------------------------------------------------------------ the dashboard's parts


def keys(cast, filters: DashboardFilters | None = None) -> dict[str, str]:
    return part_keys(
        cast.org, filters or DashboardFilters(), timezone.localdate(), data_stamps(cast.org)
    )


def changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {part for part in before if before[part] != after[part]}


def test_the_stamps_are_one_query_and_every_figure_has_a_cached_part(cast, world):
    with CaptureQueriesContext(connection) as queries:
        stamps = data_stamps(cast.org)
    assert len(queries) == 1
    assert set(stamps) == set(STAMP_KINDS)
    assert set(PART_READS) == {"summary", *FIGURES}


def test_a_finished_projection_changes_only_the_parts_that_read_projections(cast, world):
    assessment, _ = world
    before = keys(cast)
    with TestCase.captureOnCommitCallbacks(execute=True):
        projection_request(assessment=assessment, user=cast.manager.user, trials=1_000, seed=5)
    assert changed(before, keys(cast)) == {"summary", "savings", "vendors"}


def test_a_changed_credit_changes_only_the_sla_and_credit_parts(cast, world):
    _, contract = world
    before = keys(cast)
    computation = CreditComputation.objects.create(
        contract=contract, inputs={}, rules_version="2026.1"
    )
    ServiceCredit.objects.create(
        contract=contract,
        computation=computation,
        period=month_start(contract.start_date),
        measured=3,
        breaches=1,
        total=Decimal("250.00"),
        earned_back=Decimal("0.00"),
        net_total=Decimal("250.00"),
        result={},
    )
    assert changed(before, keys(cast)) == {"summary", "sla", "vendors"}


def test_a_changed_assessment_leaves_the_sla_and_renewals_unless_a_filter_narrows(cast, world):
    """Unfiltered, the SLA heatmap and the renewals cover every contract whatever the
    assessment says; a filter that narrows the processes makes them follow it."""
    narrowed = DashboardFilters(business_function="IT")
    assert all("assessments" in part_reads(p, narrowed) for p in PART_READS)
    before, before_narrowed = keys(cast), keys(cast, narrowed)
    assessment, _ = world
    assessment.save()  # touches updated_at, as a change to its processes does
    assert changed(before, keys(cast)) == set(PART_READS) - {"sla", "renewals"}
    assert changed(before_narrowed, keys(cast, narrowed)) == set(PART_READS)


def test_after_a_projection_the_sla_figure_is_served_from_the_cache(cast, world):
    assessment, _ = world
    client = cast.client_for("cio")
    client.get(reverse("dashboard"))  # every part cached
    with TestCase.captureOnCommitCallbacks(execute=True):
        projection_request(assessment=assessment, user=cast.manager.user, trials=1_000, seed=11)
    with CaptureQueriesContext(connection) as sla:
        assert client.get(reverse("dashboard-figure", args=["sla"])).status_code == 200
    with CaptureQueriesContext(connection) as savings:
        assert client.get(reverse("dashboard-figure", args=["savings"])).status_code == 200
    # The SLA heatmap is a hit (the request's own reads and the stamps); the fan is
    # rebuilt, which reads the contracts' processes among the rest.
    assert not any("contracts_contract_processes" in q["sql"] for q in sla.captured_queries)
    assert any("contracts_contract_processes" in q["sql"] for q in savings.captured_queries)
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("dashboard-figure", args=["savings"]))
    assert len(again) == len(sla)


def test_the_dashboard_cold_load_stays_within_its_queries(cast, world):
    client = cast.client_for("cio")
    client.get(reverse("home"))
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        assert client.get(reverse("dashboard")).status_code == 200
    assert len(cold) <= DASHBOARD_COLD_QUERIES


def test_only_a_cio_or_admin_sees_the_board_pack_buttons(cast, world):
    for who, shown in (("cio", True), ("admin", True), ("manager", False)):
        text = cast.client_for(who).get(reverse("dashboard")).content.decode()
        assert ("Export board pack (XLSX)" in text) is shown, who
        assert ("Read-only view" in text) is not shown, who


def test_the_dashboard_answers_with_the_cache_down(cast, world, private_redis, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "outsourcing.cache.ResilientRedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    client = cast.client_for("cio")
    assert client.get(reverse("dashboard")).status_code == 200
    private_redis.stop()
    assert client.get(reverse("dashboard")).status_code == 200
    figure = client.get(reverse("dashboard-figure", args=["savings"]))
    assert figure.status_code == 200 and figure.json()["layout"]["title"]["text"]
    _, contract = world
    assert "Projected from" in page(cast, contract)


def test_the_page_without_processes_or_projection_says_so_without_a_forecast(cast):
    contract = add_contract(cast.manager)
    text = page(cast, contract)
    assert "covers no assessed processes" in text
    assert not ContractForecast.objects.exists()


# ------------------------------------------------------------------ on a real worker


@pytest.mark.worker
def test_a_real_worker_stores_the_forecast_when_the_projection_finishes(cast, start_worker):
    """The whole path as deployed: the submit's projection runs on a worker, its end sends
    the forecast to the worker (the task is registered there by the app's ready()), and
    the page then shows the band without computing it."""
    import time

    from assessments.services import assessments as assessment_services
    from tests.assessments.builders import NETWORK, PAYROLL, add_process, make_assessment

    worker = start_worker()
    assessment = make_assessment(cast.manager)
    add_process(assessment, "Payroll", PAYROLL, cost=1_000_000, function="HR")
    add_process(assessment, "Network", NETWORK, cost=1_100_000, function="IT")
    contract = add_contract(cast.manager, title="Network deal")
    contract.processes.add(Process.objects.get(assessment=assessment, name="Network"))
    assert PREPARING.split(":")[0] not in page(cast, contract)  # no projection yet
    assessment_services.assessment_submit(assessment=assessment, user=cast.manager.user)
    deadline = time.monotonic() + 240
    while not ContractForecast.objects.filter(contract=contract).exists():
        if time.monotonic() > deadline:
            pytest.fail(f"No forecast stored:\n{worker.log.read_text()[-3000:]}")
        time.sleep(0.2)
    forecast = ContractForecast.objects.get(contract=contract)
    assert forecast.projection == latest(assessment)
    assert forecast.outcome == ForecastOutcome.BAND
    assert "Projected from" in page(cast, contract)
