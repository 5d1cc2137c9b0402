"""The measurements template: SLA names a spreadsheet would run as formulas are defused."""

import csv
import io

import pytest
from django.urls import reverse

from tests.contracts.builders import add_sla, make_contract

pytestmark = pytest.mark.django_db


def template_rows(cast, contract) -> list[list[str]]:
    response = cast.client_for("cio").get(
        reverse("contracts:measurement-template", args=[contract.pk])
    )
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_formula_like_sla_names_get_a_leading_quote(cast):
    contract = make_contract(cast.manager)
    for name in [
        '=HYPERLINK("http://evil.example","Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\tTab first",
    ]:
        add_sla(contract, name)
    names = sorted(row[0] for row in template_rows(cast, contract)[1:])
    assert names == sorted(
        [
            '\'=HYPERLINK("http://evil.example","Click")',
            "'+1+cmd|' /C calc'!A0",
            "'-2+3",
            "'@SUM(A1:A9)",
            "'\tTab first",
        ]
    )


def test_ordinary_sla_names_are_written_as_they_are(cast):
    contract = make_contract(cast.manager)
    add_sla(contract, "Availability")
    add_sla(contract, "First-time fix (%)")
    rows = template_rows(cast, contract)
    assert rows[0] == ["sla", "period", "actual"]
    assert sorted(row[0] for row in rows[1:]) == ["Availability", "First-time fix (%)"]


def test_a_filled_in_template_with_a_defused_name_imports_back(cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contracts.models import Measurement

    contract = make_contract(cast.manager)
    add_sla(contract, "=Uptime")
    rows = template_rows(cast, contract)
    filled = [rows[0], [rows[1][0], "2025-01", "99.9"]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(filled)
    response = cast.client_for("manager").post(
        reverse("contracts:import-measurements", args=[contract.pk]),
        {"file": SimpleUploadedFile("filled.csv", buffer.getvalue().encode())},
        follow=True,
    )
    assert response.status_code == 200
    assert Measurement.objects.filter(sla__name="=Uptime").count() == 1
