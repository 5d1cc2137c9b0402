"""Recording measurements (form, file, API) computes and stores the credits with their inputs."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from contracts.models import CreditComputation, Measurement, MeasurementSource, ServiceCredit, Sla
from contracts.services.slas import MeasurementError, measurements_record
from tests.api.conftest import token_for
from tests.contracts.builders import add_worked_slas, make_contract, measure, month

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(cast):
    contract = make_contract(cast.manager)
    add_worked_slas(contract)
    return contract


def month_form(contract, period: str, **actuals) -> dict:
    data = {"period": period}
    for sla in contract.slas.all():
        data[f"sla_{sla.pk}"] = actuals.get(sla.name.split()[0].lower(), "")
    return data


def record(client, contract, period, **actuals):
    return client.post(
        reverse("contracts:record-measurements", args=[contract.pk]),
        month_form(contract, period, **actuals),
        follow=True,
    )


def test_recording_a_month_with_one_breach_shows_and_stores_the_credit(cast, contract):
    response = record(
        cast.client_for("manager"),
        contract,
        "2025-01",
        availability="99.6",
        response="5",
        csat="88",
    )
    page = response.content.decode()
    assert "1 breach, service credit GBP 4,800.00. That is gross" in page
    credit = ServiceCredit.objects.get(contract=contract, period=dt.date(2025, 1, 1))
    assert credit.total == Decimal("4800.00") and credit.breaches == 1
    assert credit.result["breach"] == ["Response hours"]
    assert credit.result["credits"] == {"Response hours": 4800.0}
    inputs = credit.computation.inputs
    assert inputs["actuals"] == [[99.6, 5.0, 88.0]]
    assert inputs["period_dates"] == ["2025-01-01"]
    assert inputs["monthly_fee"] == 100000.0 and inputs["at_risk_pct"] == 0.12
    assert [s["allocation"] for s in inputs["slas"]] == [0.5, 0.4, 0.6]
    assert credit.computation.computed_by == cast.manager.user
    assert Measurement.objects.filter(source=MeasurementSource.FORM).count() == 3


def test_the_worked_example_is_stored_month_by_month_with_its_earn_back(cast, contract):
    client = cast.client_for("manager")
    months = [
        ("2025-01", "99.6", "5", "80"),
        ("2025-02", "98.5", "3", "70"),
        ("2025-03", "99.7", "3", "90"),
        ("2025-04", "99.7", "3", "90"),
        ("2025-05", "99.7", "3", "90"),
    ]
    for period, availability, response, csat in months:
        record(client, contract, period, availability=availability, response=response, csat=csat)
    credits = list(ServiceCredit.objects.for_contract(contract))
    assert [c.total for c in credits] == [
        Decimal("12000.00"),
        Decimal("12000.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    ]
    february = credits[1]
    assert february.cap_applied and february.critical == 2
    assert february.result["credits"] == {"Availability": 5454.55, "CSAT": 6545.45}
    assert february.earned_back == Decimal("12000.00") and february.net_total == Decimal("0")
    assert credits[0].earned_back == Decimal("0.00")
    assert credits[0].result["earn_back_status"] == {
        "Response hours": "no earn-back",
        "CSAT": "not earned back",
    }
    # Every save kept its own computation, so an earlier figure can still be explained.
    assert CreditComputation.objects.filter(contract=contract).count() == 5


def test_the_credit_page_explains_a_month_from_the_stored_inputs(cast, contract):
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 80})
    page = (
        cast.client_for("cio")
        .get(reverse("contracts:credit-detail", args=[contract.pk, 2025, 1]))
        .content.decode()
    )
    assert "GBP 12,000.00" in page and "Critical breach" not in page
    assert "4,800.00" in page and "7,200.00" in page


def test_recording_again_corrects_the_month(cast, contract):
    client = cast.client_for("manager")
    record(client, contract, "2025-01", availability="99.6", response="5", csat="88")
    record(client, contract, "2025-01", response="3")
    assert Measurement.objects.filter(sla__contract=contract).count() == 3
    assert ServiceCredit.objects.get(contract=contract).total == Decimal("0.00")


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2024-12", "Dec 2024 is before the contract started (Jan 2025)."),
        ("2028-01", "after the contract&#x27;s current term ends (Dec 2027)"),
        ("2025-13", "the month must be 01 to 12"),
        ("March", "write it as YYYY-MM"),
    ],
)
def test_a_month_outside_the_contract_is_refused_and_nothing_saved(cast, contract, period, message):
    response = record(cast.client_for("manager"), contract, period, availability="99.6")
    page = response.content.decode()
    assert message in page
    assert 'value="99.6"' in page
    assert not Measurement.objects.exists() and not ServiceCredit.objects.exists()


def test_a_month_not_yet_over_cannot_be_measured(cast):
    contract = make_contract(cast.manager, start=dt.date(2025, 1, 1), end=dt.date(2099, 12, 31))
    add_worked_slas(contract)
    response = record(cast.client_for("manager"), contract, "2099-01", availability="99.6")
    assert "is still to come: record a month once it has begun" in response.content.decode()
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("actuals", "message"),
    [
        ({"availability": "-1"}, "greater than or equal to 0"),
        ({"availability": "101"}, "less than or equal to 100"),
        ({"availability": "abc"}, "Enter a number"),
        ({}, "Enter at least one actual value."),
    ],
)
def test_bad_actuals_are_refused_in_words(cast, contract, actuals, message):
    response = record(cast.client_for("manager"), contract, "2025-01", **actuals)
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_service_refuses_a_percentage_above_100_whichever_way_it_arrives(cast, contract):
    """The page's field stops it first; the service is the last gate for every path."""
    slas = {sla.name: sla for sla in contract.slas.all()}
    with pytest.raises(MeasurementError, match="CSAT for Jan 2025: the actual value 150 is above"):
        measurements_record(
            contract=contract,
            period=dt.date(2025, 1, 1),
            actuals={slas["CSAT"].pk: Decimal("150"), slas["Response hours"].pk: Decimal("150")},
            user=cast.manager.user,
        )
    assert not Measurement.objects.exists()


# ---------------------------------------------------------------- import


def csv_file(text: str, name: str = "measurements.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "measurements.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, contract, file):
    return client.post(
        reverse("contracts:import-measurements", args=[contract.pk]), {"file": file}, follow=True
    )


def test_a_csv_file_imports_every_row_and_computes_the_credits(cast, contract):
    text = (
        "sla,period,actual\nAvailability,2025-01,99.6\nresponse hours,2025-01,5\n"
        "CSAT,2025-01,80\nAvailability,2025-02,99.9\n"
    )
    response = upload(cast.client_for("manager"), contract, csv_file(text))
    assert "Imported 4 measurements for 2 months" in response.content.decode()
    assert Measurement.objects.filter(source=MeasurementSource.IMPORT).count() == 4
    totals = list(ServiceCredit.objects.for_contract(contract).values_list("total", flat=True))
    assert totals == [Decimal("12000.00"), Decimal("0.00")]


def test_a_file_with_one_bad_row_says_one_row_needs_fixing(cast, contract):
    text = "sla,period,actual\nAvailability,2025-01,99.6\nAvailabilty,2025-01,99\n"
    page = upload(cast.client_for("manager"), contract, csv_file(text)).content.decode()
    assert "Nothing was saved: 1 row needs fixing." in page
    assert not Measurement.objects.exists()


def test_an_xlsx_file_with_dates_and_numbers_imports(cast, contract):
    rows = [
        ["SLA", "Period", "Actual"],
        ["Availability", dt.datetime(2025, 3, 1), 99.7],
        ["CSAT", "2025-03", 91],
    ]
    upload(cast.client_for("manager"), contract, xlsx_file(rows))
    assert Measurement.objects.count() == 2
    assert Measurement.objects.get(sla__name="CSAT").period == dt.date(2025, 3, 1)


def test_a_file_with_bad_rows_saves_nothing_and_lists_every_problem(cast, contract):
    text = (
        "sla,period,actual\nAvailability,2025-01,99.6\nAvailabilty,2025-01,99\n"
        "CSAT,2031-01,80\nCSAT,2025-01,abc\nResponse hours,2025-01,-2\n"
        "Availability,2025-01,99.1\nCSAT,2025-02,150\nResponse hours,2025-02,150\n"
    )
    page = upload(cast.client_for("manager"), contract, csv_file(text)).content.decode()
    assert "Nothing was saved: 6 rows need fixing." in page
    assert "Line 3: unknown SLA &#x27;Availabilty&#x27;" in page
    assert "Line 4: unknown period: Jan 2031 is after the contract&#x27;s current term" in page
    assert "Line 5: the actual value &#x27;abc&#x27; is not a number." in page
    assert "Line 6: the actual value -2 is negative." in page
    # CSAT is in per cent, response hours are not: 150 hours is a possible month.
    assert "Line 8: the actual value 150 is above 100 %, and this SLA is measured in per cent" in (
        page
    )
    assert "Line 9" not in page
    assert "Line 7: Availability for Jan 2025 is already on line 2." in page
    assert not Measurement.objects.exists() and not ServiceCredit.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            csv_file("metric,month,value\nAvailability,2025-01,99\n"),
            "The columns must be exactly: sla, period, actual. "
            "This file has: metric, month, value.",
        ),
        (
            csv_file("sla,period,actual,comment\nAvailability,2025-01,99,ok\n"),
            "This file has: sla, period, actual, comment.",
        ),
        (csv_file("sla,period,actual\n"), "has a header but no measurements"),
        (
            SimpleUploadedFile("measurements.txt", b"sla,period,actual\n"),
            "is not a CSV or XLSX file",
        ),
        (
            SimpleUploadedFile("measurements.xlsx", b"sla,period,actual\n"),
            "is named .xlsx but is not an Excel workbook",
        ),
        (SimpleUploadedFile("measurements.csv", b"\xff\xfe\x00s\x00l\x00a"), "not a text CSV file"),
        (
            csv_file("sla,period,actual\n" + "Availability,2025-01,99.5\n" * 120_000),
            "the limit is 2 MB",
        ),
    ],
)
def test_an_unusable_file_is_refused_in_words(cast, contract, file, message):
    page = upload(cast.client_for("manager"), contract, file).content.decode()
    assert message.replace("'", "&#x27;") in page
    assert not Measurement.objects.exists()


def test_the_template_lists_every_sla_for_the_latest_month(cast, contract):
    response = cast.client_for("cio").get(
        reverse("contracts:measurement-template", args=[contract.pk])
    )
    lines = response.content.decode().splitlines()
    assert lines[0] == "sla,period,actual"
    assert [line.split(",")[0] for line in lines[1:]] == ["Availability", "Response hours", "CSAT"]


# ---------------------------------------------------------------- API


def api(cast_member, body: dict, *, token: bool = True):
    from django.test import Client

    client = Client()
    headers = {}
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Token {token_for(cast_member)}"
    return client.post(
        reverse("contracts:api-measurements"),
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_the_api_records_a_month_and_replies_with_the_credit(cast, contract):
    response = api(
        cast.manager,
        {
            "contract": contract.pk,
            "period": "2025-01",
            "measurements": [
                {"sla": "Availability", "actual": 99.6},
                {"sla": "response hours", "actual": "5"},
                {"sla": "CSAT", "actual": 88},
            ],
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["breaches"] == ["Response hours"] and body["credit_total"] == "4800.00"
    assert body["credit_net"] == "4800.00"  # nothing can be earned back yet
    assert Measurement.objects.filter(source=MeasurementSource.API).count() == 3
    assert ServiceCredit.objects.get(contract=contract).total == Decimal("4800.00")
    assert ServiceCredit.objects.get().computation.computed_by == cast.manager.user


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"period": "2030-01"}, "period", "Jan 2030 is after"),
        ({"period": "Jan"}, "period", "write it as YYYY-MM"),
        (
            {"measurements": [{"sla": "Uptime", "actual": 99}]},
            "measurements",
            "Unknown SLA 'Uptime'",
        ),
        (
            {"measurements": [{"sla": "CSAT", "actual": -3}]},
            "measurements",
            "greater than or equal",
        ),
        (
            {"measurements": [{"sla": "CSAT", "actual": 150}]},
            "measurements",
            "The actual value 150 is above 100 %, and this SLA is measured in per cent.",
        ),
        ({"measurements": []}, "measurements", "may not be empty"),
    ],
)
def test_the_api_refuses_bad_input_and_saves_nothing(cast, contract, body, field, message):
    data = {
        "contract": contract.pk,
        "period": "2025-01",
        "measurements": [{"sla": "CSAT", "actual": 88}],
        **body,
    }
    response = api(cast.manager, data)
    assert response.status_code == 400
    assert message in json.dumps(response.json()[field])
    assert not Measurement.objects.exists()


def test_the_api_keeps_cios_and_other_organisations_out(cast, contract):
    body = {
        "contract": contract.pk,
        "period": "2025-01",
        "measurements": [{"sla": "CSAT", "actual": 88}],
    }
    assert api(cast.cio, body).status_code == 403
    assert api(cast.outsider, body).status_code == 404
    assert api(cast.manager, body, token=False).status_code == 401
    assert not Measurement.objects.exists()


# ---------------------------------------------------------------- SLAs


def sla_data(**changes) -> dict:
    return {
        "name": "Resolution time",
        "category": "resolution_time",
        "target": "8",
        "unit": "hours",
        "direction": "lower",
        "period": "monthly",
        "allocation_pct": "30",
        "minimum": "16",
        "earn_back": "",
        **changes,
    }


def test_a_manager_adds_an_sla_and_the_history_keeps_it(cast, contract):
    client = cast.client_for("manager")
    client.post(reverse("contracts:sla-create", args=[contract.pk]), sla_data())
    sla = Sla.objects.get(name="Resolution time")
    assert sla.contract == contract and sla.minimum == Decimal("16")
    assert sla.history.get().history_user == cast.manager.user


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"minimum": "4"}, "The minimum service level (4) is below the target (8)"),
        (
            {"direction": "higher", "unit": "%", "target": "99", "minimum": "99.5"},
            "is above the target",
        ),
        ({"unit": "%", "target": "120", "minimum": ""}, "A percentage cannot be above 100."),
        ({"allocation_pct": "-10"}, "greater than or equal to 0"),
        ({"name": "csat"}, "already has an SLA with that name"),
    ],
)
def test_bad_slas_are_refused_in_words(cast, contract, changes, message):
    response = cast.client_for("manager").post(
        reverse("contracts:sla-create", args=[contract.pk]), sla_data(**changes)
    )
    assert message in response.content.decode()
    assert contract.slas.count() == 3


def test_changing_an_sla_recomputes_the_credits_and_is_kept_in_history(cast, contract):
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 88})
    sla = contract.slas.get(name="Response hours")
    client = cast.client_for("manager")
    data = sla_data(
        name="Response hours",
        category="response_time",
        target="6",
        minimum="8",
        allocation_pct="40",
    )
    client.post(reverse("contracts:sla-edit", args=[contract.pk, sla.pk]), data)
    assert ServiceCredit.objects.get(contract=contract).total == Decimal("0.00")
    latest = sla.history.first()
    assert latest.history_type == "~" and latest.target == Decimal("6")
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "SLA “Response hours” changed" in page


def test_removing_an_sla_removes_its_measurements_and_credits(cast, contract):
    measure(contract, month(0), {"Availability": 99.6, "Response hours": 5, "CSAT": 88})
    sla = contract.slas.get(name="Response hours")
    cast.client_for("manager").post(reverse("contracts:sla-delete", args=[contract.pk, sla.pk]))
    assert not Sla.objects.filter(pk=sla.pk).exists()
    assert Measurement.objects.filter(sla__contract=contract).count() == 2
    assert ServiceCredit.objects.get(contract=contract).total == Decimal("0.00")
    assert sla.history.filter(history_type="-").exists()


def test_the_sla_page_shows_the_trend_with_breaches(cast, contract):
    measure(contract, month(0), {"Availability": 99.2})
    measure(contract, month(1), {"Availability": 98.0})
    measure(contract, month(2), {"Availability": 99.9})
    sla = contract.slas.get(name="Availability")
    response = cast.client_for("cio").get(
        reverse("contracts:sla-detail", args=[contract.pk, sla.pk])
    )
    page = response.content.decode()
    assert "vendor/plotly/plotly-sourcewise.min.js" in page and "cdn" not in page.lower()
    assert page.count('class="table-danger"') == 2
    assert "Critical breach" in page
